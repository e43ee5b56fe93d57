import type { Catalog, DeclaredRequest } from './types';

function times(r: DeclaredRequest): string {
  const t = r.times ?? 1;
  if (typeof t === 'number') return t === 1 ? '' : ` ×${t}`;
  if (t.max === undefined) return t.min === 0 ? ' ×0..n' : ` ×${t.min}..n`;
  return ` ×${t.min}..${t.max}`;
}

function requestCell(requests: readonly DeclaredRequest[], detail: 'full' | 'summary'): string {
  return requests
    .map((r) => (detail === 'full' ? `${r.operation}${times(r)} on **${r.index}**: ${r.key}${r.purpose ? ` (${r.purpose})` : ''}` : `${r.operation}${times(r)} on **${r.index}**`))
    .join(detail === 'full' ? '<br>' : ', ');
}

const escape = (text: string) => text.replace(/\|/g, '\\|');

/**
 * The catalog as a Markdown table: one row per access pattern, requests as declared. `summary`
 * names each request's operation and index only (for a front page); `full` adds its key condition
 * and purpose, and the alternatives. A pattern a stream consumer also calls has `stream: <consumer>`
 * in its Kind.
 */
export function renderCatalogMarkdown(catalog: Catalog, options: { detail?: 'full' | 'summary' } = {}): string {
  const detail = options.detail ?? 'full';
  const rows = catalog.map((p) => {
    const alternatives = detail === 'full' ? (p.alternatives ?? []).map((a) => `<br>*when ${a.when}:* ${requestCell(a.requests, detail)}`).join('') : '';
    const entities = detail === 'full' ? ` ${p.entities.join(', ')} |` : '';
    // A stream-driven write says which consumer also calls it.
    const trigger = p.trigger ? `, stream: ${escape(p.trigger.stream)}` : '';
    return `| \`${p.name}\` | ${p.kind}${p.paged ? ', paged' : ''}${trigger} | ${escape(p.description)} |${entities} ${escape(requestCell(p.requests, detail) + alternatives)} |`;
  });
  const head = detail === 'full'
    ? ['| Pattern | Kind | What it does | Entities | Requests per call (index: key condition) |', '|---|---|---|---|---|']
    : ['| Pattern | Kind | What it does | Requests per call |', '|---|---|---|---|'];
  return [...head, ...rows].join('\n');
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
