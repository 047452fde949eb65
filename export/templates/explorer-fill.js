// ldnkg explorer: puts the graph into vis's network, which PyVis's script created empty (and whose
// redraw it blocked), from one JSON element, a slice of about SLICE_MS at a time, yielding to the
// page between slices: on a big graph building vis's nodes and edges takes seconds, and the console's
// answer and the side panel no longer wait for it. The graph is drawn once, complete; then the
// scripts that need it run (ldnkgAfterDraw, explorer-frame.js).
//
// The slices go in as vis's own setData puts a whole data set in (its handlers' add(ids, true)),
// with the handlers' data-set listeners off meanwhile: through the listeners every slice would
// also make vis rebuild its indexes over everything already in (at 50k triples that made the
// filling 15 times slower). The indexes are built once, at the end, as setData does.
(function () {
  'use strict';
  var SLICE_MS = 100;
  var net = window.network;
  var G = JSON.parse(document.getElementById('ldnkg-graph').textContent);
  var parts = [[window.nodes, net.nodesHandler, net.nodesHandler.nodesListeners, G.nodes],
    [window.edges, net.edgesHandler, net.edgesHandler.edgesListeners, G.edges]];  // nodes first
  function listen(on) {
    parts.forEach(function (p) {
      Object.keys(p[2]).forEach(function (event) { p[0][on ? 'on' : 'off'](event, p[2][event]); });
    });
  }
  var at = 0;
  var part = 0;
  // a graph of up to SMALL items (10k triples: 7.5k) goes in at once, as PyVis's script put it
  // (fastest to draw; a slice in between would let the rest of the page be read first); a bigger
  // one from 2000 items, then slices sized from the last one's speed
  var SMALL = 10000;
  var size = G.nodes.length + G.edges.length <= SMALL ? SMALL : 2000;
  function slice() {
    var t0 = performance.now();
    var left = size;
    while (left > 0 && part < parts.length) {
      var p = parts[part];
      var n = Math.min(left, p[3].length - at);
      if (n > 0) { p[1].add(p[0].add(at === 0 && n === p[3].length ? p[3] : p[3].slice(at, at + n)), true); }
      at += n;
      left -= n;
      if (at >= p[3].length) { part += 1; at = 0; }
    }
    if (part < parts.length) {
      var ms = Math.max(performance.now() - t0, 1);
      size = Math.round(Math.min(size * 4, Math.max(size / 4, 500, size * SLICE_MS / ms)));
      setTimeout(slice, 0);
      return;
    }
    listen(true);
    net.body.emitter.emit('_dataChanged');
    net.body.emitter.emit('_dataLoaded');
    // vis fitted the view to the empty network: fit it to the graph, as it would have, and draw;
    // the scripts that wait for the graph run after that first frame (it is on screen sooner)
    net.fit({ animation: false });
    net.body.emitter.emit('_allowRedraw');
    net.body.emitter.emit('_requestRedraw');
    window.requestAnimationFrame(function () { setTimeout(window.ldnkgDrawn, 0); });
  }
  listen(false);
  slice();
})();
