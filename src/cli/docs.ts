import { readFileSync, writeFileSync } from 'node:fs';
import { catalog } from '../access-patterns/catalog';
import { renderCatalogMarkdown, replaceBetweenMarkers } from '../catalog/render-catalog';

export const ACCESS_PATTERN_MARKER = 'access-patterns';

/** The README with its access-pattern table regenerated from the catalog. */
export function renderReadme(current: string): string {
  return replaceBetweenMarkers(current, ACCESS_PATTERN_MARKER, renderCatalogMarkdown(catalog));
}

/** `docs --write` regenerates the README's table; `docs --check` fails when it is stale. */
export function runDocs(readmePath: string, mode: 'write' | 'check'): number {
  const current = readFileSync(readmePath, 'utf8');
  const fresh = renderReadme(current);
  if (mode === 'write') {
    if (fresh !== current) writeFileSync(readmePath, fresh);
    process.stdout.write(fresh === current ? `${readmePath} is up to date\n` : `${readmePath}: access-pattern table regenerated\n`);
    return 0;
  }
  if (fresh !== current) {
    process.stderr.write(`${readmePath}: the access-pattern table is stale; run \`npm run docs\` and commit the result\n`);
    return 1;
  }
  process.stdout.write(`${readmePath}: access-pattern table matches the catalog\n`);
  return 0;
}
