import { capacityOf, runAnalysis, type MeasuredCapacity, type Model } from '../toolkit';
import { renderTable } from './render-table';

/** Capacity of every access pattern of a model, measured over its seed. */
export async function measureModelCapacity(model: Model, options: { size: number; iterations: number; quiet?: boolean }): Promise<MeasuredCapacity[]> {
  const analysis = await runAnalysis(model, options);
  return analysis.measurements.map((m) => capacityOf(m, model.catalog.find((p) => p.name === m.pattern)?.kind ?? 'read'));
}

const f = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(2));

export function renderCapacity(measured: readonly MeasuredCapacity[]): string {
  const rows = measured.map((c) => [
    c.pattern,
    c.kind,
    f(c.readUnitsPerCall),
    f(c.writeUnitsPerCall),
    Object.entries(c.byIndex).map(([index, u]) => `${index} ${f(Math.round((u.readUnits + u.writeUnits) * 100) / 100)}`).join(', '),
    c.kind === 'read' ? f(c.itemsReadPerCall) : '',
    c.kind === 'read' ? f(c.itemsPerCall) : '',
    c.readUnitsPerItem === null ? '' : f(c.readUnitsPerItem),
  ]);
  return renderTable(['Pattern', 'Kind', 'RCU/call', 'WCU/call', 'Units by index', 'Items read', 'Returned', 'RCU/item returned'], rows, ['left', 'left', 'right', 'right', 'left', 'right', 'right', 'right']);
}

export async function runCapacity(model: Model, options: { size: number; iterations: number; json: boolean }): Promise<number> {
  const measured = await measureModelCapacity(model, options);
  process.stdout.write(options.json ? `${JSON.stringify({ model: model.name, patterns: measured }, null, 2)}\n` : `Model: ${model.name}\n${renderCapacity(measured)}\n`);
  return 0;
}
