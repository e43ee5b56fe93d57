import { capacityOf, runAnalysis, type MeasuredCapacity, type Model } from '../toolkit';
import { terminalText } from './terminal';
import { jsonOutput } from './json-output';
import { renderTable } from './render-table';

/** Capacity of every access pattern of a model, measured over its seed. */
export async function measureModelCapacity(model: Model, options: { size: number; iterations: number; quiet?: boolean }): Promise<MeasuredCapacity[]> {
  const analysis = await runAnalysis(model, options);
  return analysis.measurements.map((m) => capacityOf(m, model.catalog.find((p) => p.name === m.pattern)?.kind ?? 'read'));
}

const f = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(2));

/** The consumer that also calls each stream-driven pattern (catalog `trigger`), by pattern. */
export function triggersOf(model: Pick<Model, 'catalog'>): Record<string, string> {
  return Object.fromEntries(model.catalog.flatMap((p) => (p.trigger ? [[p.name, p.trigger.stream]] : [])));
}

export function renderCapacity(measured: readonly MeasuredCapacity[], triggers: Readonly<Record<string, string>> = {}): string {
  const rows = measured.map((c) => [
    c.pattern,
    Object.prototype.hasOwnProperty.call(triggers, c.pattern) ? `${c.kind}, stream: ${triggers[c.pattern]}` : c.kind,
    f(c.readUnitsPerCall),
    f(c.writeUnitsPerCall),
    Object.entries(c.byIndex).map(([index, u]) => `${index} ${f(Math.round((u.readUnits + u.writeUnits) * 100) / 100)}`).join(', '),
    c.kind === 'read' ? f(c.itemsReadPerCall) : '',
    c.kind === 'read' ? f(c.itemsPerCall) : '',
    c.readUnitsPerItem === null ? '' : f(c.readUnitsPerItem),
    localDiffers(c) ? `${f(c.reported?.readUnitsPerCall ?? 0)} / ${f(c.reported?.writeUnitsPerCall ?? 0)}` : '',
  ]);
  const table = renderTable(
    ['Pattern', 'Kind', 'RCU/call', 'WCU/call', 'Units by index', 'Items read', 'Returned', 'RCU/item returned', 'Local reported (RCU / WCU), where it differs'],
    rows,
    ['left', 'left', 'right', 'right', 'left', 'right', 'right', 'right', 'right'],
  );
  const streamNote = Object.keys(triggers).length ? '\n"stream: C": the stream consumer C also makes this call, on the records it handles (`cost` prices those calls as rows of their own).' : '';
  return `${table}${streamNote}\nUnits are computed by DynamoDB's rules from the measured item sizes; DynamoDB Local's own report is shown where it differs (it counts one action of a TransactWriteItems).`;
}

const round = (x: number) => Math.round(x * 1000) / 1000;
/** Whether DynamoDB Local reported other units than the rules give (its cross-check). */
export function localDiffers(c: MeasuredCapacity): boolean {
  return c.reported !== undefined && (round(c.reported.readUnitsPerCall) !== round(c.readUnitsPerCall) || round(c.reported.writeUnitsPerCall) !== round(c.writeUnitsPerCall));
}

export async function runCapacity(model: Model, options: { size: number; iterations: number; json: boolean }): Promise<number> {
  const measured = await measureModelCapacity(model, options);
  const triggers = triggersOf(model);
  const patterns = measured.map((c) => (Object.prototype.hasOwnProperty.call(triggers, c.pattern) ? { ...c, trigger: { stream: triggers[c.pattern] } } : c));
  process.stdout.write(options.json ? jsonOutput({ model: model.name, patterns }) : `Model: ${terminalText(model.name)}\n${renderCapacity(measured, triggers)}\n`);
  return 0;
}
