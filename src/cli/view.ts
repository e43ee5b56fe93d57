import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { renderModelView, runAnalysis, type Model, type PriceTable, type TrafficProfile } from '../toolkit';
import { checkProfilePatterns } from './cost';

export interface ViewCommandOptions {
  out: string;
  profile?: TrafficProfile;
  prices?: PriceTable;
  size: number;
  iterations: number;
}

/** `view`: runs the model on DynamoDB Local and writes its page (one HTML file). */
export async function runView(model: Model, options: ViewCommandOptions): Promise<number> {
  if (options.profile) checkProfilePatterns(model, Object.keys(options.profile.patterns));
  const analysis = await runAnalysis(model, { size: options.size, iterations: options.iterations });
  const html = renderModelView({ model, analysis, profile: options.profile, prices: options.prices });
  const out = resolve(options.out);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, html);
  process.stdout.write(`Model: ${model.name}\nWrote ${out} (${analysis.items.length} items, ${model.catalog.length} patterns, ${(Buffer.byteLength(html) / 1024).toFixed(0)} KB)\n`);
  return 0;
}
