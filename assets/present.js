// Presentation for a room. The main map's marks, labels, size key and legend are drawn larger by the
// server (MapOptions.scale: assets/map.js reports that the page is presenting with the map's size), so
// the labels are placed for the text the room sees. Here only what the server cannot know: the
// comparison maps fitted to the screen's height, and the fullscreen button.
// Idempotent: for each comparison map we remember the height we set and the server's it replaced, so a
// redraw, a patch or leaving never fits twice and leaving restores the server's height.
(function () {
  var memos = {};

  function presenting() {
    var body = document.getElementById("page-body");
    return !!body && body.classList.contains("presenting");
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
    if (window.Plotly) fitCompare(presenting());
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
