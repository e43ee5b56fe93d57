import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { renderModelView, runAnalysis, type Model, type PriceTable, type TrafficProfile } from '../toolkit';
import { terminalText } from './terminal';
import { checkProfilePatterns, modelPatternsOnly } from './cost';

export interface ViewCommandOptions {
  out: string;
  profile?: TrafficProfile;
  prices?: PriceTable;
  size: number;
  iterations: number;
}

/** `view`: runs the model on the engine and writes its page (one HTML file). */
export async function runView(model: Model, options: ViewCommandOptions): Promise<number> {
  if (options.profile) checkProfilePatterns(model, options.profile.patterns);
  const analysis = await runAnalysis(model, { size: options.size, iterations: options.iterations });
  // The page shows the model's patterns: a planned one (units given, not built) has no items to show.
  const html = renderModelView({ model, analysis, profile: options.profile && modelPatternsOnly(model, options.profile), prices: options.prices });
  const out = resolve(options.out);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, html);
  process.stdout.write(`Model: ${terminalText(model.name)}\nWrote ${terminalText(out)} (${analysis.items.length} items, ${model.catalog.length} patterns, ${(Buffer.byteLength(html) / 1024).toFixed(0)} KB)\n`);
  return 0;
}
