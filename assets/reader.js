// The reader (issue 17): jump to a paragraph, report the paragraph being read (follow-the-text and the
// link), hover a highlight -> `hover-element`, paint and step through in-text search hits.
(function () {
  var R = { plan: null, io: null, visible: new Set(), timer: null, quietUntil: 0, last: null,
            ranges: [], hit: -1 };

  function box() { return document.getElementById("reader-text"); }
  function setProps(id, data) {
    if (window.dash_clientside && window.dash_clientside.set_props) window.dash_clientside.set_props(id, { data: data });
  }
  function paragraphs() {
    var b = box();
    return b ? b.querySelectorAll(".rp") : [];
  }
  function markCurrent(el) {
    var b = box(); if (!b) return;
    var old = b.querySelectorAll(".rp.current");
    for (var i = 0; i < old.length; i++) old[i].classList.remove("current");
    if (el) el.classList.add("current");
  }
  // scroll only the reader's own box (never the page: the map stays where it is)
  function scrollTo(el) {
    var b = box(); if (!b || !el) return;
    b.scrollTop = el.offsetTop - 8;
    markCurrent(el);
  }
  function planOf() {
    var d = box() && box().querySelector(".reader-paragraphs");
    return d ? d.getAttribute("data-plan") : null;
  }

  // the paragraph being read: the first visible one whose bottom is below the box's top edge
  function topParagraph() {
    var b = box(); if (!b) return null;
    var best = null, top = b.scrollTop + 4;
    R.visible.forEach(function (el) {
      if (el.offsetTop + el.offsetHeight > top && (!best || el.offsetTop < best.offsetTop)) best = el;
    });
    return best;
  }
  function report(el, now) {
    if (!el) return;
    var n = parseInt(el.getAttribute("data-n"), 10), plan = planOf();
    if (plan === null || isNaN(n) || (R.last && R.last.plan === plan && R.last.n === n)) return;
    clearTimeout(R.timer);
    var send = function () { R.last = { plan: plan, n: n }; markCurrent(el); setProps("reader-pos", { plan: plan, n: n }); };
    if (now) send(); else R.timer = setTimeout(send, 250);
  }
  function attach() {
    var b = box(); if (!b) return;
    if (R.io) R.io.disconnect();
    R.visible = new Set();
    R.io = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) { if (e.isIntersecting) R.visible.add(e.target); else R.visible.delete(e.target); });
      if (Date.now() < R.quietUntil) return;
      report(topParagraph(), false);
    }, { root: b, threshold: 0 });
    var ps = paragraphs();
    for (var i = 0; i < ps.length; i++) R.io.observe(ps[i]);
    if (!b.dataset.readerBound) {
      b.dataset.readerBound = "1";
      // the text reflows (presentation mode, a resized window): keep the paragraph being read in place
      var width = b.clientWidth;
      new ResizeObserver(function () {
        if (b.clientWidth === width || !R.last) return;
        width = b.clientWidth;
        jumpTo("p-" + R.last.plan + "-" + R.last.n, false);
      }).observe(b);
      b.addEventListener("scroll", function () {
        if (Date.now() < R.quietUntil) return;
        report(topParagraph(), false);
      }, { passive: true });
    }
  }

  function jumpTo(id, report_now) {
    var el = document.getElementById(id);
    if (!el) return false;
    R.quietUntil = Date.now() + 700;
    scrollTo(el);
    if (report_now) report(el, true);
    return true;
  }

  // hover on a highlight -> the element is highlighted on the map (the lead draws `hover-element`)
  document.addEventListener("mouseover", function (e) {
    var m = e.target.closest && e.target.closest("#reader-text mark.ql");
    if (!m || m === R.hover) return;
    R.hover = m;
    var ids = (m.getAttribute("data-ids") || "").split(" ").filter(Boolean);
    setProps("hover-element", ids.length ? { id: ids[0], ids: ids } : null);
  });
  document.addEventListener("mouseout", function (e) {
    var m = e.target.closest && e.target.closest("#reader-text mark.ql");
    if (!m || (e.relatedTarget && m.contains(e.relatedTarget))) return;
    R.hover = null;
    setProps("hover-element", null);
  });

  // contents links, search hits and ↑/↓
  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("#reader a.toc-link, #reader .reader-hit");
    if (a) {
      e.preventDefault();
      jumpTo(a.getAttribute("data-target"), true);
      return;
    }
    var step = e.target.closest && e.target.closest("#reader-prev, #reader-next");
    if (step && R.ranges.length) {
      R.hit = (R.hit + (step.id === "reader-next" ? 1 : -1) + R.ranges.length) % R.ranges.length;
      var r = R.ranges[R.hit];
      if (window.CSS && CSS.highlights && window.Highlight) CSS.highlights.set("reader-hit-current", new Highlight(r));
      var el = r.startContainer.parentElement && r.startContainer.parentElement.closest(".rp");
      if (el) { jumpTo(el.id, true); }
      var c = document.getElementById("reader-count");
      if (c) c.setAttribute("data-step", (R.hit + 1) + "/" + R.ranges.length);
    }
  });

  function paint(q) {
    R.ranges = []; R.hit = -1;
    if (!(window.CSS && CSS.highlights && window.Highlight)) return;
    CSS.highlights.delete("reader-hit"); CSS.highlights.delete("reader-hit-current");
    var b = box(); q = (q || "").trim().toLowerCase();
    if (!b || !q) return;
    var walker = document.createTreeWalker(b.querySelector(".reader-paragraphs") || b, NodeFilter.SHOW_TEXT);
    var node;
    while ((node = walker.nextNode()) && R.ranges.length < 500) {
      var t = node.nodeValue.toLowerCase(), i = t.indexOf(q);
      while (i >= 0) {
        var r = new Range(); r.setStart(node, i); r.setEnd(node, i + q.length); R.ranges.push(r);
        i = t.indexOf(q, i + q.length);
      }
    }
    if (R.ranges.length) CSS.highlights.set("reader-hit", new Highlight(...R.ranges));
  }

  // keep the renderer's object (it carries set_props): add to it, never replace it
  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.reader = {
      // the reader was opened or moved by the server (a link, a button): scroll there once the text is in
      jump: function (pos) {
        if (!pos || !pos.plan) { R.last = null; return null; }
        var id = "p-" + pos.plan + "-" + pos.n, tries = 0;
        (function go() {
          if (planOf() === pos.plan && document.getElementById(id)) {
            var d = box().querySelector(".reader-paragraphs");
            if (R.attached !== d) { attach(); R.attached = d; }
            if (pos.jump) { jumpTo(id, false); R.last = { plan: pos.plan, n: pos.n }; }
          } else if (tries++ < 40) setTimeout(go, 50);
        })();
        return pos.plan + ":" + pos.n;
      },
      paint: function (q) {
        setTimeout(function () { paint(q); }, 0);
        return q || null;
      },
      // mirror `reader-focus` onto the section (data-focus) so the page and its tests can read it
      focus: function (f) {
        var el = document.getElementById("reader");
        if (el) el.setAttribute("data-focus", f && f.ids ? f.ids.join(" ") : "");
        return f && f.ids ? f.ids.length : null;
      }
  };
})();
