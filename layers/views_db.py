"""Saved views in a real database: SQLite by default, PostgreSQL when several hosts share them.

    db = ViewsDB(default_url(), validate_query=page_query_notices)
    db.create("唐山钢铁", "?industry=steel&view=唐山市")

Where: `$PLANMAP_DB` (any SQLAlchemy URL, e.g. postgresql+psycopg://user:pw@host/db) wins; otherwise
the SQLite file `views.sqlite3` in `$PLANMAP_DATA`, default `$XDG_DATA_HOME/planmap` or
`~/.local/share/planmap` (outside the checkout, created on first run).

Why SQLite in WAL mode with a busy timeout: several gunicorn workers write the same file; WAL lets
readers go on while one writer works, and the timeout makes a second writer wait instead of failing.
Every write is one transaction that takes the write lock first (SQLite `BEGIN IMMEDIATE`, PostgreSQL
`LOCK TABLE views IN EXCLUSIVE MODE`), so "new view goes last" (max(position)+1) and the 500-view
limit hold under concurrent saves.

Why a hand-written `schema_version` table and not Alembic: one table, no autogenerate needed, no
extra dependency, works offline and inside the app's own start-up. MIGRATIONS is an ordered list;
at open, the ones the database has not had yet run in one transaction, so an interrupted upgrade
leaves the old schema intact.
"""

from __future__ import annotations

import os
import re
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qsl, quote

import sqlalchemy as sa
import yaml

MAX_VIEWS = 500
MAX_NAME, MAX_NOTE, MAX_QUERY = 80, 500, 2000
BUSY_TIMEOUT_MS = 10000
# keys of the page's URL that are not filters: in the tour file they sit beside `filters`
PAGE_KEYS = ("sel", "pref", "layers", "view", "compare", "lang")
TOUR_KEYS = {"name", "name_en", "note", "filters", *PAGE_KEYS}


class ViewsDBError(RuntimeError):
    """The database cannot be opened or written; the message names it and says why."""


class ViewsFull(ViewsDBError):
    """The database already holds MAX_VIEWS views."""


class ViewsInvalid(ValueError):
    """A value a user gave is refused; `field` names it, `notices` are the validator's words."""

    def __init__(self, field: str, message: str, notices: list[str] | None = None):
        super().__init__(message)
        self.field, self.notices = field, list(notices or [])


class ViewNotFound(LookupError):
    pass


# --- where ---------------------------------------------------------------
def data_dir() -> Path:
    if os.environ.get("PLANMAP_DATA"):
        return Path(os.environ["PLANMAP_DATA"]).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "planmap"


def default_url() -> str:
    """$PLANMAP_DB, else the SQLite file in the per-user data folder."""
    return os.environ.get("PLANMAP_DB") or f"sqlite:///{data_dir() / 'views.sqlite3'}"


# --- schema --------------------------------------------------------------
_meta = sa.MetaData()
views = sa.Table(
    "views",
    _meta,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(MAX_NAME), nullable=False),
    sa.Column("query", sa.String(MAX_QUERY), nullable=False),
    sa.Column("note", sa.String(MAX_NOTE), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("created", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated", sa.DateTime(timezone=True)),
)
schema_version = sa.Table("schema_version", _meta, sa.Column("version", sa.Integer, nullable=False))


def _v1_views_table(conn) -> None:
    """Version 1: the views themselves (what the YAML file held: a name and the page's query)."""
    m = sa.MetaData()
    # AUTOINCREMENT on SQLite: ids are never reused, so undoing a delete can give the id back
    sa.Table(
        "views",
        m,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(MAX_NAME), nullable=False),
        sa.Column("query", sa.String(MAX_QUERY), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sqlite_autoincrement=True,
    )
    m.create_all(conn)


def _v2_note_and_updated(conn) -> None:
    """Version 2: a presenter's note for each view, and when it last changed."""
    ts = sa.DateTime(timezone=True).compile(dialect=conn.dialect)
    conn.exec_driver_sql(f"ALTER TABLE views ADD COLUMN note VARCHAR({MAX_NOTE}) NOT NULL DEFAULT ''")
    conn.exec_driver_sql(f"ALTER TABLE views ADD COLUMN updated {ts}")
    conn.exec_driver_sql("UPDATE views SET updated = created")


MIGRATIONS: list[Callable] = [_v1_views_table, _v2_note_and_updated]


# --- values --------------------------------------------------------------
def _now() -> datetime:
    return datetime.now(UTC)


def _iso(dt: datetime | None) -> str | None:
    """UTC, second precision, 'Z': SQLite hands timestamps back without a zone, PostgreSQL with one."""
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _as_dict(row) -> dict:
    m = row._mapping
    return {
        "id": m["id"],
        "name": m["name"],
        "query": m["query"],
        "note": m["note"],
        "position": m["position"],
        "created": _iso(m["created"]),
        "updated": _iso(m["updated"]),
    }


def check_name(name) -> str:
    if not isinstance(name, str):
        raise ViewsInvalid("name", "name must be text")
    name = name.strip()
    if not 1 <= len(name) <= MAX_NAME:
        raise ViewsInvalid("name", f"name must be 1 to {MAX_NAME} characters (got {len(name)})")
    return name


def check_note(note) -> str:
    if note is None:
        return ""
    if not isinstance(note, str):
        raise ViewsInvalid("note", "note must be text")
    if len(note) > MAX_NOTE:
        raise ViewsInvalid("note", f"note must be at most {MAX_NOTE} characters (got {len(note)})")
    return note.strip()


def check_position(position) -> int:
    if isinstance(position, bool) or not isinstance(position, int):
        raise ViewsInvalid("position", "position must be a whole number")
    return position


# --- the tour file (geodata/views.yaml format) ---------------------------
def _quote_value(s: str) -> str:
    """Percent-encode only what would break a query; Chinese stays readable."""
    return "".join(c if c.isprintable() and c not in "&=#%+? " else quote(c) for c in s)


def _tour_scalar(value) -> str | None:
    if isinstance(value, bool):
        return "show" if value else "hide"
    if isinstance(value, (str, int, float)):
        return str(value)
    if isinstance(value, list) and all(
        isinstance(x, (str, int, float)) and not isinstance(x, bool) for x in value
    ):
        return ",".join(str(x) for x in value)
    return None


def tour_entry_to_query(entry: dict) -> str:
    """One tour entry -> the page's URL query; ValueError names what is wrong."""
    unknown = sorted(set(entry) - TOUR_KEYS)
    if unknown:
        raise ValueError(f"unknown key '{str(unknown[0])[:40]}'; known: {', '.join(sorted(TOUR_KEYS))}")
    filters = entry.get("filters") or {}
    if not isinstance(filters, dict):
        raise ValueError("filters must be a mapping of link keys to values")
    pairs = []
    for key, value in [*filters.items(), *((k, entry[k]) for k in PAGE_KEYS if k in entry)]:
        text = _tour_scalar(value)
        if text is None:
            raise ValueError(f"value of '{str(key)[:40]}' must be text, a number or a list of them")
        pairs.append(f"{_quote_value(str(key))}={_quote_value(text)}")
    return "?" + "&".join(pairs) if pairs else ""


def query_to_tour_entry(view: dict) -> dict:
    entry: dict = {"name": view["name"]}
    filters: dict = {}
    for key, value in parse_qsl(view["query"].lstrip("?"), keep_blank_values=True):
        if key in PAGE_KEYS:
            entry[key] = [x for x in value.split(",") if x] if key == "layers" else value
        else:
            filters[key] = f"{filters[key]},{value}" if key in filters else value
    if filters:
        entry = {"name": entry.pop("name"), "filters": filters, **entry}
    if view.get("note"):
        entry["note"] = view["note"]
    return entry


# --- the database --------------------------------------------------------
class ViewsDB:
    def __init__(
        self,
        url: str | None = None,
        *,
        validate_query: Callable[[str], list[str]] | None = None,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
        max_views: int = MAX_VIEWS,
    ):
        self.validate_query = validate_query or (lambda q: [])
        self.max_views, self.busy_timeout_ms = max_views, busy_timeout_ms
        self.engine = _engine(url or default_url(), busy_timeout_ms)
        self.where = _describe(self.engine.url)
        self.sqlite = self.engine.dialect.name == "sqlite"
        try:
            self._migrate()
        except ViewsDBError:
            raise
        except (sa.exc.SQLAlchemyError, OSError) as e:
            raise ViewsDBError(f"cannot open the saved views database {self.where}: {_reason(e)}") from e
        # gunicorn --preload forks after the app is built: each worker must open its own connections
        # (a weak reference: the hook cannot be removed, it must not keep a closed database alive)
        engine = weakref.ref(self.engine)
        os.register_at_fork(after_in_child=lambda: engine() is not None and engine().dispose(close=False))

    # transactions
    @contextmanager
    def _tx(self, write: bool) -> Iterator[sa.Connection]:
        conn = None
        try:
            conn = self.engine.connect()
            if self.sqlite:
                conn = conn.execution_options(sqlite_begin="IMMEDIATE" if write else "DEFERRED")
            with conn.begin():
                yield conn
        except sa.exc.OperationalError as e:
            if "locked" in str(e.orig) or "busy" in str(e.orig):
                raise ViewsDBError(
                    f"the saved views database {self.where} is locked by another writer (waited "
                    f"{self.busy_timeout_ms / 1000:g} s); nothing was changed, try again"
                ) from e
            raise ViewsDBError(f"the saved views database {self.where} failed: {_reason(e)}") from e
        except sa.exc.DBAPIError as e:
            raise ViewsDBError(f"the saved views database {self.where} failed: {_reason(e)}") from e
        finally:
            if conn is not None:
                conn.close()

    @contextmanager
    def _write(self) -> Iterator[sa.Connection]:
        with self._tx(write=True) as conn:
            if not self.sqlite:
                conn.exec_driver_sql("LOCK TABLE views IN EXCLUSIVE MODE")
            yield conn

    def _migrate(self) -> None:
        with self._tx(write=True) as conn:
            if conn.dialect.name == "postgresql":  # two workers opening a new database at once
                conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7301)")
            if not sa.inspect(conn).has_table("schema_version"):
                schema_version.create(conn)
                conn.execute(schema_version.insert().values(version=0))
            version = conn.execute(sa.select(schema_version.c.version)).scalar_one()
            if version > len(MIGRATIONS):
                raise ViewsDBError(
                    f"the saved views database {self.where} has schema version {version}, "
                    f"newer than this program knows ({len(MIGRATIONS)}): upgrade planmap"
                )
            for number in range(version, len(MIGRATIONS)):
                MIGRATIONS[number](conn)
                conn.execute(schema_version.update().values(version=number + 1))

    def schema_version(self) -> int:
        with self._tx(write=False) as conn:
            return conn.execute(sa.select(schema_version.c.version)).scalar_one()

    # reading
    def list_views(self) -> list[dict]:
        with self._tx(write=False) as conn:
            rows = conn.execute(sa.select(views).order_by(views.c.position, views.c.id))
            return [_as_dict(r) for r in rows]

    def get(self, view_id: int) -> dict:
        with self._tx(write=False) as conn:
            return _as_dict(self._row(conn, view_id))

    @staticmethod
    def _row(conn, view_id: int):
        row = conn.execute(sa.select(views).where(views.c.id == view_id)).first()
        if row is None:
            raise ViewNotFound(f"no saved view {view_id}")
        return row

    # writing
    def check_query(self, query) -> str:
        if not isinstance(query, str):
            raise ViewsInvalid("query", "query must be text (the page's URL query, e.g. ?industry=steel)")
        query = query.strip()
        if len(query) > MAX_QUERY:
            raise ViewsInvalid("query", f"query must be at most {MAX_QUERY} characters (got {len(query)})")
        notices = list(self.validate_query(query))
        if notices:
            raise ViewsInvalid("query", "query not understood: " + "; ".join(notices), notices)
        return query

    def _count(self, conn) -> int:
        return conn.execute(sa.select(sa.func.count()).select_from(views)).scalar_one()

    def _room_for(self, conn, n: int) -> int:
        count = self._count(conn)
        if count + n > self.max_views:
            raise ViewsFull(
                f"the saved views database {self.where} holds {count} views, at most "
                f"{self.max_views} are kept: delete some before saving more"
            )
        return count

    def _insert(
        self,
        conn,
        name: str,
        query: str,
        note: str,
        position: int | None = None,
        view_id: int | None = None,
        created: datetime | None = None,
    ) -> dict:
        count = self._room_for(conn, 1)
        last = conn.execute(sa.select(sa.func.max(views.c.position))).scalar() or 0
        if position is None or position > count:
            position = last + 1
        else:
            position = max(1, position)
            conn.execute(
                views.update().where(views.c.position >= position).values(position=views.c.position + 1)
            )
        now = _now()
        values = dict(
            name=name, query=query, note=note, position=position, created=created or now, updated=now
        )
        if (
            view_id is not None
            and conn.execute(sa.select(views.c.id).where(views.c.id == view_id)).first() is None
        ):
            values["id"] = view_id
        new_id = conn.execute(views.insert().values(**values)).inserted_primary_key[0]
        if "id" in values and conn.dialect.name == "postgresql":
            _sequence_past(conn, new_id)
        return _as_dict(self._row(conn, new_id))

    def create(self, name, query, note=None) -> dict:
        name, note, query = check_name(name), check_note(note), self.check_query(query)
        with self._write() as conn:
            return self._insert(conn, name, query, note)

    def update(self, view_id: int, *, name=None, note=None, position=None) -> dict:
        """Rename, re-note or move a view; moving renumbers the views between its old and new place."""
        changes = {}
        if name is not None:
            changes["name"] = check_name(name)
        if note is not None:
            changes["note"] = check_note(note)
        if position is not None:
            position = check_position(position)
        with self._write() as conn:
            old = self._row(conn, view_id)._mapping["position"]
            if position is not None and position != old:
                count = self._count(conn)
                if not 1 <= position <= count:
                    raise ViewsInvalid("position", f"position must be between 1 and {count}")
                shift = (
                    (views.c.position.between(position, old - 1), +1)
                    if position < old
                    else (views.c.position.between(old + 1, position), -1)
                )
                conn.execute(views.update().where(shift[0]).values(position=views.c.position + shift[1]))
                changes["position"] = position
            if changes:
                conn.execute(views.update().where(views.c.id == view_id).values(**changes, updated=_now()))
            return _as_dict(self._row(conn, view_id))

    def delete(self, view_id: int) -> dict:
        """Remove a view and close the gap; returns it so that restore() can undo."""
        with self._write() as conn:
            gone = _as_dict(self._row(conn, view_id))
            conn.execute(views.delete().where(views.c.id == view_id))
            conn.execute(
                views.update()
                .where(views.c.position > gone["position"])
                .values(position=views.c.position - 1)
            )
            return gone

    def restore(self, view: dict) -> dict:
        """Undo a delete: the view goes back at its position (its id too, when still free)."""
        if not isinstance(view, dict):
            raise ViewsInvalid("view", "restore needs the deleted view")
        name, note, query = (
            check_name(view.get("name")),
            check_note(view.get("note")),
            self.check_query(view.get("query")),
        )
        position = check_position(view.get("position", 10**9))
        view_id = view.get("id")
        if view_id is not None and (isinstance(view_id, bool) or not isinstance(view_id, int)):
            raise ViewsInvalid("id", "id must be a whole number")
        created = None
        if isinstance(view.get("created"), str):
            try:
                created = datetime.fromisoformat(view["created"].replace("Z", "+00:00"))
            except ValueError:
                raise ViewsInvalid("created", "created must be an ISO timestamp") from None
        with self._write() as conn:
            return self._insert(conn, name, query, note, position, view_id, created)

    # the tour file
    def export_tour(self) -> str:
        entries = [query_to_tour_entry(v) for v in self.list_views()]
        head = (
            "# Saved views exported from planmap, in the format of geodata/views.yaml:\n"
            "# name, filters (same keys as the URL), layers, view, optional sel, compare and note.\n"
        )
        return head + yaml.safe_dump({"views": entries}, allow_unicode=True, sort_keys=False, width=1000)

    def import_tour(self, text: str) -> tuple[list[dict], list[str]]:
        """Add the views of a tour file after the existing ones.

        A bad entry is skipped with one notice naming it and the rest are imported: a hand-edited tour
        with one typo should not lose the other twenty. The good ones go in one transaction, so a failure
        half-way (or too many views) leaves the database as it was.
        """
        try:
            doc = yaml.safe_load(text)
        except yaml.YAMLError as e:
            raise ViewsInvalid("body", f"not YAML: {str(e).splitlines()[0][:200]}") from None
        entries = doc.get("views") if isinstance(doc, dict) else None
        if not isinstance(entries, list):
            raise ViewsInvalid("body", "a tour file is a mapping with a list under 'views:'")
        good, notices = [], []
        for number, entry in enumerate(entries, 1):
            label = f"view {number}" + (
                f" ({str(entry.get('name'))[:40]})" if isinstance(entry, dict) else ""
            )
            try:
                if not isinstance(entry, dict):
                    raise ValueError("not a mapping with name and filters")
                query = self.check_query(tour_entry_to_query(entry))
                good.append((check_name(entry.get("name")), query, check_note(entry.get("note"))))
            except (ValueError, ViewsInvalid) as e:
                notices.append(f"{label} skipped: {e}")
        if any(isinstance(e, dict) and "name_en" in e for e in entries):
            notices.append("English names (name_en) are not kept in the saved views")
        with self._write() as conn:
            self._room_for(conn, len(good))
            imported = [self._insert(conn, *g) for g in good]
        return imported, notices


def _sequence_past(conn, view_id: int) -> None:
    """After inserting an explicit id, PostgreSQL's id sequence must not hand it out again later."""
    seq = conn.exec_driver_sql("SELECT pg_get_serial_sequence('views', 'id')").scalar_one()
    if conn.exec_driver_sql(f"SELECT last_value FROM {seq}").scalar_one() < view_id:
        conn.execute(sa.text("SELECT setval(CAST(:seq AS regclass), :id)"), {"seq": seq, "id": view_id})


# --- opening -------------------------------------------------------------
def _describe(url: sa.URL) -> str:
    if url.get_backend_name() == "sqlite":
        return f"'{url.database or ':memory:'}'"
    return f"'{url.render_as_string(hide_password=True)}'"


def _reason(e: BaseException) -> str:
    orig = getattr(e, "orig", None) or e
    return (str(orig).strip().splitlines() or [type(orig).__name__])[0][:300]


def _engine(url_text: str, busy_timeout_ms: int) -> sa.Engine:
    try:
        url = sa.make_url(url_text)
        if url.drivername in ("postgresql", "postgres"):
            url = url.set(drivername="postgresql+psycopg")  # the driver we ship; psycopg2 is not installed
        if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
            Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, pool_pre_ping=url.get_backend_name() != "sqlite")
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError, ImportError, OSError, ValueError) as e:
        shown = re.sub(r":[^:@/]*@", ":***@", url_text)
        raise ViewsDBError(f"cannot open the saved views database '{shown}': {_reason(e)}") from e
    if engine.dialect.name == "sqlite":
        _sqlite_events(engine, busy_timeout_ms)
    return engine


def _sqlite_events(engine: sa.Engine, busy_timeout_ms: int) -> None:
    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # we send BEGIN ourselves (pysqlite's own BEGIN is deferred)
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql(f"BEGIN {conn.get_execution_options().get('sqlite_begin', 'DEFERRED')}")
