// ldnkg explorer: the SPARQL engine (Oxigraph, WebAssembly) in a classic Web Worker made from a
// blob, so that a long query is cancelled by terminating the worker. Module workers cannot be
// created from blob URLs on file:// pages; a classic worker can import() a blob module.
// Messages in:  {type: 'init', wasm64, js64, data64} (the page's embedded base64, decoded and
//               compiled here, off the main thread) or {type: 'init', js, module, data};
//               then {type: 'query', id, text, form, union}.
// A named query (union) reads every graph; other text reads only what may be read as fact: every
// graph but graph:observations and graph:hypotheses, as `ldnkg query` and the endpoint do.
// Messages out: {type: 'ready', size, ms} | {type: 'failed', message}
//               {type: 'result', id, kind, head, bindings, boolean, triples, ms} | {type: 'error', id, message}
'use strict';
var ox = null;
var store = null;
var XSD_STRING = 'http://www.w3.org/2001/XMLSchema#string';
var NOT_FACTS = ['https://w3id.org/ldnkg/graph/observations', 'https://w3id.org/ldnkg/graph/hypotheses'];
var facts = null;

function message(err) {
  if (err && typeof err === 'object' && 'message' in err) { return String(err.message); }
  return String(err);
}

function term(t) {
  if (!t) { return null; }
  if (t.termType === 'NamedNode') { return { type: 'uri', value: t.value }; }
  if (t.termType === 'BlankNode') { return { type: 'bnode', value: t.value }; }
  if (t.termType === 'Literal') {
    var out = { type: 'literal', value: t.value };
    if (t.language) { out['xml:lang'] = t.language; }
    else if (t.datatype && t.datatype.value !== XSD_STRING) { out.datatype = t.datatype.value; }
    return out;
  }
  return { type: 'triple', value: String(t) };
}

function bytesOf(b64) {
  var bin = atob(b64.trim());
  var out = new Uint8Array(bin.length);
  for (var i = 0; i < bin.length; i++) { out[i] = bin.charCodeAt(i); }
  return out;
}
function gunzip(b64) {
  var stream = new Blob([bytesOf(b64)]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).arrayBuffer();
}

async function init(m) {
  var t0 = performance.now();
  try {
    var module = m.module, js = m.js, data = m.data;
    if (m.wasm64 !== undefined) {
      var wasm = gunzip(m.wasm64);  // the three decode at once
      var text = gunzip(m.data64);
      js = new TextDecoder().decode(bytesOf(m.js64));
      module = await WebAssembly.compile(await wasm);
      data = new TextDecoder().decode(await text);
    }
    var url = URL.createObjectURL(new Blob([js], { type: 'text/javascript' }));
    ox = await import(url);
    URL.revokeObjectURL(url);
    await ox.default({ module_or_path: module });
    store = new ox.Store();
    store.load(data, { format: 'application/n-quads' });
    var names = {};
    store.match(null, null, null, null).forEach(function (q) {
      if (q.graph.termType === 'NamedNode') { names[q.graph.value] = true; }
    });
    var all = Object.keys(names).sort();
    if (all.some(function (n) { return NOT_FACTS.indexOf(n) >= 0; })) {
      facts = [ox.defaultGraph()].concat(all.filter(function (n) { return NOT_FACTS.indexOf(n) < 0; })
        .map(function (n) { return ox.namedNode(n); }));
    }
    self.postMessage({ type: 'ready', size: store.size, ms: performance.now() - t0 });
  } catch (err) {
    self.postMessage({ type: 'failed', message: message(err) });
  }
}

function query(m) {
  var t0 = performance.now();
  try {
    var out = { type: 'result', id: m.id };
    var options = (m.union || !facts) ? { use_default_graph_as_union: true } : { default_graph: facts };
    if (m.form === 'CONSTRUCT' || m.form === 'DESCRIBE') {
      var quads = store.query(m.text, options);
      out.kind = 'graph';
      out.triples = quads.map(function (q) { return [term(q.subject), term(q.predicate), term(q.object)]; });
    } else {
      var json = JSON.parse(store.query(m.text, Object.assign({ results_format: 'json' }, options)));
      if ('boolean' in json) { out.kind = 'ask'; out.boolean = json.boolean; }
      else {
        out.kind = 'select';
        out.head = json.head.vars || [];
        out.bindings = json.results.bindings.map(function (b) {
          Object.keys(b).forEach(function (k) {
            if (b[k].type === 'literal' && b[k].datatype === XSD_STRING) { delete b[k].datatype; }
          });
          return b;
        });
      }
    }
    out.ms = performance.now() - t0;
    self.postMessage(out);
  } catch (err) {
    self.postMessage({ type: 'error', id: m.id, message: message(err) });
  }
}

self.onmessage = function (ev) {
  var m = ev.data;
  if (m.type === 'init') { init(m); } else if (m.type === 'query') { query(m); }
};
