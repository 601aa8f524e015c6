"""A WSGI app holding only the saved views API, on the database named by $PLANMAP_DB.

    gunicorn --workers 4 --pythonpath . tests.views_wsgi:app

Used by tests/test_views_concurrency.py; `known_keys_only` stands in for the page's query parser.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import parse_qsl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask import Flask  # noqa: E402

from api.views import register_views_api  # noqa: E402
from layers.views_db import ViewsDB  # noqa: E402

LINK_KEYS = {
    "industry",
    "period",
    "plan",
    "min_revenue",
    "no_target",
    "province",
    "kind",
    "q",
    "sel",
    "pref",
    "layers",
    "view",
    "compare",
    "lang",
}


def known_keys_only(query: str) -> list[str]:
    """A small stand-in for the page's parser: refuses keys the page's links do not have."""
    return [
        f"unknown link parameter '{k[:40]}'"
        for k, _ in parse_qsl(query.lstrip("?"), keep_blank_values=True)
        if k not in LINK_KEYS
    ]


def make_app(db: ViewsDB) -> Flask:
    app = Flask(__name__)
    register_views_api(app, db)
    return app


if os.environ.get("PLANMAP_DB"):
    app = make_app(ViewsDB(os.environ["PLANMAP_DB"], validate_query=known_keys_only))
