// Presenters' keys: arrows / PageUp / PageDown (clickers) step through saved views; F toggles presentation.
document.addEventListener("keydown", function (e) {
  var tag = (e.target && e.target.tagName) || "";
  if (tag === "INPUT" || tag === "TEXTAREA" || (e.target && e.target.isContentEditable)) return;
  var id = null;
  if (e.key === "ArrowRight" || e.key === "PageDown") id = "view-next";
  else if (e.key === "ArrowLeft" || e.key === "PageUp") id = "view-prev";
  else if (e.key === "f" || e.key === "F") id = "present-toggle";
  else if (e.key === "Escape" && document.querySelector(".presenting")) id = "present-toggle";
  if (!id) return;
  var el = document.getElementById(id);
  if (el) { e.preventDefault(); el.click(); }
});
