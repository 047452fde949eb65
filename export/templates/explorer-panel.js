// ldnkg explorer: the side panel — an entity, a relation or a message; claims with their evidence
// level, standing, study, publications and quote. All text is written with textContent.
(function () {
  'use strict';
  var L = window.ldnkg;
  var D = L.data;
  var el = L.el;
  var nodeById = L.nodeById;
  var edgeById = L.edgeById;
  var catInfo = L.catInfo;
  var roleSets = L.roleSets;
  var levelInfo = L.levelInfo;
  var hooks = L.hooks;
  var labelOf = L.labelOf;
  var $ = function (id) { return document.getElementById(id); };
  function select(id) { L.select(id); }

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

  Object.assign(L, {
    showNode: showNode, showEdge: showEdge, showMessage: showMessage, detailsPanel: detailsPanel, meta: meta,
    renderClaim: renderClaim, renderCitation: renderCitation, nodeButton: nodeButton, levelLine: levelLine,
    levelScale: levelScale, standingBadge: standingBadge, scrollToDetails: scrollToDetails
  });
})();
