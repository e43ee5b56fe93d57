import type { Catalog, DeclaredRequest } from './types';

function times(r: DeclaredRequest): string {
  const t = r.times ?? 1;
  if (typeof t === 'number') return t === 1 ? '' : ` ×${t}`;
  if (t.max === undefined) return t.min === 0 ? ' ×0..n' : ` ×${t.min}..n`;
  return ` ×${t.min}..${t.max}`;
}

function requestCell(requests: readonly DeclaredRequest[]): string {
  return requests
    .map((r) => `${r.operation}${times(r)} on **${r.index}**: ${r.key}${r.purpose ? ` (${r.purpose})` : ''}`)
    .join('<br>');
}

const escape = (text: string) => text.replace(/\|/g, '\\|');

/** The catalog as a Markdown table: one row per access pattern, requests as declared. */
export function renderCatalogMarkdown(catalog: Catalog): string {
  const rows = catalog.map((p) => {
    const alternatives = (p.alternatives ?? []).map((a) => `<br>*when ${a.when}:* ${requestCell(a.requests)}`).join('');
    return `| \`${p.name}\` | ${p.kind}${p.paged ? ', paged' : ''} | ${escape(p.description)} | ${p.entities.join(', ')} | ${escape(requestCell(p.requests) + alternatives)} |`;
  });
  return ['| Pattern | Kind | What it does | Entities | Requests per call (index: key condition) |', '|---|---|---|---|---|', ...rows].join('\n');
}

/** Replaces the text between two marker lines; throws when the markers are missing. */
export function replaceBetweenMarkers(document: string, name: string, content: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = document.indexOf(start);
  const to = document.indexOf(end);
  if (from < 0 || to < from) throw new Error(`markers ${start} … ${end} not found`);
  return `${document.slice(0, from + start.length)}\n${content}\n${document.slice(to)}`;
}
