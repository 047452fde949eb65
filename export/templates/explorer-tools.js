// ldnkg explorer: search, best-supported paths, neighbourhood focus and the controls of the side
// panel (legend, filters, reset), on the indexes of explorer.js. Text is set with textContent.
(function () {
  'use strict';
  var L = window.ldnkg;
  var D = L.data;
  var net = window.network;
  var el = L.el;
  var norm = L.norm;
  var state = L.state;
  var nodeById = L.nodeById;
  var edgeById = L.edgeById;
  var nodeHidden = L.nodeHidden;
  var allNodes = L.allNodes;
  var allEdges = L.allEdges;
  var out = L.out;
  var inc = L.inc;
  var mechanism = L.mechanism;
  var levelInfo = L.levelInfo;
  var maxRank = L.maxRank;
  var labelOf = L.labelOf;
  var applyFilters = L.applyFilters;
  var setHighlight = L.setHighlight;
  var $ = function (id) { return document.getElementById(id); };
  var visibleNodeIds = L.visibleNodeIds;
  var showNode = L.showNode;
  var showEdge = L.showEdge;
  var showMessage = L.showMessage;
  var detailsPanel = L.detailsPanel;
  var nodeButton = L.nodeButton;
  var renderClaim = L.renderClaim;
  var levelLine = L.levelLine;
  var scrollToDetails = L.scrollToDetails;

  // ----------------------------------------------------------------- search
  // The names index and the search box's suggestions are made when first needed, not while the
  // page loads (at 12k nodes filling the datalist took as long as the rest of this script).
  var names = null;  // [normalised name, node id, display, is the label]
  function nameRows() {
    if (names) { return names; }
    names = [];
    allNodes.slice().sort(function (a, b) { return a.label < b.label ? -1 : a.label > b.label ? 1 : 0; })
      .forEach(function (n) {
        names.push([norm(n.label), n.id, n.label, true]);
        (D.entities[n.id] ? D.entities[n.id].synonyms : []).forEach(function (s) { names.push([norm(s), n.id, s, false]); });
      });
    return names;
  }
  var listed = 0;  // rows of nameRows() already offered (or skipped as repeated)
  var offered = Object.create(null);
  function fillSome(more) {
    var rows = nameRows();
    var frag = document.createDocumentFragment();
    while (listed < rows.length && more()) {
      var row = rows[listed++];
      if (offered[row[2]]) { continue; }
      offered[row[2]] = true;
      var o = document.createElement('option');
      o.value = row[2];
      if (!row[3]) { o.label = 'synonym of ' + labelOf(row[1]); }
      frag.appendChild(o);
    }
    $('ldnkg-names').appendChild(frag);
    return listed >= rows.length;
  }
  function fillDatalist() { fillSome(function () { return true; }); }
  // in idle time, a little at a time, or at once when a box that suggests names gets the focus; on
  // a big graph only a moment after the page is ready, when a first query or click is not being
  // answered (at 12k nodes the first slice, which sorts the names, took 60 ms)
  function fillWhenIdle(deadline) {
    if (!fillSome(function () { return deadline.timeRemaining() > 2; })) { window.requestIdleCallback(fillWhenIdle); }
  }
  window.setTimeout(function () {
    if (window.requestIdleCallback) { window.requestIdleCallback(fillWhenIdle); } else { fillDatalist(); }
  }, allNodes.length > 2000 ? 2000 : 0);
  ['ldnkg-search', 'ldnkg-from', 'ldnkg-to'].forEach(function (id) {
    $(id).addEventListener('focus', fillDatalist);
    $(id).addEventListener('pointerdown', fillDatalist);
  });
  function lookup(q) {
    var k = norm(q);
    if (!k) { return null; }
    if (nodeById[q]) { return q; }
    var tests = [
      function (r) { return r[3] && r[0] === k; }, function (r) { return r[0] === k; },
      function (r) { return r[0].indexOf(k) === 0; }, function (r) { return r[0].indexOf(k) >= 0; }
    ];
    var rows = nameRows();
    for (var t = 0; t < tests.length; t++) {
      for (var i = 0; i < rows.length; i++) { if (tests[t](rows[i])) { return rows[i][1]; } }
    }
    return null;
  }
  function select(id) {
    if (!nodeById[id]) { return; }
    state.selected = id;
    net.selectNodes([id]);
    net.focus(id, { scale: 1.3, animation: false });
    showNode(id);
  }
  function search(q) {
    var id = lookup(q);
    var msg = $('ldnkg-search-msg');
    if (!id) { msg.textContent = 'no entity matches "' + q + '"'; return null; }
    msg.textContent = nodeHidden[id] ? 'found ' + labelOf(id) + ' (hidden by the filters)' : 'found ' + labelOf(id);
    select(id);
    return id;
  }

  // ----------------------------------------------------------------- paths
  var pathLevel = 7;  // the weakest evidence level a path may use (set by bestPaths)
  function usable(e, mechOnly) { return !e.neg && e.level <= pathLevel && (!mechOnly || mechanism[e.pred]); }
  function bfs(start, forward, mechOnly) {
    var dist = Object.create(null); dist[start] = 0;
    var queue = [start];
    for (var qi = 0; qi < queue.length; qi++) {
      var v = queue[qi];
      (forward ? out[v] : inc[v]).forEach(function (eid) {
        var e = edgeById[eid];
        if (!usable(e, mechOnly)) { return; }
        var w = forward ? e.to : e.from;
        if (dist[w] === undefined) { dist[w] = dist[v] + 1; queue.push(w); }
      });
    }
    return dist;
  }
  // The best-supported paths from a to b: the lowest level L such that a path uses only edges of
  // evidence level L or stronger, then the union of the shortest such paths ({…, level}) or null.
  function bestPaths(a, b, mechOnly) {
    for (var level = 1; level <= 7; level++) {
      pathLevel = level;
      var found = shortestPaths(a, b, mechOnly);
      if (found) { pathLevel = 7; found.level = level; return found; }
    }
    pathLevel = 7;
    return null;
  }
  // Union of all shortest directed paths from a to b: {nodes, edges, length} or null.
  function shortestPaths(a, b, mechOnly) {
    var ds = bfs(a, true, mechOnly);
    if (ds[b] === undefined) { return null; }
    var dt = bfs(b, false, mechOnly);
    var d = ds[b];
    var ns = allNodes.filter(function (n) {
      return ds[n.id] !== undefined && dt[n.id] !== undefined && ds[n.id] + dt[n.id] === d;
    }).map(function (n) { return n.id; });
    var es = allEdges.filter(function (e) {
      return usable(e, mechOnly) && ds[e.from] !== undefined && dt[e.to] !== undefined &&
        ds[e.from] + 1 + dt[e.to] === d;
    });
    es.sort(function (x, y) { return ds[x.from] - ds[y.from]; });
    return { nodes: ns, edges: es.map(function (e) { return e.id; }), length: d };
  }
  function path(fromName, toName, mechOnly) {
    var msg = $('ldnkg-path-msg');
    var a = lookup(fromName);
    var b = lookup(toName);
    if (!a || !b) { msg.textContent = 'choose two entities (' + (!a ? fromName : toName) + ' not found)'; return null; }
    var found = bestPaths(a, b, mechOnly);
    var note = '';
    if (!found && mechOnly) { found = bestPaths(a, b, false); note = ' (no mechanism-only path; using every relation)'; }
    if (!found) { msg.textContent = 'no directed path from ' + labelOf(a) + ' to ' + labelOf(b); setHighlight(null, null); return null; }
    setHighlight(found.nodes, found.edges);
    msg.textContent = 'best-supported path: ' + found.length + ' step(s), ' + found.nodes.length +
      ' entities, weakest step: ' + levelInfo[found.level].label + note;
    net.fit({ nodes: found.nodes, animation: false });
    var p = detailsPanel();
    delete p.dataset.node; delete p.dataset.edge;
    p.dataset.path = a + ' ' + b;
    var sum = el('div', null, 'ldnkg-summary');
    p.appendChild(sum);
    sum.appendChild(el('h2', labelOf(a) + ' → ' + labelOf(b)));
    sum.appendChild(levelLine(found.level));
    sum.appendChild(el('div', found.length + ' step(s); every step has evidence of this level or stronger.', 'meta'));
    found.edges.forEach(function (eid) {
      var e = edgeById[eid];
      var h = el('h3');
      h.appendChild(nodeButton(e.from));
      h.appendChild(document.createTextNode(' — ' + (e.label || e.pred) + ' → '));
      h.appendChild(nodeButton(e.to));
      p.appendChild(h);
      e.claims.forEach(function (ci) { p.appendChild(renderClaim(ci)); });
    });
    scrollToDetails();
    return found;
  }

  // ----------------------------------------------------------------- neighbourhood
  function setFocus(id, k) {
    state.focus = id ? { id: id, k: k } : null;
    applyFilters();
    if (id) {
      net.fit({ nodes: visibleNodeIds(), animation: false });
      showNode(id);
    } else {
      net.fit({ animation: false });
    }
  }

  // ----------------------------------------------------------------- controls
  function legendRow(parent, text, swatch, onToggle) {
    var lab = el('label');
    var box = document.createElement('input');
    box.type = 'checkbox'; box.checked = true;
    box.addEventListener('change', function () { onToggle(box.checked); });
    lab.appendChild(box); lab.appendChild(swatch); lab.appendChild(el('span', text));
    parent.appendChild(lab);
    return box;
  }
  D.categories.forEach(function (c) {
    var sw = el('span', null, 'ldnkg-swatch'); sw.style.background = c[2];
    var box = legendRow($('ldnkg-legend-classes'), c[1] + ' (' + c[4] + ')', sw, function (on) {
      if (on) { delete state.hiddenCats[c[0]]; } else { state.hiddenCats[c[0]] = true; }
      applyFilters();
    });
    box.dataset.category = c[0];
  });
  D.asserters.forEach(function (a) {
    var line = el('span', null, 'ldnkg-line');
    line.style.borderTopColor = a[1];
    line.style.borderTopStyle = a[2] === false ? 'solid' : (a[2].length > 2 ? 'dashed' : (a[2][0] < 5 ? 'dotted' : 'dashed'));
    var box = legendRow($('ldnkg-legend-asserters'), a[0], line, function (on) {
      if (on) { delete state.hiddenAsserters[a[0]]; } else { state.hiddenAsserters[a[0]] = true; }
      applyFilters();
    });
    box.dataset.asserter = a[0];
  });
  (function () {
    var row = el('label');
    var line = el('span', null, 'ldnkg-line'); line.style.borderTopColor = '#c0392b'; line.style.borderTopStyle = 'solid';
    row.appendChild(line); row.appendChild(el('span', 'negated ("not …")'));
    $('ldnkg-legend-asserters').appendChild(row);
  })();
  D.roles.forEach(function (r) {
    var o = el('option', r[1]); o.value = r[0]; $('ldnkg-role').appendChild(o);
  });
  $('ldnkg-role').addEventListener('change', function () { state.role = this.value; applyFilters(); });
  (function () {
    var sel = $('ldnkg-certainty');
    D.certainties.forEach(function (c, i) {
      var last = i === D.certainties.length - 1;
      var o = el('option', last ? 'any certainty' : c[1] + ' or firmer' +
        (i === D.certainties.length - 2 ? ' (hide ' + D.certainties[i + 1][1] + ' only)' : ''));
      o.value = String(c[0]);
      if (last) { o.selected = true; }
      sel.appendChild(o);
    });
    sel.addEventListener('change', function () { state.maxRank = Number(sel.value); applyFilters(); });
  })();
  D.evidence.forEach(function (ev) {
    var lab = el('label');
    var box = document.createElement('input');
    box.type = 'checkbox'; box.checked = true; box.dataset.evidence = ev;
    box.addEventListener('change', function () {
      if (box.checked) { delete state.hiddenEvidence[ev]; } else { state.hiddenEvidence[ev] = true; }
      applyFilters();
    });
    lab.appendChild(box); lab.appendChild(document.createTextNode(' ' + ev));
    $('ldnkg-evidence').appendChild(lab);
  });
  $('ldnkg-publication').addEventListener('change', function () {
    state.publication = this.value; applyFilters();
  });

  $('ldnkg-search-btn').addEventListener('click', function () { search($('ldnkg-search').value); });
  $('ldnkg-search').addEventListener('keydown', function (ev) { if (ev.key === 'Enter') { search(this.value); } });
  $('ldnkg-search').addEventListener('change', function () { if (this.value) { search(this.value); } });
  $('ldnkg-path-btn').addEventListener('click', function () {
    path($('ldnkg-from').value, $('ldnkg-to').value, $('ldnkg-mech').checked);
  });
  $('ldnkg-clear-btn').addEventListener('click', function () {
    setHighlight(null, null); $('ldnkg-path-msg').textContent = '';
  });
  $('ldnkg-focus-btn').addEventListener('click', function () {
    var id = net.getSelectedNodes()[0] || state.selected;
    if (id) { setFocus(id, Number($('ldnkg-depth').value)); } else { showMessage('Select a node first.'); }
  });
  $('ldnkg-unfocus-btn').addEventListener('click', function () { setFocus(null, 0); });
  $('ldnkg-physics').addEventListener('change', function () {
    net.setOptions({ physics: { enabled: this.checked } });
  });
  function reset() {
    state.hiddenCats = Object.create(null); state.hiddenAsserters = Object.create(null);
    state.hiddenEvidence = Object.create(null); state.maxRank = maxRank; state.role = ''; state.focus = null;
    state.publication = ''; $('ldnkg-publication').value = '';
    document.querySelectorAll('#ldnkg-legend input, #ldnkg-evidence input').forEach(function (b) { b.checked = true; });
    $('ldnkg-role').value = ''; $('ldnkg-certainty').value = String(maxRank);
    setHighlight(null, null);
    applyFilters();
    net.unselectAll();
    net.fit({ animation: false });
    if (window.ldnkg.intro) { window.ldnkg.intro(); } else { showMessage('Click a node or an edge to see its claims.'); }
  }
  $('ldnkg-reset').addEventListener('click', reset);

  net.on('click', function (params) {
    if (params.nodes.length) { state.selected = params.nodes[0]; showNode(params.nodes[0]); }
    else if (params.edges.length) { showEdge(params.edges[0]); }
  });

  window.network = net;
  Object.assign(L, {
    search: search, lookup: lookup, select: select, fillNames: fillDatalist, path: path, shortestPaths: shortestPaths,
    focus: setFocus, reset: reset, bestPaths: bestPaths
  });
  L.showCounts();
})();
