// Writes dist/index.mjs: an ES module entry that re-exports the CommonJS build by name, so both
// `require('single-table-kit')` and `import { createServices } from 'single-table-kit'` work.
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

const dist = join(__dirname, '..', 'dist');
const names = Object.keys(require(join(dist, 'index.js'))).filter((n) => n !== 'default' && n !== '__esModule');
const body = [
  "import cjs from './index.js';",
  `export const { ${names.join(', ')} } = cjs;`,
  'export default cjs;',
  '',
].join('\n');
writeFileSync(join(dist, 'index.mjs'), body);
writeFileSync(join(dist, 'index.d.mts'), "export * from './index.js';\n");
