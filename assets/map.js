// The map tells the server three things plotly does not: its pixel size and whether the page is
// presenting to a room (labels are placed in pixels for the text drawn, the view fills the frame, and
// the server draws everything at the presentation scale), the extent after a pan or wheel-zoom (part of
// the link), and where a click landed, in lon/lat, anywhere on the map (a pan that ends on a mark is not
// a click).
(function () {
  "use strict";
  var MOVE_PX = 5;          // a press that moves further than this is a pan, not a click

  function setProps(id, props) {
    if (window.dash_clientside && window.dash_clientside.set_props) {  // stores have no DOM node to look for
      window.dash_clientside.set_props(id, props);
    }
  }

  function round(v, d) { var f = Math.pow(10, d); return Math.round(v * f) / f; }

  function subplot(gd) {
    return gd && gd._fullLayout && gd._fullLayout.geo && gd._fullLayout.geo._subplot;
  }

  // metres per screen pixel at a point: the ground distance between two pixels one apart
  function metresPerPixel(proj, x, y) {
    var a = proj.invert([x, y]), b = proj.invert([x + 1, y]);
    if (!a || !b) { return 1000; }
    var lat = a[1] * Math.PI / 180;
    return Math.abs(b[0] - a[0]) * 111320 * Math.cos(lat);
  }

  function extentOf(gd) {
    var sub = subplot(gd);
    if (!sub || !sub.projection || !sub.projection.invert) { return null; }
    // the geo frame, not the whole graph: the legend may sit in a right margin beside it
    var fs = gd._fullLayout._size, x0 = fs.l, y0 = fs.t, x1 = fs.l + fs.w, y1 = fs.t + fs.h;
    var nw = sub.projection.invert([x0, y0]), se = sub.projection.invert([x1, y1]);
    if (!nw || !se) { return null; }
    return [round(nw[0], 2), round(se[1], 2), round(se[0], 2), round(nw[1], 2)].join(",");
  }

  function presenting() {
    var body = document.getElementById("page-body");
    return body && body.classList.contains("presenting") ? 1 : 0;
  }

  // [w, h, presenting]: callbacks/map.py map_size / map_scale
  function reportSize(gd) {
    var w = Math.round(gd.clientWidth), h = Math.round(gd.clientHeight), p = presenting();
    if (w > 50 && h > 50 && (gd._planmapSize || "") !== w + "x" + h + "x" + p) {
      gd._planmapSize = w + "x" + h + "x" + p;
      setProps("map-size", {data: [w, h, p]});
    }
  }

  // entering or leaving presentation (button, F / Esc, ?present=1): report again even when the map's
  // size happens not to change; after a frame, so the size read is the new layout's
  function watchPresenting() {
    var body = document.getElementById("page-body");  // rendered by Dash after this script runs
    if (!body || body._planmapWatched || !window.MutationObserver) { return; }
    body._planmapWatched = true;
    new MutationObserver(function () {
      setTimeout(function () {
        var gd = document.querySelector("#map .js-plotly-plot");
        if (gd && gd._planmapBound && gd._planmapSize) { reportSize(gd); }
      }, 50);
    }).observe(body, {attributes: true, attributeFilter: ["class"]});
  }

  function bind(gd) {
    if (gd._planmapBound) { return; }
    gd._planmapBound = true;
    // the renderer drops props set while it is still wiring the new page: report once it has settled
    setTimeout(function () { gd._planmapSize = ""; reportSize(gd); }, 1200);
    if (window.ResizeObserver) {
      new ResizeObserver(function () { if (gd._planmapSize) { reportSize(gd); } }).observe(gd);
    }
    gd.on("plotly_relayout", function (ev) {
      // only the user's own pan / zoom moves the projection; our patches set ranges
      var keys = Object.keys(ev || {});
      if (!keys.some(function (k) { return k.indexOf("geo.center") === 0 || k.indexOf("geo.projection") === 0; })) {
        return;
      }
      // once the wheel or drag has stopped; the recent extents let the server tell a pan it already
      // follows from a view the user opened
      clearTimeout(gd._planmapPan);
      gd._planmapPan = setTimeout(function () {
        var extent = extentOf(gd);
        if (!extent) { return; }
        gd._planmapRecent = (gd._planmapRecent || []).concat([extent]).slice(-12);
        setProps("map-extent", {data: {extent: extent, recent: gd._planmapRecent}});
      }, 400);
    });
    var down = null;
    gd.addEventListener("mousedown", function (e) { down = [e.clientX, e.clientY]; }, true);
    gd.addEventListener("click", function (e) {
      if (!down || Math.hypot(e.clientX - down[0], e.clientY - down[1]) > MOVE_PX) { down = null; return; }
      down = null;
      if (e.target.closest && e.target.closest(".modebar, .legend, .infolayer .legend")) { return; }
      var sub = subplot(gd);
      if (!sub || !sub.projection || !sub.projection.invert) { return; }
      var r = gd.getBoundingClientRect();
      var x = e.clientX - r.left, y = e.clientY - r.top;
      var ll = sub.projection.invert([x, y]);
      if (!ll || !isFinite(ll[0]) || !isFinite(ll[1])) { return; }
      setProps("map-click", {data: {lon: round(ll[0], 5), lat: round(ll[1], 5),
                                    px_m: round(metresPerPixel(sub.projection, x, y), 1), t: Date.now()}});
    }, true);
  }

  // the page body is re-rendered from the link (Back/Forward, a saved view): bind each new map once
  setInterval(function () {
    var gd = document.querySelector("#map .js-plotly-plot");
    if (gd && gd.on && subplot(gd)) { watchPresenting(); bind(gd); }
  }, 300);
})();
