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
    var api = null;
    try { api = window.dash_ag_grid && window.dash_ag_grid.getApi("grid"); } catch (err) { return false; }
    if (!api) return false;
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
