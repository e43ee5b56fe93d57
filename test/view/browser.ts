/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import type { Analysis } from '../../src/toolkit';

/** Where the tests write pages and screenshots (kept after the run, for a person to look at). */
export const OUTPUT_DIR = join(tmpdir(), 'single-table-kit-view');

export function launchBrowser(): Promise<Browser> {
  return puppeteer.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
}

export interface OpenedPage {
  page: Page;
  url: string;
  /** Console errors, uncaught exceptions and failed CSP checks. */
  errors: string[];
  /** Every request other than the page file itself (each is aborted). */
  requests: string[];
}

/** Writes the page to disk and opens it from there, as a person would, refusing any other request. */
export async function openPage(browser: Browser, name: string, html: string, width = 1280, height = 900): Promise<OpenedPage> {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const file = join(OUTPUT_DIR, `${name}.html`);
  writeFileSync(file, html);
  const url = pathToFileURL(file).href;
  const page = await browser.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.setRequestInterception(true);
  page.on('request', (r) => {
    if (r.url() === url) {
      void r.continue();
    } else {
      requests.push(r.url());
      void r.abort();
    }
  });
  await page.setViewport({ width, height });
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]');
  return { page, url, errors, requests };
}

/** The table keys (as the page writes them in data-key) of the items a pattern's recorded requests read or wrote. */
export function recordedItemKeys(analysis: Analysis, pattern: string, inIndex?: { partitionKey: string; sortKey?: string }): Set<string> {
  const fields = analysis.tableKeyFields;
  const asKey = (k: Record<string, unknown>) => JSON.stringify(Object.fromEntries(fields.map((f) => [f, String(k[f])])));
  const stored = new Map(analysis.items.map((item) => [asKey(item), item]));
  const out = new Set<string>();
  const measurement = analysis.measurements.find((m) => m.pattern === pattern);
  if (!measurement) throw new Error(`no measurement of ${pattern}`);
  for (const call of measurement.calls) {
    for (const r of call.requests) {
      const write = /^(Put|Update|Delete)Item$|^BatchWriteItem$|^TransactWriteItems$/.test(r.operation);
      for (const k of write ? r.itemKeys : (r.returnedKeys ?? [])) {
        const item = stored.get(asKey(k));
        if (!item) continue;
        if (inIndex && (typeof item[inIndex.partitionKey] !== 'string' || (inIndex.sortKey && typeof item[inIndex.sortKey] !== 'string'))) continue;
        out.add(asKey(k));
      }
    }
  }
  return out;
}

/** The data-key of every lit row across all pages, with "only items the pattern touched" on. */
export async function litKeysOnAllPages(page: Page): Promise<{ lit: Set<string>; unlit: number }> {
  const only = await page.$('#only-touched');
  if (!(await page.$eval('#only-touched', (e) => (e as HTMLInputElement).checked))) await only?.click();
  await page.click('#first');
  const lit = new Set<string>();
  let unlit = 0;
  for (;;) {
    const rows = await page.$$eval('tr.item', (trs) => trs.map((tr) => ({ key: tr.getAttribute('data-key') ?? '', lit: tr.classList.contains('lit') })));
    for (const r of rows) {
      if (r.lit) lit.add(r.key);
      else unlit += 1;
    }
    if (await page.$eval('#next', (b) => (b as HTMLButtonElement).disabled)) break;
    await page.click('#next');
  }
  await page.click('#only-touched');
  return { lit, unlit };
}

export async function selectedFacet(page: Page): Promise<string> {
  return page.$eval('[role="tab"][aria-selected="true"]', (t) => t.getAttribute('data-facet') ?? '');
}
