"""/update: off by default; with a token, writes go to a sandbox copy, never to the served store."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from .conftest import UPDATE_TOKEN, make_var_dir

AUTH = {"Authorization": f"Bearer {UPDATE_TOKEN}"}
G = "http://example.org/test/"


def test_updates_are_off_by_default(client):
    response = client.post("/update", data={"update": f"INSERT DATA {{ GRAPH <{G}g> {{ <{G}s> <{G}p> 1 }} }}"})
    assert response.status_code == 403 and b"read-only" in response.data
    assert client.get("/update").status_code == 405


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    from server import create_app

    settings = make_var_dir(tmp_path_factory.mktemp("sandbox"))
    app = create_app({"TESTING": True, "UPDATE_TOKEN": UPDATE_TOKEN, "QUERY_TIMEOUT": 2}, settings=settings)
    yield app, settings
    app.extensions["hres"].close()


def ask(client, query, **params) -> bool:
    response = client.get("/sparql", query_string={"query": query, **params})
    assert response.status_code == 200, response.data
    return json.loads(response.data)["boolean"]


def test_token_is_required(sandbox):
    client = sandbox[0].test_client()
    body = {"update": f"INSERT DATA {{ GRAPH <{G}g> {{ <{G}s> <{G}p> 1 }} }}"}
    for headers in ({}, {"Authorization": "Bearer wrong-token-wrong-token"}, {"Authorization": UPDATE_TOKEN}):
        response = client.post("/update", data=body, headers=headers)
        assert response.status_code == 401 and response.headers["WWW-Authenticate"].startswith("Bearer")


def test_insert_is_visible_to_queries_but_not_to_the_served_store(sandbox):
    app, settings = sandbox
    client = app.test_client()
    update = f'INSERT DATA {{ GRAPH <{G}g1> {{ <{G}s> <{G}p> "Ünïcødé" }} }}'
    assert (
        client.post("/update", data=update, content_type="application/sparql-update", headers=AUTH).status_code == 204
    )
    assert ask(client, f'ASK {{ GRAPH <{G}g1> {{ <{G}s> <{G}p> "Ünïcødé" }} }}')
    served = ox.Store.read_only(str(settings.current_store.resolve()))
    assert not served.contains_named_graph(ox.NamedNode(f"{G}g1"))
    assert (settings.var_dir / "update-sandbox").is_dir()


def test_using_graph_uri_is_applied(sandbox):
    client = sandbox[0].test_client()
    setup = f"INSERT DATA {{ GRAPH <{G}d1> {{ <{G}d1> a <{G}C> }} GRAPH <{G}d2> {{ <{G}d2> a <{G}C> }} }}"
    assert client.post("/update", data={"update": setup}, headers=AUTH).status_code == 204
    update = f"INSERT {{ GRAPH <{G}out> {{ ?s a <{G}D> }} }} WHERE {{ ?s a <{G}C> }}"
    response = client.post("/update", data={"update": update, "using-graph-uri": f"{G}d1"}, headers=AUTH)
    assert response.status_code == 204
    assert ask(client, f"ASK {{ GRAPH <{G}out> {{ <{G}d1> a <{G}D> }} }}")
    assert not ask(client, f"ASK {{ GRAPH <{G}out> {{ <{G}d2> a <{G}D> }} }}")


@pytest.mark.parametrize(
    "body, status, message",
    [
        (
            {"update": f"WITH <{G}g> INSERT {{ ?s ?p 1 }} WHERE {{ ?s ?p ?o }}", "using-graph-uri": f"{G}g"},
            400,
            b"WITH",
        ),
        ({"update": "LOAD <http://127.0.0.1:9/data.ttl>"}, 400, b"LOAD <http://127.0.0.1:9/data.ttl> is refused"),
        ({"update": "INSERT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}, 400, b"SERVICE"),
        ({"update": "CLEAR XYZ"}, 400, b"syntax error"),
        ({"update": "SELECT * WHERE { ?s ?p ?o }"}, 400, b"send queries to /sparql"),
        ({"update": ["CLEAR SILENT GRAPH <http://a/>", "CLEAR SILENT GRAPH <http://b/>"]}, 400, b"2 update"),
        ({"query": "ASK {}"}, 400, b"/update takes updates only"),
    ],
)
def test_update_errors(sandbox, body, status, message):
    response = sandbox[0].test_client().post("/update", data=body, headers=AUTH)
    assert response.status_code == status and message in response.data, response.data


def test_relative_iris_resolve_against_the_base(sandbox):
    client = sandbox[0].test_client()
    update = f"INSERT DATA {{ GRAPH <{G}base> {{ <{G}s> <{G}p> <test> }} }}"
    assert client.post("/update", data={"update": update}, headers=AUTH).status_code == 204
    assert ask(client, f"ASK {{ GRAPH <{G}base> {{ <{G}s> <{G}p> <https://w3id.org/hres/test> }} }}")
