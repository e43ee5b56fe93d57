import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'puppeteer-core';
import type { BenchResults } from '../../bench/benchmarks';
import { ratiosSvg } from '../../bench/report';
import { launchBrowser, openPage } from '../view/browser';

/*
 * The published chart (bench/ratios.svg) is drawn from the published numbers (bench/results.json)
 * and reads right in a real browser: every bar as long as its value says, on one scale per panel,
 * and every label inside the picture and clear of the others.
 */
const root = join(__dirname, '..', '..');
const results = JSON.parse(readFileSync(join(root, 'bench', 'results.json'), 'utf8')) as BenchResults;
const published = readFileSync(join(root, 'bench', 'ratios.svg'), 'utf8');

interface Box { x: number; y: number; width: number; height: number }
interface Drawn {
  svg: Box;
  bars: { title: string; box: Box }[];
  texts: { text: string; box: Box; anchor: string | null }[];
}

let browser: Browser;
let drawn: Drawn;
beforeAll(async () => {
  browser = await launchBrowser();
  const { page } = await openPage(browser, 'bench-ratios', `<!doctype html><html><body style="margin:0" data-ready="true">${published}</body></html>`, 900, 1400);
  drawn = await page.evaluate(() => {
    const box = (e: Element) => {
      const r = e.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    };
    const svg = document.querySelector('svg') as SVGSVGElement;
    return {
      svg: box(svg),
      bars: [...svg.querySelectorAll('rect')].filter((r) => r.querySelector('title')).map((r) => ({ title: r.querySelector('title')!.textContent ?? '', box: box(r) })),
      texts: [...svg.querySelectorAll('text')].map((t) => ({ text: t.textContent ?? '', box: box(t), anchor: t.getAttribute('text-anchor') })),
    };
  });
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

it('is the chart of the published results', () => {
  expect(published).toBe(ratiosSvg(results));
});

it('draws one bar per contender and pattern, at the declared size', () => {
  const withPeers = (rows: BenchResults['inProcess'] | BenchResults['endToEnd']) => rows.reduce((n, r) => n + 1 + r.peers.length, 0);
  expect(drawn.bars).toHaveLength(withPeers(results.inProcess) + withPeers(results.endToEnd));
  const declared = /width="(\d+)" height="(\d+)"/.exec(published)!;
  expect(drawn.svg.width).toBe(Number(declared[1]));
  expect(drawn.svg.height).toBe(Number(declared[2]));
});

it('makes every bar as long as its value, on one scale per panel', () => {
  const valueOf = (title: string) => Number(/: (-?[\d.]+) /.exec(title)![1]);
  const panels = [drawn.bars.filter((b) => b.title.endsWith('µs added per call')), drawn.bars.filter((b) => !b.title.endsWith('µs added per call'))];
  for (const bars of panels) {
    const long = bars.filter((b) => valueOf(b.title) > 0 && b.box.width > 20);
    expect(long.length).toBeGreaterThan(0);
    // Titles give values to 2 decimals (ratios near 1: ±0.5%), widths are drawn to 0.1 px.
    const longest = long.reduce((a, b) => (b.box.width > a.box.width ? b : a));
    const scale = longest.box.width / valueOf(longest.title);
    for (const b of long) expect(Math.abs(b.box.width - valueOf(b.title) * scale)).toBeLessThan(1 + 0.01 * b.box.width);
    for (const b of bars) {
      expect(b.box.x).toBeGreaterThanOrEqual(drawn.svg.x);
      expect(b.box.x + b.box.width).toBeLessThanOrEqual(drawn.svg.x + drawn.svg.width);
    }
  }
});

it('keeps every label inside the picture, and the pattern names clear of each other', () => {
  for (const t of drawn.texts) {
    expect(t.box.width).toBeGreaterThan(0);
    expect(t.box.x).toBeGreaterThanOrEqual(drawn.svg.x);
    expect(t.box.x + t.box.width).toBeLessThanOrEqual(drawn.svg.x + drawn.svg.width + 0.5);
    expect(t.box.y + t.box.height).toBeLessThanOrEqual(drawn.svg.y + drawn.svg.height + 0.5);
  }
  const patterns = new Set([...results.inProcess, ...results.endToEnd].map((r) => r.pattern));
  const names = drawn.texts.filter((t) => patterns.has(t.text)).sort((a, b) => a.box.y - b.box.y);
  expect(names).toHaveLength(results.inProcess.length + results.endToEnd.length);
  for (let i = 1; i < names.length; i += 1) expect(names[i]!.box.y).toBeGreaterThanOrEqual(names[i - 1]!.box.y + names[i - 1]!.box.height - 1);
});
