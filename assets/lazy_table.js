// The table (AG Grid) is drawn when it is first needed: when it comes near the view, or when J / K
// step through its rows (assets/keys.js sends "planmap:want-table"). Until then its place holds an
// empty box of the same size, so the grid's 0.26 MB chunk (async-community.js) is not part of the first
// view. Dash keeps the grid's props (rows, selection, scroll target) meanwhile and hands them over on
// the first drawing, so the callbacks in callbacks/table.py do not know the difference.
(function () {
  var lib = window.dash_ag_grid, React = window.React;
  if (!lib || !lib.AgGrid || !React || !window.IntersectionObserver) return;  // then the grid draws at once
  var Grid = lib.AgGrid;

  function LazyGrid(props) {
    var state = React.useState(false), wanted = state[0], want = state[1];
    var box = React.useRef(null);
    React.useEffect(function () {
      if (wanted || !box.current) return undefined;
      var timer = null;
      // near the view once the map has its size: before that the page is short and everything is "near"
      var check = function () {
        timer = null;
        if (!document.querySelector("#map .main-svg")) { timer = setTimeout(check, 250); return; }
        if (box.current && box.current.getBoundingClientRect().top < window.innerHeight + 100) want(true);
      };
      var seen = new IntersectionObserver(function (entries) {
        if (!timer && entries.some(function (e) { return e.isIntersecting; })) check();
      }, {rootMargin: "100px"});
      seen.observe(box.current);
      var asked = function () { want(true); };
      window.addEventListener("planmap:want-table", asked);
      return function () {
        seen.disconnect();
        if (timer) clearTimeout(timer);
        window.removeEventListener("planmap:want-table", asked);
      };
    }, [wanted]);
    if (wanted) return React.createElement(Grid, props);
    return React.createElement("div", {id: props.id, ref: box, className: props.className, style: props.style});
  }
  // what Dash reads from a component class: its props, persistence and render type
  ["propTypes", "defaultProps", "dashPersistence", "dashRenderType"].forEach(function (k) {
    if (Grid[k] !== undefined) LazyGrid[k] = Grid[k];
  });
  // the library object's members are read-only getters: replace the object, keep its functions
  var wrapped = {AgGrid: LazyGrid};
  Object.keys(lib).forEach(function (k) { if (k !== "AgGrid") wrapped[k] = lib[k]; });
  window.dash_ag_grid = wrapped;
})();
