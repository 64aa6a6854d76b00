// Lab report: redraws the line charts interactively with uPlot (vendored, see Vendor/README.md) from the
// JSON block #lab-chart-data. Progressive: without scripts, or if anything here fails, the static PNG stays.
// Hover shows values in the legend; drag zooms, wheel zooms, shift + wheel pans, double-click resets;
// a legend click hides or shows a line; "log x" / "log y" switch scales where every value can be shown.
(function () {
  'use strict';
  var block = document.getElementById('lab-chart-data');
  if (!block || typeof uPlot === 'undefined') return;
  var charts = JSON.parse(block.textContent);
  // ScottPlot's Category10, so a variant has the same colour in the static and the interactive chart.
  var palette = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
  document.documentElement.classList.add('js');

  function significant(v) {
    if (v === null || v === undefined || !isFinite(v)) return '–';
    var a = Math.abs(v);
    if (a !== 0 && (a >= 1e6 || a < 1e-3)) return v.toExponential(2);
    return String(Number(v.toPrecision(4)));
  }

  // Axis ticks: 700M, 1.5k, 0.25 (uPlot passes null for the unlabelled ticks of a log axis).
  function compact(v) {
    if (v === null || v === undefined || !isFinite(v)) return '';
    var a = Math.abs(v), units = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
    for (var i = 0; i < units.length; i++) if (a >= units[i][0]) return String(Number((v / units[i][0]).toPrecision(3))) + units[i][1];
    if (a !== 0 && a < 1e-3) return v.toExponential(1);
    return String(Number(v.toPrecision(3)));
  }

  function duration(s) {
    if (s === null || s === undefined || !isFinite(s)) return '';
    var a = Math.abs(s), units = [[86400, 'd'], [3600, 'h'], [60, 'min'], [1, 's'], [1e-3, 'ms'], [1e-6, 'µs']];
    if (a === 0) return '0 s';
    for (var i = 0; i < units.length; i++)
      if (a >= units[i][0] || i === units.length - 1) return String(Number((s / units[i][0]).toPrecision(3))) + ' ' + units[i][1];
    return String(s);
  }

  function build(name, c, figure) {
    var tools = document.createElement('div');
    tools.className = 'chart-tools';
    var box = document.createElement('div');
    box.className = 'live-chart';
    figure.insertBefore(box, figure.firstChild);
    figure.insertBefore(tools, box);
    figure.classList.add('live');

    var state = { xlog: !!c.x.log, ylog: false, shown: c.series.map(function () { return true; }) };
    var plot = null;
    var fmtX = c.categories ? function (v) { var i = Math.round(v); return v !== null && Math.abs(v - i) < 1e-9 && c.categories[i] !== undefined ? c.categories[i] : ''; }
      : c.x.seconds ? duration : compact;

    // Lines arrive without the inner points of flat stretches (and aligned with each other's x values), so a
    // line may have no point exactly under the cursor: its value there is that of its last point before.
    function held(u, v, si, idx) {
      if (v === null || v === undefined) {
        var ys = u.data[si];
        for (var k = idx == null ? -1 : idx - 1; k >= 0; k--) if (ys[k] !== null && ys[k] !== undefined) return significant(ys[k]);
        return '–';
      }
      return significant(v);
    }

    function data() {
      var tables = c.series.map(function (s) {
        var xs = [], ys = [];
        for (var i = 0; i < s.x.length; i++) {
          if (state.xlog && !(s.x[i] > 0)) continue;
          xs.push(s.x[i]);
          ys.push(state.ylog && !(s.y[i] > 0) ? null : s.y[i]);
        }
        return [xs, ys];
      });
      return uPlot.join(tables);
    }

    function shade(u) {
      if (!c.shaded.length) return;
      var ctx = u.ctx, top = u.bbox.top, height = u.bbox.height;
      ctx.save();
      ctx.fillStyle = 'rgba(214, 39, 40, 0.12)';
      c.shaded.forEach(function (w) {
        var x0 = u.valToPos(w[0], 'x', true);
        var x1 = u.valToPos(w[1] === null ? u.scales.x.max : w[1], 'x', true);
        var left = Math.max(u.bbox.left, Math.min(x0, x1)), right = Math.min(u.bbox.left + u.bbox.width, Math.max(x0, x1));
        if (right - left < 2) right = left + 2;
        if (left < u.bbox.left + u.bbox.width) ctx.fillRect(left, top, right - left, height);
      });
      ctx.restore();
    }

    function wheel(u) {
      u.over.addEventListener('wheel', function (e) {
        e.preventDefault();
        var width = u.over.clientWidth, at = e.offsetX, lo, hi;
        var pan = e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY);
        if (pan) {
          var d = ((e.shiftKey ? e.deltaY : e.deltaX) > 0 ? 0.1 : -0.1) * width;
          lo = d; hi = width + d;
        } else {
          var f = e.deltaY < 0 ? 0.8 : 1.25;
          lo = at - at * f; hi = at + (width - at) * f;
        }
        u.setScale('x', { min: u.posToVal(lo, 'x'), max: u.posToVal(hi, 'x') });
      }, { passive: false });
    }

    function make() {
      if (plot) {
        state.shown = plot.series.slice(1).map(function (s) { return s.show; });
        plot.destroy();
      }
      var yZero = c.y.zero && !state.ylog;
      var opts = {
        width: Math.max(320, box.clientWidth - 2),
        height: 380,
        scales: {
          x: c.categories
            ? { time: false, range: function () { return [-0.5, c.categories.length - 0.5]; } }
            : { time: false, distr: state.xlog ? 3 : 1, log: 10 },
          y: state.ylog ? { distr: 3, log: 10 }
            : yZero ? { range: function (u, min, max) { var hi = max > 0 ? max * 1.05 : 1; return [Math.min(0, min), hi]; } }
            : {},
        },
        axes: [
          { label: c.x.label, values: function (u, ticks) { return ticks.map(fmtX); },
            splits: c.categories ? function () { return c.categories.map(function (_, i) { return i; }); } : undefined },
          { label: c.y.label, size: 60, values: function (u, ticks) { return ticks.map(compact); } },
        ],
        series: [{ label: c.x.label, value: function (u, v) { return v === null || v === undefined ? '–' : fmtX(v) || significant(v); } }].concat(
          c.series.map(function (s, i) {
            return {
              label: s.label, stroke: palette[i % palette.length], width: 2, spanGaps: true, show: state.shown[i],
              points: { show: !!c.categories || s.x.length < 40 },
              value: held,
            };
          })),
        cursor: { drag: { x: true, y: false, setScale: true } },
        legend: { live: true },
        hooks: { drawClear: [shade], ready: [wheel] },
      };
      plot = new uPlot(opts, data(), box);
      figure.__labPlot = plot;
    }

    function button(text, title, onClick) {
      var b = document.createElement('button');
      b.type = 'button';
      b.textContent = text;
      b.title = title;
      b.addEventListener('click', onClick);
      tools.appendChild(b);
      return b;
    }

    function toggle(text, checked, onChange) {
      var label = document.createElement('label');
      var input = document.createElement('input');
      input.type = 'checkbox';
      input.checked = checked;
      input.addEventListener('change', function () { onChange(input.checked); make(); });
      label.appendChild(input);
      label.appendChild(document.createTextNode(' ' + text));
      tools.appendChild(label);
    }

    button('Reset zoom', 'Show the whole chart again (double-click does the same)', make);
    if (c.x.canLog && !c.categories) toggle('log x', state.xlog, function (v) { state.xlog = v; });
    if (c.y.canLog) toggle('log y', state.ylog, function (v) { state.ylog = v; });
    var still = button('Static image', 'Show the static chart (as in charts/' + name + '.png · .svg)', function () {
      var on = figure.classList.toggle('show-static');
      still.textContent = on ? 'Interactive chart' : 'Static image';
      if (!on) make();
    });
    make();
  }

  var figures = document.querySelectorAll('figure[data-chart]');
  for (var i = 0; i < figures.length; i++) {
    var name = figures[i].getAttribute('data-chart');
    if (!charts[name]) continue;
    try {
      build(name, charts[name], figures[i]);
    } catch (e) {
      // This chart stays static; the error still reaches the console (and the browser tests).
      var f = figures[i];
      f.classList.remove('live');
      Array.prototype.slice.call(f.querySelectorAll('.chart-tools, .live-chart')).forEach(function (n) { n.remove(); });
      setTimeout(function () { throw e; }, 0);
    }
  }

  var resizing = null;
  window.addEventListener('resize', function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () {
      for (var j = 0; j < figures.length; j++) {
        var p = figures[j].__labPlot, box = figures[j].querySelector('.live-chart');
        if (p && box) p.setSize({ width: Math.max(320, box.clientWidth - 2), height: 380 });
      }
    }, 100);
  });
})();
