// Presenters' keys, only while presenting: arrows / PageUp / PageDown (clickers) step through the views,
// F and Esc leave. F enters presentation only from the page itself or the present button. No key acts
// while the focus is in a control that uses keys itself (a field, a dropdown, the table, a dialog).
// J / K (from the page itself or the map) select the next / previous element in the table's order: the
// marks are reachable without a mouse (the selection zooms the map and fills the details).
(function () {
  var CONTROLS = "input, textarea, select, [contenteditable=''], [contenteditable='true'], .ag-root, " +
                 ".Select, .dash-dropdown, [role=combobox], [role=listbox], [role=dialog]";

  function click(id) {
    var el = document.getElementById(id);
    if (el) { el.click(); return true; }
    return false;
  }

  function stepElement(by) {
    var lib = window.dash_ag_grid, api = null;
    try { api = lib && lib.getApi("grid"); } catch (err) { api = null; }
    if (!api) {  // the table is drawn when first needed (assets/lazy_table.js): draw it, then step
      if (!lib || !lib.getApiAsync || !document.getElementById("grid")) return false;
      window.dispatchEvent(new Event("planmap:want-table"));
      lib.getApiAsync("grid").then(function (ready) {  // the rows arrive just after the grid itself
        var tries = 0;
        (function whenFilled() {
          // then a moment for the grid to apply its selection prop, which would undo a step made before it
          if (ready.getDisplayedRowCount() > 0) setTimeout(function () {
            stepIn(ready, by);
            setTimeout(function () { if (!ready.getSelectedRows().length) stepIn(ready, by); }, 500);
          }, 300);
          else if (++tries < 50) setTimeout(whenFilled, 100);
        })();
      }, function () {});
      return true;
    }
    return stepIn(api, by);
  }

  function stepIn(api, by) {
    var nodes = [];
    api.forEachNodeAfterFilterAndSort(function (n) { if (n.data) nodes.push(n); });
    if (!nodes.length) return false;
    var at = nodes.findIndex(function (n) { return n.isSelected(); });
    var next = at < 0 ? (by > 0 ? 0 : nodes.length - 1) : Math.min(nodes.length - 1, Math.max(0, at + by));
    nodes[next].setSelected(true, true);   // the grid reports it: the row selects the element (callbacks/table.py)
    api.ensureNodeVisible(nodes[next], "middle");
    return true;
  }

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    var target = e.target instanceof Element ? e.target : null;
    var presenting = !!document.querySelector("#page-body.presenting");
    // Esc closes an open dialog (also when its focused button went away, e.g. undo); the focus goes back
    var dialog = (target && target.closest("[role=dialog]")) || document.querySelector("[role=dialog]:not([hidden])");
    if (e.key === "Escape" && dialog && !dialog.hidden) {
      var close = dialog.querySelector(".dialog-close");
      if (close) { e.preventDefault(); close.click(); }
      return;
    }
    if (e.key === "Tab" && dialog && !dialog.hidden) {  // aria-modal: Tab cycles inside the open dialog
      var stops = Array.prototype.filter.call(dialog.querySelectorAll("input, button, select, textarea, [tabindex]"),
        function (el) { return !el.disabled && el.tabIndex >= 0 && el.offsetParent !== null; });
      if (!stops.length) return;
      var at = stops.indexOf(document.activeElement);
      if (at === -1 || (!e.shiftKey && at === stops.length - 1) || (e.shiftKey && at === 0)) {
        e.preventDefault();
        stops[e.shiftKey ? stops.length - 1 : 0].focus();
      }
      return;
    }
    if (target && (target.isContentEditable || target.closest(CONTROLS))) return;
    var onPage = !target || target === document.body || target === document.documentElement || !!target.closest("#map");
    if ((e.key === "j" || e.key === "k") && onPage && !presenting) {
      if (stepElement(e.key === "j" ? 1 : -1)) e.preventDefault();
      return;
    }
    var id = null;
    if (e.key === "f" || e.key === "F") {
      var fromPage = !target || target === document.body || target === document.documentElement ||
                     target.id === "present-toggle";
      if (presenting || fromPage) id = "present-toggle";
    } else if (presenting) {
      if (e.key === "ArrowRight" || e.key === "PageDown") id = "view-next";
      else if (e.key === "ArrowLeft" || e.key === "PageUp") id = "view-prev";
      else if (e.key === "Escape") id = "present-toggle";
    }
    if (id && click(id)) e.preventDefault();
  });
})();
