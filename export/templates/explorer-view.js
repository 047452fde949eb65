// ldnkg explorer: the frame around the graph — the evidence key docked above the canvas, the
// console drawer (closed, resizable) below it, the first view fitted into the free canvas and
// kept fitted when the page (or a notebook's iframe) is resized until the user moves the view.
(function () {
  'use strict';
  var L = window.ldnkg;
  var D = L.data;
  var el = L.el;
  var net = window.network;
  var root = document.documentElement;
  var $ = function (id) { return document.getElementById(id); };

  function dashStyle(d) { return d === false ? 'solid' : (d.length > 2 ? 'dashed' : (d[0] < 5 ? 'dotted' : 'dashed')); }
  (function key() {
    var levels = $('ldnkg-key-levels');
    D.levels.forEach(function (l) {
      var item = el('span', null, 'ldnkg-key-item');
      item.title = l[0] + ' — ' + l[2] + (l[4] ? ' (OCEBM level ' + l[4] + ')' : '');
      item.dataset.level = String(l[0]);
      var line = el('span', null, 'ldnkg-swatch-line');
      line.style.borderTopColor = l[3];
      line.style.borderTopWidth = Math.max(2, Math.round(l[6])) + 'px';
      item.appendChild(line);
      item.appendChild(el('span', l[5]));
      levels.appendChild(item);
    });
    var standings = $('ldnkg-key-standings');
    D.standings.forEach(function (s) {
      if (s[0] === 'asserted') { return; }
      var item = el('span', null, 'ldnkg-key-item');
      item.dataset.standing = s[0];
      var line = el('span', null, 'ldnkg-swatch-line');
      line.style.borderTopStyle = dashStyle(s[1]);
      line.style.borderTopColor = s[0] === 'negated' ? D.negated_colour : '#555';
      item.appendChild(line);
      item.appendChild(el('span', s[0] === 'negated' ? s[2] + ' ⊣' : s[2]));
      standings.appendChild(item);
    });
  })();

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
    new ResizeObserver(function () {
      if (pending) { return; }
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
  net.once('afterDrawing', function () { L.ready = true; L.readyAt = performance.now(); });
  layoutFrame();
  net.setSize('100%', '100%');
  fitAll();
  net.redraw();
})();
