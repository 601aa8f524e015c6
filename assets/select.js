// Dropdowns take typing however they were opened (issue 12), and the export dialog takes the focus.
//
// Dash 4.4's dcc.Dropdown, opened with the mouse while it has a value, puts the focus on the selected
// option (its radio input), not on the search box: typing 唐山 then did nothing. Opened with the keyboard
// it focuses the search box itself. So: after a pointer open, the focus that lands on an option moves to
// the menu's search box; and a printable key pressed on an option (after arrowing down) goes to the search
// box too. Arrows, Enter, Esc and Tab on options are left alone: the keyboard user keeps them.
(function () {
  var OPTION = ".dash-dropdown-content .dash-options-list-option-checkbox";
  var pointerOpen = 0;   // time of the last pointer press on a dropdown's trigger

  function searchOf(el) {
    var content = el && el.closest(".dash-dropdown-content");
    return content ? content.querySelector("input.dash-dropdown-search") : null;
  }

  document.addEventListener("pointerdown", function (e) {
    var t = e.target instanceof Element ? e.target : null;
    if (t && t.closest("button.dash-dropdown")) pointerOpen = Date.now();
  }, true);

  document.addEventListener("focusin", function (e) {
    var t = e.target instanceof Element ? e.target : null;
    if (!t || !t.matches(OPTION) || Date.now() - pointerOpen > 800) return;
    var search = searchOf(t);
    if (search) { pointerOpen = 0; setTimeout(function () { search.focus(); }, 0); }
  });

  document.addEventListener("keydown", function (e) {
    var t = e.target instanceof Element ? e.target : null;
    if (!t || !t.matches(OPTION) || e.ctrlKey || e.metaKey || e.altKey || e.key.length !== 1 || e.key === " ") return;
    var search = searchOf(t);
    if (search) search.focus();  // the key's character is typed into the newly focused box
  }, true);

  // The export dialog (shown by a server callback): the focus moves in when it opens and back to the
  // opener when it closes. Tab stays inside and Esc closes it: assets/keys.js, for every [role=dialog].
  new MutationObserver(function (records) {
    records.forEach(function (r) {
      var d = r.target;
      if (d.id !== "export-dialog") return;
      if (!d.hidden) {
        var first = d.querySelector("input, button:not([disabled])");
        if (first) setTimeout(function () { first.focus(); }, 30);
      } else if (d.contains(document.activeElement) || document.activeElement === document.body) {
        var opener = document.getElementById("open-export");
        if (opener) opener.focus();
      }
    });
  }).observe(document.documentElement, {subtree: true, attributes: true, attributeFilter: ["hidden"]});
})();
