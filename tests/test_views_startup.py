"""Start-up and saved views: a broken database stops `serve` with its path, an old YAML file is imported once."""

import subprocess
import sys
from pathlib import Path

import app as app_module
from layers.page_state import parse_page
from layers.views_db import ViewsDB, ViewsDBError

ROOT = Path(__file__).resolve().parents[1]
OLD_FILE = """views:
  - name: 钢铁视图
    filters: {industry: steel}
    layers: [labels, context]
    view: 河北省
  - name: 坏的
    filters: {industry: no-such-industry}
"""


def _db(tmp_path, store):
    return ViewsDB(
        f"sqlite:///{tmp_path / 'v.sqlite3'}",
        validate_query=lambda q: [n.text("en") for n in parse_page(q, store)[1]],
    )


def test_old_saved_views_file_is_imported_once(tmp_path, store):
    db = _db(tmp_path, store)
    old = tmp_path / "saved_views.yaml"
    old.write_text(OLD_FILE, encoding="utf-8")
    app_module.import_old_views_file(db, old)
    [view] = db.list_views()  # the entry the page can no longer read is left out, and logged
    assert view["name"] == "钢铁视图" and "industry=steel" in view["query"] and "view=河北省" in view["query"]
    assert not old.exists() and (tmp_path / "saved_views.yaml.imported").exists()
    app_module.import_old_views_file(db, old)  # the next start-up: nothing to import, nothing doubled
    assert len(db.list_views()) == 1


def test_unreadable_old_file_is_left_in_place(tmp_path, store):
    db = _db(tmp_path, store)
    old = tmp_path / "saved_views.yaml"
    old.write_text("views: [unclosed", encoding="utf-8")
    app_module.import_old_views_file(db, old)
    assert old.exists() and db.list_views() == []


def test_serve_stops_on_a_database_it_cannot_open(tmp_path):
    bad = tmp_path / "views.sqlite3"
    bad.write_bytes(b"this is not a database")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PLANMAP_DB": f"sqlite:///{bad}"}
    r = subprocess.run(
        [sys.executable, "app.py", "serve", "--port", "1"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 2
    assert (
        r.stderr.strip().splitlines()[-1]
        == f"error: the saved views database '{bad}' failed: file is not a database"
    )


def test_serving_beyond_loopback_asks_for_the_edit_token(monkeypatch):
    seen = {}

    def fake_create_app():
        import os

        seen["public"] = os.environ.get("PLANMAP_PUBLIC")
        raise ViewsDBError("cannot open the saved views database '/x': stop here")

    monkeypatch.delenv("PLANMAP_PUBLIC", raising=False)
    monkeypatch.setattr(app_module, "create_app", fake_create_app)
    assert app_module.main(["serve", "--host", "0.0.0.0"]) == 2 and seen["public"] == "1"
    monkeypatch.delenv("PLANMAP_PUBLIC", raising=False)
    assert app_module.main(["serve", "--host", "127.0.0.1"]) == 2 and seen["public"] is None
