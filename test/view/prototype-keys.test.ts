/// <reference lib="dom" />
import type { Browser } from 'puppeteer-core';
import { renderModelView, runAnalysis, type Analysis, type Model, type TrafficProfile } from '../../src/toolkit';
import { libraryModel } from '../fixtures/library-model';
import { launchBrowser, openPage } from './browser';

/*
 * Partition values that are also the names of Object.prototype's members. A page that looks data
 * up in a plain object finds the prototype's member for them (f.loads['constructor'] is Object),
 * and drew none of their items.
 */
const NAMES = ['constructor', '__proto__', 'hasOwnProperty', 'toString'];
const model = libraryModel as unknown as Model;
let browser: Browser;
let analysis: Analysis;

/** The run with the four busiest table partitions renamed everywhere they occur (items, requests, keys). */
function renamed(run: Analysis, partitionKey: string): { analysis: Analysis; counts: Map<string, number> } {
  const counts = new Map<string, number>();
  for (const item of run.items) counts.set(String(item[partitionKey]), (counts.get(String(item[partitionKey])) ?? 0) + 1);
  const busiest = [...counts].sort((a, b) => b[1] - a[1]).slice(0, NAMES.length);
  const to = new Map(busiest.map(([value], i) => [value, NAMES[i] as string]));
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return to.get(v) ?? v;
    if (Array.isArray(v)) return v.map(walk);
    if (v instanceof Set || v instanceof Map || v === null || typeof v !== 'object' || v instanceof Uint8Array) return v;
    const out = Object.create(Object.getPrototypeOf(v) as object | null) as Record<string, unknown>;
    for (const [k, x] of Object.entries(v)) Object.defineProperty(out, k, { value: walk(x), enumerable: true, writable: true, configurable: true });
    return out;
  };
  return { analysis: walk(run) as Analysis, counts: new Map(busiest.map(([value, n]) => [to.get(value) as string, n])) };
}

beforeAll(async () => {
  analysis = await runAnalysis(model, { size: 6, iterations: 2, quiet: true });
  browser = await launchBrowser();
}, 180_000);
afterAll(async () => {
  await browser?.close();
});

it('partition values constructor, __proto__, hasOwnProperty and toString render every one of their items, with their load', async () => {
  const partitionKey = analysis.tableKeyFields[0] as string;
  const { analysis: hostile, counts } = renamed(analysis, partitionKey);
  const profile: TrafficProfile = { patterns: Object.fromEntries(model.catalog.map((p) => [p.name, { requestsPerSecond: 5 }])) };
  const opened = await openPage(browser, 'prototype-keys', renderModelView({ model, analysis: hostile, profile, pageSize: 1000 }));
  const { page } = opened;
  await page.click('[role="tab"][data-facet="table"]');
  expect(opened.errors).toEqual([]);
  const shown = await page.$$eval('td.pk', (tds) => tds.map((td) => ({ value: td.querySelector('div')?.textContent ?? '', span: (td as HTMLTableCellElement).rowSpan, badges: [...td.querySelectorAll('.badge')].map((b) => b.textContent ?? '') })));
  for (const name of NAMES) {
    const cell = shown.find((c) => c.value === name);
    const want = counts.get(name) as number;
    expect({ name, span: cell?.span, items: cell?.badges[0] }).toEqual({ name, span: want, items: `${want} ${want === 1 ? 'item' : 'items'}` });
  }
  // Every item of the table facet is drawn once.
  expect(await page.$$eval('tr.item', (trs) => trs.length)).toBe(hostile.items.length);
  // At least one of them carries load under the profile, shown as a number, not "undefined" or NaN.
  const loads = shown.filter((c) => NAMES.includes(c.value)).flatMap((c) => c.badges.slice(1));
  expect(loads.length).toBeGreaterThan(0);
  for (const l of loads) expect(l).toMatch(/^(HOT )?\d+(\.\d+)?% of limit$/);
  expect(opened.errors).toEqual([]);
}, 120_000);
