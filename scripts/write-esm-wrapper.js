// Writes an ES module entry beside each CommonJS entry point ("exports" in package.json), so both
// `require('single-table-kit/testing')` and `import { createModelFixture } from 'single-table-kit/testing'` work.
const { writeFileSync } = require('node:fs');
const { join, basename } = require('node:path');

const root = join(__dirname, '..');
const exportsMap = require(join(root, 'package.json')).exports;
for (const target of Object.values(exportsMap)) {
  if (typeof target !== 'object') continue;
  const cjs = join(root, target.require.default);
  const mjs = join(root, target.import.default);
  const mod = require(cjs);
  const names = Object.keys(mod).filter((n) => n !== 'default' && n !== '__esModule');
  const file = `./${basename(cjs)}`;
  const lines = [`import cjs from '${file}';`];
  if (names.length) lines.push(`export const { ${names.join(', ')} } = cjs;`);
  // A module whose CommonJS build has a default export (jest global setup) keeps it as default.
  lines.push(typeof mod.default === 'function' ? 'export default cjs.default;' : 'export default cjs;', '');
  writeFileSync(mjs, lines.join('\n'));
  const types = `./${basename(cjs, '.js')}.js`;
  writeFileSync(join(root, target.import.types), `export * from '${types}';\n${typeof mod.default === 'function' ? `export { default } from '${types}';\n` : ''}`);
}
