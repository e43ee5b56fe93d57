/**
 * The page's script, plain ES2020 run in the browser. Every value from the model or its items is
 * put in the page through textContent or DOM properties, never as markup.
 */
export const PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('view-data').textContent);
  var state = { facet: 0, pattern: -1, call: -1, page: 0, filter: '', onlyTouched: false, showAttrs: false };
  var touched = new Map();

  function el(tag, props, children) {
    var node = document.createElement(tag);
    if (props) for (var k in props) {
      if (k === 'text') node.textContent = props[k];
      else if (k === 'className') node.className = props[k];
      else if (k.indexOf('data-') === 0 || k.indexOf('aria-') === 0 || k === 'role' || k === 'tabindex' || k === 'title' || k === 'id' || k === 'type' || k === 'for') node.setAttribute(k, props[k]);
      else node[k] = props[k];
    }
    (children || []).forEach(function (c) { if (c != null) node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return node;
  }
  function num(x) { return Number.isInteger(x) ? String(x) : x.toFixed(2); }
  function pct(x) { return (x * 100).toFixed(x < 0.1 ? 1 : 0) + '%'; }
  function usd(x) { return '$' + x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }); }
  function show(v) { return typeof v === 'string' ? v : JSON.stringify(v); }
  function clip(s) { return s.length > 160 ? s.slice(0, 157) + '…' : s; }
  function entityColour(i) { return 'var(--e' + (i % 10) + ')'; }

  function facetKeyColumns(f) {
    var cols = [f.partitionKey];
    if (f.sortKey) cols.push(f.sortKey);
    data.tableKeyFields.forEach(function (k) { if (cols.indexOf(k) < 0) cols.push(k); });
    return cols;
  }
  function projected(f, attr) { return f.includes === null || f.includes.indexOf(attr) >= 0; }

  // Items a pattern's recorded requests read and wrote: item index -> 'read' | 'written' | 'read, written'.
  function computeTouched() {
    touched = new Map();
    if (state.pattern < 0) return;
    var p = data.patterns[state.pattern];
    p.calls.forEach(function (c, ci) {
      if (state.call >= 0 && ci !== state.call) return;
      c.requests.forEach(function (r) {
        r.read.forEach(function (i) { var t = touched.get(i) || {}; t.read = true; touched.set(i, t); });
        r.written.forEach(function (i) { var t = touched.get(i) || {}; t.written = true; touched.set(i, t); });
      });
    });
  }
  function touchLabel(t) { return t.read && t.written ? 'read, written' : t.read ? 'read' : 'written'; }
  function patternIndexes(p) {
    var s = new Set();
    p.calls.forEach(function (c) { c.requests.forEach(function (r) { s.add(r.index); }); });
    return s;
  }

  function visibleRows() {
    var f = data.facets[state.facet];
    var q = state.filter.toLowerCase();
    return f.rows.filter(function (i) {
      if (state.onlyTouched && !touched.has(i)) return false;
      if (!q) return true;
      var a = data.items[i].attributes;
      return String(a[f.partitionKey]).toLowerCase().indexOf(q) >= 0 || (f.sortKey && String(a[f.sortKey]).toLowerCase().indexOf(q) >= 0);
    });
  }

  // ---- facet tabs
  var tabs = [];
  function renderTabs() {
    var list = document.getElementById('facets');
    list.textContent = '';
    var used = state.pattern >= 0 ? patternIndexes(data.patterns[state.pattern]) : new Set();
    tabs = data.facets.map(function (f, i) {
      var lit = 0;
      if (state.pattern >= 0) f.rows.forEach(function (r) { if (touched.has(r)) lit += 1; });
      var label = f.name === 'table' ? 'Table' : f.name;
      var tab = el('button', { role: 'tab', id: 'tab-' + i, type: 'button', 'aria-controls': 'panel', 'aria-selected': String(i === state.facet), tabindex: i === state.facet ? '0' : '-1', 'data-facet': f.name }, [
        label + ' ',
        el('span', { className: 'count', text: f.rows.length.toLocaleString('en-US') + (f.projection !== 'ALL' ? ' · ' + f.projection : '') }),
        used.has(f.name) || lit ? el('span', { className: 'used', text: ' ● ' + lit, title: 'this pattern touches ' + lit + ' item(s) here' + (used.has(f.name) ? ' and sends requests to this index' : '') }) : null,
      ]);
      tab.addEventListener('click', function () { selectFacet(i, false); });
      tab.addEventListener('keydown', function (e) {
        var n = data.facets.length, to = -1;
        if (e.key === 'ArrowRight') to = (i + 1) % n;
        else if (e.key === 'ArrowLeft') to = (i - 1 + n) % n;
        else if (e.key === 'Home') to = 0;
        else if (e.key === 'End') to = n - 1;
        if (to >= 0) { e.preventDefault(); selectFacet(to, true); }
      });
      list.appendChild(tab);
      return tab;
    });
  }
  function selectFacet(i, focus) {
    state.facet = i;
    state.page = 0;
    jumpToTouched();
    renderTabs();
    renderGrid();
    if (focus) tabs[i].focus();
  }

  // ---- item grid
  var sizes = [];
  var loadMaps = [];
  function facetLoads(fi) {
    if (!loadMaps[fi]) loadMaps[fi] = new Map(data.facets[fi].loads);
    return loadMaps[fi];
  }
  function partitionSizes(fi) {
    if (!sizes[fi]) {
      var f = data.facets[fi], m = new Map();
      f.rows.forEach(function (i) { var v = String(data.items[i].attributes[f.partitionKey]); m.set(v, (m.get(v) || 0) + 1); });
      sizes[fi] = m;
    }
    return sizes[fi];
  }
  function renderGrid() {
    var f = data.facets[state.facet];
    var panel = document.getElementById('panel');
    panel.setAttribute('aria-labelledby', 'tab-' + state.facet);
    var note = document.getElementById('facet-note');
    var proj = f.projection === 'ALL' ? 'all attributes' : f.projection === 'KEYS_ONLY' ? 'keys only' : 'keys and ' + f.includes.join(', ');
    note.textContent = (f.name === 'table' ? 'The table' : 'Index ' + f.name) + ': ' + f.rows.length.toLocaleString('en-US') + ' of ' + data.items.length.toLocaleString('en-US') +
      ' items, grouped by ' + f.partitionKey + (f.sortKey ? ', sorted by ' + f.sortKey : '') + '; projects ' + proj + '.';
    var rows = visibleRows();
    var size = data.pageSize;
    var pages = Math.max(1, Math.ceil(rows.length / size));
    if (state.page >= pages) state.page = pages - 1;
    var slice = rows.slice(state.page * size, state.page * size + size);
    document.getElementById('page-info').textContent = 'Page ' + (state.page + 1) + ' of ' + pages + ' · ' + rows.length.toLocaleString('en-US') + ' items';
    document.getElementById('first').disabled = document.getElementById('prev').disabled = state.page === 0;
    document.getElementById('next').disabled = document.getElementById('last').disabled = state.page >= pages - 1;

    var keyCols = facetKeyColumns(f);
    var entityShown = projected(f, data.entityAttribute);
    var head = el('tr', null, [el('th', { className: 'key', 'aria-label': 'entity colour' })]
      .concat(keyCols.map(function (k) { return el('th', { className: 'key', text: k, scope: 'col' }); }))
      .concat([el('th', { text: 'entity', scope: 'col' }), el('th', { text: 'touched', scope: 'col' })])
      .concat(state.showAttrs ? [el('th', { text: 'other attributes' + (f.projection === 'ALL' ? '' : ' (projected)'), scope: 'col' })] : []));
    var body = el('tbody');
    for (var r = 0; r < slice.length; r += 1) {
      var idx = slice[r];
      var item = data.items[idx];
      var a = item.attributes;
      var t = touched.get(idx);
      var tr = el('tr', { className: 'item' + (t ? ' lit' : ''), 'data-key': JSON.stringify(item.key), 'data-entity': data.entities[item.entity] });
      tr.style.setProperty('--c', entityColour(item.entity));
      tr.appendChild(el('td', { className: 'mark', title: data.entities[item.entity] }));
      var pkValue = String(a[f.partitionKey]);
      if (r === 0 || String(data.items[slice[r - 1]].attributes[f.partitionKey]) !== pkValue) {
        var span = 1;
        while (r + span < slice.length && String(data.items[slice[r + span]].attributes[f.partitionKey]) === pkValue) span += 1;
        var total = partitionSizes(state.facet).get(pkValue) || 0;
        var pk = el('td', { className: 'pk', 'data-field': f.partitionKey, rowSpan: span }, [el('div', { text: pkValue })]);
        // A Map: a partition value such as constructor or __proto__ is data, not a property name.
        var load = facetLoads(state.facet).get(pkValue);
        pk.appendChild(el('span', { className: 'badge', text: total + (total === 1 ? ' item' : ' items') }));
        if (load) pk.appendChild(el('span', { className: 'badge ' + (load.hot ? 'hot' : load.utilization >= 0.5 ? 'warm' : ''), text: (load.hot ? 'HOT ' : '') + pct(load.utilization) + ' of limit', title: num(load.readUnitsPerSecond) + ' RCU/s, ' + num(load.writeUnitsPerSecond) + ' WCU/s at peak (limits ' + data.profile.limits.readUnitsPerSecond + ' / ' + data.profile.limits.writeUnitsPerSecond + ')' }));
        if (load && load.hot) tr.classList.add('hot');
        tr.appendChild(pk);
      }
      keyCols.slice(1).forEach(function (k) { tr.appendChild(el('td', { 'data-field': k, text: a[k] === undefined ? '' : show(a[k]) })); });
      tr.appendChild(el('td', { className: 'entity' }, [el('span', { className: 'swatch' }), entityShown ? data.entities[item.entity] : '—']));
      tr.appendChild(el('td', null, t ? [el('span', { className: 'badge touch', text: touchLabel(t) })] : []));
      if (state.showAttrs) {
        var cell = el('td', { className: 'attrs' });
        Object.keys(a).forEach(function (name) {
          if (keyCols.indexOf(name) >= 0 || name === data.entityAttribute || !projected(f, name)) return;
          var v = show(a[name]);
          cell.appendChild(el('span', { title: v.length > 160 ? v : '' }, [el('b', { text: name + ': ' }), clip(v)]));
        });
        tr.appendChild(cell);
      }
      body.appendChild(tr);
    }
    var table = el('table', { className: 'items' }, [el('thead', null, [head]), body]);
    var wrap = document.getElementById('grid');
    wrap.textContent = '';
    wrap.appendChild(slice.length ? table : el('p', { className: 'empty', text: state.onlyTouched ? 'This pattern touches no item in this index.' : 'No items.' }));
  }

  function jumpToTouched() {
    if (state.pattern < 0 || state.onlyTouched) return;
    var rows = visibleRows();
    for (var i = 0; i < rows.length; i += 1) if (touched.has(rows[i])) { state.page = Math.floor(i / data.pageSize); return; }
  }

  // ---- catalog
  var patternButtons = [];
  function renderPatterns() {
    var list = document.getElementById('patterns');
    patternButtons = data.patterns.map(function (p, i) {
      var b = el('button', { className: 'pattern', type: 'button', 'aria-pressed': 'false', 'data-pattern': p.name }, [
        el('span', { className: 'kind', text: p.kind }),
        el('span', { className: 'name', text: p.name }),
        el('span', { className: 'units', text: num(p.readUnitsPerCall) + ' R · ' + num(p.writeUnitsPerCall) + ' W' }),
      ]);
      b.addEventListener('click', function () { selectPattern(state.pattern === i ? -1 : i); });
      b.addEventListener('keydown', function (e) {
        var n = data.patterns.length, to = -1;
        if (e.key === 'ArrowDown') to = Math.min(n - 1, i + 1);
        else if (e.key === 'ArrowUp') to = Math.max(0, i - 1);
        else if (e.key === 'Home') to = 0;
        else if (e.key === 'End') to = n - 1;
        if (to >= 0) { e.preventDefault(); patternButtons[to].focus(); }
      });
      list.appendChild(el('li', null, [b]));
      return b;
    });
  }

  function selectPattern(i) {
    state.pattern = i;
    state.call = -1;
    state.page = 0;
    patternButtons.forEach(function (b, j) { b.setAttribute('aria-pressed', String(j === i)); });
    document.body.classList.toggle('selecting', i >= 0);
    computeTouched();
    if (i >= 0) {
      // Show the index the pattern reads when the current one is not among those it uses.
      var used = patternIndexes(data.patterns[i]);
      var current = data.facets[state.facet].name;
      if (used.size && !used.has(current)) {
        for (var f = 0; f < data.facets.length; f += 1) if (used.has(data.facets[f].name)) { state.facet = f; break; }
      }
    }
    jumpToTouched();
    renderDetail();
    renderTabs();
    renderGrid();
  }

  function renderDetail() {
    var box = document.getElementById('detail');
    box.textContent = '';
    if (state.pattern < 0) {
      box.appendChild(el('p', { className: 'facet-note', text: 'Choose a pattern to light up the items its recorded requests read and wrote. Esc clears the choice.' }));
      return;
    }
    var p = data.patterns[state.pattern];
    var read = new Set(), written = new Set(), gone = 0, calls = p.calls.length;
    p.calls.forEach(function (c) { c.requests.forEach(function (r) { r.read.forEach(function (x) { read.add(x); }); r.written.forEach(function (x) { written.add(x); }); gone += r.gone; }); });
    box.appendChild(el('h2', null, [p.name + ' ', el('span', { className: 'kind', text: p.kind })]));
    box.appendChild(el('p', { text: p.description }));
    var facts = el('dl', { className: 'facts' });
    function fact(k, v) { facts.appendChild(el('dt', { text: k })); facts.appendChild(el('dd', { text: v })); }
    fact('Entities', p.entities.join(', '));
    fact('Units per call', num(p.readUnitsPerCall) + ' RCU · ' + num(p.writeUnitsPerCall) + ' WCU (mean of ' + calls + ' call' + (calls === 1 ? '' : 's') + ')');
    fact('Items', read.size + ' read · ' + written.size + ' written' + (gone ? ' · ' + gone + ' key(s) no longer in the table' : ''));
    if (data.profile) {
      if (p.cost) {
        fact('Traffic', num(p.cost.requestsPerSecond) + ' req/s' + (p.cost.peakRequestsPerSecond > p.cost.requestsPerSecond ? ', peak ' + num(p.cost.peakRequestsPerSecond) : ''));
        fact('Monthly cost', usd(p.cost.onDemand) + ' on-demand · ' + usd(p.cost.provisioned) + ' provisioned (' + pct(p.cost.share) + ' of the total)');
      } else fact('Traffic', 'not in the profile');
      if (p.hottest) fact('Hottest partition', p.hottest.index + ' · ' + p.hottest.partition + ': ' + pct(p.hottest.utilization) + ' of its limit under the profile' + (p.hottest.hot ? ' (HOT)' : '') +
        '; this pattern alone: ' + pct(p.hottest.readShare) + ' of the read limit, ' + pct(p.hottest.writeShare) + ' of the write limit');
    }
    box.appendChild(facts);
    if (calls > 1) {
      var sel = el('select', { id: 'call-select' });
      sel.appendChild(el('option', { value: '-1', text: 'all ' + calls + ' calls' }));
      p.calls.forEach(function (_c, ci) { sel.appendChild(el('option', { value: String(ci), text: 'call ' + (ci + 1) })); });
      sel.value = String(state.call);
      sel.addEventListener('change', function () { state.call = Number(sel.value); state.page = 0; computeTouched(); jumpToTouched(); renderTabs(); renderGrid(); });
      box.appendChild(el('p', null, [el('label', { for: 'call-select', text: 'Light up: ' }), sel]));
    }
    box.appendChild(el('h3', { text: 'Recorded requests' }));
    var t = el('table', null, [el('thead', null, [el('tr', null, ['#', 'Operation', 'Index', 'Key condition', 'RCU', 'WCU', 'Items'].map(function (h) { return el('th', { text: h, scope: 'col' }); }))])]);
    var tb = el('tbody');
    p.calls.forEach(function (c, ci) {
      c.requests.forEach(function (r, ri) {
        var cond = r.keyCondition || r.partitions.join(', ');
        tb.appendChild(el('tr', { 'data-call': String(ci) }, [
          el('td', { text: (ci + 1) + '.' + (ri + 1) }),
          el('td', { text: r.operation + (r.error ? ' (' + r.error + ')' : '') }),
          el('td', { text: r.index }),
          el('td', { className: 'mono', text: cond + (r.filter ? ' · filter ' + r.filter : '') }),
          el('td', { className: 'num', text: num(r.readUnits) }),
          el('td', { className: 'num', text: num(r.writeUnits) }),
          el('td', { className: 'num', text: r.itemCount === undefined || r.itemCount === null ? String(r.written.length || '') : String(r.itemCount) }),
        ]));
      });
    });
    t.appendChild(tb);
    box.appendChild(el('div', { className: 'grid-wrap' }, [t]));
    box.appendChild(el('h3', { text: 'Declared in the catalog' }));
    var ul = el('ul');
    p.declared.forEach(function (d) { ul.appendChild(el('li', { text: d.operation + ' on ' + d.index + ': ' + d.key + (d.purpose ? ' (' + d.purpose + ')' : '') })); });
    box.appendChild(ul);
  }

  // ---- header: legend and hot partitions
  function renderHeader() {
    var legend = document.getElementById('legend');
    var counts = data.entities.map(function () { return 0; });
    data.items.forEach(function (it) { counts[it.entity] += 1; });
    data.entities.forEach(function (name, i) {
      if (!counts[i]) return;
      var sw = el('span', { className: 'swatch' });
      sw.style.setProperty('--c', entityColour(i));
      legend.appendChild(el('li', null, [sw, name + ' (' + counts[i] + ')']));
    });
    var hot = document.getElementById('hot');
    if (!data.profile) return;
    if (!data.profile.hot.length) { hot.appendChild(el('li', { text: 'No partition exceeds its limit under the profile.' })); return; }
    hot.appendChild(el('li', { text: 'Hot partitions:' }));
    data.profile.hot.forEach(function (h) {
      var b = el('button', { className: 'small', type: 'button', text: h.index + ' · ' + h.partition + ' (' + pct(h.utilization) + ')' });
      b.addEventListener('click', function () {
        var fi = data.facets.findIndex(function (f) { return f.name === h.index; });
        state.filter = h.partition;
        document.getElementById('filter').value = h.partition;
        selectFacet(fi < 0 ? 0 : fi, true);
      });
      hot.appendChild(el('li', null, [b]));
    });
  }

  function wireToolbar() {
    var filter = document.getElementById('filter');
    filter.addEventListener('input', function () { state.filter = filter.value; state.page = 0; renderGrid(); });
    var only = document.getElementById('only-touched');
    only.addEventListener('change', function () { state.onlyTouched = only.checked; state.page = 0; jumpToTouched(); renderGrid(); });
    var attrs = document.getElementById('show-attrs');
    attrs.addEventListener('change', function () { state.showAttrs = attrs.checked; renderGrid(); });
    function go(to) { return function () { state.page = to(); renderGrid(); }; }
    document.getElementById('first').addEventListener('click', go(function () { return 0; }));
    document.getElementById('prev').addEventListener('click', go(function () { return Math.max(0, state.page - 1); }));
    document.getElementById('next').addEventListener('click', go(function () { return state.page + 1; }));
    document.getElementById('last').addEventListener('click', go(function () { return 1e9; }));
    document.addEventListener('keydown', function (e) {
      if (e.key === 'Escape' && state.pattern >= 0) {
        var i = state.pattern;
        selectPattern(-1);
        patternButtons[i].focus();
      }
    });
  }

  renderHeader();
  renderPatterns();
  wireToolbar();
  renderDetail();
  renderTabs();
  renderGrid();
  document.body.setAttribute('data-ready', 'true');
})();
`;
