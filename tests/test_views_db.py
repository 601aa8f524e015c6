"""Saved views storage: CRUD, positions, limits, broken and locked databases, migrations, tour files."""

import os
import sqlite3
import time
from urllib.parse import parse_qs

import pytest
from views_wsgi import known_keys_only

from conftest import ROOT
from layers import views_db
from layers.views_db import ViewNotFound, ViewsDB, ViewsDBError, ViewsFull, ViewsInvalid, default_url


@pytest.fixture
def db(tmp_path):
    return ViewsDB(f"sqlite:///{tmp_path / 'views.sqlite3'}", validate_query=known_keys_only)


def names(db):
    return [v["name"] for v in db.list_views()]


def positions(db):
    return [v["position"] for v in db.list_views()]


# --- where the file lives ---------------------------------------------------
def test_default_path_is_outside_the_checkout(monkeypatch, tmp_path):
    for var in ("PLANMAP_DB", "PLANMAP_DATA", "XDG_DATA_HOME"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_url() == f"sqlite:///{tmp_path / 'home/.local/share/planmap/views.sqlite3'}"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_url() == f"sqlite:///{tmp_path / 'xdg/planmap/views.sqlite3'}"
    monkeypatch.setenv("PLANMAP_DATA", str(tmp_path / "data"))
    assert default_url() == f"sqlite:///{tmp_path / 'data/views.sqlite3'}"
    monkeypatch.setenv("PLANMAP_DB", "postgresql+psycopg://u@h/db")
    assert default_url() == "postgresql+psycopg://u@h/db"
    assert str(ROOT) not in default_url()


def test_data_folder_is_created_on_first_run(monkeypatch, tmp_path):
    monkeypatch.delenv("PLANMAP_DB", raising=False)
    monkeypatch.setenv("PLANMAP_DATA", str(tmp_path / "not" / "yet"))
    ViewsDB().create("河北钢铁", "?industry=steel")
    assert (tmp_path / "not" / "yet" / "views.sqlite3").is_file()
    assert names(ViewsDB()) == ["河北钢铁"]  # kept across opening again


def test_sqlite_runs_in_wal_mode_with_a_ten_second_busy_timeout(db):
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10000


# --- CRUD and positions -------------------------------------------------------
def test_create_list_get(db):
    a = db.create("  唐山钢铁 ", "?industry=steel&view=唐山市", "先看唐山")
    b = db.create("河南", "?province=henan")
    assert a["name"] == "唐山钢铁" and a["query"] == "?industry=steel&view=唐山市" and a["note"] == "先看唐山"
    assert (a["position"], b["position"]) == (1, 2) and b["note"] == ""
    assert a["created"].endswith("Z") and a["created"][:2] == "20"
    assert db.get(a["id"]) == a
    assert names(db) == ["唐山钢铁", "河南"]
    with pytest.raises(ViewNotFound):
        db.get(999)


def test_moving_a_view_renumbers_the_others(db):
    for n in "ABCDE":
        db.create(n, f"?q={n}")
    ids = {v["name"]: v["id"] for v in db.list_views()}
    db.update(ids["D"], position=2)
    assert names(db) == list("ADBCE") and positions(db) == [1, 2, 3, 4, 5]
    db.update(ids["A"], position=5)
    assert names(db) == list("DBCEA") and positions(db) == [1, 2, 3, 4, 5]
    with pytest.raises(ViewsInvalid) as e:
        db.update(ids["A"], position=6)
    assert e.value.field == "position"
    assert names(db) == list("DBCEA")


def test_rename_and_note_change_only_those(db):
    v = db.create("旧名", "?q=x")
    changed = db.update(v["id"], name="新名", note="讲稿")
    assert (changed["name"], changed["note"], changed["query"], changed["position"]) == (
        "新名",
        "讲稿",
        "?q=x",
        1,
    )
    with pytest.raises(ViewNotFound):
        db.update(4242, name="x")


def test_delete_closes_the_gap_and_restore_undoes_it(db):
    for n in "ABCD":
        db.create(n, f"?q={n}")
    b = next(v for v in db.list_views() if v["name"] == "B")
    gone = db.delete(b["id"])
    assert gone == b and names(db) == list("ACD") and positions(db) == [1, 2, 3]
    db.create("E", "?q=E")  # a save in between must not take B's id
    back = db.restore(gone)
    assert back["id"] == b["id"] and back["position"] == 2 and back["created"] == b["created"]
    assert names(db) == list("ABCDE") and positions(db) == [1, 2, 3, 4, 5]
    with pytest.raises(ViewNotFound):
        db.delete(b["id"] + 100)


def test_restore_of_the_last_view_goes_last(db):
    db.create("A", "")
    z = db.create("Z", "?q=z")
    db.delete(z["id"])
    assert db.restore(z)["position"] == 2 and names(db) == ["A", "Z"]


# --- limits ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "name, query, note, field",
    [
        ("", "?q=x", None, "name"),
        ("   ", "?q=x", None, "name"),
        ("长" * 81, "?q=x", None, "name"),
        (12, "?q=x", None, "name"),
        ("ok", "?q=" + "x" * 1999, None, "query"),
        ("ok", None, None, "query"),
        ("ok", "?q=x", "n" * 501, "note"),
        ("ok", "?q=x", ["n"], "note"),
    ],
)
def test_limits_are_refused_naming_the_field(db, name, query, note, field):
    with pytest.raises(ViewsInvalid) as e:
        db.create(name, query, note)
    assert e.value.field == field
    assert db.list_views() == []


def test_limits_at_the_edge_are_accepted(db):
    v = db.create("长" * 80, "?q=" + "x" * 1997, "n" * 500)
    assert len(v["name"]) == 80 and len(v["query"]) == 2000 and len(v["note"]) == 500


def test_query_refused_by_the_validator_carries_its_notices(db):
    with pytest.raises(ViewsInvalid) as e:
        db.create("x", "?industry=steel&colour=red")
    assert e.value.field == "query" and e.value.notices == ["unknown link parameter 'colour'"]
    assert "colour" in str(e.value)


def test_at_most_500_views(db):
    tour = "views:\n" + "".join(f"  - {{name: v{i}, filters: {{q: v{i}}}}}\n" for i in range(500))
    assert len(db.import_tour(tour)[0]) == 500
    with pytest.raises(ViewsFull, match="500"):
        db.create("one more", "?q=x")
    assert len(db.list_views()) == 500 and positions(db) == list(range(1, 501))


# --- databases that cannot be opened --------------------------------------------
def test_file_of_random_bytes_is_named_and_left_alone(tmp_path):
    path = tmp_path / "views.sqlite3"
    junk = os.urandom(8192)
    path.write_bytes(junk)
    with pytest.raises(ViewsDBError) as e:
        ViewsDB(f"sqlite:///{path}")
    assert str(path) in str(e.value) and "not a database" in str(e.value)
    assert path.read_bytes() == junk  # nothing overwritten: the owner can still rescue it


def test_unwritable_folder_is_named(tmp_path):
    (tmp_path / "afile").write_text("x")  # a file where a folder should be: no one can create inside it
    with pytest.raises(ViewsDBError) as e:
        ViewsDB(f"sqlite:///{tmp_path / 'afile' / 'sub' / 'views.sqlite3'}")
    assert "afile" in str(e.value)


@pytest.mark.parametrize(
    "url, shown",
    [
        ("not a url", "not a url"),
        ("nosuchdb://x/y", "nosuchdb"),
        ("postgresql+psycopg://planner:secret@127.0.0.1:1/views", "127.0.0.1:1"),
    ],
)
def test_bad_url_is_named_without_its_password(url, shown):
    with pytest.raises(ViewsDBError) as e:
        ViewsDB(url)
    assert shown in str(e.value) and "secret" not in str(e.value)


def test_locked_database_makes_writes_wait_then_fail_clearly(tmp_path):
    path = tmp_path / "views.sqlite3"
    db = ViewsDB(f"sqlite:///{path}", busy_timeout_ms=400)
    db.create("A", "?q=a")
    db.create("B", "?q=b")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    other.execute("UPDATE views SET name = name")
    try:
        t0 = time.monotonic()
        with pytest.raises(ViewsDBError) as e:
            db.create("C", "?q=c")
        waited = time.monotonic() - t0
        assert waited >= 0.35, waited
        assert (
            "locked" in str(e.value) and str(path) in str(e.value) and "nothing was changed" in str(e.value)
        )
        with pytest.raises(ViewsDBError):
            db.delete(db.list_views()[0]["id"])
        assert names(db) == ["A", "B"]  # reads go on while another holds the write lock
    finally:
        other.execute("ROLLBACK")
        other.close()
    db.create("C", "?q=c")
    assert names(db) == ["A", "B", "C"] and positions(db) == [1, 2, 3]


# --- migrations -----------------------------------------------------------------
def _version_1_file(path):
    """A database as the first schema version left it: no note, no updated."""
    con = sqlite3.connect(path)
    con.executescript("""
        CREATE TABLE schema_version (version INTEGER NOT NULL);
        INSERT INTO schema_version VALUES (1);
        CREATE TABLE views (id INTEGER PRIMARY KEY AUTOINCREMENT, name VARCHAR(80) NOT NULL,
                            query VARCHAR(2000) NOT NULL, position INTEGER NOT NULL, created DATETIME NOT NULL);
        INSERT INTO views (name, query, position, created) VALUES ('旧视图', '?q=x', 1, '2025-03-01 08:00:00.000000');
    """)
    con.commit()
    con.close()


def _columns(path):
    con = sqlite3.connect(path)
    try:
        return [r[1] for r in con.execute("PRAGMA table_info(views)")], con.execute(
            "SELECT version FROM schema_version"
        ).fetchone()[0]
    finally:
        con.close()


def test_older_schema_is_migrated_keeping_its_views(tmp_path):
    path = tmp_path / "v1.sqlite3"
    _version_1_file(path)
    db = ViewsDB(f"sqlite:///{path}")
    assert db.schema_version() == len(views_db.MIGRATIONS) == 2
    (old,) = db.list_views()
    assert (old["name"], old["query"], old["note"]) == ("旧视图", "?q=x", "")
    assert old["created"] == old["updated"] == "2025-03-01T08:00:00Z"
    assert db.create("新", "?q=y", "带注")["position"] == 2


def test_failed_migration_leaves_the_old_schema(tmp_path, monkeypatch):
    path = tmp_path / "v1.sqlite3"
    _version_1_file(path)

    def broken(conn):
        conn.exec_driver_sql("ALTER TABLE views ADD COLUMN half_done TEXT")
        raise RuntimeError("disk full")

    monkeypatch.setattr(views_db, "MIGRATIONS", [*views_db.MIGRATIONS, broken])
    with pytest.raises(RuntimeError):
        ViewsDB(f"sqlite:///{path}")
    cols, version = _columns(path)
    assert version == 1 and "note" not in cols and "half_done" not in cols  # all or nothing
    monkeypatch.undo()
    assert ViewsDB(f"sqlite:///{path}").list_views()[0]["name"] == "旧视图"


def test_newer_schema_is_refused_untouched(tmp_path):
    path = tmp_path / "v.sqlite3"
    ViewsDB(f"sqlite:///{path}").create("A", "")
    con = sqlite3.connect(path)
    con.execute("UPDATE schema_version SET version = 99")
    con.commit()
    con.close()
    with pytest.raises(ViewsDBError, match="newer"):
        ViewsDB(f"sqlite:///{path}")
    assert _columns(path)[1] == 99


# --- tour files -----------------------------------------------------------------
def test_export_import_round_trip(db, tmp_path):
    db.create("唐山钢铁", "?industry=steel&view=唐山市&layers=elements,links", "先讲钢铁")
    db.create("十二五对比十三五", "?industry=steel&province=hebei&compare=2011-2015|2016-2020")
    db.create("全图", "")
    db.create("带符号", "?q=a%26b%3Dc")
    text = db.export_tour()
    again = ViewsDB(f"sqlite:///{tmp_path / 'again.sqlite3'}", validate_query=known_keys_only)
    imported, notices = again.import_tour(text)
    assert notices == []

    def meaning(vs):
        return [(v["name"], v["note"], parse_qs(v["query"].lstrip("?"))) for v in vs]

    assert meaning(imported) == meaning(db.list_views()) == meaning(again.list_views())
    assert parse_qs(imported[3]["query"].lstrip("?")) == {"q": ["a&b=c"]}


def test_shipped_tour_imports_whole(db):
    imported, notices = db.import_tour((ROOT / "geodata" / "views.yaml").read_text(encoding="utf-8"))
    assert len(imported) == 8 and imported[0]["name"].startswith("河北沿海经济隆起带")
    assert parse_qs(imported[0]["query"].lstrip("?")) == {
        "plan": ["000"],
        "kind": ["belt,new_area,group"],
        "view": ["115.6,37.6,120.2,40.6"],
    }
    assert notices == ["English names (name_en) are not kept in the saved views"]


def test_bad_import_entries_are_skipped_one_notice_each(db):
    db.create("已有", "?q=x")
    tour = """views:
  - {name: 好的, filters: {industry: steel}, view: 唐山市}
  - {name: 有怪键, filters: {q: x}, colour: red}
  - {name: 坏筛选, filters: {colour: red}}
  - {filters: {q: nameless}}
  - just a string
  - {name: 值是映射, filters: {q: {a: 1}}}
  - {name: 第二个好的, layers: [elements, links]}
"""
    imported, notices = db.import_tour(tour)
    assert [v["name"] for v in imported] == ["好的", "第二个好的"]
    assert [v["position"] for v in imported] == [2, 3]
    assert len(notices) == 5
    for number, word in zip((2, 3, 4, 5, 6), ("colour", "colour", "name", "mapping", "q")):
        assert any(n.startswith(f"view {number}") and word in n for n in notices), (number, notices)
    assert imported[1]["query"] == "?layers=elements,links"


@pytest.mark.parametrize("text", ["views: [unclosed", "just text", "views: {a: 1}", ""])
def test_not_a_tour_is_refused(db, text):
    with pytest.raises(ViewsInvalid) as e:
        db.import_tour(text)
    assert e.value.field == "body"


def test_import_beyond_the_limit_imports_nothing(tmp_path):
    db = ViewsDB(f"sqlite:///{tmp_path / 'v.sqlite3'}", max_views=3)
    db.create("A", "")
    with pytest.raises(ViewsFull):
        db.import_tour("views: [{name: B}, {name: C}, {name: D}]")
    assert names(db) == ["A"]
