"""Saved views over HTTP: /api/views (list, save, rename/move, delete, undo, tour export/import).

    register_views_api(server, ViewsDB(default_url(), validate_query=...))

Every answer is JSON (the tour export is YAML): bad input is 400 naming the field, an unknown view
404, a body over 16 KB 413, a full database 409, a busy or broken database 503, a bug 500 with a log
line naming the request. Who may write is `allow_write(request)`: on a loopback-only server anyone;
on one reachable from other machines (PLANMAP_PUBLIC=1, or a request from another address) only a
request carrying `X-Edit-Token` equal to PLANMAP_EDIT_TOKEN. Reads stay open.
JSON bodies must say Content-Type: application/json (the import: application/yaml): a browser
cannot send those cross-site without asking first, so another web page cannot save views here.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import logging
import os
from collections.abc import Callable

from flask import Blueprint, Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from layers.views_db import (
    ViewNotFound,
    ViewsDB,
    ViewsDBError,
    ViewsFull,
    ViewsInvalid,
    check_name,
    check_note,
    check_position,
)

log = logging.getLogger("planmap.api")
MAX_BODY = 16 * 1024
PREFIX = "/api/views"
READ_METHODS = ("GET", "HEAD", "OPTIONS")
YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")
MAX_ID = 2**53  # beyond this no database row exists, and SQLite cannot even compare it


class BadRequest(Exception):
    def __init__(self, field: str, message: str, notices: list[str] | None = None):
        super().__init__(message)
        self.field, self.notices = field, notices


def _is_loopback(addr: str | None) -> bool:
    try:
        ip = ipaddress.ip_address((addr or "").split("%")[0])
    except ValueError:
        return False
    return ip.is_loopback or bool(getattr(ip, "ipv4_mapped", None) and ip.ipv4_mapped.is_loopback)


def edit_permission(req) -> bool | str:
    """True when this request may change saved views, else the reason to show (see write_permission)."""
    # WSGI hands header values over as latin-1 text of the bytes sent; the token is set as UTF-8 text
    return write_permission(req.remote_addr, req.headers.get("X-Edit-Token", "").encode("latin-1", "replace"))


def write_permission(remote_addr: str | None, given: bytes) -> bool | str:
    """May a client at `remote_addr` that gave the token bytes `given` change saved views?

    A loopback request on a loopback-only server may write. Anything else needs the edit token: with
    PLANMAP_PUBLIC=1 even a request from 127.0.0.1 does, since behind a reverse proxy every visitor
    arrives from 127.0.0.1. The API (X-Edit-Token header) and the page (its token field) both ask here.
    """
    public = os.environ.get("PLANMAP_PUBLIC", "") not in ("", "0")
    if not public and _is_loopback(remote_addr):
        return True
    token = os.environ.get("PLANMAP_EDIT_TOKEN", "")
    if not token:
        return (
            "saving views is switched off on a server reachable from other machines: start the server "
            "with PLANMAP_EDIT_TOKEN=<a long random secret> and send it in the X-Edit-Token header"
        )
    if hmac.compare_digest(given, token.encode("utf-8", "surrogateescape")):
        return True
    return "missing or wrong X-Edit-Token header: changing saved views needs the server's PLANMAP_EDIT_TOKEN"


def _error(status: int, message: str, field: str | None = None, notices: list[str] | None = None):
    body = {"error": message}
    if field:
        body["field"] = field
    if notices:
        body["notices"] = notices
    return jsonify(body), status


def _json_body(allowed: tuple[str, ...], required: tuple[str, ...] = ()) -> dict:
    if request.mimetype != "application/json":
        raise BadRequest("body", "send a JSON object with Content-Type: application/json")
    raw = request.get_data(cache=True)  # raises 413 past MAX_BODY
    try:
        body = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):
        raise BadRequest("body", "body is not valid JSON (UTF-8)") from None
    if not isinstance(body, dict):
        raise BadRequest("body", "body must be a JSON object")
    unknown = sorted(set(body) - set(allowed))
    if unknown:
        raise BadRequest(unknown[0][:40], f"unknown field '{unknown[0][:40]}'; known: {', '.join(allowed)}")
    missing = [k for k in required if k not in body]
    if missing:
        raise BadRequest(missing[0], f"'{missing[0]}' is required")
    return body


def _view_id(view_id: int) -> int:
    if view_id > MAX_ID:
        raise ViewNotFound(f"no saved view {str(view_id)[:30]}")
    return view_id


def views_api(db: ViewsDB, allow_write: Callable = edit_permission) -> Blueprint:
    bp = Blueprint("views_api", __name__, url_prefix=PREFIX)

    @bp.before_request
    def _guard():
        request.max_content_length = MAX_BODY
        if request.method not in READ_METHODS:
            verdict = allow_write(request)
            if verdict is not True:
                return _error(
                    403,
                    verdict if isinstance(verdict, str) and verdict else "not allowed to change saved views",
                )
        return None

    @bp.get("", strict_slashes=False)
    def list_all():
        return jsonify({"views": db.list_views()})

    @bp.post("", strict_slashes=False)
    def create():
        body = _json_body(("name", "query", "note"), required=("name", "query"))
        return jsonify(db.create(body["name"], body["query"], _note(body))), 201

    @bp.get("/<int:view_id>")
    def one(view_id):
        return jsonify(db.get(_view_id(view_id)))

    @bp.patch("/<int:view_id>")
    def change(view_id):
        body = _json_body(("name", "note", "position"))
        if not body:
            raise BadRequest("body", "nothing to change: give name, note or position")
        # check here too: in the database call None means "leave as it is", here it is a wrong value
        checks = {"name": check_name, "note": check_note, "position": check_position}
        for key, value in body.items():
            if value is None:
                raise BadRequest(key, f"'{key}' must not be null")
            checks[key](value)
        return jsonify(db.update(_view_id(view_id), **body))

    @bp.delete("/<int:view_id>")
    def remove(view_id):
        return jsonify(db.delete(_view_id(view_id)))

    @bp.post("/<int:view_id>/restore")
    def restore(view_id):
        """Undo a delete: the body is the view that DELETE answered."""
        body = _json_body(
            ("id", "name", "query", "note", "position", "created", "updated"), required=("name", "query")
        )
        if body.get("id", view_id) != view_id:
            raise BadRequest("id", "the id in the body is not the one in the address")
        return jsonify(db.restore({**body, "id": _view_id(view_id)})), 201

    @bp.get("/export")
    def export():
        return Response(
            db.export_tour(),
            content_type="application/yaml; charset=utf-8",
            headers={"Content-Disposition": 'inline; filename="views.yaml"'},
        )

    @bp.post("/import")
    def import_():
        if request.mimetype not in YAML_TYPES:
            raise BadRequest("body", "send the tour as YAML with Content-Type: application/yaml")
        try:
            text = request.get_data(cache=True).decode("utf-8")
        except UnicodeDecodeError:
            raise BadRequest("body", "the tour must be UTF-8 text") from None
        imported, notices = db.import_tour(text)
        return jsonify({"imported": imported, "notices": notices})

    @bp.get("/<path:rest>")
    def unknown(rest):  # without it the Dash page's catch-all GET route would answer with HTML
        return _error(404, f"no such saved views address: {PREFIX}/{rest[:60]}")

    @bp.errorhandler(BadRequest)
    def _bad(e):
        return _error(400, str(e), e.field, e.notices)

    @bp.errorhandler(ViewsInvalid)
    def _invalid(e):
        return _error(400, str(e), e.field, e.notices)

    @bp.errorhandler(ViewNotFound)
    def _not_found(e):
        return _error(404, str(e))

    @bp.errorhandler(ViewsFull)
    def _full(e):
        return _error(409, str(e))

    @bp.errorhandler(ViewsDBError)
    def _db_down(e):
        log.error("saved views database unavailable for %s %s: %s", request.method, request.path, e)
        resp, status = _error(503, str(e))
        resp.headers["Retry-After"] = "2"
        return resp, status

    @bp.errorhandler(HTTPException)
    def _http(e):
        return _error(e.code or 500, e.description or e.name)

    @bp.errorhandler(Exception)
    def _bug(e):
        log.exception("saved views API failed: %s %s", request.method, request.full_path)
        return _error(500, "internal error in the saved views API; see the server log")

    return bp


def _note(body: dict):
    if "note" in body and body["note"] is None:
        raise BadRequest("note", "'note' must be text, not null")
    return body.get("note")


def register_views_api(server: Flask, db: ViewsDB, allow_write: Callable = edit_permission) -> None:
    """Mount /api/views on the app's Flask server. Routing errors under /api/ (405, 404) answer JSON too."""
    server.register_blueprint(views_api(db, allow_write))

    @server.errorhandler(HTTPException)
    def _api_http_errors(e):
        if request.path.startswith("/api/"):
            return _error(e.code or 500, e.description or e.name)
        return e
