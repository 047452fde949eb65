// ldnkg explorer: the offline SPARQL console. Oxigraph's WebAssembly build and the graph's N-Quads
// ride along in non-executing script elements; queries run in a Web Worker (terminated to cancel).
// Named-query parameters are substituted as ldnkg.graph.sparql does ($name -> RDF term), and the
// project's prefixes are declared when a query uses them undeclared. Text is set with textContent.
// It runs before the graph is drawn and answers meanwhile; attach() (called once the graph is in)
// links results to the graph and adds "query this entity" to the node panel.
(function () {
  'use strict';
  var L = null;    // the explorer (window.ldnkg) and vis's network, once the graph is drawn
  var net = null;
  var $ = function (id) { return document.getElementById(id); };
  var P = JSON.parse($('ldnkg-queries').textContent);
  var PREFIXES = Object.create(null);
  P.prefixes.forEach(function (p) { PREFIXES[p[0]] = p[1]; });
  var XSD = 'http://www.w3.org/2001/XMLSchema#';
  document.body.classList.add('ldnkg-has-sparql');

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }

  // ----------------------------------------------------------------- query text (as in Python)
  // Strings, IRIs and comments are skipped; ?var / $var are found outside them.
  var TOKENS = /('''(?:[^'\\]|\\.|'(?!''))*'''|"""(?:[^"\\]|\\.|"(?!""))*"""|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|<[^<>"{}|^`\\\s]*>|#[^\n]*)|([?$]\w+)|((?<![:\w-])[A-Za-z_]\w*\b(?![:-]))/g;

  function codeWords(text) {
    var words = [];
    text.replace(TOKENS, function (all, skip, v, word) { if (word) { words.push(word.toUpperCase()); } return all; });
    return words;
  }
  function queryForm(text) {
    var forms = { SELECT: 1, CONSTRUCT: 1, ASK: 1, DESCRIBE: 1 };
    var updates = { INSERT: 1, DELETE: 1, LOAD: 1, CLEAR: 1, CREATE: 1, DROP: 1, COPY: 1, MOVE: 1, ADD: 1, WITH: 1 };
    var words = codeWords(text);
    for (var i = 0; i < words.length; i++) {
      if (forms[words[i]]) { return words[i]; }
      if (updates[words[i]]) { return 'UPDATE'; }
    }
    return '';
  }
  function iriTerm(v) { return { n3: '<' + v + '>', iri: v }; }
  function parseTerm(raw, defaultPrefix) {
    var v = String(raw).trim();
    var m;
    if (v.charAt(0) === '<' && v.charAt(v.length - 1) === '>') { return iriTerm(v.slice(1, -1)); }
    if (/^https?:\/\/\S+$/.test(v)) { return iriTerm(v); }
    m = /^([A-Za-z][\w-]*):([\w.-]*)$/.exec(v);
    if (m && PREFIXES[m[1]] !== undefined) { return iriTerm(PREFIXES[m[1]] + m[2]); }
    if (/^[+-]?\d+$/.test(v)) { return { n3: '"' + v + '"^^<' + XSD + 'integer>' }; }
    if (/^[+-]?\d*\.\d+$/.test(v)) { return { n3: '"' + v + '"^^<' + XSD + 'decimal>' }; }
    if (defaultPrefix && /^[A-Za-z_][\w-]*$/.test(v)) { return iriTerm(PREFIXES[defaultPrefix] + v); }
    return { n3: JSON.stringify(v) };
  }
  // Replace $name placeholders by terms; declared defaults fill what is not given.
  function bindParams(text, given, named) {
    var values = Object.create(null);
    var order = [];
    (named ? named.params : []).forEach(function (p) {
      var raw = given[p.name];
      if (raw === undefined || raw === null || String(raw).trim() === '') { raw = p.default; }
      if (raw === undefined || raw === null) { throw new Error('query ' + named.name + ' needs a value for ' + p.name); }
      var prefix = p.default && p.default.indexOf(':') >= 0 ? 'ldn' : null;
      values[p.name] = parseTerm(raw, prefix);
      order.push(p.name);
    });
    var used = Object.create(null);
    var out = text.replace(TOKENS, function (all, skip, v) {
      if (v && v.charAt(0) === '$' && values[v.slice(1)]) { used[v.slice(1)] = true; return values[v.slice(1)].n3; }
      return all;
    });
    order.forEach(function (name) {
      if (!used[name]) { out = out.replace(/\s+$/, '') + '\nVALUES ?' + name + ' { ' + values[name].n3 + ' }'; }
    });
    return out;
  }
  function withPrefixes(text) {
    var declared = Object.create(null);
    var used = Object.create(null);
    var m;
    var decl = /^\s*PREFIX\s+([\w-]*):/gim;
    while ((m = decl.exec(text))) { declared[m[1]] = true; }
    var use = /(?<![\w<?$])([A-Za-z][\w-]*):(?!\/\/)/g;
    while ((m = use.exec(text))) { used[m[1]] = true; }
    var missing = P.prefixes.filter(function (p) { return used[p[0]] && !declared[p[0]]; });
    if (!missing.length) { return { text: text, offset: 0 }; }
    var head = missing.map(function (p) { return 'PREFIX ' + p[0] + ': <' + p[1] + '>'; }).join(' ');
    return { text: head + '\n' + text, offset: 1 };
  }
  // The parser's message on one line, without its character-class listings, lines corrected.
  function tidy(msg, offset) {
    var m = /error at (\d+):(\d+):\s*([\s\S]*)/.exec(msg);
    var body = (m ? m[3] : msg).replace(/\s+/g, ' ').replace(/(?:,\s*)?\[[^\[\]]*\]/g, '').trim().replace(/,+$/, '');
    if (body.length > 300) { body = body.slice(0, 299) + '…'; }
    if (!m) { return 'query failed: ' + body; }
    return 'malformed query at line ' + Math.max(Number(m[1]) - offset, 1) + ', column ' + m[2] + ': ' + body;
  }

  // ----------------------------------------------------------------- the engine (a worker)
  var engine = { worker: null, ready: null, seq: 0, pending: null, size: 0, loadMs: 0, failed: null };
  // The worker was started by explorer-boot.js before the graph was drawn; a restart gets a fresh one.
  function startWorker() {
    var boot = window.ldnkgEngine.take();
    var worker = boot.worker;
    engine.worker = worker;
    engine.ready = new Promise(function (resolve) {
      function onMessage(ev) {
        var m = ev.data;
        if (m.type === 'ready') {
          URL.revokeObjectURL(boot.url);
          engine.size = m.size; engine.loadMs = m.ms; engine.failed = null;
          status('ready: ' + m.size.toLocaleString('en') + ' triples/quads loaded in ' + Math.round(m.ms) + ' ms');
          resolve(true);
        } else if (m.type === 'failed') {
          engine.failed = m.message;
          status('the query engine failed to start: ' + m.message);
          resolve(false);
        } else { finish(m); }
      }
      function onError(ev) {
        if (ev.preventDefault) { ev.preventDefault(); }
        engine.failed = ev.message || 'worker error';
        finish({ type: 'error', id: engine.pending ? engine.pending.id : -1, message: engine.failed });
        resolve(false);
      }
      worker.onmessage = onMessage;
      worker.onerror = onError;
      boot.early.forEach(function (ev) { (ev instanceof ErrorEvent ? onError : onMessage)(ev); });
    });
    return engine.ready;
  }
  var booted = (async function () {
    try {
      return await startWorker();
    } catch (err) {
      engine.failed = String(err && err.message || err);
      status('the query engine failed to start: ' + engine.failed);
      return false;
    }
  })();

  function finish(m) {
    var p = engine.pending;
    if (!p || m.id !== p.id) { return; }
    engine.pending = null;
    setRunning(false);
    p.resolve(m.type === 'result' ? Object.assign({ ok: true }, m) : { ok: false, error: tidy(m.message, p.offset) });
  }
  function cancel() {
    var p = engine.pending;
    if (!p) { return false; }
    engine.pending = null;
    engine.worker.terminate();
    setRunning(false);
    p.resolve({ ok: false, cancelled: true, error: 'query cancelled after ' + Math.round(performance.now() - p.t0) + ' ms' });
    status('restarting the query engine…');
    booted = startWorker();
    return true;
  }
  // Run SPARQL text (already bound); resolves to {ok, kind, head, bindings, boolean, triples, ms} or {ok: false, error}.
  function runText(text, union) {
    if (engine.pending) { cancel(); }
    var form = queryForm(text);
    if (form === 'UPDATE') { return Promise.resolve({ ok: false, error: 'updates are not allowed: the console is read-only' }); }
    if (codeWords(text).indexOf('SERVICE') >= 0) { return Promise.resolve({ ok: false, error: 'SERVICE (federated query) is not allowed: queries never leave this page' }); }
    var prepared = withPrefixes(text);
    return booted.then(function () { return engine.ready; }).then(function (ok) {
      if (!ok) { return { ok: false, error: 'the query engine is not available: ' + engine.failed }; }
      return new Promise(function (resolve) {
        engine.seq += 1;
        engine.pending = { id: engine.seq, resolve: resolve, offset: prepared.offset, t0: performance.now() };
        setRunning(true);
        engine.worker.postMessage({ type: 'query', id: engine.seq, text: prepared.text, form: form, union: !!union });
      });
    });
  }
  function named(name) { return P.queries.filter(function (q) { return q.name === name; })[0] || null; }
  // Run a named query (with parameter values) or SPARQL text.
  function run(nameOrText, params) {
    var q = named(nameOrText);
    var text;
    try { text = bindParams(q ? q.text : nameOrText, params || {}, q); }
    catch (err) { return Promise.resolve({ ok: false, error: String(err.message || err) }); }
    return runText(text, !!q);  // a named query reads every graph, other text only the facts
  }

  // ----------------------------------------------------------------- the form
  var last = null;
  function status(text) { $('ldnkg-q-status').textContent = text; }
  function setRunning(on) {
    $('ldnkg-q-cancel').disabled = !on;
    $('ldnkg-q-run').disabled = on;
    if (on) { status('running…'); }
  }
  P.queries.forEach(function (q) {
    var o = el('option', q.name); o.value = q.name; o.title = q.description;
    $('ldnkg-q-name').appendChild(o);
  });
  function pickQuery(name) {
    var q = named(name);
    $('ldnkg-q-name').value = q ? q.name : '';
    $('ldnkg-q-desc').textContent = q ? q.description : '';
    var box = $('ldnkg-q-params');
    box.replaceChildren();
    if (q) {
      $('ldnkg-q-text').value = q.text;
      q.params.forEach(function (p) {
        var lab = el('label');
        lab.appendChild(el('span', p.name));
        var input = document.createElement('input');
        input.dataset.param = p.name;
        input.value = p.default || '';
        input.placeholder = p.default || '';
        input.title = p.meaning;
        lab.appendChild(input);
        lab.appendChild(el('span', p.meaning, 'ldnkg-hint'));
        box.appendChild(lab);
      });
    }
  }
  function formParams() {
    var out = {};
    document.querySelectorAll('#ldnkg-q-params input').forEach(function (i) { out[i.dataset.param] = i.value; });
    return out;
  }
  $('ldnkg-q-name').addEventListener('change', function () { pickQuery(this.value); });
  function runForm() {
    var q = named($('ldnkg-q-name').value);
    var text = $('ldnkg-q-text').value;
    var bound;
    $('ldnkg-q-error').textContent = '';
    try { bound = bindParams(text, formParams(), q); }
    catch (err) { return Promise.resolve(show({ ok: false, error: String(err.message || err) })); }
    // an unedited named query reads every graph (its rows show each claim's level); edited text, the facts
    return runText(bound, !!q && text === q.text).then(show);
  }
  $('ldnkg-q-run').addEventListener('click', function () { runForm(); });
  $('ldnkg-q-text').addEventListener('keydown', function (ev) {
    if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); runForm(); }
  });
  $('ldnkg-q-cancel').addEventListener('click', function () { cancel(); });
  $('ldnkg-q-highlight').addEventListener('click', function () { highlight(); });
  $('ldnkg-q-clear').addEventListener('click', function () {
    last = null;
    $('ldnkg-q-results').replaceChildren(); $('ldnkg-q-error').textContent = ''; $('ldnkg-q-summary').textContent = '';
    $('ldnkg-q-highlight').disabled = true;
    if (L) { L.setHighlight(null, null); net.unselectAll(); }
  });

  // ----------------------------------------------------------------- results
  function curie(iri) {
    for (var i = 0; i < P.prefixes.length; i++) {
      var ns = P.prefixes[i][1];
      if (iri.indexOf(ns) === 0 && /^[\w.\/-]*$/.test(iri.slice(ns.length))) { return P.prefixes[i][0] + ':' + iri.slice(ns.length); }
    }
    return '<' + iri + '>';
  }
  function cell(t) {
    var td = el('td');
    if (!t) { return td; }
    if (t.type === 'uri') {
      td.dataset.iri = t.value;
      if (!L) {  // the graph is not drawn yet: attach() shows the result again with links
        td.appendChild(el('span', curie(t.value), 'iri')).title = t.value;
      } else if (L.hasNode(t.value)) {
        var b = el('a', curie(t.value), 'ldnkg-iri');
        b.href = '#'; b.title = L.labelOf(t.value) + ' — ' + t.value;
        b.addEventListener('click', function (ev) { ev.preventDefault(); L.select(t.value); });
        td.appendChild(b);
      } else if (L.claimEdges[t.value]) {
        var c = el('a', curie(t.value), 'ldnkg-iri');
        c.href = '#'; c.title = 'claim — show its relation';
        c.addEventListener('click', function (ev) {
          ev.preventDefault();
          var eid = L.claimEdges[t.value][0];
          var e = L.edgeById[eid];
          L.setHighlight([e.from, e.to], [eid]); net.selectEdges([eid]);
          net.fit({ nodes: [e.from, e.to], animation: false });
          L.showEdge(eid);
        });
        td.appendChild(c);
      } else {
        td.appendChild(el('span', curie(t.value), 'iri')).title = t.value;
      }
    } else if (t.type === 'literal') {
      td.appendChild(el('span', t.value, 'lit'));
      if (t['xml:lang']) { td.appendChild(el('span', ' @' + t['xml:lang'], 'dt')); }
      else if (t.datatype) { td.appendChild(el('span', ' ' + curie(t.datatype), 'dt')); }
    } else { td.appendChild(el('span', (t.type === 'bnode' ? '_:' : '') + t.value)); }
    return td;
  }
  var MAX_SHOWN = 500;
  function table(head, rows) {
    var tbl = el('table');
    var tr = el('tr');
    head.forEach(function (h) { tr.appendChild(el('th', h)); });
    var thead = el('thead'); thead.appendChild(tr); tbl.appendChild(thead);
    var body = el('tbody');
    rows.slice(0, MAX_SHOWN).forEach(function (r) {
      var row = el('tr');
      r.forEach(function (t) { row.appendChild(cell(t)); });
      body.appendChild(row);
    });
    tbl.appendChild(body);
    return tbl;
  }
  function show(result) {
    var box = $('ldnkg-q-results');
    box.replaceChildren();
    $('ldnkg-q-error').textContent = '';
    $('ldnkg-q-summary').textContent = '';
    last = result.ok ? result : null;
    $('ldnkg-q-highlight').disabled = !last || last.kind === 'ask' || !L;
    if (!result.ok) {
      $('ldnkg-q-error').textContent = result.error;
      status(result.cancelled ? 'cancelled' : 'the query failed');
      return result;
    }
    var n;
    if (result.kind === 'ask') {
      n = 1;
      box.appendChild(el('p', result.boolean ? 'yes (true)' : 'no (false)', 'ldnkg-ask'));
    } else if (result.kind === 'select') {
      n = result.bindings.length;
      box.appendChild(table(result.head, result.bindings.map(function (b) {
        return result.head.map(function (v) { return b[v] || null; });
      })));
    } else {
      n = result.triples.length;
      box.appendChild(table(['subject', 'predicate', 'object'], result.triples));
    }
    var unit = result.kind === 'graph' ? ' triple' : ' row';
    $('ldnkg-q-summary').textContent = n + unit + (n === 1 ? '' : 's') + ' in ' + Math.round(result.ms) + ' ms' +
      (n > MAX_SHOWN ? ' (the first ' + MAX_SHOWN + ' shown)' : '');
    status('done');
    if (result.kind === 'graph' && L) { highlight(); }
    return result;
  }
  // What a result names on the graph: its IRIs that are nodes, and the edges of its claims
  // (and, for CONSTRUCT/DESCRIBE, the edges whose triple is in the result).
  function resultShape(result) {
    var iris = Object.create(null);
    var add = function (t) { if (t && t.type === 'uri') { iris[t.value] = true; } };
    var edges = Object.create(null);
    if (result.kind === 'select') {
      result.bindings.forEach(function (b) { Object.keys(b).forEach(function (k) { add(b[k]); }); });
    } else if (result.kind === 'graph') {
      var triples = Object.create(null);
      result.triples.forEach(function (t) {
        add(t[0]); add(t[2]);
        if (t[0].type === 'uri' && t[2].type === 'uri') { triples[t[0].value + ' ' + t[1].value + ' ' + t[2].value] = true; }
      });
      Object.keys(L.edgeById).forEach(function (eid) {
        var e = L.edgeById[eid];
        Object.keys(triples).forEach(function (key) {
          var parts = key.split(' ');
          if (parts[0] === e.from && parts[2] === e.to && /[#\/]([^#\/]*)$/.exec(parts[1])[1] === e.pred) { edges[eid] = true; }
        });
      });
    }
    Object.keys(iris).forEach(function (iri) {
      (L.claimEdges[iri] || []).forEach(function (eid) { edges[eid] = true; });
    });
    var nodes = Object.keys(iris).filter(function (iri) { return L.hasNode(iri); }).sort();
    return { nodes: nodes, edges: Object.keys(edges).sort() };
  }
  function highlight(result) {
    var r = result || last;
    if (!r || r.kind === 'ask' || !L) { return null; }
    var shape = resultShape(r);
    if (!shape.nodes.length && !shape.edges.length) {
      $('ldnkg-q-summary').textContent += ' — none of the result is drawn on this graph';
      return shape;
    }
    L.setHighlight(shape.nodes, shape.edges);
    net.setSelection({ nodes: shape.nodes, edges: [] }, { unselectAll: true, highlightEdges: false });
    var fitTo = shape.nodes.length ? shape.nodes : [];
    if (fitTo.length) { net.fit({ nodes: fitTo, animation: false }); }
    return shape;
  }

  // ----------------------------------------------------------------- "query this entity"
  function entityQuery(iri) {
    return 'SELECT ?claim ?subject ?predicate ?object ?paraphrase WHERE {\n' +
      '  ?claim a ldno:Claim ; rdf:subject ?subject ; rdf:predicate ?predicate ; rdf:object ?object .\n' +
      '  FILTER(?subject = <' + iri + '> || ?object = <' + iri + '>)\n' +
      '  OPTIONAL { ?claim ldno:paraphrase ?paraphrase }\n' +
      '}\nORDER BY ?claim\n';
  }
  function queryEntity(iri) {
    pickQuery('');
    $('ldnkg-q-text').value = entityQuery(iri);
    $('ldnkg-sparql').open = true;
    return runForm().then(function (r) { if (r && r.ok) { highlight(r); } return r; });
  }
  // Once the graph is drawn: results link to it (a result shown before is shown again, linked).
  function attach() {
    if (L) { return; }
    L = window.ldnkg;
    net = window.network;
    L.hooks.node.push(function (id, panel) {
      var b = el('button', 'Query this entity (its claims and neighbours)', 'ldnkg-query-entity');
      b.type = 'button';
      b.addEventListener('click', function () { queryEntity(id); });
      panel.appendChild(b);
    });
    if (last) { show(last); }
  }

  // window.ldnkg exists before the graph is drawn only to carry the console (explorer.js adds the rest)
  window.ldnkg = window.ldnkg || {};
  window.ldnkg.sparql = {
    run: run, runText: runText, runForm: runForm, cancel: cancel, pick: pickQuery, show: show,
    highlight: highlight, resultShape: resultShape, queryEntity: queryEntity, bind: bindParams,
    withPrefixes: withPrefixes, queries: P.queries, engine: engine, attach: attach,
    ready: function () { return booted.then(function () { return engine.ready; }); }
  };
})();
