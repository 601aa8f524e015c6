"""The saved views HTTP API through Flask's test client: status codes, bad input, who may write, junk."""

import json
import logging
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from views_wsgi import known_keys_only, make_app

from layers.views_db import ViewsDB

JSON = "application/json"


@pytest.fixture(autouse=True)
def loopback_server(monkeypatch):
    monkeypatch.delenv("PLANMAP_PUBLIC", raising=False)
    monkeypatch.delenv("PLANMAP_EDIT_TOKEN", raising=False)


def make_client(tmp_path, **kw):
    db = ViewsDB(
        f"sqlite:///{tmp_path / 'views.sqlite3'}", validate_query=kw.pop("validate", known_keys_only), **kw
    )
    return make_app(db).test_client()


@pytest.fixture
def client(tmp_path):
    return make_client(tmp_path)


def post(client, body, path="/api/views", **kw):
    return client.post(path, data=json.dumps(body), content_type=JSON, **kw)


def patch(client, view_id, body, **kw):
    return client.patch(f"/api/views/{view_id}", data=json.dumps(body), content_type=JSON, **kw)


def names(client):
    return [v["name"] for v in client.get("/api/views").get_json()["views"]]


# --- the happy path ---------------------------------------------------------------
def test_save_list_rename_move_delete_undo(client):
    assert client.get("/api/views").get_json() == {"views": []}
    r = post(client, {"name": "唐山钢铁", "query": "?industry=steel&view=唐山市", "note": "先看"})
    assert r.status_code == 201
    a = r.get_json()
    assert {"id", "name", "query", "note", "position", "created"} <= set(a) and a["position"] == 1
    b = post(client, {"name": "河南", "query": "?province=henan"}).get_json()
    post(client, {"name": "全图", "query": ""})
    listed = client.get("/api/views").get_json()["views"]
    assert [v["name"] for v in listed] == ["唐山钢铁", "河南", "全图"] and listed[0] == a
    assert client.get(f"/api/views/{b['id']}").get_json() == b

    r = patch(client, a["id"], {"name": "唐山", "position": 3})
    assert r.status_code == 200 and r.get_json()["position"] == 3
    assert names(client) == ["河南", "全图", "唐山"]

    r = client.delete(f"/api/views/{b['id']}")
    assert r.status_code == 200 and r.get_json() == {**b, "position": 1}
    assert names(client) == ["全图", "唐山"]
    r = post(client, r.get_json(), path=f"/api/views/{b['id']}/restore")
    assert r.status_code == 201 and r.get_json()["id"] == b["id"]
    assert names(client) == ["河南", "全图", "唐山"]


def test_export_and_import_tour(client):
    tour = (
        "views:\n  - {name: 钢铁, filters: {industry: steel}, view: 河北省}\n"
        "  - {name: 坏的, filters: {colour: red}}\n"
    )
    r = client.post("/api/views/import", data=tour.encode(), content_type="application/yaml")
    assert r.status_code == 200
    body = r.get_json()
    assert [v["name"] for v in body["imported"]] == ["钢铁"] and len(body["notices"]) == 1
    assert "colour" in body["notices"][0]
    r = client.get("/api/views/export")
    assert r.status_code == 200 and r.mimetype == "application/yaml"
    assert "name: 钢铁" in r.get_data(as_text=True) and "industry: steel" in r.get_data(as_text=True)


# --- status codes -------------------------------------------------------------------
@pytest.mark.parametrize("method", ["get", "patch", "delete"])
@pytest.mark.parametrize("view_id", ["7", "99999999999999999999999"])
def test_unknown_id_is_404_json(client, method, view_id):
    kw = {"data": json.dumps({"name": "x"}), "content_type": JSON} if method == "patch" else {}
    r = getattr(client, method)(f"/api/views/{view_id}", **kw)
    assert r.status_code == 404 and r.is_json and "error" in r.get_json()


def test_unknown_routes_and_methods_answer_json(client):
    for r, status in (
        (client.get("/api/views/nope"), 404),
        (client.put("/api/views"), 405),
        (client.post("/api/views/export"), 405),
        (client.post("/api/views/nope"), 405),
        (client.delete("/api/views"), 405),
    ):
        assert r.status_code == status and r.is_json, (r.status_code, r.data[:80])


def test_body_over_16_kb_is_413_json(client):
    r = post(client, {"name": "x", "query": "", "note": "n" * 17000})
    assert r.status_code == 413 and r.is_json
    r = client.post("/api/views/import", data=b"views: []\n" + b"#" * 17000, content_type="application/yaml")
    assert r.status_code == 413 and r.is_json
    assert names(client) == []


@pytest.mark.parametrize(
    "data, content_type, field",
    [
        ("name=x&query=", "application/x-www-form-urlencoded", "body"),
        ('{"name": "x", "query": ""}', "text/plain", "body"),
        ("{not json", JSON, "body"),
        (b"\xff\xfe{}", JSON, "body"),
        ("[1, 2]", JSON, "body"),
        ('{"query": "?q=x"}', JSON, "name"),
        ('{"name": "x"}', JSON, "query"),
        ('{"name": 5, "query": ""}', JSON, "name"),
        ('{"name": "", "query": ""}', JSON, "name"),
        (json.dumps({"name": "长" * 81, "query": ""}), JSON, "name"),
        ('{"name": "x", "query": ["?q=x"]}', JSON, "query"),
        (json.dumps({"name": "x", "query": "?q=" + "x" * 2000}), JSON, "query"),
        ('{"name": "x", "query": "", "note": null}', JSON, "note"),
        (json.dumps({"name": "x", "query": "", "note": "n" * 501}), JSON, "note"),
        ('{"name": "x", "query": "", "colour": "red"}', JSON, "colour"),
        ("[" * 5000 + "]" * 5000, JSON, "body"),
    ],
)
def test_bad_save_is_400_naming_the_field(client, data, content_type, field):
    r = client.post("/api/views", data=data, content_type=content_type)
    assert r.status_code == 400 and r.get_json()["field"] == field, r.data[:200]
    assert names(client) == []


def test_query_refused_by_the_page_parser_returns_its_notices(client):
    r = post(client, {"name": "x", "query": "?industry=steel&colour=red"})
    assert r.status_code == 400
    assert r.get_json()["field"] == "query" and r.get_json()["notices"] == ["unknown link parameter 'colour'"]


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "body"),
        ({"position": True}, "position"),
        ({"position": "2"}, "position"),
        ({"position": 9}, "position"),
        ({"name": None}, "name"),
        ({"name": "x", "query": "?q=y"}, "query"),
        ({"note": 3}, "note"),
    ],
)
def test_bad_change_is_400_naming_the_field(client, body, field):
    v = post(client, {"name": "A", "query": ""}).get_json()
    r = patch(client, v["id"], body)
    assert r.status_code == 400 and r.get_json()["field"] == field
    assert client.get(f"/api/views/{v['id']}").get_json() == v


def test_restore_body_must_match_its_address(client):
    v = post(client, {"name": "A", "query": ""}).get_json()
    gone = client.delete(f"/api/views/{v['id']}").get_json()
    r = post(client, gone, path=f"/api/views/{v['id'] + 1}/restore")
    assert r.status_code == 400 and r.get_json()["field"] == "id" and names(client) == []


def test_import_needs_yaml(client):
    r = client.post("/api/views/import", data="views: []", content_type="text/plain")
    assert r.status_code == 400 and r.get_json()["field"] == "body"
    r = client.post("/api/views/import", data="views: [unclosed", content_type="application/yaml")
    assert r.status_code == 400 and r.get_json()["field"] == "body"


def test_full_database_is_409(tmp_path):
    client = make_client(tmp_path, max_views=2)
    for n in "AB":
        assert post(client, {"name": n, "query": ""}).status_code == 201
    r = post(client, {"name": "C", "query": ""})
    assert r.status_code == 409 and "at most 2" in r.get_json()["error"]
    assert names(client) == ["A", "B"]


def test_locked_database_is_503_and_loses_nothing(tmp_path):
    client = make_client(tmp_path, busy_timeout_ms=200)
    post(client, {"name": "A", "query": ""})
    other = sqlite3.connect(tmp_path / "views.sqlite3", isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    other.execute("UPDATE views SET name = name")
    try:
        r = post(client, {"name": "B", "query": ""})
        assert r.status_code == 503 and "locked" in r.get_json()["error"] and r.headers["Retry-After"]
        assert names(client) == ["A"]
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert post(client, {"name": "B", "query": ""}).status_code == 201


def test_server_bug_is_500_json_and_logged_with_the_request(tmp_path, caplog):
    def broken_parser(query):
        raise KeyError("oops")

    client = make_client(tmp_path, validate=broken_parser)
    with caplog.at_level(logging.ERROR, logger="planmap.api"):
        r = post(client, {"name": "x", "query": "?q=y"})
    assert r.status_code == 500 and r.is_json and "Traceback" not in r.get_data(as_text=True)
    assert any("POST /api/views" in rec.getMessage() for rec in caplog.records)


# --- who may write --------------------------------------------------------------------
def test_loopback_server_lets_anyone_on_this_machine_write(client):
    assert post(client, {"name": "A", "query": ""}).status_code == 201
    r = post(client, {"name": "B", "query": ""}, environ_base={"REMOTE_ADDR": "::1"})
    assert r.status_code == 201


def test_public_server_without_a_token_refuses_writes_and_says_how(client, monkeypatch):
    post(client, {"name": "A", "query": ""})
    monkeypatch.setenv("PLANMAP_PUBLIC", "1")
    r = post(client, {"name": "B", "query": ""})
    assert r.status_code == 403 and "PLANMAP_EDIT_TOKEN" in r.get_json()["error"]
    v = client.get("/api/views").get_json()["views"][0]
    assert client.delete(f"/api/views/{v['id']}").status_code == 403
    assert client.get("/api/views").status_code == 200 and names(client) == ["A"]  # reads stay open
    assert client.get("/api/views/export").status_code == 200


def test_public_server_writes_need_the_exact_token(client, monkeypatch):
    monkeypatch.setenv("PLANMAP_PUBLIC", "1")
    monkeypatch.setenv("PLANMAP_EDIT_TOKEN", "s3cret-规划")
    for headers in ({}, {"X-Edit-Token": "s3cret"}, {"X-Edit-Token": "s3cret-规划x"}):
        r = post(client, {"name": "B", "query": ""}, headers=headers)
        assert r.status_code == 403 and "X-Edit-Token" in r.get_json()["error"]
    r = post(
        client, {"name": "B", "query": ""}, headers={"X-Edit-Token": "s3cret-规划".encode().decode("latin-1")}
    )
    assert r.status_code == 201 and names(client) == ["B"]


def test_request_from_another_machine_needs_the_token_even_without_the_flag(client, monkeypatch):
    far = {"REMOTE_ADDR": "192.0.2.7"}
    r = post(client, {"name": "A", "query": ""}, environ_base=far)
    assert r.status_code == 403
    monkeypatch.setenv("PLANMAP_EDIT_TOKEN", "tok")
    assert (
        post(
            client, {"name": "A", "query": ""}, environ_base=far, headers={"X-Edit-Token": "tok"}
        ).status_code
        == 201
    )


# --- junk never breaks it ---------------------------------------------------------------
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda kids: (
        st.lists(kids, max_size=4)
        | st.dictionaries(
            st.sampled_from(["name", "query", "note", "position", "id", "created", "x"])
            | st.text(max_size=8),
            kids,
            max_size=5,
        )
    ),
    max_leaves=12,
)
bodies = st.one_of(
    st.binary(max_size=300),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.text(max_size=200).map(str.encode),
)


def test_junk_bodies_always_answer_json_never_500(tmp_path):
    client = make_client(tmp_path)
    seed = post(client, {"name": "seed", "query": ""}).get_json()
    paths = [
        ("post", "/api/views"),
        ("patch", f"/api/views/{seed['id']}"),
        ("post", f"/api/views/{seed['id']}/restore"),
        ("post", "/api/views/import"),
        ("delete", "/api/views/0"),
        ("patch", "/api/views/-1"),
    ]

    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        where=st.sampled_from(paths),
        body=bodies,
        content_type=st.sampled_from(
            [JSON, "application/yaml", "text/plain", "", "application/json; charset=latin-1"]
        ),
    )
    def run(where, body, content_type):
        method, path = where
        r = getattr(client, method)(path, data=body, content_type=content_type)
        assert r.status_code < 500, (r.status_code, r.data[:300])
        assert r.is_json and "error" in r.get_json() or r.status_code in (200, 201), r.data[:300]

    run()
