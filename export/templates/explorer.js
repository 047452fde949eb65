// ldnkg explorer: the page's data, its indexes, the filters and the highlight (window.ldnkg);
// explorer-panel.js draws the side panel, explorer-tools.js adds search, paths and the controls.
// Runs once the graph is in vis's network (ldnkgAfterDraw); uses PyVis's globals `network`, `nodes`, `edges`.
// All text from the graph is written with textContent, never as markup.
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('ldnkg-data').textContent);
  var net = window.network;
  var N = window.nodes;
  var E = window.edges;
  var $ = function (id) { return document.getElementById(id); };

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function setOf(list) { var s = Object.create(null); list.forEach(function (x) { s[x] = true; }); return s; }
  function norm(s) { return String(s).toLocaleLowerCase().replace(/\s+/g, ' ').trim(); }

  // ----------------------------------------------------------------- indexes
  var allNodes = N.get();
  var allEdges = E.get();
  var nodeById = Object.create(null);
  var edgeById = Object.create(null);
  var adj = Object.create(null);       // node -> incident edge ids
  var out = Object.create(null);       // node -> outgoing edge ids
  var inc = Object.create(null);       // node -> incoming edge ids
  allNodes.forEach(function (n) { nodeById[n.id] = n; adj[n.id] = []; out[n.id] = []; inc[n.id] = []; });
  // the data leave out what equals the defaults: fill it in once here
  Object.keys(D.entities).forEach(function (id) {
    var ent = D.entities[id];
    ent.kind = ent.kind || ''; ent.classes = ent.classes || []; ent.definition = ent.definition || '';
    ent.synonyms = ent.synonyms || []; ent.xrefs = ent.xrefs || []; ent.claims = ent.claims || [];
  });
  allEdges.forEach(function (e) {
    var plain = typeof e.color === 'string';
    e.c0 = plain ? e.color : e.color.color; e.w0 = e.width; e.o0 = plain ? 1 : e.color.opacity;
    e.standing = e.standing || 'asserted';
    edgeById[e.id] = e;
    adj[e.from].push(e.id); out[e.from].push(e.id); inc[e.to].push(e.id);
    if (e.to !== e.from) { adj[e.to].push(e.id); }
  });
  var catInfo = Object.create(null);
  D.categories.forEach(function (c) { catInfo[c[0]] = { label: c[1], colour: c[2], count: c[4] }; });
  var roleSets = Object.create(null);
  D.roles.forEach(function (r) { roleSets[r[0]] = setOf(r[2]); });
  var mechanism = setOf(D.mechanism);
  var maxRank = D.certainties.length ? D.certainties[D.certainties.length - 1][0] : 4;
  // extensions add panel content here: summary(id, box) inside the summary, card(id, panel) after it,
  // node(id, panel) after the entity's publications (the SPARQL console)
  var hooks = { node: [], summary: [], card: [] };
  var levelInfo = Object.create(null);
  D.levels.forEach(function (l) { levelInfo[l[0]] = { key: l[1], label: l[2], colour: l[3], ocebm: l[4], short: l[5] }; });
  var claimEdges = Object.create(null);  // claim IRI -> edge ids carrying it
  allEdges.forEach(function (e) {
    e.claims.forEach(function (ci) {
      var iri = D.claims[ci].claim;
      if (iri) { (claimEdges[iri] = claimEdges[iri] || []).push(e.id); }
    });
  });

  function labelOf(iri) {
    var n = nodeById[iri];
    if (n) { return n.label; }
    return String(iri).replace(/^.*[\/#]/, '');
  }

  // ----------------------------------------------------------------- state and filters
  var state = {
    hiddenCats: Object.create(null), hiddenAsserters: Object.create(null),
    hiddenEvidence: Object.create(null), maxRank: maxRank, role: '', focus: null,
    highlight: null, selected: null, publication: ''
  };
  var nodeHidden = Object.create(null);
  var edgeHidden = Object.create(null);
  allNodes.forEach(function (n) { nodeHidden[n.id] = false; });
  allEdges.forEach(function (e) { edgeHidden[e.id] = false; });

  // Publication match of a claim: 'exact' = backed by an exact-match publication; 'linked' = has
  // at least one candidate publication (any grade), i.e. does not rest on the author's word only.
  function publicationPasses(c) {
    if (state.publication === 'exact') { return c.grade === 'exact'; }
    if (state.publication === 'linked') {
      return (c.citations || []).some(function (x) { return !!x.publication; });
    }
    return true;
  }
  function claimPasses(ci) {
    var c = D.claims[ci];
    return !state.hiddenAsserters[c.asserter] && !state.hiddenEvidence[c.evidence_label] &&
      c.rank <= state.maxRank && publicationPasses(c);
  }
  function claimFilterActive() {
    return Object.keys(state.hiddenAsserters).length > 0 ||
      Object.keys(state.hiddenEvidence).length > 0 || state.maxRank < maxRank ||
      state.publication !== '';
  }
  function neighbourhood(id, k) {
    var seen = Object.create(null); seen[id] = true;
    var frontier = [id];
    for (var d = 0; d < k; d++) {
      var next = [];
      frontier.forEach(function (v) {
        adj[v].forEach(function (eid) {
          var e = edgeById[eid];
          var w = e.from === v ? e.to : e.from;
          if (!seen[w]) { seen[w] = true; next.push(w); }
        });
      });
      frontier = next;
    }
    return seen;
  }

  function applyFilters() {
    var active = claimFilterActive();
    var edgePass = Object.create(null);
    allEdges.forEach(function (e) {
      edgePass[e.id] = !active || e.claims.some(claimPasses);
    });
    var roleSet = state.role ? roleSets[state.role] : null;
    var focusSet = state.focus ? neighbourhood(state.focus.id, state.focus.k) : null;
    var nodeChanges = [];
    var edgeChanges = [];
    allNodes.forEach(function (n) {
      var hide = !!state.hiddenCats[n.cat] || (roleSet !== null && !roleSet[n.id]) ||
        (focusSet !== null && !focusSet[n.id]) ||
        (active && adj[n.id].length > 0 && !adj[n.id].some(function (eid) { return edgePass[eid]; }));
      if (hide !== nodeHidden[n.id]) { nodeHidden[n.id] = hide; nodeChanges.push({ id: n.id, hidden: hide }); }
    });
    allEdges.forEach(function (e) {
      var hide = !edgePass[e.id] || nodeHidden[e.from] || nodeHidden[e.to];
      if (hide !== edgeHidden[e.id]) { edgeHidden[e.id] = hide; edgeChanges.push({ id: e.id, hidden: hide }); }
    });
    if (nodeChanges.length) { N.update(nodeChanges); }
    if (edgeChanges.length) { E.update(edgeChanges); }
    showCounts();
  }
  function visibleNodeIds() { return allNodes.filter(function (n) { return !nodeHidden[n.id]; }).map(function (n) { return n.id; }); }
  function visibleEdgeIds() { return allEdges.filter(function (e) { return !edgeHidden[e.id]; }).map(function (e) { return e.id; }); }
  function showCounts() {
    $('ldnkg-counts').textContent = 'showing ' + visibleNodeIds().length + ' of ' + allNodes.length +
      ' entities, ' + visibleEdgeIds().length + ' of ' + allEdges.length + ' relations';
  }

  // ----------------------------------------------------------------- highlight (search, path)
  function setHighlight(nodeIds, edgeIds) {
    var ns = nodeIds ? setOf(nodeIds) : null;
    var es = edgeIds ? setOf(edgeIds) : null;
    N.update(allNodes.map(function (n) { return { id: n.id, opacity: !ns || ns[n.id] ? 1 : 0.15 }; }));
    E.update(allEdges.map(function (e) {
      var on = !es || es[e.id];
      return { id: e.id, width: es && es[e.id] ? e.w0 + 3 : e.w0,
        color: { color: e.c0, highlight: e.c0, opacity: !es ? (e.o0 || 0.85) : on ? 0.95 : 0.07 } };
    }));
    state.highlight = ns ? { nodes: nodeIds.slice().sort(), edges: edgeIds.slice().sort() } : null;
  }

  // the console, which runs before the graph is drawn, may have made window.ldnkg already
  window.ldnkg = Object.assign(window.ldnkg || {}, {
    data: D, state: state, setHighlight: setHighlight, applyFilters: applyFilters,
    visibleNodeIds: visibleNodeIds, visibleEdgeIds: visibleEdgeIds, showCounts: showCounts,
    ready: false, hooks: hooks, claimEdges: claimEdges, hasNode: function (id) { return !!nodeById[id]; },
    labelOf: labelOf, edgeById: edgeById, el: el, norm: norm, levelInfo: levelInfo, out: out, inc: inc,
    nodeById: nodeById, catInfo: catInfo, roleSets: roleSets, mechanism: mechanism, maxRank: maxRank,
    allNodes: allNodes, allEdges: allEdges, nodeHidden: nodeHidden
  });
})();
