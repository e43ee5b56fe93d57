import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { createJiti } from 'jiti';
import { renderCatalogMarkdown, replaceBetweenMarkers, type Catalog } from '../toolkit';

// The package root: dist/cli/init.js (or src/cli/init.ts under ts-jest) is two levels down.
const PACKAGE_ROOT = resolve(__dirname, '..', '..');
const TEMPLATE = join(PACKAGE_ROOT, 'templates', 'init');

interface OwnPackage {
  name: string;
  version: string;
  devDependencies: Record<string, string>;
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

/**
 * `init DIR`: a new project with its own model (two entities, catalog, services, seed, runners),
 * pattern tests on the embedded engine, jest set up, and a README whose access-pattern
 * table is generated. `kit` is the dependency spec for single-table-kit (default: this version).
 */
export function runInit(dir: string, options: { kit?: string } = {}): number {
  const target = resolve(dir);
  if (existsSync(target) && readdirSync(target).length > 0) throw new Error(`init: ${dir} is not empty`);
  const own = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as OwnPackage;
  const name = basename(target).toLowerCase().replace(/[^a-z0-9._-]+/g, '-') || 'my-model';
  for (const source of files(TEMPLATE)) {
    const rel = relative(TEMPLATE, source).replace(/^gitignore$/, '.gitignore');
    mkdirSync(join(target, rel, '..'), { recursive: true });
    writeFileSync(join(target, rel), readFileSync(source, 'utf8').split('{{name}}').join(name));
  }
  const pin = (dep: string) => own.devDependencies[dep] as string;
  const pkg = {
    name,
    private: true,
    scripts: {
      test: 'jest',
      typecheck: 'tsc -p tsconfig.json',
      demo: 'single-table-kit demo --model src/model.ts',
      docs: 'single-table-kit docs --write --model src/model.ts',
      'docs:check': 'single-table-kit docs --check --model src/model.ts',
    },
    dependencies: {
      'single-table-kit': options.kit ?? `^${own.version}`,
      '@aws-sdk/client-dynamodb': pin('@aws-sdk/client-dynamodb'),
      '@aws-sdk/lib-dynamodb': pin('@aws-sdk/lib-dynamodb'),
      electrodb: pin('electrodb'),
      // The scaffold's services parse their arguments with zod (a peer dependency of the kit).
      zod: pin('zod'),
    },
    devDependencies: Object.fromEntries(['@types/jest', '@types/node', 'jest', 'ts-jest', 'typescript'].map((d) => [d, pin(d)])),
  };
  writeFileSync(join(target, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  // The README's table, from the new catalog (its `single-table-kit` import is this toolkit).
  const jiti = createJiti(__filename, { alias: { 'single-table-kit': require.resolve('../toolkit') } });
  const { catalog } = jiti(join(target, 'src', 'catalog.ts')) as { catalog: Catalog };
  const readme = join(target, 'README.md');
  writeFileSync(readme, replaceBetweenMarkers(readFileSync(readme, 'utf8'), 'access-patterns', renderCatalogMarkdown(catalog)));
  process.stdout.write(`Created ${dir}: cd ${dir} && npm install && npm test\n`);
  return 0;
}
