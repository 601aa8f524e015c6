"""Presentation mode and saved views: the tour, the presenter's own views, the manage dialog.

Every view is a page URL query: the tour's (geodata/views.yaml, ids t1, t2, ...) is written from its
entries, a saved view's (ids 1, 2, ... from the database, layers/views_db.py) is what the address bar
showed when it was saved. Opening a view parses that query like a link, so a view, a link and an
export agree. The database lives on the app (`app.server.config["VIEWS_DB"]`); the callbacks reach it
through the closure in register(app). Who may write is api/views.py's rule, asked with the page's token.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

import yaml
from dash import ALL, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from api.views import write_permission
from callbacks import guarded
from layers.filters import SPECS
from layers.i18n import Notice, dropdown_labels, t
from layers.page_state import PageState, page_query, parse_page
from layers.store import get_store
from layers.views_db import ViewNotFound, ViewsDBError, ViewsInvalid, tour_entry_to_query

TOUR = Path(__file__).resolve().parents[1] / "geodata" / "views.yaml"


# --- the views ------------------------------------------------------------
def load_tour(path: Path = TOUR) -> list[dict]:
    """The shipped tour as views (ids t1, t2, ... in file order); an entry that cannot be read is skipped."""
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return []
    out = []
    for number, entry in enumerate(doc.get("views") or [] if isinstance(doc, dict) else [], 1):
        if not isinstance(entry, dict) or not entry.get("name"):
            continue
        try:
            query = tour_entry_to_query({k: v for k, v in entry.items() if k not in ("out", "size", "title")})
        except ValueError:
            continue
        out.append(
            {
                "id": f"t{number}",
                "name": str(entry["name"]),
                "name_en": str(entry.get("name_en") or entry["name"]),
                "note": str(entry.get("note") or ""),
                "query": query,
                "tour": True,
            }
        )
    return out


def catalogue(db) -> list[dict]:
    """What the picker lists: the tour first, then the database's views in their order."""
    saved = [
        {
            "id": str(v["id"]),
            "name": v["name"],
            "name_en": v["name"],
            "note": v["note"],
            "query": v["query"],
            "tour": False,
        }
        for v in db.list_views()
    ]
    return load_tour() + saved


def view_title(view: dict, lang: str) -> str:
    return str(view.get("name_en") if lang == "en" and view.get("name_en") else view.get("name", ""))


def picker_options(views: list[dict], lang: str) -> list[dict]:
    tag = t("tour_label", lang)
    return [
        {
            "label": f"{i}. {view_title(v, lang)}"
            + (f"（{tag}）" if v["tour"] and lang != "en" else f" ({tag})" if v["tour"] else ""),
            "value": v["id"],
        }
        for i, v in enumerate(views, 1)
    ]


def find_view(views, view_id) -> dict | None:
    if not isinstance(views, list) or not isinstance(view_id, str):
        return None
    return next((v for v in views if isinstance(v, dict) and v.get("id") == view_id), None)


def saved_query(search: str | None) -> str:
    """The query a saved view keeps: the page's canonical one, without language or presentation keys."""
    state, _ = parse_page(search, get_store())
    return page_query(replace(state, lang="zh", present=False, tour=""))


def caption(view: dict | None, lang: str) -> list:
    if not view:
        return []
    note = view.get("note")
    return [
        html.H2(view_title(view, lang), className="caption-title"),
        html.P(note, className="caption-note") if isinstance(note, str) and note else None,
    ]


# --- writing: who may, and the answers ------------------------------------
def writer_verdict(token, remote_addr: str | None) -> bool | str:
    """api/views.py's rule, with the token the page holds; a refusal worded for the page."""
    verdict = write_permission(remote_addr, (token if isinstance(token, str) else "").encode("utf-8"))
    if verdict is True:
        return True
    if not os.environ.get("PLANMAP_EDIT_TOKEN"):
        return verdict  # the server has writes switched off: say how to switch them on
    return "token_wrong" if token else "token_needed"


def _remote_addr() -> str | None:
    from flask import has_request_context, request

    return request.remote_addr if has_request_context() else None


def _refused(verdict, lang: str) -> str:
    return (
        t(verdict, lang)
        if verdict in ("token_wrong", "token_needed")
        else t("views_error", lang, reason=verdict)
    )


def _answer(db, lang: str, message, pick=no_update, undo=no_update) -> dict:
    views = catalogue(db)
    return {
        "message": message,
        "options": picker_options(views, lang),
        "views": views,
        "pick": pick,
        "undo": undo,
    }


def _failed(message: str) -> dict:
    return {
        "message": message,
        "options": no_update,
        "views": no_update,
        "pick": no_update,
        "undo": no_update,
    }


def write(db, token, lang: str, action, remote_addr: str | None = None) -> dict:
    """Run one change of the saved views; every refusal or failure becomes a message, never a 500."""
    verdict = writer_verdict(token, remote_addr if remote_addr is not None else _remote_addr())
    if verdict is not True:
        return _failed(_refused(verdict, lang))
    try:
        return action()
    except ViewNotFound:
        return {**_answer(db, lang, t("views_error", lang, reason=t("manage_gone", lang)))}
    except (ViewsInvalid, ViewsDBError) as e:  # ViewsFull is a ViewsDBError: its message says what to do
        return _failed(t("views_error", lang, reason=str(e)))


def save_view(db, n, name, note, search, lang, token, remote_addr=None) -> dict:
    """'Save current view': the page's query under a name; the answer names it and the picker selects it."""
    if not n:
        raise PreventUpdate

    def action():
        given = (
            name if isinstance(name, str) else ""
        ).strip() or f"{t('view_default_name', lang)} {len(db.list_views()) + 1}"
        v = db.create(
            given,
            saved_query(search if isinstance(search, str) else ""),
            note if isinstance(note, str) else "",
        )
        return _answer(db, lang, t("view_saved", lang, name=v["name"]), pick=str(v["id"]))

    return write(db, token, lang, action, remote_addr)


def edit_view(db, view_id, field: str, value, token, lang, remote_addr=None) -> dict:
    """Rename (field "name") or annotate ("note") a saved view; the answer names it."""
    if not isinstance(view_id, int) or not isinstance(value, str) or _unchanged(db, view_id, field, value):
        raise PreventUpdate
    said = {"name": "view_renamed", "note": "view_noted"}[field]
    return write(
        db,
        token,
        lang,
        lambda: _answer(db, lang, t(said, lang, name=db.update(view_id, **{field: value})["name"])),
        remote_addr,
    )


def rename_view(db, view_id, value, token, lang, remote_addr=None) -> dict:
    return edit_view(db, view_id, "name", value, token, lang, remote_addr)


def note_view(db, view_id, value, token, lang, remote_addr=None) -> dict:
    return edit_view(db, view_id, "note", value, token, lang, remote_addr)


def move_view(db, view_id, step: int, token, lang, remote_addr=None) -> dict:
    """One place up (step -1) or down (+1) among the saved views."""
    if not isinstance(view_id, int) or step not in (-1, 1):
        raise PreventUpdate

    def action():
        v = db.get(view_id)
        last = len(db.list_views())
        position = min(max(1, v["position"] + step), last)
        return _answer(db, lang, t("view_moved", lang, name=db.update(view_id, position=position)["name"]))

    return write(db, token, lang, action, remote_addr)


def delete_view(db, view_id, token, lang, remote_addr=None) -> dict:
    """Delete, keeping the view for the undo button."""
    if not isinstance(view_id, int):
        raise PreventUpdate

    def action():
        gone = db.delete(view_id)
        return _answer(db, lang, t("view_deleted", lang, name=gone["name"]), undo=gone)

    return write(db, token, lang, action, remote_addr)


def undo_delete(db, n, gone, token, lang, remote_addr=None) -> dict:
    if not n or not isinstance(gone, dict):
        raise PreventUpdate

    def action():
        back = db.restore(gone)
        return _answer(db, lang, t("view_restored", lang, name=back["name"]), undo=None)

    return write(db, token, lang, action, remote_addr)


def _unchanged(db, view_id: int, field: str, value: str) -> bool:
    """The list re-rendering fires its inputs too: only a real edit writes."""
    try:
        return db.get(view_id)[field] == value.strip()
    except (ViewNotFound, ViewsDBError):
        return False


# --- reading: the picker, opening a view, stepping --------------------------
@dataclass(frozen=True)
class Opening:
    """What a link opens with: the state to render, the picker's views and the view it names."""

    state: PageState
    views: list
    view: dict | None
    notices: list  # Notice: the link named a view that does not exist
    trouble: str = ""  # the database could not be read: the tour still works


def open_link(db, state: PageState) -> Opening:
    """A link's ?tour=<id> (a tour entry or a saved view): the page is rendered at that view by the server,
    in one step. Setting the controls after the page has drawn made the renderer keep a stale comparison
    section (the link straight into a comparison view lost it); one render from one state cannot."""
    try:
        views, trouble = catalogue(db), ""
    except ViewsDBError as e:
        views, trouble = load_tour(), str(e)
    if not state.tour:
        return Opening(state, views, None, [], trouble)
    view = find_view(views, state.tour)
    if view is None:
        return Opening(
            replace(state, tour=""), views, None, [Notice("unknown_tour", value=state.tour[:40])], trouble
        )
    opened, _ = parse_page(view["query"], get_store())  # a stored query: parsed like any link
    return Opening(
        replace(opened, lang=state.lang, present=state.present, tour=state.tour), views, view, [], trouble
    )


def open_view(view_id, views, lang) -> dict:
    """Opening a view sets the controls in place (no page reload) and the presentation caption."""
    from callbacks.layout import _with_value, zoom_options
    from callbacks.page import controls_for

    view = find_view(views, view_id)
    if view is None or not isinstance(view.get("query"), str):
        return {
            "controls": {s.key: no_update for s in SPECS},
            "layers": no_update,
            "zoom": no_update,
            "zoom_options": no_update,
            "compare": no_update,
            "selection": no_update,
            "caption": no_update,
        }
    store = get_store()
    state, _ = parse_page(view["query"], store)
    return {
        "controls": controls_for(state.filters),
        "layers": list(state.layers),
        "zoom": state.view,
        # a saved extent (lon0,lat0,lon1,lat1) is no named option: the dropdown drops values it does not list
        "zoom_options": _with_value(zoom_options(store, lang), state.view),
        "compare": state.compare,
        "selection": state.selection,
        "caption": caption(view, lang),
    }


def step_views(n_prev, n_next, current, views):
    if not isinstance(views, list) or not views or not (n_prev or n_next):
        return no_update
    ids = [v["id"] for v in views if isinstance(v, dict) and isinstance(v.get("id"), str)]
    if not ids:
        return no_update
    step = -1 if ctx.triggered_id == "view-prev" else 1
    if current not in ids:
        return ids[0] if step == 1 else ids[-1]
    return ids[(ids.index(current) + step) % len(ids)]


def toggle_presentation(n, cls):
    if not n:
        return no_update, no_update
    on = "presenting" not in (cls or "")
    return ("presenting" if on else ""), ("true" if on else "false")


def manage_rows(views, lang) -> list:
    """The manage dialog's list: the database's views (the tour is edited in its file)."""
    saved = (
        [
            v
            for v in views
            if isinstance(v, dict)
            and not v.get("tour")
            and str(v.get("id", "")).isascii()
            and str(v.get("id", "")).isdigit()
            and isinstance(v.get("name"), str)
        ]
        if isinstance(views, list)
        else []
    )
    if not saved:
        return [html.P(t("manage_empty", lang), className="note")]
    rows = []
    for i, v in enumerate(saved):
        vid = int(v["id"])
        rows.append(
            html.Li(
                className="manage-row",
                **{"data-view": str(vid)},
                children=[
                    html.Span(f"{i + 1}.", className="manage-number"),
                    _hidden_label(
                        f"{t('view_name', lang)} {i + 1}",
                        dcc.Input(
                            id={"type": "mv-name", "id": vid},
                            value=v["name"],
                            debounce=True,
                            maxLength=80,
                            placeholder=t("view_name", lang),
                            className="text-input manage-name",
                        ),
                    ),
                    _hidden_label(
                        f"{t('view_note', lang)} {i + 1}",
                        dcc.Input(
                            id={"type": "mv-note", "id": vid},
                            value=v["note"],
                            debounce=True,
                            maxLength=500,
                            placeholder=t("view_note", lang),
                            className="text-input manage-note",
                        ),
                    ),
                    html.Button(
                        "↑",
                        id={"type": "mv-up", "id": vid},
                        className="button",
                        n_clicks=0,
                        disabled=i == 0,
                        title=t("move_up", lang),
                        **{"aria-label": f"{t('move_up', lang)}: {v['name']}"},
                    ),
                    html.Button(
                        "↓",
                        id={"type": "mv-down", "id": vid},
                        className="button",
                        n_clicks=0,
                        disabled=i == len(saved) - 1,
                        title=t("move_down", lang),
                        **{"aria-label": f"{t('move_down', lang)}: {v['name']}"},
                    ),
                    html.Button(
                        t("delete", lang),
                        id={"type": "mv-del", "id": vid},
                        className="button",
                        n_clicks=0,
                        **{"aria-label": f"{t('delete', lang)}: {v['name']}"},
                    ),
                ],
            )
        )
    return [html.Ol(rows, className="manage-list")]


def _hidden_label(text: str, control) -> html.Label:
    """A label screen readers read, around its input (dcc.Input takes no aria-label)."""
    return html.Label([html.Span(text, className="visually-hidden"), control], className="manage-field")


# --- the page pieces --------------------------------------------------------
def present_pieces(state, opening: Opening | None = None) -> html.Div:
    """The presentation caption, the views bar and the manage dialog (callbacks.layout.page_body inserts it),
    drawn at the view the link opens (`open_link`)."""
    lang = state.lang
    public = os.environ.get("PLANMAP_PUBLIC", "") not in ("", "0")
    views = opening.views if opening else []
    view = opening.view if opening else None
    trouble = opening.trouble if opening else ""
    return html.Div(
        id="present-pieces",
        className="present-pieces",
        children=[
            dcc.Store(id="views-data", data=views),
            dcc.Store(id="undo-data", data=None),
            dcc.Store(id="edit-token", storage_type="session"),
            dcc.Store(id="present-applied"),
            html.Div(
                caption(view, lang),
                id="present-caption",
                className="present-caption",
                **{"aria-live": "polite"},
            ),
            html.Div(
                html.P(t("views_error", lang, reason=trouble), className="notice") if trouble else [],
                id="views-notice",
                className="notices",
                role="status",
                **{"aria-live": "polite"},
            ),
            html.Div(
                id="present-bar",
                className="present-bar",
                children=[
                    html.Button(
                        "◀", id="view-prev", className="button", n_clicks=0, **{"aria-label": "previous view"}
                    ),
                    dcc.Dropdown(
                        id="view-pick",
                        options=picker_options(views, lang),
                        value=view["id"] if view else None,
                        clearable=False,
                        className="view-pick",
                        placeholder=t("view_pick", lang),
                        labels=dropdown_labels(lang),
                    ),
                    html.Button(
                        "▶", id="view-next", className="button", n_clicks=0, **{"aria-label": "next view"}
                    ),
                    html.Button(
                        t("fullscreen", lang), id="present-fullscreen", className="button", n_clicks=0
                    ),
                    html.Div(
                        className="save-controls",
                        children=[
                            html.Label(
                                t("view_name", lang), htmlFor="view-name", className="visually-hidden"
                            ),
                            dcc.Input(
                                id="view-name",
                                type="text",
                                placeholder=t("view_name", lang),
                                maxLength=80,
                                className="text-input",
                            ),
                            html.Label(
                                t("view_note", lang), htmlFor="view-note", className="visually-hidden"
                            ),
                            dcc.Input(
                                id="view-note",
                                type="text",
                                placeholder=t("view_note", lang),
                                maxLength=500,
                                className="text-input",
                            ),
                            html.Button(t("save_view", lang), id="view-save", className="button", n_clicks=0),
                            html.Button(
                                t("manage_views", lang),
                                id="manage-open",
                                className="button",
                                n_clicks=0,
                                **{"aria-haspopup": "dialog"},
                            ),
                            # beside the button that saved: the confirmation is seen where the eyes are
                            html.Span(
                                id="view-status",
                                className="view-status",
                                role="status",
                                **{"aria-live": "polite"},
                            ),
                        ],
                    ),
                ],
            ),
            html.Div(
                id="manage-dialog",
                className="dialog manage-dialog",
                hidden=True,
                role="dialog",
                **{"aria-modal": "true", "aria-labelledby": "manage-heading"},
                children=[
                    html.H2(t("manage_views", lang), id="manage-heading"),
                    html.Div(
                        className="control",
                        children=[
                            html.Label(
                                t("edit_token", lang), htmlFor="edit-token-input", className="control-label"
                            ),
                            dcc.Input(
                                id="edit-token-input",
                                type="password",
                                className="text-input",
                                autoComplete="off",
                                placeholder=t("edit_token_placeholder", lang),
                            ),
                        ],
                    )
                    if public
                    else None,
                    html.Div(id="manage-list"),
                    html.Div(
                        className="dialog-buttons",
                        children=[
                            html.Span(
                                id="manage-status",
                                role="status",
                                **{"aria-live": "polite"},
                                className="manage-status",
                            ),
                            html.Button(
                                t("undo", lang), id="manage-undo", className="button", n_clicks=0, hidden=True
                            ),
                            html.Button(
                                t("close", lang),
                                id="manage-close",
                                className="button dialog-close",
                                n_clicks=0,
                            ),
                        ],
                    ),
                ],
            ),
        ],
    )


# --- in the browser -----------------------------------------------------------
OPEN_CLOSE_DIALOG = """function (nOpen, nClose) {
    const trig = (window.dash_clientside.callback_context.triggered[0] || {}).prop_id || "";
    const open = trig.startsWith("manage-open");
    // focus moves into the dialog when it opens and back to its button when it closes
    setTimeout(function () {
        const el = open ? document.querySelector("#manage-dialog input, #manage-dialog button:not([disabled])")
                        : document.getElementById("manage-open");
        if (el) { el.focus(); }
    }, 60);
    return !open;
}"""

# the details panel shows only with something selected (the presentation CSS hides it otherwise)
DETAILS_CLASS = """function (sel) {
    return (sel && sel.id) ? "panel details has-selection" : "panel details";
}"""

# the comparison maps fitted to the screen while presenting (assets/present.js); the main map's sizes
# come from the server (MapOptions.scale)
FIT_COMPARE = """function (cls, fig, cmp) {
    if (window.planmapPresent) { setTimeout(window.planmapPresent.sync, 0); }
    return window.dash_clientside.no_update;
}"""


def _groups(*outputs_kw) -> dict:
    kw = dict(allow_duplicate=True)
    return {
        "message": Output(outputs_kw[0], "children", **kw),
        "options": Output("view-pick", "options", **kw),
        "views": Output("views-data", "data", **kw),
        "pick": Output("view-pick", "value", **kw),
        "undo": Output("undo-data", "data", **kw),
    }


def register(app) -> None:
    from callbacks.page import control_outputs

    db = app.server.config["VIEWS_DB"]  # one per app: create_app opens it
    once = dict(prevent_initial_call=True)

    app.callback(
        Output("page-body", "className"),
        Output("present-toggle", "aria-pressed"),
        Input("present-toggle", "n_clicks"),
        State("page-body", "className"),
        **once,
    )(guarded(toggle_presentation))

    def save_current_view(n, name, note, search, lang, token):
        return save_view(db, n, name, note, search, lang, token)

    app.callback(
        output=_groups("view-status"),
        inputs={
            "n": Input("view-save", "n_clicks"),
            "name": State("view-name", "value"),
            "note": State("view-note", "value"),
            "search": State("url", "search"),
            "lang": State("lang", "data"),
            "token": State("edit-token", "data"),
        },
        **once,
    )(guarded(save_current_view))

    def triggered(kind: str):
        """The view id and value of the pattern-matching input that fired (None when none of `kind` did)."""
        tid = ctx.triggered_id
        if not isinstance(tid, dict) or tid.get("type") != kind:
            return None, None
        return tid.get("id"), (ctx.triggered[0] or {}).get("value") if ctx.triggered else None

    def rename_saved_view(_values, token, lang):
        return rename_view(db, *triggered("mv-name"), token, lang)

    def note_saved_view(_values, token, lang):
        return note_view(db, *triggered("mv-note"), token, lang)

    def move_saved_view(_up, _down, token, lang):
        up_id, up_n = triggered("mv-up")
        down_id, down_n = triggered("mv-down")
        if up_n:
            return move_view(db, up_id, -1, token, lang)
        if down_n:
            return move_view(db, down_id, 1, token, lang)
        raise PreventUpdate

    def delete_saved_view(_n, token, lang):
        view_id, n = triggered("mv-del")
        if not n:  # a list re-rendered, not a click
            raise PreventUpdate
        return delete_view(db, view_id, token, lang)

    def undo_deleted_view(n, gone, token, lang):
        return undo_delete(db, n, gone, token, lang)

    common = [State("edit-token", "data"), State("lang", "data")]
    for fn, inputs in (
        (rename_saved_view, [Input({"type": "mv-name", "id": ALL}, "value")]),
        (note_saved_view, [Input({"type": "mv-note", "id": ALL}, "value")]),
        (
            move_saved_view,
            [
                Input({"type": "mv-up", "id": ALL}, "n_clicks"),
                Input({"type": "mv-down", "id": ALL}, "n_clicks"),
            ],
        ),
        (delete_saved_view, [Input({"type": "mv-del", "id": ALL}, "n_clicks")]),
        (undo_deleted_view, [Input("manage-undo", "n_clicks"), State("undo-data", "data")]),
    ):
        app.callback(_groups("manage-status"), inputs + common, **once)(guarded(fn))

    app.callback(Output("manage-list", "children"), Input("views-data", "data"), State("lang", "data"))(
        guarded(manage_rows)
    )
    app.callback(Output("manage-undo", "hidden"), Input("undo-data", "data"))(
        guarded(lambda gone: not isinstance(gone, dict))
    )
    app.callback(Output("edit-token", "data"), Input("edit-token-input", "value"), **once)(
        guarded(lambda token: (token or "").strip() or None)
    )
    app.clientside_callback(
        OPEN_CLOSE_DIALOG,
        Output("manage-dialog", "hidden"),
        Input("manage-open", "n_clicks"),
        Input("manage-close", "n_clicks"),
        **once,
    )
    app.clientside_callback(DETAILS_CLASS, Output("details", "className"), Input("selection", "data"))
    app.clientside_callback(
        FIT_COMPARE,
        Output("present-applied", "data"),
        Input("page-body", "className"),
        Input("map", "figure"),
        Input("compare", "children"),
    )

    app.callback(
        Output("view-pick", "value", allow_duplicate=True),
        Input("view-prev", "n_clicks"),
        Input("view-next", "n_clicks"),
        State("view-pick", "value"),
        State("views-data", "data"),
        **once,
    )(guarded(step_views))
    app.callback(
        output={
            "controls": control_outputs(allow_duplicate=True),
            "layers": Output("f-layers", "value", allow_duplicate=True),
            "zoom": Output("f-zoom", "value", allow_duplicate=True),
            "zoom_options": Output("f-zoom", "options", allow_duplicate=True),
            "compare": Output("f-compare", "value", allow_duplicate=True),
            "selection": Output("selection", "data", allow_duplicate=True),
            "caption": Output("present-caption", "children"),
        },
        inputs={
            "view_id": Input("view-pick", "value"),
            "views": State("views-data", "data"),
            "lang": State("lang", "data"),
        },
        prevent_initial_call=True,
    )(guarded(open_view))
