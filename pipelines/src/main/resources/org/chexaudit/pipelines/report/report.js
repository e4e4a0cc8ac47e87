// Renders every chart of the report from its JSON option (script.chart-option), offline, with ECharts.
(function () {
  function fmt(v) { return typeof v === 'number' ? v.toFixed(3) : String(v); }
  var helpers = {
    // hover text: series, value, its 95% interval when there is one, and the point's extra line
    ciTooltip: function (p) {
      var d = p.data || {};
      var v = d.value || p.value;
      var s = p.marker + p.seriesName + (p.name ? ' · ' + p.name : '') + '<br>' + fmt(v[1]);
      if (d.lo !== undefined) { s += ' [' + fmt(d.lo) + ', ' + fmt(d.hi) + ']'; }
      if (d.extra) { s += '<br>' + d.extra; }
      return s;
    },
    // a vertical interval with caps at [x, lo, hi], shifted by [3] pixels like its points
    errorBar: function (params, api) {
      var x = api.value(0);
      var dx = api.value(3) || 0;
      var lo = api.coord([x, api.value(1)]);
      var hi = api.coord([x, api.value(2)]);
      lo[0] += dx;
      hi[0] += dx;
      var style = { stroke: api.visual('color'), lineWidth: 1.5, fill: null };
      return { type: 'group', children: [
        { type: 'line', shape: { x1: lo[0], y1: lo[1], x2: hi[0], y2: hi[1] }, style: style },
        { type: 'line', shape: { x1: lo[0] - 5, y1: lo[1], x2: lo[0] + 5, y2: lo[1] }, style: style },
        { type: 'line', shape: { x1: hi[0] - 5, y1: hi[1], x2: hi[0] + 5, y2: hi[1] }, style: style }] };
    }
  };
  function revive(o) {
    if (Array.isArray(o)) { return o.map(revive); }
    if (o && typeof o === 'object') {
      Object.keys(o).forEach(function (k) {
        var v = o[k];
        o[k] = (k === 'renderItem' || k === 'formatter') && typeof v === 'string' && helpers[v] ? helpers[v] : revive(v);
      });
    }
    return o;
  }
  var charts = [];
  document.querySelectorAll('script.chart-option').forEach(function (el) {
    var div = document.getElementById(el.getAttribute('data-for'));
    var chart = echarts.init(div, null, { renderer: 'canvas' });
    chart.setOption(revive(JSON.parse(el.textContent)));
    div.setAttribute('data-rendered', chart.getWidth() + 'x' + chart.getHeight());
    charts.push(chart);
  });
  window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });
  // a link to a table inside a closed <details> opens it
  function openTarget() {
    var el = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
    for (; el; el = el.parentElement) { if (el.tagName === 'DETAILS') { el.open = true; } }
  }
  window.addEventListener('hashchange', openTarget);
  openTarget();
  document.documentElement.setAttribute('data-charts', String(charts.length));
})();
