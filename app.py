"""Hebei & Henan industrial plans on a map.

    python app.py                                   (same as `python app.py serve`)
    python app.py serve [--host 127.0.0.1] [--port 8050] [--debug]
    python app.py snapshot --out FILE.(png|svg|pdf) [filters] [--title T] [--size a4-landscape] [--scale N] [--force]
    python app.py batch VIEWS.yaml [--out-dir DIR] [--atlas PACK.pdf] [--force]
    python app.py export-data --out FILE.(csv|geojson) [filters]
    python app.py export-targets --out FILE.(csv|json) [filters]

Filters: the same vocabulary as the page and the URL, one option per filter spec
(layers/filters.py; `python app.py export-data --help` lists them). Production:
`gunicorn "app:create_server()"` (see README). Importing this module builds nothing.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from dash import Dash

ROOT = Path(__file__).resolve().parent
log = logging.getLogger("planmap")
# before the database, the page saved views to this YAML file; start-up imports it once
OLD_VIEWS_FILE = ROOT / "saved_views.yaml"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "SAMEORIGIN",
    "Referrer-Policy": "same-origin",
    # Dash renders with inline scripts/styles and evaluates callbacks' JS: 'unsafe-inline'/'unsafe-eval'
    # are what its own scripts need; nothing may load from another host.
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
        "connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'self'"
    ),
}


def create_app() -> Dash:
    """A complete Dash app (layout, every callback, headers, error handling) each time it is called."""
    from api.views import register_views_api
    from callbacks import CallbackFailed, register_all
    from callbacks.layout import app_shell
    from layers.page_state import parse_page
    from layers.store import get_store
    from layers.views_db import ViewsDB, default_url

    get_store()  # load and validate the data now: a broken file stops start-up with its name
    # the saved views: a database that cannot be opened stops start-up (ViewsDBError) with its path
    db = ViewsDB(
        default_url(), validate_query=lambda q: [n.text("en") for n in parse_page(q, get_store())[1]]
    )
    import_old_views_file(db, OLD_VIEWS_FILE)
    # compress: plotly.js and the first figure are most of the first view's bytes (Flask-Compress, with
    # Brotli when installed); plotly serialises figures with orjson when it is installed
    app = Dash(
        __name__,
        title="河北·河南产业规划地图",
        update_title=None,
        serve_locally=True,
        compress=True,
        suppress_callback_exceptions=True,
        assets_folder=str(ROOT / "assets"),
    )
    app.server.config["VIEWS_DB"] = db  # one per app (and per process): the page's callbacks read it here
    register_all(app)
    register_views_api(app.server, db)

    app.layout = app_shell
    server = app.server

    @server.after_request
    def _headers(resp):
        for k, v in SECURITY_HEADERS.items():
            resp.headers.setdefault(k, v)
        return resp

    @server.errorhandler(Exception)
    def _error(e):  # no traceback ever reaches a browser
        from flask import request
        from werkzeug.exceptions import HTTPException

        if isinstance(e, HTTPException):
            return e
        if isinstance(e, CallbackFailed):  # our bug: logged with the request, answered 500
            log.error(
                "callback %s failed on %s %s", e.callback, request.method, request.path, exc_info=e.__cause__
            )
            return {"error": "internal error; see the server log"}, 500
        if request.path.endswith("/_dash-update-component"):
            # the page only sends well-formed requests: one that breaks Dash's dispatch is a bad request
            log.warning("bad callback request: %s: %s", type(e).__name__, e)
            return {"error": "bad callback request"}, 400
        log.exception("request failed: %s %s", request.method, request.path)
        return {"error": "internal error; see the server log"}, 500

    return app


def import_old_views_file(db, path: Path) -> None:
    """Views saved by an older version (a YAML file) go into the database once; the file becomes .imported.

    Renaming first claims the file atomically, so workers starting together import it only once.
    A file that cannot be imported is put back and named in the log; start-up goes on.
    """
    from layers.views_db import ViewsDBError, ViewsInvalid

    claimed = path.with_name(path.name + ".importing")
    try:
        path.rename(claimed)
    except OSError:  # no old file (the usual case), or another worker has it
        return
    try:
        imported, notices = db.import_tour(claimed.read_text(encoding="utf-8"))
    except (ViewsInvalid, ViewsDBError, OSError, UnicodeDecodeError) as e:
        claimed.rename(path)
        log.warning("could not import the old saved views file %s: %s", path, e)
        return
    claimed.rename(path.with_name(path.name + ".imported"))
    log.warning(
        "imported %d saved views from %s into %s (the file is now %s.imported)%s",
        len(imported),
        path,
        db.where,
        path.name,
        "".join(f"; {n}" for n in notices),
    )


def create_server():
    """The WSGI application for gunicorn: `gunicorn "app:create_server()"` (with --preload, built once)."""
    return create_app().server


# --- command line ---------------------------------------------------------
def _add_filter_options(p: argparse.ArgumentParser) -> None:
    """One option per filter spec: the same keys, spellings and values as the page and the URL."""
    from layers.filters import SPECS

    g = p.add_argument_group("filters (same vocabulary as the page and the URL)")
    for spec in SPECS:
        if spec.multi:
            g.add_argument(spec.cli_flag, dest=spec.key, action="append", default=[], help=spec.cli_help)
        else:
            g.add_argument(spec.cli_flag, dest=spec.key, help=spec.cli_help)


def _filters_from_args(args, vocab):
    from layers.filters import SPECS, parse_filters

    return parse_filters({s.key: getattr(args, s.key, None) for s in SPECS}, vocab, strict=True)[0]


def _check_out(path: Path, suffixes: tuple[str, ...], force: bool) -> None:
    from layers.filters import FilterError

    if path.suffix.lower().lstrip(".") not in suffixes:
        raise FilterError(f"--out must end in {' or '.join('.' + s for s in suffixes)}: {path}")
    if path.exists() and not force:
        raise FilterError(f"{path} exists; add --force to overwrite it")
    if not path.parent.exists():
        raise FilterError(f"folder {path.parent} does not exist")


def cmd_export_data(args) -> int:
    from layers.filters import Vocabulary, filter_mask
    from layers.store import get_store
    from layers.table import to_csv, to_geojson

    # every argument is checked before the data loads: a typo answers at once
    filters = _filters_from_args(args, Vocabulary.load())
    out = Path(args.out)
    _check_out(out, ("csv", "geojson"), args.force)
    store = get_store()
    shown = store.elements[filter_mask(store.elements, filters)]
    text = to_geojson(shown) if out.suffix.lower() == ".geojson" else to_csv(shown)
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out}: {len(shown)} elements")
    return 0


def cmd_export_targets(args) -> int:
    """The plans' province- and industry-level targets for the filters, each with its verbatim quote."""
    from geodata.records import default_dataset
    from layers.filters import Vocabulary
    from layers.targets import filter_targets, target_rows, to_csv, to_json

    filters = _filters_from_args(args, Vocabulary.load())  # checked before the data loads
    out = Path(args.out)
    _check_out(out, ("csv", "json"), args.force)
    rows = filter_targets(target_rows(default_dataset()), filters)
    out.write_text(to_json(rows) if out.suffix.lower() == ".json" else to_csv(rows), encoding="utf-8")
    print(f"wrote {out}: {len(rows)} targets")
    return 0


def _snapshot_one(
    store,
    renderer,
    filters,
    out: Path | None,
    title,
    subtitle,
    size,
    scale,
    lang,
    view,
    fmt: str | None = None,
):
    """Render one view; write it to `out` (-> bytes written) or, with out=None, return the bytes."""
    from layers.page_state import zoom_bounds
    from layers.snapshot import figure_for, parse_size

    width, height = parse_size(size)
    fmt = fmt or out.suffix.lower().lstrip(".")
    fig = figure_for(
        store,
        filters,
        lang=lang,
        view=zoom_bounds(view or "all", store),
        title=title,
        subtitle=subtitle,
        size=(width, height),
    )
    data = renderer.render(fig, fmt, width, height, scale)  # scale changes PNG pixels only
    if out is None:
        return data
    out.write_bytes(data)
    return len(data)


def cmd_snapshot(args) -> int:
    from layers.filters import Vocabulary
    from layers.snapshot import Renderer, page_points, parse_size
    from layers.store import get_store

    filters = _filters_from_args(args, Vocabulary.load())
    out = Path(args.out)
    _check_out(out, ("png", "svg", "pdf"), args.force)
    w, h = parse_size(args.size)
    store = get_store()
    with Renderer() as r:
        n = _snapshot_one(
            store, r, filters, out, args.title, args.subtitle, args.size, args.scale, args.lang, args.view
        )
    fmt = out.suffix.lower()
    page = (
        f"{round(w * args.scale)}x{round(h * args.scale)} px"
        if fmt == ".png"
        else "{:g}x{:g} pt".format(*page_points(w, h))
    )
    print(f"wrote {out} ({n // 1024} KB, {page})")
    return 0


def _progress(i: int, n: int, what: str) -> None:
    bar = "#" * int(30 * i / n)
    print(f"[{bar:<30}] {i}/{n} {what}", flush=True)


def cmd_batch(args) -> int:
    """Render every view of a YAML file with the warm renderer; report each file written.

    With --atlas, every view becomes a page of one PDF after a contents page instead.
    """
    import yaml

    from layers.filters import FilterError, Vocabulary, parse_filters
    from layers.snapshot import Renderer, SnapshotError, atlas_cover, merge_pdfs, page_texts, parse_size
    from layers.store import get_store

    try:
        doc = yaml.safe_load(Path(args.views).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise FilterError(f"cannot read views file {args.views}: {e}") from e
    views = (doc or {}).get("views") if isinstance(doc, dict) else None
    if not isinstance(views, list) or not views:
        raise FilterError(f"{args.views} must hold a list under 'views:'")
    atlas = Path(args.atlas) if args.atlas else None
    if atlas:
        _check_out(atlas, ("pdf",), args.force)
    vocab = Vocabulary.load()
    out_dir = Path(args.out_dir)
    jobs = []
    for i, v in enumerate(views):  # check every view before rendering any (and before the data loads)
        if not isinstance(v, dict) or not (v.get("out") or atlas):
            raise FilterError(f"view {i + 1}: needs at least 'out: NAME.png|svg|pdf'")
        try:
            filters = parse_filters(v.get("filters") or {}, vocab, strict=True)[0]
            parse_size(str(v.get("size", args.size)))
            out = None
            if not atlas:
                out = out_dir / Path(str(v["out"])).name  # names only: a view cannot write outside out-dir
                if out_dir.exists():
                    _check_out(out, ("png", "svg", "pdf"), args.force)
                elif out.suffix.lower().lstrip(".") not in ("png", "svg", "pdf"):
                    raise FilterError(f"out must end in .png, .svg or .pdf: {out.name}")
        except (FilterError, SnapshotError) as e:
            raise FilterError(f"view {i + 1} ({v.get('out') or v.get('title') or ''}): {e}") from e
        jobs.append((v, filters, out))
    out_dir.mkdir(parents=True, exist_ok=True)
    store = get_store()
    with Renderer() as r:
        pages = []
        for i, (v, filters, out) in enumerate(jobs, 1):
            lang, size = v.get("lang", args.lang), str(v.get("size", args.size))
            res = _snapshot_one(
                store,
                r,
                filters,
                out,
                v.get("title"),
                v.get("subtitle"),
                size,
                float(v.get("scale", args.scale)),
                lang,
                v.get("view"),
                fmt="pdf" if atlas else None,
            )
            if atlas:
                title, caption, _ = page_texts(filters, store.vocab, v.get("title"), lang, None, None)
                pages.append((res, title, caption))
                _progress(i, len(jobs), f"page {i + 1}: {title}")
            else:
                _progress(i, len(jobs), f"wrote {out} ({res // 1024} KB)")
        if atlas:
            w, h = parse_size(args.size)
            cover = r.render(atlas_cover([(t, c) for _, t, c in pages], w, h, args.lang), "pdf", w, h)
            data = merge_pdfs([cover] + [p for p, _, _ in pages])
            atlas.write_bytes(data)
            print(f"wrote {atlas}: {len(pages) + 1} pages ({len(data) // 1024} KB)")
    return 0


def cmd_serve(args) -> int:
    if args.host not in LOOPBACK_HOSTS:
        # others can reach the page: changing saved views needs PLANMAP_EDIT_TOKEN (api/views.py)
        os.environ["PLANMAP_PUBLIC"] = "1"
        print(
            f"listening on {args.host}: reachable from other machines; saving views needs PLANMAP_EDIT_TOKEN",
            file=sys.stderr,
        )
    app = create_app()
    app.run(
        host=args.host,
        port=args.port,
        debug=args.debug,
        dev_tools_ui=args.debug,
        dev_tools_props_check=args.debug,
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="app.py", description="Hebei & Henan industrial plans on a map")
    sub = p.add_subparsers(dest="command")
    s = sub.add_parser("serve", help="run the dashboard (development server; see README for production)")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8050)
    s.add_argument("--debug", action="store_true", help="Dash dev tools and reloader (never in production)")
    e = sub.add_parser("export-data", help="write the (filtered) elements as CSV or GeoJSON")
    e.add_argument("--out", required=True)
    e.add_argument("--force", action="store_true")
    _add_filter_options(e)
    x = sub.add_parser("export-targets", help="write the plans' province and industry targets as CSV or JSON")
    x.add_argument("--out", required=True)
    x.add_argument("--force", action="store_true")
    _add_filter_options(x)
    for name in ("snapshot", "batch"):
        x = sub.add_parser(
            name, help="render a map snapshot" if name == "snapshot" else "render many views from a YAML file"
        )
        if name == "snapshot":
            x.add_argument("--out", required=True)
            x.add_argument("--title")
            x.add_argument("--subtitle")
            x.add_argument("--view", help="河北省, 河南省, a prefecture, or lon0,lat0,lon1,lat1")
            _add_filter_options(x)
        else:
            x.add_argument("views", help="YAML file with a list under 'views:'")
            x.add_argument("--out-dir", default="snapshots")
            x.add_argument(
                "--atlas", metavar="PACK.pdf", help="one PDF: a contents page, then one view per page"
            )
        x.add_argument(
            "--size",
            default="a4-landscape",
            help="a4-landscape | a4-portrait | a3-landscape | a3-portrait | 16x9 | WxHmm | WxH (px)",
        )
        x.add_argument(
            "--scale",
            type=float,
            default=2.0,
            help="PNG pixel density (0.5-4); PDF/SVG pages keep their size",
        )
        x.add_argument("--lang", choices=["zh", "en"], default="zh")
        x.add_argument("--force", action="store_true", help="overwrite existing files")
    return p


def main(argv: list[str] | None = None) -> int:
    from geodata.boundaries import BoundaryFileError
    from geodata.records import DataErrors
    from layers.filters import FilterError
    from layers.snapshot import SnapshotError
    from layers.views_db import ViewsDBError

    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:  # `python app.py` starts the app, as a Dash user expects
        argv = ["serve"]
    args = build_parser().parse_args(argv)
    if getattr(args, "scale", 1.0) is not None and not 0.5 <= getattr(args, "scale", 1.0) <= 4:
        print("error: --scale must be between 0.5 and 4", file=sys.stderr)
        return 2
    try:
        return {
            "serve": cmd_serve,
            "export-data": cmd_export_data,
            "export-targets": cmd_export_targets,
            "snapshot": cmd_snapshot,
            "batch": cmd_batch,
        }[args.command](args)
    except (FilterError, SnapshotError, DataErrors, BoundaryFileError, ViewsDBError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
