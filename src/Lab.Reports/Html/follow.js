// Lab report: "follow one trade". Steps through one item's life in every variant side by side, on one time axis
// (logarithmic in the time since its first step, so seconds on chain and days under T+1 both show), from the JSON
// block #lab-follow-data. Arrow keys (or the buttons) step; the picker chooses another item. Progressive: without
// scripts, the table of the default pick stays as it is.
(function () {
  'use strict';
  var block = document.getElementById('lab-follow-data');
  var root = document.getElementById('follow');
  if (!block || !root) return;
  var data = JSON.parse(block.textContent);
  if (!data.journeys || data.journeys.length === 0) return;
  document.documentElement.classList.add('js');
  // ScottPlot's Category10, as the charts: a variant has the same colour everywhere in the report.
  var palette = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
  var pick = 0, cursor = 0, steps = [];

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function duration(s) {
    var a = Math.abs(s), units = [[86400, 'd'], [3600, 'h'], [60, 'min'], [1, 's'], [1e-3, 'ms']];
    if (a === 0) return '0 s';
    for (var i = 0; i < units.length; i++)
      if (a >= units[i][0] || i === units.length - 1) return String(Number((s / units[i][0]).toPrecision(3))) + ' ' + units[i][1];
    return String(s);
  }

  // Every step of every lane, in time order (lane order breaks ties).
  function merged(j) {
    var out = [];
    j.lanes.forEach(function (lane, li) { lane.steps.forEach(function (s, si) { out.push({ lane: li, step: s, index: si }); }); });
    out.sort(function (a, b) { return a.step.t - b.step.t || a.lane - b.lane || a.index - b.index; });
    return out;
  }

  var tools = el('div', 'follow-tools');
  var select = el('select');
  select.setAttribute('aria-label', 'Pick a ' + data.noun);
  data.journeys.forEach(function (j, i) { var o = el('option', '', j.title); o.value = String(i); select.appendChild(o); });
  var prev = el('button', '', '← previous step'), next = el('button', '', 'next step →');
  prev.type = next.type = 'button';
  tools.appendChild(select); tools.appendChild(prev); tools.appendChild(next);
  var note = el('p', 'follow-note');
  var now = el('p', 'follow-now');
  now.setAttribute('aria-live', 'polite');
  var lanes = el('div', 'follow-lanes');
  var who = el('div', 'follow-who');
  var table = root.querySelector('table.follow-steps');
  root.insertBefore(tools, table.parentNode);
  root.insertBefore(note, table.parentNode);
  root.insertBefore(lanes, table.parentNode);
  root.insertBefore(now, table.parentNode);
  root.insertBefore(who, table.parentNode);

  function render() {
    var j = data.journeys[pick];
    var t0 = steps.length ? steps[0].step.t : 0, span = Math.max(1, steps.length ? steps[steps.length - 1].step.t - t0 : 1);
    var x = function (t) { var e = Math.max(0, t - t0); return 100 * Math.log(1 + e) / Math.log(1 + span); };
    note.textContent = j.note;
    note.style.display = j.note ? '' : 'none';

    lanes.textContent = '';
    j.lanes.forEach(function (lane, li) {
      var row = el('div', 'follow-lane');
      var label = el('span', 'follow-label', lane.variant);
      label.style.color = palette[li % palette.length];
      var track = el('div', 'follow-track');
      steps.forEach(function (m, k) {
        if (m.lane !== li) return;
        var dot = el('span', 'follow-dot' + (k < cursor ? ' done' : k === cursor ? ' now' : ''));
        dot.style.left = x(m.step.t) + '%';
        dot.style.borderColor = palette[li % palette.length];
        if (k <= cursor) dot.style.background = palette[li % palette.length];
        dot.title = m.step.what + ' (' + m.step.local + ')';
        dot.addEventListener('click', function () { cursor = k; render(); });
        track.appendChild(dot);
      });
      row.appendChild(label); row.appendChild(track);
      lanes.appendChild(row);
    });
    var axis = el('div', 'follow-lane');
    axis.appendChild(el('span', 'follow-label', 'time since execution'));
    var ticks = el('div', 'follow-track follow-axis');
    [[0, '0'], [1, '1 s'], [60, '1 min'], [3600, '1 h'], [86400, '1 d'], [7 * 86400, '1 week']].forEach(function (tk) {
      if (tk[0] > span * 1.05) return;
      var t = el('span', 'follow-tick', tk[1]);
      t.style.left = x(t0 + tk[0]) + '%';
      ticks.appendChild(t);
    });
    axis.appendChild(ticks);
    lanes.appendChild(axis);

    var cur = steps[cursor];
    now.textContent = '';
    if (cur) {
      var lane = j.lanes[cur.lane];
      var head = el('strong', '', 'Step ' + (cursor + 1) + ' of ' + steps.length + ' · ' + lane.variant + ': ');
      head.style.color = palette[cur.lane % palette.length];
      now.appendChild(head);
      now.appendChild(document.createTextNode(cur.step.what));
      now.appendChild(el('span', 'follow-when', (cur.step.local ? cur.step.local + ' · ' : '') + '+' + duration(cur.step.t - t0) + ' after execution'));
    }
    who.textContent = '';
    data.institutions.forEach(function (name) {
      var acting = cur && cur.step.who.indexOf(name) >= 0;
      who.appendChild(el('span', 'follow-chip' + (acting ? ' acting' : ''), name));
    });

    var body = table.tBodies[0];
    body.textContent = '';
    steps.forEach(function (m, k) {
      var tr = el('tr', k === cursor ? 'now' : '');
      tr.appendChild(el('td', '', m.step.local || '—'));
      tr.appendChild(el('td', '', '+' + duration(m.step.t - t0)));
      var v = el('td', '', j.lanes[m.lane].variant);
      v.style.color = palette[m.lane % palette.length];
      tr.appendChild(v);
      tr.appendChild(el('td', '', m.step.what));
      tr.appendChild(el('td', '', m.step.who.join(', ')));
      tr.addEventListener('click', function () { cursor = k; render(); });
      body.appendChild(tr);
    });
    prev.disabled = cursor <= 0;
    next.disabled = cursor >= steps.length - 1;
  }

  function choose(i) { pick = i; steps = merged(data.journeys[pick]); cursor = 0; render(); }
  function step(d) { cursor = Math.max(0, Math.min(steps.length - 1, cursor + d)); render(); }

  select.addEventListener('change', function () { choose(Number(select.value)); });
  prev.addEventListener('click', function () { step(-1); });
  next.addEventListener('click', function () { step(1); });
  document.addEventListener('keydown', function (e) {
    var tag = e.target && e.target.tagName;
    if (tag === 'SELECT' || tag === 'INPUT' || tag === 'TEXTAREA' || e.altKey || e.ctrlKey || e.metaKey) return;
    var box = root.getBoundingClientRect(); // only while the section is on screen: elsewhere the arrows scroll
    if (box.bottom < 0 || box.top > window.innerHeight) return;
    if (e.key === 'ArrowRight') { step(1); e.preventDefault(); }
    else if (e.key === 'ArrowLeft') { step(-1); e.preventDefault(); }
  });
  choose(0);
})();
