import { readFileSync, writeFileSync } from 'node:fs';
import { renderCatalogMarkdown, replaceBetweenMarkers, type Model } from '../toolkit';

export const ACCESS_PATTERN_MARKER = 'access-patterns';

/** A Markdown file with its access-pattern table regenerated from the model's catalog. */
export function renderAccessPatternTable(model: Model, current: string, detail: 'full' | 'summary' = 'full'): string {
  return replaceBetweenMarkers(current, ACCESS_PATTERN_MARKER, renderCatalogMarkdown(model.catalog, { detail }));
}

/** `docs --write` regenerates the table between the markers; `docs --check` fails when it is stale. */
export function runDocs(model: Model, path: string, mode: 'write' | 'check', detail: 'full' | 'summary' = 'full'): number {
  const current = readFileSync(path, 'utf8');
  const fresh = renderAccessPatternTable(model, current, detail);
  if (mode === 'write') {
    if (fresh !== current) writeFileSync(path, fresh);
    process.stdout.write(fresh === current ? `${path} is up to date\n` : `${path}: access-pattern table regenerated\n`);
    return 0;
  }
  if (fresh !== current) {
    process.stderr.write(`${path}: the access-pattern table is stale; run \`single-table-kit docs --write\` and commit the result\n`);
    return 1;
  }
  process.stdout.write(`${path}: access-pattern table matches the catalog\n`);
  return 0;
}
