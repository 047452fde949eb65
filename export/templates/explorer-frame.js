// ldnkg explorer: the evidence key docked above the canvas, filled and measured before PyVis's
// script draws the graph, so that the first drawing already has the canvas's final size (a
// resize clears the canvas: drawing a big graph again cost as much as the first time).
// Also the queue of the scripts that need the graph: vis's network starts empty and
// explorer-fill.js adds the graph a slice at a time while the rest of the page is read;
// ldnkgAfterDraw(fn) runs fn once the graph is drawn and the page read (at once if they are), in
// the order asked.
(function () {
  'use strict';
  var waiting = [];
  var drawn = false;
  function run() {
    if (!drawn || document.readyState === 'loading' || waiting === null) { return; }
    var queued = waiting;
    waiting = null;
    queued.forEach(function (fn) { fn(); });
  }
  window.ldnkgAfterDraw = function (fn) { if (waiting === null) { fn(); } else { waiting.push(fn); } };
  window.ldnkgDrawn = function () { drawn = true; run(); };
  document.addEventListener('DOMContentLoaded', run);
})();
(function () {
  'use strict';
  var K = JSON.parse(document.getElementById('ldnkg-key-data').textContent);
  var $ = function (id) { return document.getElementById(id); };
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function dashStyle(d) { return d === false ? 'solid' : (d.length > 2 ? 'dashed' : (d[0] < 5 ? 'dotted' : 'dashed')); }
  var levels = $('ldnkg-key-levels');
  K.levels.forEach(function (l) {
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
  K.standings.forEach(function (s) {
    if (s[0] === 'asserted') { return; }
    var item = el('span', null, 'ldnkg-key-item');
    item.dataset.standing = s[0];
    var line = el('span', null, 'ldnkg-swatch-line');
    line.style.borderTopStyle = dashStyle(s[1]);
    line.style.borderTopColor = s[0] === 'negated' ? K.negated_colour : '#555';
    item.appendChild(line);
    item.appendChild(el('span', s[0] === 'negated' ? s[2] + ' ⊣' : s[2]));
    standings.appendChild(item);
  });
  document.documentElement.style.setProperty('--key-h', $('ldnkg-key').scrollHeight + 'px');
})();
