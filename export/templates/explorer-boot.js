// ldnkg explorer: starts the SPARQL engine's worker as soon as the page's data is parsed, before the
// graph is drawn (drawing holds the main thread for seconds on a big graph). The worker decodes,
// compiles and loads everything itself; the console (explorer-sparql.js) takes the worker over later
// and replays what it said meanwhile. take() hands out this first worker once, then fresh ones.
(function () {
  'use strict';
  var $ = function (id) { return document.getElementById(id); };
  function start() {
    var url = URL.createObjectURL(new Blob([$('ldnkg-worker').textContent], { type: 'text/javascript' }));
    var worker = new Worker(url);
    var early = [];
    worker.onmessage = function (ev) { early.push(ev); };
    worker.onerror = function (ev) { ev.preventDefault(); early.push(ev); };
    worker.postMessage({ type: 'init', wasm64: $('ldnkg-oxigraph-wasm').textContent,
      js64: $('ldnkg-oxigraph-js').textContent, data64: $('ldnkg-nquads').textContent });
    return { worker: worker, url: url, early: early };
  }
  var first = null;
  try { first = start(); } catch (err) { first = null; }  // the console reports it when it starts one
  window.ldnkgEngine = {
    take: function () { var f = first; first = null; return f || start(); }
  };
})();
