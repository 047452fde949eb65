// ldnkg explorer: side panel, legend filter, search, filters, neighbourhood focus and paths.
// Runs after PyVis's drawGraph(); uses its globals `network`, `nodes`, `edges`.
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

  // ----------------------------------------------------------------- details panel
  function detailsPanel() { var p = $('ldnkg-details'); p.replaceChildren(); return p; }

  function nodeButton(iri) {
    if (!nodeById[iri]) { return el('span', labelOf(iri)); }
    var b = el('button', labelOf(iri), 'ldnkg-link');
    b.type = 'button';
    b.addEventListener('click', function () { select(iri); });
    return b;
  }
  function meta(name, value) {
    var p = el('div', null, 'meta');
    p.appendChild(el('b', name + ': '));
    p.appendChild(document.createTextNode(String(value)));
    return p;
  }
  function safeUrl(url) { return /^https?:\/\//i.test(String(url || '')) ? String(url) : ''; }
  function gradeBadge(grade) {
    var b = el('span', grade, 'ldnkg-grade grade-' + String(grade).toLowerCase().replace(/[^a-z]+/g, '-'));
    b.dataset.grade = grade;
    return b;
  }
  // One candidate publication: grade, what it is, the match note, identifiers and links.
  function renderCitation(cit) {
    var box = el('div', null, 'ldnkg-citation');
    box.dataset.grade = cit.grade || '';
    if (cit.publication) { box.dataset.publication = cit.publication; }
    var head = el('div', null, 'cit-head');
    head.appendChild(gradeBadge(cit.grade || 'ungraded'));
    head.appendChild(document.createTextNode(' ' + (cit.label || (cit.publication ? '' : 'no publication'))));
    box.appendChild(head);
    if (cit.title) { box.appendChild(el('div', cit.title, 'cit-title')); }
    var who = [cit.authors, cit.journal].filter(Boolean).join(' — ');
    if (who) { box.appendChild(el('div', who, 'meta')); }
    if (cit.note) { box.appendChild(el('div', cit.note, 'cit-note')); }
    var ids = cit.identifiers || [];
    var links = (cit.links || []).map(safeUrl).filter(Boolean);
    if (ids.length || links.length) {
      var line = el('div', null, 'meta cit-links');
      ids.forEach(function (x) { line.appendChild(el('span', x, 'cit-id')); line.appendChild(document.createTextNode(' ')); });
      links.forEach(function (url) {
        var a = el('a', url.replace(/^https?:\/\/(www\.)?/, '').replace(/\/.*$/, ''));
        a.href = url; a.title = url; a.target = '_blank'; a.rel = 'noopener noreferrer';
        line.appendChild(a); line.appendChild(document.createTextNode(' '));
      });
      box.appendChild(line);
    }
    return box;
  }
  function renderCitations(parent, list, heading) {
    if (!list || !list.length) { return; }
    var wrap = el('div', null, 'ldnkg-citations');
    wrap.appendChild(el('div', heading, 'cit-heading'));
    list.forEach(function (cit) { wrap.appendChild(renderCitation(cit)); });
    parent.appendChild(wrap);
  }

  var STANDING_WORDS = { hypothesis: 'hypothesis', observation: 'observed in practice', negated: 'stated as not so' };
  function standingBadge(standing) {
    var b = el('span', STANDING_WORDS[standing] || standing, 'ldnkg-badge ' + standing);
    b.dataset.standing = standing;
    return b;
  }
  // The evidence level on the seven-step scale (strongest on the left), with its words.
  function levelScale(rank) {
    var scale = el('span', null, 'ldnkg-scale');
    scale.setAttribute('role', 'img');
    scale.setAttribute('aria-label', 'evidence level ' + rank + ' of 7');
    scale.dataset.level = String(rank);
    D.levels.forEach(function (l) {
      var step = el('i', null, l[0] === rank ? 'on' : '');
      if (l[0] >= rank) { step.style.background = l[3]; }
      step.title = l[0] + ': ' + l[2];
      scale.appendChild(step);
    });
    return scale;
  }
  function levelLine(rank) {
    var line = el('div', null, 'meta level');
    line.appendChild(levelScale(rank));
    line.appendChild(el('b', 'Evidence level: '));
    var info = levelInfo[rank];
    line.appendChild(document.createTextNode(info ? info.label + (info.ocebm ? ' (OCEBM level ' + info.ocebm + ')' : '') : String(rank)));
    return line;
  }
  // Claims as a flat list when few, else folded groups with counts: by role (for the hub), then
  // by relation (with its direction seen from the node).
  function claimGroups(parent, ids, id) {
    if (ids.length <= 6) { ids.forEach(function (ci) { parent.appendChild(renderClaim(ci)); }); return; }
    function roleOf(c) {
      var other = c.subject === id ? c.object : c.subject;
      for (var i = 0; i < D.roles.length; i++) { if (roleSets[D.roles[i][0]][other]) { return D.roles[i][1]; } }
      return 'not through a role';
    }
    function relation(c) {
      var words = (c.negated ? 'not ' : '') + (c.predicate_label || c.pred || 'relation');
      if (c.subject === id) { return words + ' →'; }
      return '← ' + words;
    }
    function group(list, keyOf) {
      var by = Object.create(null); var keys = [];
      list.forEach(function (ci) {
        var k = keyOf(D.claims[ci]);
        if (!by[k]) { by[k] = []; keys.push(k); }
        by[k].push(ci);
      });
      keys.sort(function (a, b) { return by[b].length - by[a].length || (a < b ? -1 : a > b ? 1 : 0); });
      return keys.map(function (k) { return [k, by[k]]; });
    }
    function fold(into, title, list) {
      var d = el('details', null, 'ldnkg-group');
      var s = el('summary', title + ' ');
      s.appendChild(el('span', '(' + list.length + ')', 'n'));
      d.appendChild(s);
      into.appendChild(d);
      return d;
    }
    var isHub = !!(nodeById[id] && nodeById[id].map && nodeById[id].cat === 'drug') && D.roles.length > 0;
    if (isHub) {
      group(ids, roleOf).forEach(function (g) {
        var outer = fold(parent, g[0], g[1]);
        group(g[1], relation).forEach(function (h) {
          var inner = fold(outer, h[0], h[1]);
          h[1].forEach(function (ci) { inner.appendChild(renderClaim(ci)); });
        });
      });
    } else {
      group(ids, relation).forEach(function (g) {
        var d = fold(parent, g[0], g[1]);
        g[1].forEach(function (ci) { d.appendChild(renderClaim(ci)); });
      });
    }
  }
  function scrollToDetails() {
    var box = $('ldnkg-scroll'); var p = $('ldnkg-details');
    box.scrollTop += p.getBoundingClientRect().top - box.getBoundingClientRect().top - 4;
  }
  function renderClaim(ci) {
    var c = D.claims[ci];
    var box = el('div', null, 'ldnkg-claim' + (c.negated ? ' negated' : ''));
    box.dataset.claim = c.claim || '';
    var stmt = el('div', null, 'stmt');
    stmt.appendChild(nodeButton(c.subject));
    stmt.appendChild(document.createTextNode(' — ' + (c.negated ? 'not ' : '') + (c.predicate_label || '') + ' → '));
    if (c.literal) { stmt.appendChild(el('span', c.object)); } else { stmt.appendChild(nodeButton(c.object)); }
    box.appendChild(stmt);
    if (c.standing === 'hypothesis' || c.standing === 'observation' || c.standing === 'negated') {
      stmt.appendChild(standingBadge(c.standing));
    }
    if (c.paraphrase) { box.appendChild(el('div', c.paraphrase, 'para')); }
    box.appendChild(levelLine(c.level));
    if (c.evidence_label) { box.appendChild(meta('Evidence', c.evidence_label + (c.evidence ? ' (' + c.evidence + ')' : ''))); }
    if (c.certainty) { box.appendChild(meta('Certainty', c.certainty)); }
    if (c.asserter) { box.appendChild(meta('Asserted by', c.asserter)); }
    if (c.study_label) {
      var s = c.study_label;
      if (c.design) { s += ' — ' + c.design; }
      if (c.year) { s += ', ' + c.year; }
      box.appendChild(meta('Study', s));
    } else if (c.design) {
      box.appendChild(meta('Study design', c.design + (c.year ? ', ' + c.year : '')));
    }
    renderCitations(box, c.citations, 'Publication' + ((c.citations || []).length > 1 ? 's' : '') +
      (c.grade ? ' (best match: ' + c.grade + ')' : ''));
    if (c.context_label) { box.appendChild(meta('In the context of', c.context_label)); }
    if (c.section || c.paragraph) {
      box.appendChild(meta('Where', (c.section || '') + (c.paragraph ? ', paragraph ' + c.paragraph : '')));
    }
    if (c.quote) { box.appendChild(el('blockquote', c.quote)); }
    return box;
  }
  function showNode(id) {
    var n = nodeById[id];
    var ent = D.entities[id];
    if (!n || !ent) { return; }
    var p = detailsPanel();
    p.dataset.node = id;
    delete p.dataset.edge; delete p.dataset.path;
    var sum = el('div', null, 'ldnkg-summary');
    p.appendChild(sum);
    sum.appendChild(el('h2', n.label));
    var kind = el('span', ent.kind + ' · ' + catInfo[n.cat].label, 'ldnkg-kind');
    kind.style.background = catInfo[n.cat].colour;
    sum.appendChild(kind);
    if (ent.definition) { sum.appendChild(el('p', ent.definition)); }
    if (ent.synonyms.length) { sum.appendChild(meta('Also called', ent.synonyms.join('; '))); }
    if (ent.design || ent.year) { sum.appendChild(meta('Study design', (ent.design || '') + (ent.year ? ', ' + ent.year : ''))); }
    hooks.summary.forEach(function (fn) { fn(id, sum); });
    hooks.card.forEach(function (fn) { fn(id, p); });
    if (ent.xrefs.length) {
      var x = el('div', null, 'meta');
      x.appendChild(el('b', 'Identifiers: '));
      ent.xrefs.forEach(function (pair, i) {
        if (i) { x.appendChild(document.createTextNode(' · ')); }
        if (pair[1]) {
          var a = el('a', pair[0]); a.href = pair[1]; a.target = '_blank'; a.rel = 'noopener noreferrer';
          x.appendChild(a);
        } else { x.appendChild(el('span', pair[0])); }
      });
      p.appendChild(x);
    }
    p.appendChild(meta('IRI', id));
    if (ent.citations && ent.citations.length) {
      p.appendChild(el('h3', 'Candidate publication' + (ent.citations.length > 1 ? 's' : '') +
        (ent.grade ? ' (best match: ' + ent.grade + ')' : '')));
      ent.citations.forEach(function (cit) { p.appendChild(renderCitation(cit)); });
    }
    hooks.node.forEach(function (fn) { fn(id, p); });
    p.appendChild(el('h3', 'Claims (' + ent.claims.length + ')'));
    claimGroups(p, ent.claims, id);
    scrollToDetails();
  }
  function showEdge(eid) {
    var e = edgeById[eid];
    if (!e) { return; }
    var p = detailsPanel();
    p.dataset.edge = eid;
    delete p.dataset.node; delete p.dataset.path;
    var sum = el('div', null, 'ldnkg-summary');
    p.appendChild(sum);
    var h = el('h2');
    h.appendChild(nodeButton(e.from));
    h.appendChild(document.createTextNode(' — ' + (e.label || e.pred) + ' → '));
    h.appendChild(nodeButton(e.to));
    sum.appendChild(h);
    sum.appendChild(levelLine(e.level));
    if (e.standing !== 'asserted') { sum.appendChild(standingBadge(e.standing)); }
    p.appendChild(el('h3', 'Claims (' + e.claims.length + ')'));
    e.claims.forEach(function (ci) { p.appendChild(renderClaim(ci)); });
    scrollToDetails();
  }
  function showMessage(text) {
    var p = detailsPanel();
    delete p.dataset.node; delete p.dataset.edge;
    p.appendChild(el('p', text, 'ldnkg-hint'));
  }

  // ----------------------------------------------------------------- search
  var names = [];  // [normalised name, node id, display]
  allNodes.slice().sort(function (a, b) { return a.label < b.label ? -1 : a.label > b.label ? 1 : 0; })
    .forEach(function (n) {
      names.push([norm(n.label), n.id, n.label, true]);
      (D.entities[n.id] ? D.entities[n.id].synonyms : []).forEach(function (s) { names.push([norm(s), n.id, s, false]); });
    });
  (function fillDatalist() {
    var dl = $('ldnkg-names');
    var seen = Object.create(null);
    var frag = document.createDocumentFragment();
    names.forEach(function (row) {
      if (seen[row[2]]) { return; }
      seen[row[2]] = true;
      var o = document.createElement('option');
      o.value = row[2];
      if (!row[3]) { o.label = 'synonym of ' + labelOf(row[1]); }
      frag.appendChild(o);
    });
    dl.appendChild(frag);
  })();
  function lookup(q) {
    var k = norm(q);
    if (!k) { return null; }
    if (nodeById[q]) { return q; }
    var tests = [
      function (r) { return r[3] && r[0] === k; }, function (r) { return r[0] === k; },
      function (r) { return r[0].indexOf(k) === 0; }, function (r) { return r[0].indexOf(k) >= 0; }
    ];
    for (var t = 0; t < tests.length; t++) {
      for (var i = 0; i < names.length; i++) { if (tests[t](names[i])) { return names[i][1]; } }
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
  window.ldnkg = {
    data: D, state: state, search: search, lookup: lookup, select: select, showNode: showNode,
    showEdge: showEdge, path: path, shortestPaths: shortestPaths, setHighlight: setHighlight,
    focus: setFocus, applyFilters: applyFilters, reset: reset, visibleNodeIds: visibleNodeIds,
    visibleEdgeIds: visibleEdgeIds, ready: false, hooks: hooks, claimEdges: claimEdges,
    hasNode: function (id) { return !!nodeById[id]; }, labelOf: labelOf, edgeById: edgeById,
    showMessage: showMessage, detailsPanel: detailsPanel, bestPaths: bestPaths, el: el, meta: meta,
    renderClaim: renderClaim, renderCitation: renderCitation, nodeButton: nodeButton, levelLine: levelLine,
    levelScale: levelScale, standingBadge: standingBadge, levelInfo: levelInfo, out: out, inc: inc,
    nodeById: nodeById, catInfo: catInfo, scrollToDetails: scrollToDetails
  };
  showCounts();
})();
