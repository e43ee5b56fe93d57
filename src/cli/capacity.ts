import { catalog } from '../access-patterns/catalog';
import { capacityOf, type MeasuredCapacity } from '../capacity/measure-capacity';
import { runAnalysis } from './analysis-session';
import { renderTable } from './render-table';

/** Capacity of every access pattern, measured on DynamoDB Local over the seeded reference model. */
export async function measureReferenceCapacity(options: { users: number; iterations: number; quiet?: boolean }): Promise<MeasuredCapacity[]> {
  const analysis = await runAnalysis(options);
  return analysis.measurements.map((m) => capacityOf(m, catalog.find((p) => p.name === m.pattern)?.kind ?? 'read'));
}

const f = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(2));

export async function runCapacity(options: { users: number; iterations: number; json: boolean }): Promise<number> {
  const measured = await measureReferenceCapacity(options);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(measured, null, 2)}\n`);
    return 0;
  }
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
  process.stdout.write(
    `${renderTable(['Pattern', 'Kind', 'RCU/call', 'WCU/call', 'Units by index', 'Items read', 'Returned', 'RCU/item returned'], rows, ['left', 'left', 'right', 'right', 'left', 'right', 'right', 'right'])}\n`,
  );
  return 0;
}
