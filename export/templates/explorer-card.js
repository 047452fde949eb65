// ldnkg explorer: the evidence card of a condition (clicked or found): the chains from the hub drug
// that reach it, strongest first and highlighted on the graph; the evidence level on the scale;
// its publications; the author's caveats. Hypotheses are marked. Text only via textContent.
(function () {
  'use strict';
  var L = window.ldnkg;
  var D = L.data;
  var el = L.el;
  var SUPPORT = { ameliorates: 1, addresses: 1, prevents: 1, usedFor: 1, improves: 1, cures: 1 };
  var conditionCats = Object.create(null);
  D.conditions.forEach(function (c) { conditionCats[c] = true; });
  var hub = null;
  Object.keys(L.nodeById).sort().forEach(function (id) {
    var n = L.nodeById[id];
    if (!hub && n.map && n.cat === 'drug') { hub = id; }
  });

  function isCondition(id) { var n = L.nodeById[id]; return !!(n && conditionCats[n.cat]); }

  // Chains hub → … → id over affirmed edges, at most `depth` steps, strongest weakest-link first.
  function chains(id, depth) {
    var found = [];
    if (!hub || hub === id) { return found; }
    var onPath = Object.create(null);
    function walk(v, edgesSoFar) {
      if (v === id) { found.push(edgesSoFar.slice()); return; }
      if (edgesSoFar.length >= depth) { return; }
      onPath[v] = true;
      L.out[v].forEach(function (eid) {
        var e = L.edgeById[eid];
        if (e.neg || onPath[e.to]) { return; }
        edgesSoFar.push(e); walk(e.to, edgesSoFar); edgesSoFar.pop();
      });
      onPath[v] = false;
    }
    walk(hub, []);
    return found.map(function (es) {
      var weakest = Math.max.apply(null, es.map(function (e) { return e.level; }));
      var hypothesis = es.some(function (e) { return e.standing === 'hypothesis'; });
      var text = es.map(function (e) { return L.labelOf(e.to); }).join(' ');
      return { edges: es, weakest: weakest, hypothesis: hypothesis, text: text };
    }).sort(function (a, b) {
      return a.weakest - b.weakest || a.edges.length - b.edges.length ||
        (a.text < b.text ? -1 : a.text > b.text ? 1 : 0);
    });
  }

  // The chains `ldnkg evidence` gives (D.profiles, computed by the build), drawn with this page's
  // edges; a chain with a link this view does not draw is left out. Without profiles (generated
  // graphs), the chains are found here.
  function edgeOfClaim(iri) { var ids = L.claimEdges[iri]; return ids ? L.edgeById[ids[0]] : null; }
  function profileChains(id) {
    if (!D.profiles || !D.profiles[id]) { return null; }
    var out = [];
    D.profiles[id].forEach(function (p) {
      var es = p.claims.map(edgeOfClaim);
      if (!es.length || es.some(function (e) { return !e; })) { return; }
      out.push({ edges: es, weakest: p.weakest,
                 hypothesis: es.some(function (e) { return e.standing === 'hypothesis'; }),
                 text: es.map(function (e) { return L.labelOf(e.to); }).join(' ') });
    });
    return out;
  }

  function support(id) {
    return D.entities[id].claims.filter(function (ci) {
      var c = D.claims[ci];
      return c.standing !== 'negated' && ((c.object === id && SUPPORT[c.pred]) || c.context === id);
    });
  }

  function chainBox(ch) {
    var box = el('div', null, 'ldnkg-chain');
    box.style.borderLeftColor = L.levelInfo[ch.weakest] ? L.levelInfo[ch.weakest].colour : '#999';
    box.dataset.weakest = String(ch.weakest);
    var steps = el('div', null, 'steps');
    steps.appendChild(L.nodeButton(hub));
    ch.edges.forEach(function (e) {
      steps.appendChild(document.createTextNode(' —' + (e.label || e.pred) + '→ '));
      steps.appendChild(L.nodeButton(e.to));
      if (e.standing === 'hypothesis' || e.standing === 'observation') { steps.appendChild(L.standingBadge(e.standing)); }
    });
    box.appendChild(steps);
    var why = el('div', null, 'why');
    why.appendChild(L.levelScale(ch.weakest));
    why.appendChild(document.createTextNode((ch.edges.length === 1 ? 'direct; ' : 'weakest step: ') +
      L.levelInfo[ch.weakest].label));
    box.appendChild(why);
    var show = el('button', 'show on the graph', 'ldnkg-link');
    show.type = 'button';
    show.addEventListener('click', function () { highlight([ch], true); });
    why.appendChild(document.createTextNode(' · '));
    why.appendChild(show);
    return box;
  }

  function highlight(list, fit) {
    var ns = Object.create(null); var es = [];
    list.forEach(function (ch) {
      ns[hub] = true;
      ch.edges.forEach(function (e) { ns[e.from] = true; ns[e.to] = true; es.push(e.id); });
    });
    var nodes = Object.keys(ns);
    if (!nodes.length) { return; }
    L.setHighlight(nodes, es);
    L.state.card = true;
    if (fit) { window.network.fit({ nodes: nodes, animation: false }); }
  }

  var cache = Object.create(null);
  function card(id) {
    if (!cache[id]) {
      var sup = support(id);
      var best = sup.reduce(function (m, ci) { return Math.min(m, D.claims[ci].level); }, 8);
      cache[id] = { chains: profileChains(id) || chains(id, 3), support: sup, best: best };
    }
    return cache[id];
  }

  L.hooks.summary.push(function (id, sum) {
    if (!isCondition(id)) { return; }
    var c = card(id);
    var line = el('div', null, 'meta ldnkg-card-best');
    if (c.best <= 7) {
      line.appendChild(L.levelScale(c.best));
      line.appendChild(el('b', 'Strongest evidence: '));
      line.appendChild(document.createTextNode(L.levelInfo[c.best].label));
    } else {
      line.appendChild(document.createTextNode('No claim here says that something helps it.'));
    }
    sum.appendChild(line);
    var counts = el('div', null, 'meta');
    counts.textContent = c.chains.length + ' chain' + (c.chains.length === 1 ? '' : 's') + ' from ' +
      (hub ? L.labelOf(hub) : 'the drug') + ' · ' + c.support.length + ' supporting claim' +
      (c.support.length === 1 ? '' : 's');
    sum.appendChild(counts);
  });

  L.hooks.card.push(function (id, panel) {
    if (!isCondition(id)) {
      if (L.state.card) { L.setHighlight(null, null); L.state.card = false; }
      return;
    }
    var c = card(id);
    var box = el('div', null, 'ldnkg-card');
    box.id = 'ldnkg-card';
    box.appendChild(el('h3', 'How ' + (hub ? L.labelOf(hub) : 'the drug') + ' reaches it, strongest evidence first'));
    if (!c.chains.length) { box.appendChild(el('p', 'No chain from the drug in this view.', 'ldnkg-hint')); }
    c.chains.slice(0, 6).forEach(function (ch) { box.appendChild(chainBox(ch)); });
    if (c.chains.length > 6) {
      var more = el('details', null, 'ldnkg-group');
      more.appendChild(el('summary', c.chains.length - 6 + ' more chain(s)'));
      c.chains.slice(6).forEach(function (ch) { more.appendChild(chainBox(ch)); });
      box.appendChild(more);
    }
    var cites = []; var seen = Object.create(null);
    c.support.forEach(function (ci) {
      (D.claims[ci].citations || []).forEach(function (cit) {
        var k = cit.publication || cit.label || cit.title || '';
        if (k && !seen[k]) { seen[k] = true; cites.push([D.claims[ci].level, cit]); }
      });
    });
    if (cites.length) {
      box.appendChild(el('h3', 'Publications behind it'));
      cites.sort(function (a, b) { return a[0] - b[0]; }).forEach(function (x) { box.appendChild(L.renderCitation(x[1])); });
    }
    var caveats = D.entities[id].claims.filter(function (ci) {
      var s = D.claims[ci].standing;
      return s === 'negated' || s === 'hypothesis';
    });
    if (caveats.length) {
      box.appendChild(el('h3', "The author's caveats and hypotheses"));
      caveats.forEach(function (ci) {
        var cl = D.claims[ci];
        var line = el('div', null, 'ldnkg-caveat');
        line.appendChild(L.standingBadge(cl.standing));
        line.appendChild(document.createTextNode(' ' + (cl.paraphrase || (L.labelOf(cl.subject) + ' ' +
          (cl.predicate_label || '') + ' ' + (cl.literal ? cl.object : L.labelOf(cl.object))))));
        box.appendChild(line);
      });
    }
    panel.appendChild(box);
    highlight(c.chains, false);
  });

  L.card = function (q) { var id = L.lookup(q); return id && isCondition(id) ? card(id) : null; };
  L.cardChains = function (id) { return card(id).chains.map(function (ch) { return ch.edges.map(function (e) { return e.id; }); }); };
  L.hub = hub;
})();
