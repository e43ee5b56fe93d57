import Table from 'cli-table3';

/** A compact plain-text table (no colours, no row separators): readable in terminals and logs. */
export function renderTable(head: string[], rows: (string | number)[][], align?: ('left' | 'right')[]): string {
  const table = new Table({
    head,
    style: { head: [], border: [], compact: true },
    ...(align ? { colAligns: align } : {}),
  });
  for (const row of rows) table.push(row.map(String));
  return table.toString();
}
