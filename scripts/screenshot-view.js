#!/usr/bin/env node
/*
 * Regenerates docs/model-view.png: the reference model's page (seeded, measured, with the example
 * traffic profile) in headless Chromium at 1280 px, one pattern chosen. Needs `npm run build` first
 * and Chromium (CHROMIUM_PATH, default /usr/bin/chromium).
 *
 *   node scripts/screenshot-view.js [--out docs/model-view.png] [--pattern getUserAccount] [--width 1280] [--html FILE]
 *
 * --html skips the model run and shoots an existing page.
 */
const { mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const { dirname, join, resolve } = require('node:path');
const { pathToFileURL } = require('node:url');
const { parseArgs } = require('node:util');

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

async function main() {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: 'docs/model-view.png' },
      pattern: { type: 'string', default: 'getUserAccount' },
      width: { type: 'string', default: '1280' },
      height: { type: 'string', default: '860' },
      html: { type: 'string' },
      size: { type: 'string', default: '12' },
      scheme: { type: 'string', default: 'light' },
    },
  });
  const root = resolve(__dirname, '..');
  let htmlPath = values.html && resolve(values.html);
  if (!htmlPath) {
    const toolkit = require(join(root, 'dist/toolkit'));
    const { referenceModel } = require(join(root, 'dist/reference'));
    const profile = toolkit.readTrafficProfile(join(root, 'examples/reference-profile.json'));
    // One call per pattern and a small seed: the picture must stay the same from run to run.
    const analysis = await toolkit.runAnalysis(referenceModel, { size: Number(values.size), iterations: 1, quiet: true });
    htmlPath = join(require('node:os').tmpdir(), `model-view-${process.pid}.html`);
    writeFileSync(htmlPath, toolkit.renderModelView({ model: referenceModel, analysis, profile }));
  }
  const puppeteer = require('puppeteer-core');
  const browser = await puppeteer.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: Number(values.width), height: Number(values.height), deviceScaleFactor: 1 });
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: values.scheme }]);
    await page.goto(pathToFileURL(htmlPath).href);
    await page.waitForSelector('body[data-ready="true"]');
    if (values.pattern) {
      const button = await page.$(`button.pattern[data-pattern="${values.pattern}"]`);
      if (!button) throw new Error(`no pattern ${values.pattern} on the page`);
      await button.click();
    }
    const out = resolve(values.out);
    mkdirSync(dirname(out), { recursive: true });
    await page.screenshot({ path: out });
    process.stdout.write(`wrote ${out} (${readFileSync(out).length} bytes) from ${htmlPath}\n`);
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exitCode = 1;
});
