/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { join } from 'node:path';
import type { Browser } from 'puppeteer-core';
import { analyzePartitions, capacityOf, estimateCost, modelTable, peakRates, readTrafficProfile, renderModelView, runAnalysis, type Analysis, type Model, type TrafficProfile } from '../../src/toolkit';
import { referenceModel } from '../../src/reference';
import { launchBrowser, litKeysOnAllPages, openPage, OUTPUT_DIR, recordedItemKeys, selectedFacet, type OpenedPage } from './browser';

/*
 * The reference model's page in headless Chromium: a person opens it from disk, picks patterns,
 * switches indexes, uses the keyboard, narrows the window.
 */
const model = referenceModel as unknown as Model;
const base = readTrafficProfile(join(__dirname, '../../examples/reference-profile.json'));
// getUserById at 20,000 requests/s heats the few user partitions its calls read: a known hot spot.
const profile: TrafficProfile = { ...base, patterns: { ...base.patterns, getUserById: { requestsPerSecond: 20_000 } } };
const gsis = new Map((modelTable(model, 't').input.GlobalSecondaryIndexes ?? []).map((g) => [g.IndexName ?? '', { partitionKey: g.KeySchema?.[0]?.AttributeName ?? '', sortKey: g.KeySchema?.[1]?.AttributeName }]));

let analysis: Analysis;
let browser: Browser;
let opened: OpenedPage;

beforeAll(async () => {
  analysis = await runAnalysis(model, { size: 8, iterations: 2, quiet: true });
  browser = await launchBrowser();
  opened = await openPage(browser, 'reference', renderModelView({ model, analysis, profile }));
}, 240_000);
afterAll(async () => {
  await browser?.close();
});

describe('the reference model page', () => {
  it('opens from disk with no console error and no request', async () => {
    expect(opened.errors).toEqual([]);
    expect(opened.requests).toEqual([]);
    expect(await opened.page.$eval('h1', (h) => h.textContent)).toBe(model.name);
    // every catalog pattern is listed, every index has a tab
    expect(await opened.page.$$eval('button.pattern', (bs) => bs.map((b) => b.getAttribute('data-pattern')))).toEqual(model.catalog.map((p) => p.name));
    expect(await opened.page.$$eval('[role="tab"]', (ts) => ts.map((t) => t.getAttribute('data-facet')))).toEqual(['table', ...gsis.keys()]);
  });

  it.each(['getUserByEmail', 'getUserAccount', 'listOrganizationMembers', 'listUsersByStatus', 'createUser', 'updateUserProfile'])(
    '%s lights up exactly the items its recorded requests read or wrote',
    async (pattern) => {
      const { page } = opened;
      await page.click(`button.pattern[data-pattern="${pattern}"]`);
      expect(await page.$eval(`button.pattern[data-pattern="${pattern}"]`, (b) => b.getAttribute('aria-pressed'))).toBe('true');
      // The page shows an index the pattern sends requests to.
      const facet = await selectedFacet(page);
      const used = new Set(analysis.measurements.find((m) => m.pattern === pattern)?.calls.flatMap((c) => c.requests.map((r) => r.index ?? 'table')));
      expect(used.has(facet)).toBe(true);
      const expected = recordedItemKeys(analysis, pattern, gsis.get(facet));
      expect(expected.size).toBeGreaterThan(0);
      const shown = await litKeysOnAllPages(page);
      expect(shown.unlit).toBe(0);
      expect([...shown.lit].sort()).toEqual([...expected].sort());
      // Every item is in the table: there the pattern lights up all it touched, across indexes.
      await page.click('[role="tab"][data-facet="table"]');
      const all = await litKeysOnAllPages(page);
      expect([...all.lit].sort()).toEqual([...recordedItemKeys(analysis, pattern)].sort());
      await page.click(`button.pattern[data-pattern="${pattern}"]`);
      expect(await page.$$('tr.item.lit')).toHaveLength(0);
    },
  );

  it("shows a pattern's recorded requests, units per call and monthly cost", async () => {
    const { page } = opened;
    await page.click('button.pattern[data-pattern="getUserByEmail"]');
    const measurement = analysis.measurements.find((m) => m.pattern === 'getUserByEmail');
    const requests = measurement?.calls.flatMap((c) => c.requests) ?? [];
    const rows = await page.$$eval('#detail tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(rows.map((r) => r.slice(1, 4))).toEqual(requests.map((r) => [r.operation, r.index ?? 'table', r.keyCondition]));
    const text = await page.$eval('#detail', (d) => d.textContent ?? '');
    const units = capacityOf(measurement!, 'read');
    expect(text).toContain(`${units.readUnitsPerCall.toFixed(2)} RCU`);
    const cost = estimateCost(profile, analysis.measurements.map((m) => capacityOf(m, 'read'))).patterns.find((p) => p.pattern === 'getUserByEmail');
    expect(text).toContain(`$${cost?.monthly.onDemand.toFixed(2)} on-demand`);
    expect(text).toMatch(/Hottest partition\s*gsi2 · /);
    await page.click('button.pattern[data-pattern="getUserByEmail"]');
  });

  it('marks exactly the partitions the profile makes hot', async () => {
    const { page } = opened;
    const hot = analyzePartitions({ ...analysis, requestsPerSecond: peakRates(profile) }).hot.filter((p) => p.index === 'table');
    expect(hot.length).toBeGreaterThan(0);
    await page.click('[role="tab"][data-facet="table"]');
    const marked: string[] = [];
    for (;;) {
      marked.push(...(await page.$$eval('td.pk', (tds) => tds.filter((td) => td.querySelector('.badge.hot')).map((td) => td.firstElementChild?.textContent ?? ''))));
      if (await page.$eval('#next', (b) => (b as HTMLButtonElement).disabled)) break;
      await page.click('#next');
    }
    expect(marked.sort()).toEqual(hot.map((p) => p.partition).sort());
    // The header lists them; choosing one shows its partition.
    const first = hot[0]!;
    const buttons = await page.$$('#hot button');
    expect(buttons.length).toBeGreaterThanOrEqual(hot.length);
    await page.$$eval('#hot button', (bs, want) => (bs.find((b) => b.textContent?.includes(want as string)) as HTMLButtonElement).click(), first.partition);
    expect(await page.$$eval('td.pk > div', (ds) => ds.map((d) => d.textContent))).toEqual([first.partition]);
    await page.$eval('#filter', (i) => {
      (i as HTMLInputElement).value = '';
      i.dispatchEvent(new Event('input'));
    });
  });

  it('switches facets: each index shows only the items that carry its keys', async () => {
    const { page } = opened;
    for (const [name, keys] of gsis) {
      await page.click(`[role="tab"][data-facet="${name}"]`);
      expect(await selectedFacet(page)).toBe(name);
      const inIndex = analysis.items.filter((i) => typeof i[keys.partitionKey] === 'string' && (!keys.sortKey || typeof i[keys.sortKey] === 'string')).length;
      expect(inIndex).toBeLessThan(analysis.items.length);
      expect(await page.$eval('#page-info', (p) => p.textContent)).toContain(`${inIndex} items`);
      expect(await page.$$eval('table.items thead th', (ths) => ths.map((th) => th.textContent).slice(1, 3))).toEqual([keys.partitionKey, keys.sortKey]);
    }
  });

  it('is usable by keyboard: patterns and facet tabs take focus, arrows move, Enter chooses, Esc clears', async () => {
    const { page } = opened;
    await page.click('[role="tab"][data-facet="table"]');
    // Tab from the top of the page reaches a pattern and the selected facet tab.
    // A click on the heading puts the sequential focus starting point at the top.
    await page.click('h1');
    const reached = new Set<string>();
    for (let i = 0; i < 80 && !reached.has('tab'); i += 1) {
      await page.keyboard.press('Tab');
      reached.add(await page.evaluate(() => (document.activeElement?.classList.contains('pattern') ? 'pattern' : document.activeElement?.getAttribute('role') ?? '')));
    }
    expect(reached.has('pattern')).toBe(true);
    expect(reached.has('tab')).toBe(true);

    await page.focus('button.pattern');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const third = model.catalog[2]!.name;
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-pattern'))).toBe(third);
    // focus is visible
    expect(await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle)).not.toBe('none');
    await page.keyboard.press('Enter');
    expect(await page.$eval(`button.pattern[data-pattern="${third}"]`, (b) => b.getAttribute('aria-pressed'))).toBe('true');
    expect((await page.$$('tr.item.lit')).length).toBeGreaterThan(0);
    await page.keyboard.press('Escape');
    expect(await page.$$eval('button.pattern[aria-pressed="true"]', (bs) => bs.length)).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-pattern'))).toBe(third);

    await page.click('[role="tab"][data-facet="table"]');
    await page.focus('[role="tab"][aria-selected="true"]');
    await page.keyboard.press('ArrowRight');
    const second = [...gsis.keys()][0];
    expect(await selectedFacet(page)).toBe(second);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-facet'))).toBe(second);
    await page.keyboard.press('End');
    expect(await selectedFacet(page)).toBe([...gsis.keys()].at(-1));
    await page.keyboard.press('Home');
    expect(await selectedFacet(page)).toBe('table');
  });

  it('reads in a narrow window and in both colour schemes (screenshots at 1280 and 420 px)', async () => {
    const { page } = opened;
    await page.click('button.pattern[data-pattern="getUserAccount"]');
    await page.screenshot({ path: join(OUTPUT_DIR, 'reference-1280.png') });
    const light = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.setViewport({ width: 420, height: 900 });
    await page.screenshot({ path: join(OUTPUT_DIR, 'reference-420.png'), fullPage: true });
    // No sideways scrolling of the page: the item grid scrolls inside its own box.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(420);
    // One column: the catalog above the items.
    const [aside, main] = await page.evaluate(() => ['aside', 'main'].map((s) => document.querySelector(s)!.getBoundingClientRect()).map((r) => ({ top: r.top, bottom: r.bottom })));
    expect(aside!.bottom).toBeLessThanOrEqual(main!.top + 1);
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
    await page.screenshot({ path: join(OUTPUT_DIR, 'reference-420-dark.png') });
    const dark = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(dark).not.toBe(light);
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
    await page.setViewport({ width: 1280, height: 900 });
    expect(opened.errors).toEqual([]);
    expect(opened.requests).toEqual([]);
  });
});
