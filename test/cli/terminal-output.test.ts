import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { validateWorkbenchModel } from '../../src/toolkit';
import { runCli } from '../support/cli';

const root = resolve(__dirname, '..', '..');
const cli = runCli;

// What a hostile file carries: an OSC window title (ESC ] 0; … BEL), an erase-line CSI (ESC [2K),
// a carriage return that overwrites the line, C1 controls (CSI U+009B, OSC U+009D), and bidi overrides/isolates.
const TITLE = '\u001b]0;pwned\u0007';
const ERASE = '\u001b[2K';
const HOSTILE = `ok${TITLE}${ERASE}\rfake line\u009b31m\u009d0;t\u0007\u202eevil\u2066x\u2069`;
// Anything a terminal acts on instead of showing.
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const ACTIVE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe('terminal output is escaped', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'stk-term-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('import-workbench prints a schema-valid file with control sequences in every name as visible escapes', async () => {
    const model = JSON.parse(readFileSync(join(root, 'docs', 'export', 'workbench.json'), 'utf8')) as {
      ModelName: string;
      DataModel: { TableFacets: { FacetName: string; KeyAttributeAlias: { PartitionKeyAlias: string } }[] }[];
    };
    model.ModelName = HOSTILE;
    const table = model.DataModel[0] as (typeof model.DataModel)[number];
    // (Table and index names are held to [a-zA-Z0-9_.-] by the schema; the model, facet and alias names are not.)
    const facet = table.TableFacets[0] as (typeof table.TableFacets)[number];
    facet.FacetName = `f${HOSTILE}`;
    facet.KeyAttributeAlias.PartitionKeyAlias = `a${HOSTILE}`;
    expect(validateWorkbenchModel(model)).toEqual([]);
    const file = join(dir, 'hostile.json');
    writeFileSync(file, JSON.stringify(model));
    const run = await cli(['import-workbench', '--in', file]);
    expect(run.status).toBe(0);
    expect(run.stdout.replace(/\n/g, '')).not.toMatch(ACTIVE);
    // Shown, not acted on: each name appears once per place, with its escapes visible.
    expect(run.stdout).toContain('Model: ok\\x1b]0;pwned\\x07\\x1b[2K\\x0dfake line\\x9b31m\\x9d0;t\\x07\\u202eevil\\u2066x\\u2069');
    expect(run.stdout).toContain('aok\\x1b]0;pwned');
    expect(run.stdout).toContain('fok\\x1b]0;pwned');
    // --json is JSON: its escapes are JSON's, and it carries the names exactly.
    const json = await cli(['import-workbench', '--in', file, '--json']);
    expect((JSON.parse(json.stdout) as { modelName: string }).modelName).toBe(HOSTILE);
    expect(json.stdout).not.toMatch(ACTIVE);
  });

  it('an error message quoting a hostile value is escaped too', async () => {
    const file = join(dir, 'profile.json');
    writeFileSync(file, JSON.stringify({ patterns: { [`x${TITLE}`]: { requestsPerSecond: 1 } } }));
    const run = await cli(['cost', '--model', 'test/fixtures/ticketing-model.ts', '--profile', file]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('patterns.x\\x1b]0;pwned\\x07');
    expect(run.stderr.replace(/\n/g, '')).not.toMatch(ACTIVE);
  });
});
