// Presentation for a room: marks, labels and legend scaled up and the comparison maps fitted to the
// screen, by Plotly.restyle / relayout. Not CSS: Plotly places each mark with an SVG transform, so a CSS
// scale would move the marks, and the legend's box is laid out from its font size.
// Idempotent: for each scaled value we remember what we set and the server's value it came from (by
// graph, trace and attribute: Plotly copies its objects, so nothing can be kept on them); a value that
// differs from what we set is new from the server. So a redraw, a patch or leaving never scales twice.
(function () {
  var MARKS = 1.5, TEXT = 1.4, LEGEND = 1.6;
  var memos = {};

  function presenting() {
    var body = document.getElementById("page-body");
    return !!body && body.classList.contains("presenting");
  }
  function times(v, k) {
    if (Array.isArray(v)) return v.map(function (x) { return times(x, k); });
    return typeof v === "number" ? Math.round(v * k * 10) / 10 : v;
  }
  function same(a, b) {
    if (Array.isArray(a) && Array.isArray(b)) {
      if (a.length !== b.length) return false;
      for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
      return true;
    }
    return a === b;
  }
  // the value `current` (remembered as `key`) should have at factor k, or undefined when it has it already
  function target(key, current, k) {
    if (current === undefined || current === null) return undefined;
    var memo = memos[key];
    var ours = memo && same(memo.set, current);
    if (ours && memo.k === k) return undefined;
    var base = ours ? memo.base : current;
    var want = k === 1 ? base : times(base, k);
    memos[key] = {base: base, set: want, k: k};
    return want;
  }
  function restyle(gd, outer, inner, k) {
    var values = [], traces = [];
    (gd.data || []).forEach(function (tr, i) {
      var holder = tr[outer];
      if (!holder || typeof holder !== "object") return;
      var want = target("map|" + i + "|" + outer + "." + inner, holder[inner], k);
      if (want !== undefined) { values.push(want); traces.push(i); }
    });
    if (traces.length) {
      var update = {};
      update[outer + "." + inner] = values;
      window.Plotly.restyle(gd, update, traces);
    }
  }
  function scaleMap(gd, on) {
    restyle(gd, "marker", "size", on ? MARKS : 1);
    restyle(gd, "textfont", "size", on ? TEXT : 1);
    var legend = gd.layout && gd.layout.legend;
    if (legend) {
      var current = (legend.font && legend.font.size) || 11;
      var size = target("map|legend", current, on ? legendFactor(gd, current) : 1);
      if (size !== undefined) window.Plotly.relayout(gd, {"legend.font.size": size});
    }
  }
  // the room's factor, or less when the key would then outgrow the map (never below the laptop's size):
  // the key's height grows with its font, so its height now tells its height at any size, in one step
  function legendFactor(gd, current) {
    var box = gd.querySelector(".legend"), memo = memos["map|legend"];
    var base = memo && same(memo.set, current) ? memo.base : current;
    if (!box || !gd._fullLayout || !base) return LEGEND;
    var perPx = box.getBoundingClientRect().height / current, room = gd._fullLayout.height - 8;
    var k = Math.floor(room / (perPx * base) * 20) / 20;
    return Math.max(1, Math.min(LEGEND, k));
  }
  function fitCompare(on) {
    document.querySelectorAll("#compare .compare-map").forEach(function (box, i) {
      var gd = box.querySelector(".js-plotly-plot");
      if (!gd || !gd.layout) return;
      var key = "compare|" + i + "|height", memo = memos[key];
      var base = memo && memo.set === gd.layout.height ? memo.base : gd.layout.height;
      var want = on ? Math.max(200, Math.floor(box.clientHeight)) : base;
      memos[key] = {base: base, set: want};
      if (want && Math.abs((gd.layout.height || 0) - want) > 3) window.Plotly.relayout(gd, {height: want});
    });
  }
  function sync() {
    if (!window.Plotly) return;
    var on = presenting();
    var gd = document.querySelector("#map .js-plotly-plot");
    if (gd && gd.data) {
      if (!gd._planmapHooked && gd.on) {  // every redraw (a patch from the server) is scaled again
        gd._planmapHooked = true;
        gd.on("plotly_afterplot", function () { setTimeout(sync, 0); });
      }
      scaleMap(gd, on);
    }
    fitCompare(on);
  }
  window.planmapPresent = {sync: sync};
  window.addEventListener("resize", function () { setTimeout(sync, 100); });
  document.addEventListener("fullscreenchange", function () { setTimeout(sync, 100); });

  // the fullscreen button: the browser's Fullscreen API needs the click itself, so no Dash round trip
  document.addEventListener("click", function (e) {
    var button = e.target instanceof Element && e.target.closest("#present-fullscreen");
    if (!button) return;
    if (document.fullscreenElement) {
      document.exitFullscreen();
    } else if (document.documentElement.requestFullscreen) {
      document.documentElement.requestFullscreen().catch(function () {});
    }
  });
})();
