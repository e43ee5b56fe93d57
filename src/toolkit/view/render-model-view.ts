import { createHash } from 'node:crypto';
import { escapeHtml, jsonForScript } from './escape';
import { PAGE_SCRIPT } from './page-script';
import { PAGE_STYLE } from './page-style';
import { buildModelViewData, type ModelViewData, type ModelViewInput } from './view-data';

/**
 * One self-contained HTML page of a model run: its items grouped by partition and sorted by sort
 * key per index, its catalog beside them, each pattern lighting up the items its recorded requests
 * read and wrote, with units, and cost and partition loads when a profile is given. Inline CSS and
 * script, no external resource; its Content-Security-Policy lets only its own script run and
 * forbids every request, so it opens from disk and can be mailed.
 */
export function renderModelView(input: ModelViewInput): string {
  return renderModelViewData(buildModelViewData(input));
}

/** The page for data already built with buildModelViewData. */
export function renderModelViewData(data: ModelViewData): string {
  const scriptHash = createHash('sha256').update(PAGE_SCRIPT, 'utf8').digest('base64');
  const csp = `default-src 'none'; script-src 'sha256-${scriptHash}'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'`;
  const name = escapeHtml(data.model);
  const indexes = data.facets.length - 1;
  const partitions = new Set(data.facets[0]?.rows.map((i) => String(data.items[i]?.attributes[data.facets[0]?.partitionKey ?? '']))).size;
  const summary = [
    `${data.items.length.toLocaleString('en-US')} items`,
    `${partitions.toLocaleString('en-US')} partitions`,
    `${indexes} secondary ${indexes === 1 ? 'index' : 'indexes'}`,
    `${data.patterns.length} access patterns`,
    data.profile ? `traffic profile${data.profile.description ? `: ${data.profile.description}` : ''}` : 'no traffic profile (cost and partition loads need --profile)',
  ]
    .map(escapeHtml)
    .join(' · ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="generator" content="single-table-kit view">
<title>${name} · single-table-kit</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<a class="skip" href="#items">Skip to the items</a>
<header>
<h1>${name}</h1>
<p class="summary">${summary}</p>
<ul class="legend" id="legend" aria-label="Entities"></ul>
<ul class="hotlist" id="hot" aria-label="Hot partitions"></ul>
</header>
<div class="layout">
<aside aria-labelledby="catalog-title">
<h2 id="catalog-title">Access patterns</h2>
<ul id="patterns" aria-label="Access patterns"></ul>
<section id="detail" aria-live="polite"></section>
</aside>
<main id="items" tabindex="-1">
<div role="tablist" id="facets" aria-label="Table and indexes"></div>
<div role="tabpanel" id="panel" aria-labelledby="tab-0">
<p class="facet-note" id="facet-note"></p>
<div class="toolbar">
<label>Filter keys <input type="search" id="filter" placeholder="partition or sort key"></label>
<label><input type="checkbox" id="only-touched"> Only items the pattern touched</label>
<label><input type="checkbox" id="show-attrs"> Show other attributes</label>
<div class="pager" role="group" aria-label="Pages">
<button type="button" class="small" id="first">First</button>
<button type="button" class="small" id="prev">Previous</button>
<span id="page-info" aria-live="polite"></span>
<button type="button" class="small" id="next">Next</button>
<button type="button" class="small" id="last">Last</button>
</div>
</div>
<div class="grid-wrap" id="grid"></div>
</div>
</main>
</div>
<script type="application/json" id="view-data">${jsonForScript(data)}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
