import Table from 'cli-table3';
import { terminalText } from './terminal';

/** A compact plain-text table (no colours, no row separators): readable in terminals and logs. Cells are escaped for the terminal. */
export function renderTable(head: string[], rows: (string | number)[][], align?: ('left' | 'right')[]): string {
  const table = new Table({
    head: head.map((h) => terminalText(h)),
    style: { head: [], border: [], compact: true },
    ...(align ? { colAligns: align } : {}),
  });
  for (const row of rows) table.push(row.map((cell) => terminalText(String(cell))));
  return table.toString();
}
