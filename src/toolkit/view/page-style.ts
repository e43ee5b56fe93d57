/** The page's stylesheet: light and dark schemes from prefers-color-scheme, one column below 900px. */
export const PAGE_STYLE = String.raw`
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --panel: #f6f8fa; --accent: #0550ae;
  --focus: #bf3989; --lit: #fff1b8; --lit-line: #9a6700; --dim: 0.38; --hot: #cf222e; --hot-fg: #ffffff; --warm: #bc4c00;
  --e0: #0969da; --e1: #1a7f37; --e2: #8250df; --e3: #bc4c00; --e4: #bf3989; --e5: #1b7c83; --e6: #9a6700; --e7: #cf222e; --e8: #6e7781; --e9: #4d2d00;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --line: #30363d; --panel: #161b22; --accent: #58a6ff;
    --focus: #f778ba; --lit: #4b3800; --lit-line: #e3b341; --dim: 0.42; --hot: #f85149; --hot-fg: #0d1117; --warm: #f0883e;
    --e0: #58a6ff; --e1: #3fb950; --e2: #bc8cff; --e3: #f0883e; --e4: #f778ba; --e5: #39c5cf; --e6: #d29922; --e7: #ff7b72; --e8: #9198a1; --e9: #e3b341;
  }
}
* { box-sizing: border-box; }
html, body { margin: 0; background: var(--bg); color: var(--fg); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
code, .mono, td, th.key { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: var(--bg); padding: 6px 10px; z-index: 2; }
.skip:focus { left: 8px; }
header { padding: 12px 16px; border-bottom: 1px solid var(--line); }
h1 { font-size: 18px; margin: 0 0 4px; overflow-wrap: anywhere; }
h2 { font-size: 15px; margin: 0 0 8px; }
h3 { font-size: 13px; margin: 12px 0 6px; }
.summary { margin: 0; color: var(--muted); }
.legend, .hotlist { list-style: none; margin: 8px 0 0; padding: 0; display: flex; flex-wrap: wrap; gap: 6px 14px; }
.legend li { display: inline-flex; align-items: center; gap: 6px; }
.swatch { width: 12px; height: 12px; border-radius: 3px; background: var(--c); display: inline-block; flex: none; }
.layout { display: grid; grid-template-columns: minmax(260px, 340px) minmax(0, 1fr); min-height: calc(100vh - 90px); }
aside { border-right: 1px solid var(--line); background: var(--panel); padding: 12px; min-width: 0; }
main { padding: 12px 16px; min-width: 0; }
#patterns { list-style: none; margin: 0; padding: 0; max-height: 42vh; overflow: auto; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); }
#patterns li + li { border-top: 1px solid var(--line); }
.pattern { all: unset; box-sizing: border-box; display: flex; gap: 8px; align-items: baseline; width: 100%; padding: 6px 8px; cursor: pointer; }
.pattern:hover { background: var(--panel); }
.pattern[aria-pressed="true"] { background: var(--lit); box-shadow: inset 4px 0 0 var(--lit-line); font-weight: 600; }
.pattern:focus-visible { outline: 3px solid var(--focus); outline-offset: -3px; }
.pattern .name { flex: 1; overflow-wrap: anywhere; }
.kind { font-size: 11px; padding: 0 5px; border-radius: 9px; border: 1px solid var(--line); color: var(--muted); font-weight: 400; }
.units { font-size: 11px; color: var(--muted); white-space: nowrap; font-weight: 400; }
#detail { margin-top: 12px; overflow-wrap: anywhere; }
#detail p { margin: 4px 0; }
#detail table { width: 100%; border-collapse: collapse; }
#detail th, #detail td:first-child { white-space: nowrap; }
#detail th, #detail td { text-align: left; vertical-align: top; padding: 3px 4px; border-bottom: 1px solid var(--line); }
#detail td.num { text-align: right; white-space: nowrap; }
.facts { display: grid; grid-template-columns: auto 1fr; gap: 2px 10px; margin: 6px 0; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; }
[role="tablist"] { display: flex; flex-wrap: wrap; gap: 4px; border-bottom: 1px solid var(--line); margin-bottom: 8px; }
[role="tab"] { font: inherit; color: inherit; background: none; border: 1px solid transparent; border-bottom: none; border-radius: 6px 6px 0 0; padding: 6px 10px; cursor: pointer; }
[role="tab"][aria-selected="true"] { border-color: var(--line); background: var(--bg); font-weight: 600; box-shadow: inset 0 3px 0 var(--accent); }
[role="tab"] .count { color: var(--muted); font-weight: 400; font-size: 12px; }
[role="tab"] .used { color: var(--lit-line); }
.toolbar { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: center; margin: 6px 0 8px; }
.toolbar input[type="search"] { font: inherit; padding: 4px 6px; min-width: 12em; max-width: 100%; color: var(--fg); background: var(--bg); border: 1px solid var(--line); border-radius: 4px; }
.pager { display: flex; gap: 4px; align-items: center; flex-wrap: wrap; }
button.small { font: inherit; font-size: 12px; padding: 3px 8px; color: var(--fg); background: var(--bg); border: 1px solid var(--line); border-radius: 4px; cursor: pointer; }
button.small:disabled { opacity: 0.5; cursor: default; }
.facet-note { color: var(--muted); margin: 0 0 6px; font-size: 12px; }
.grid-wrap { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; }
table.items { border-collapse: collapse; width: 100%; }
table.items th { position: sticky; top: 0; background: var(--panel); text-align: left; font-weight: 600; padding: 5px 8px; border-bottom: 1px solid var(--line); white-space: nowrap; }
table.items td { padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: anywhere; }
td.pk { background: var(--panel); border-right: 1px solid var(--line); font-weight: 600; min-width: 10em; }
td.mark { width: 8px; padding: 0; background: var(--c); }
tr.item td.entity { white-space: nowrap; }
tr.item td.entity .swatch { margin-right: 5px; vertical-align: -1px; }
.badge { display: inline-block; font: 600 11px system-ui, sans-serif; padding: 0 6px; border-radius: 9px; margin: 2px 4px 0 0; border: 1px solid var(--line); color: var(--muted); }
.badge.hot { background: var(--hot); color: var(--hot-fg); border-color: var(--hot); }
.badge.warm { color: var(--warm); border-color: var(--warm); }
.badge.touch { background: var(--lit-line); color: var(--bg); border-color: var(--lit-line); }
body.selecting tr.item:not(.lit) td:not(.pk) { opacity: var(--dim); }
tr.item.lit td:not(.pk):not(.mark) { background: var(--lit); }
tr.item.lit td.mark { box-shadow: inset 0 0 0 2px var(--lit-line); }
td.attrs { font-size: 12px; color: var(--muted); }
td.attrs span { display: inline-block; margin-right: 10px; }
td.attrs b { font-weight: 600; color: var(--fg); }
.empty { padding: 16px; color: var(--muted); }
.hotlist button { font: inherit; font-size: 12px; }
@media (max-width: 900px) {
  .layout { grid-template-columns: minmax(0, 1fr); }
  aside { border-right: none; border-bottom: 1px solid var(--line); }
  #patterns { max-height: 30vh; }
  main { padding: 10px 8px; }
  td.pk { min-width: 6em; }
  table.items th, table.items td { padding: 3px 5px; }
}
`;
