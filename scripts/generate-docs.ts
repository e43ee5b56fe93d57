/*
 * Regenerates every generated block of the docs (`--write`) or fails when one is stale
 * (`--check`): the README's access-pattern table and speed table (from bench/results.json) and
 * the command output shown in docs/.
 * Run through `npm run docs` / `npm run docs:check` (after a build).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderCatalogMarkdown, replaceBetweenMarkers } from '../src/toolkit';
import { referenceModel } from '../src/reference';
import { benchHeadline } from '../bench/headline';
import { migrateDocsDemo, REFERENCE_SNAPSHOT } from './migrate-docs-demo';

const root = join(__dirname, '..');
// Output as a user sees it; hot-partitions exits 2 when it finds a hot partition, which is a report too.
const cli = (...args: string[]) => {
  const run = spawnSync(process.execPath, [join(root, 'dist', 'cli', 'main.js'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  if (run.status !== 0 && run.status !== 2) throw new Error(`single-table-kit ${args.join(' ')} failed (${run.status}): ${run.stderr}`);
  return run.stdout;
};
const block = (text: string) => `\n\`\`\`text\n${text.trimEnd()}\n\`\`\`\n`;
// Commands of the migration demo (scripts/migrate-docs-demo.ts) with their output, as run: nothing in it is masked.
const migrateDemo = (...commands: number[]) => {
  const outputs = migrateDocsDemo();
  return block(
    commands
      .map((i) => {
        const o = outputs[i];
        if (!o) throw new Error(`the migration demo ran ${outputs.length} commands, not ${i + 1}`);
        return `$ ${o.command}\n${o.stdout.trimEnd()}`;
      })
      .join('\n\n'),
  );
};

export const GENERATED: { file: string; marker: string; render: () => string }[] = [
  { file: 'README.md', marker: 'access-patterns', render: () => renderCatalogMarkdown(referenceModel.catalog, { detail: 'summary' }) },
  { file: 'docs/reference-model.md', marker: 'access-patterns', render: () => renderCatalogMarkdown(referenceModel.catalog) },
  { file: 'README.md', marker: 'bench-headline', render: () => benchHeadline(JSON.parse(readFileSync(join(root, 'bench', 'results.json'), 'utf8'))) },
  { file: 'docs/cli.md', marker: 'cli-help', render: () => block(`$ single-table-kit help\n${cli('help')}`) },
  {
    file: 'docs/migrations.md',
    marker: 'migrate-diff',
    render: () => block(`$ single-table-kit diff --from ${REFERENCE_SNAPSHOT}\n${cli('diff', '--from', REFERENCE_SNAPSHOT)}`),
  },
  { file: 'docs/migrations.md', marker: 'migrate-plan', render: () => migrateDemo(0) },
  { file: 'docs/migrations.md', marker: 'migrate-run', render: () => migrateDemo(1, 2) },
  { file: 'docs/migrations.md', marker: 'migrate-help', render: () => block(`$ single-table-kit migrate --help\n${cli('migrate', '--help')}`) },
  { file: 'docs/dax.md', marker: 'dax-serving', render: () => block(`$ single-table-kit dax\n${cli('dax')}`) },
];

export function generateDocs(mode: 'write' | 'check'): string[] {
  const byFile = new Map<string, string>();
  for (const { file, marker, render } of GENERATED) {
    byFile.set(file, replaceBetweenMarkers(byFile.get(file) ?? readFileSync(join(root, file), 'utf8'), marker, render()));
  }
  const stale = [...byFile].filter(([file, text]) => text !== readFileSync(join(root, file), 'utf8')).map(([file]) => file);
  if (mode === 'write') for (const file of stale) writeFileSync(join(root, file), byFile.get(file) as string);
  return stale;
}

if (process.argv.includes('--write') || process.argv.includes('--check')) {
  const mode = process.argv.includes('--write') ? 'write' : 'check';
  const stale = generateDocs(mode);
  if (mode === 'check' && stale.length) {
    process.stderr.write(`stale generated docs: ${stale.join(', ')}; run \`npm run docs\` and commit the result\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write(mode === 'write' ? `generated docs written${stale.length ? `: ${stale.join(', ')}` : ' (no change)'}\n` : 'generated docs are up to date\n');
  }
}
