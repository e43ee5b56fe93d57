/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'puppeteer-core';
import { modelTable, renderModelView, runAnalysis, tableLayoutOf, type Analysis, type Model, type RecordedRequest } from '../../src/toolkit';
import { runView } from '../../src/cli/view';
import { HOSTILE_MEMBER_ID, HOSTILE_TEXT, libraryModel } from '../fixtures/library-model';
import { launchBrowser, litKeysOnAllPages, openPage, OUTPUT_DIR, recordedItemKeys, selectedFacet, type OpenedPage } from './browser';

/*
 * A second model with its own key names, a sparse index projecting two attributes, and values
 * (and a model name) that would run as script if the page inserted them as markup.
 */
const model = libraryModel as unknown as Model;
let analysis: Analysis;
let browser: Browser;
let opened: OpenedPage;

beforeAll(async () => {
  analysis = await runAnalysis(model, { size: 5, iterations: 2, quiet: true });
  browser = await launchBrowser();
  opened = await openPage(browser, 'library', renderModelView({ model, analysis }));
}, 180_000);
afterAll(async () => {
  await browser?.close();
});

describe('the library model page', () => {
  it('opens with no console error, no request, and shows hostile values as text', async () => {
    const { page } = opened;
    expect(opened.errors).toEqual([]);
    expect(opened.requests).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.title()).toBe(`${model.name} · single-table-kit`);
    expect(await page.$eval('h1', (h) => h.textContent)).toBe(model.name);
    await page.click('#show-attrs');
    await page.click('[role="tab"][data-facet="table"]');
    const attrs = await page.$$eval('td.attrs span', (ss) => ss.map((s) => s.textContent));
    expect(attrs).toContain(`title: ${HOSTILE_TEXT}`);
    expect(attrs).toContain(`note: ${HOSTILE_TEXT}`);
    const keys = await page.$$eval('td.pk > div', (ds) => ds.map((d) => d.textContent));
    expect(keys.some((k) => k?.includes(HOSTILE_MEMBER_ID))).toBe(true);
    expect(await page.$$('td.attrs script, td.attrs img, td.pk b')).toHaveLength(0);
    await page.click('#show-attrs');
    expect(opened.errors).toEqual([]);
    expect(opened.requests).toEqual([]);
  });

  it("uses the model's own key names and shows the sparse index with its projected attributes only", async () => {
    const { page } = opened;
    await page.click('[role="tab"][data-facet="table"]');
    expect(await page.$$eval('table.items thead th', (ths) => ths.map((th) => th.textContent).slice(1, 3))).toEqual(['part', 'sort']);

    await page.click('[role="tab"][data-facet="overdue"]');
    expect(await selectedFacet(page)).toBe('overdue');
    const overdue = analysis.items.filter((i) => typeof i.duePart === 'string' && typeof i.dueSort === 'string');
    expect(overdue.length).toBeGreaterThan(0);
    expect(overdue.length).toBeLessThan(analysis.items.filter((i) => i.__edb_e__ === 'loan').length);
    const rows = await page.$$eval('tr.item', (trs) => trs.map((tr) => JSON.parse(tr.getAttribute('data-key') ?? '{}') as Record<string, string>));
    expect(rows.map((k) => `${k.part}|${k.sort}`).sort()).toEqual(overdue.map((i) => `${i.part}|${i.sort}`).sort());
    // sorted by the index's sort key within its partition
    const sortKeys = await page.$$eval('tr.item td[data-field="dueSort"]', (tds) => tds.map((td) => td.textContent ?? ''));
    expect(sortKeys).toHaveLength(overdue.length);
    expect(sortKeys).toEqual([...sortKeys].sort());
    expect(await page.$$eval('table.items thead th', (ths) => ths.map((th) => th.textContent))).toEqual(['', 'duePart', 'dueSort', 'part', 'sort', 'entity', 'touched']);
    await page.click('#show-attrs');
    const names = await page.$$eval('td.attrs b', (bs) => bs.map((b) => (b.textContent ?? '').replace(/: $/, '')));
    expect(new Set(names)).toEqual(new Set(['dueAt', 'memberId']));
    // The entity marker is not projected into this index.
    expect(await page.$$eval('tr.item td.entity', (tds) => [...new Set(tds.map((td) => td.textContent))])).toEqual(['—']);
    await page.click('#show-attrs');

    await page.click('[role="tab"][data-facet="byBook"]');
    expect(await page.$$eval('table.items thead th', (ths) => ths.map((th) => th.textContent).slice(1, 5))).toEqual(['bookPart', 'bookSort', 'part', 'sort']);
  });

  it.each([
    ['listOverdueLoans', 'overdue', { partitionKey: 'duePart', sortKey: 'dueSort' }],
    ['listLoansForBook', 'byBook', { partitionKey: 'bookPart', sortKey: 'bookSort' }],
    ['listMemberLoans', 'table', undefined],
    ['getMember', 'table', undefined],
    ['lendBook', 'table', undefined],
  ] as const)('%s lights up exactly its recorded items', async (pattern, facet, keys) => {
    const { page } = opened;
    await page.click('[role="tab"][data-facet="table"]');
    await page.click(`button.pattern[data-pattern="${pattern}"]`);
    expect(await selectedFacet(page)).toBe(facet);
    const expected = recordedItemKeys(analysis, pattern, keys);
    expect(expected.size).toBeGreaterThan(0);
    const shown = await litKeysOnAllPages(page);
    expect(shown.unlit).toBe(0);
    expect([...shown.lit].sort()).toEqual([...expected].sort());
    const label = pattern === 'lendBook' ? 'written' : 'read';
    expect(await page.$$eval('tr.item.lit .badge.touch', (bs) => [...new Set(bs.map((b) => b.textContent))])).toEqual([label]);
    await page.keyboard.press('Escape');
  });

  it('pages 10,000 items: one page in the DOM, and a pattern jumps to the page of its items', async () => {
    // A synthetic run (no DynamoDB needed to test the page's size limits): 500 members x 20 loans.
    const items: Record<string, unknown>[] = [];
    for (let m = 0; m < 500; m += 1) {
      const part = `$library#memberId_m${String(m).padStart(3, '0')}`;
      for (let l = 0; l < 20; l += 1) items.push({ part, sort: `$loan_1#loanId_l${String(l).padStart(2, '0')}`, __edb_e__: 'loan', bookId: `b${l % 7}`, dueAt: '2026-01-01' });
    }
    const last = items.filter((i) => i.part === '$library#memberId_m499');
    const request: RecordedRequest = {
      operation: 'Query', tables: ['t'], index: undefined, keyCondition: 'part = :pk', filter: undefined, partitions: [{ field: 'part', value: '$library#memberId_m499' }],
      itemKeys: [], returnedKeys: last.map((i) => ({ part: String(i.part), sort: String(i.sort) })), consistentRead: false, limit: undefined, pattern: 'listMemberLoans',
      consumedCapacity: [{ TableName: 't', CapacityUnits: 0.5, ReadCapacityUnits: 0.5, Table: { CapacityUnits: 0.5 } }], readUnits: 0.5, writeUnits: 0, itemCount: 20, scannedCount: 20, durationMs: 1, error: undefined, startedAt: 0,
    };
    const big: Analysis = {
      model: model.name,
      items,
      measurements: [{ pattern: 'listMemberLoans', calls: [{ requests: [request], durationMs: 1, returned: 20 }] }],
      indexes: [{ index: 'table', partitionKey: 'part' }, { index: 'byBook', partitionKey: 'bookPart' }, { index: 'overdue', partitionKey: 'duePart' }],
      tableKeyFields: ['part', 'sort'],
      layout: tableLayoutOf(modelTable(model, 't')),
    };
    const started = Date.now();
    const html = renderModelView({ model, analysis: big });
    const built = Date.now() - started;
    const bigPage = await openPage(browser, 'library-10000', html);
    const { page } = bigPage;
    const loaded = await page.evaluate(() => performance.now());
    expect(await page.$$('tr.item')).toHaveLength(100);
    expect(await page.$eval('#page-info', (p) => p.textContent)).toBe('Page 1 of 100 · 10,000 items');
    await page.click('button.pattern[data-pattern="listMemberLoans"]');
    expect(await page.$eval('#page-info', (p) => p.textContent)).toBe('Page 100 of 100 · 10,000 items');
    expect(await page.$$eval('tr.item.lit', (trs) => trs.map((tr) => tr.getAttribute('data-key')))).toEqual(last.map((i) => JSON.stringify({ part: i.part, sort: i.sort })));
    await page.click('#first');
    expect(await page.$$('tr.item')).toHaveLength(100);
    expect(bigPage.errors).toEqual([]);
    expect(bigPage.requests).toEqual([]);
    await page.close();
    // Measured, not asserted (timing depends on the machine): written next to the screenshots.
    writeFileSync(join(OUTPUT_DIR, 'library-10000-timing.json'), JSON.stringify({ htmlBytes: html.length, buildMs: built, loadToReadyMs: loaded }));
  });

  it('screenshots at 1280 and 420 px', async () => {
    const { page } = opened;
    await page.click('button.pattern[data-pattern="listOverdueLoans"]');
    await page.screenshot({ path: join(OUTPUT_DIR, 'library-1280.png') });
    await page.setViewport({ width: 420, height: 900 });
    await page.screenshot({ path: join(OUTPUT_DIR, 'library-420.png'), fullPage: true });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(420);
    await page.setViewport({ width: 1280, height: 900 });
    expect(opened.errors).toEqual([]);
  });

  it('single-table-kit view --model writes the page as one file', async () => {
    const out = join(OUTPUT_DIR, 'cli', 'library.html');
    rmSync(out, { force: true });
    const write = process.stdout.write;
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
      expect(await runView(model, { out, size: 2, iterations: 1 })).toBe(0);
    } finally {
      process.stdout.write = write;
    }
    expect(existsSync(out)).toBe(true);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('<h1>library loans &lt;members &amp; books&gt;</h1>');
    expect(html).not.toContain('<script>window.__pwned');
    const cli = await openPage(browser, 'library-cli', html);
    // Nothing to fetch: no element with a source or a link but the page's own skip link.
    expect(await cli.page.$$eval('[src], [href]', (es) => es.map((e) => e.getAttribute('href') ?? e.getAttribute('src')))).toEqual(['#items']);
    expect(cli.errors).toEqual([]);
    expect(cli.requests).toEqual([]);
    await cli.page.close();
  }, 120_000);
});
