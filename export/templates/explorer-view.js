// ldnkg explorer: the frame around the graph — the evidence key docked above the canvas (filled by
// explorer-frame.js), the console drawer (closed, resizable) below it, the first view fitted into
// the free canvas and kept fitted when the page (or a notebook's iframe) is resized until the user
// moves the view.
(function () {
  'use strict';
  var L = window.ldnkg;
  var D = L.data;
  var el = L.el;
  var net = window.network;
  var root = document.documentElement;
  var $ = function (id) { return document.getElementById(id); };

  var moved = false;
  // The first view fits the map (drug, roles, mechanisms, conditions) into the free canvas; the
  // small nodes (studies, outcomes, people…) lie below it. Small graphs are fitted whole.
  var mapIds = window.nodes.getIds({ filter: function (n) { return !!n.map; } });
  var fitIds = mapIds.length >= 12 && window.nodes.length > 120 ? mapIds : null;
  function fitAll() { net.fit(fitIds ? { nodes: fitIds, animation: false } : { animation: false }); }
  L.fitIds = fitIds;
  function layoutFrame() {
    root.style.setProperty('--key-h', $('ldnkg-key').scrollHeight + 'px');
    var drawer = $('ldnkg-sparql');
    root.style.setProperty('--drawer-h', drawer ? drawer.offsetHeight + 'px' : '0px');
  }
  function refit() {
    layoutFrame();
    net.setSize('100%', '100%');
    if (!moved) { fitAll(); }
    net.redraw();
  }
  net.on('dragEnd', function (p) { if (!p.nodes.length) { moved = true; } });
  net.on('zoom', function () { moved = true; arrowsForZoom(); });
  // A big graph starts without arrowheads (specks at that zoom, and slow to fill); they are
  // switched on once zoomed in far enough to see them.
  var arrowsOn = net.edgesHandler.options.arrows.to.enabled;
  function arrowsForZoom() {
    if (!arrowsOn && net.getScale() >= 0.5) {
      arrowsOn = true;
      net.setOptions({ edges: { arrows: { to: { enabled: true, scaleFactor: 0.5 } } } });
    }
  }
  L.arrowsOn = function () { return arrowsOn; };
  if (window.ResizeObserver) {
    var pending = false;
    var seen = document.body.clientWidth + 'x' + document.body.clientHeight;
    new ResizeObserver(function () {
      // the first call only reports the size the page already has
      var size = document.body.clientWidth + 'x' + document.body.clientHeight;
      if (pending || size === seen) { return; }
      seen = size;
      pending = true;
      window.requestAnimationFrame(function () { pending = false; refit(); });
    }).observe(document.body);
  }

  // The console drawer: its summary is a bar under the canvas; open, it takes the height the user
  // drags its grip to, and the canvas shrinks (it never covers the graph).
  (function drawer() {
    var d = $('ldnkg-sparql');
    if (!d) { return; }
    var body = d.querySelector('.ldnkg-sparql-body');
    var grip = el('div', null, '');
    grip.id = 'ldnkg-drawer-grip';
    grip.title = 'drag to resize the console';
    d.insertBefore(grip, d.firstChild.nextSibling);
    d.addEventListener('toggle', function () { refit(); });
    var startY = 0; var startH = 0;
    function onMove(ev) {
      var h = Math.max(80, Math.min(window.innerHeight * 0.8, startH + startY - ev.clientY));
      root.style.setProperty('--drawer-body', h + 'px');
      layoutFrame();
    }
    function onUp() {
      document.removeEventListener('pointermove', onMove);
      document.removeEventListener('pointerup', onUp);
      refit();
    }
    grip.addEventListener('pointerdown', function (ev) {
      ev.preventDefault();
      startY = ev.clientY; startH = body.offsetHeight;
      document.addEventListener('pointermove', onMove);
      document.addEventListener('pointerup', onUp);
    });
    L.resizeDrawer = function (h) { root.style.setProperty('--drawer-body', h + 'px'); refit(); };
  })();

  function intro() {
    var p = L.detailsPanel();
    var roles = D.roles.map(function (r) { return r[1]; });
    p.appendChild(el('h2', 'How to read this map'));
    p.appendChild(el('p', (roles.length ? 'Left to right: the drug, its ' + roles.length + ' roles (' +
      roles.join('; ') + '), the mechanisms each acts through and the conditions each reaches. ' : '') +
      'Line colour and thickness show the evidence behind a relation (key above the graph); dashes mark ' +
      'observations from practice and hypotheses.'));
    p.appendChild(el('p', 'Click a condition for its evidence card, or any node or line for its claims. ' +
      'Scroll to zoom: smaller labels (studies, outcomes, people) appear as you zoom in.', 'ldnkg-hint'));
  }
  L.intro = intro;
  L.refit = function () { moved = false; refit(); };
  intro();
  net.on('click', function (params) {
    if (!params.nodes.length && !params.edges.length && L.state.card) {
      L.setHighlight(null, null); L.state.card = false;
    }
  });
  layoutFrame();
  // explorer-fill.js drew the whole graph into a canvas that already had its final size: fit and
  // draw again (once, in the next frame) only if that size changed or the first view is the map,
  // not the whole graph. Drawing a big graph again right after the first drawing used to double its time.
  if (net.setSize('100%', '100%') || fitIds) { fitAll(); }
  // after vis's pending drawing, if any (animation-frame callbacks run in the order asked)
  window.requestAnimationFrame(function () { L.ready = true; L.readyAt = performance.now(); });
})();
