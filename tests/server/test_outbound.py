"""No query or update reaches the network (issue 14, item 3): a loopback listener records every
connection, and every spelling of SERVICE and LOAD Oxigraph accepts is sent at it, on every route.

The old guard was a tokenizer: `SERVICEe:x` (a keyword glued to a prefixed name) read to it as one
prefixed name, while Oxigraph read SERVICE and connected. The guarantee now is the worker's
sandbox (seccomp: only AF_UNIX sockets), so these tests only count connections; the status is
checked to be a client error or an answer, never a 5xx.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading

import pytest

from suites.procfs import status_number

from .conftest import ROOT, UPDATE_TOKEN, make_var_dir

AUTH = {"Authorization": f"Bearer {UPDATE_TOKEN}"}


class Listener:
    """A TCP server on 127.0.0.1 that counts connections and closes each at once."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            conn.close()


@pytest.fixture(scope="module")
def listener():
    server = Listener()
    yield server
    server.sock.close()


def endpoint_spellings(port: int) -> list[tuple[str, str]]:
    """(prologue, SERVICE clause) pairs, each naming the listener a different way."""
    iri = f"http://127.0.0.1:{port}/sparql"
    e = f"PREFIX e: <http://127.0.0.1:{port}/> "
    empty = f"PREFIX : <http://127.0.0.1:{port}/> "
    escaped = iri.replace("s", "\\u0073").replace("1", "\\U00000031")
    return [
        ("", f"SERVICE <{iri}>"),
        (e, "SERVICEe:sparql"),
        (empty, "SERVICE:sparql"),
        (e, "SERVICESILENT e:sparql"),
        (e, "SERVICE SILENT e:sparql"),
        (e, "service e:sparql"),
        (e, "SeRvIcE\te:sparql"),
        (e, "SERVICE\n#comment }\ne:sparql"),
        ("", f"SERVICE <{escaped}>"),
        (f"BASE <http://127.0.0.1:{port}/> ", "SERVICE <sparql>"),
        (f"BASE <http://127.0.0.1:{port}/a/> ", "SERVICE <../sparql>"),
        (f"PREFIX e: <http://127.0.0.1:{port}/\\u0073> ", "SERVICE e:parql"),
        (e, "SERVICE e:sp\\-arql"),
    ]


def query_shapes(service: str) -> list[str]:
    block = f"{service} {{ ?s ?p ?o }}"
    return [
        f"SELECT * WHERE {{ {block} }}",
        f"SELECT * WHERE {{ OPTIONAL {{ {block} }} }}",
        f"SELECT * WHERE {{ {{ SELECT * WHERE {{ {block} }} }} }}",
        f"ASK {{ {block} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {block} }}",
        f"DESCRIBE ?s WHERE {{ {block} }}",
        f"SELECT * WHERE {{ ?a ?b ?c MINUS {{ {block} }} }}",
        f"SELECT * WHERE {{ BIND(1 AS ?a) FILTER EXISTS {{ {block} }} }}",
        f"SELECT * WHERE {{ BIND(1 AS ?a) FILTER NOT EXISTS {{ {block} }} }}",
        f"SELECT * WHERE {{ {{ ?a ?b ?c }} UNION {{ {block} }} }}",
        f"SELECT * WHERE {{ GRAPH ?g {{ {block} }} }}",
    ]


def all_queries(port: int) -> list[str]:
    out = []
    for prologue, service in endpoint_spellings(port):
        out.extend(prologue + q for q in query_shapes(service))
    assert len(out) >= 140  # guards against the generator silently shrinking
    return out


def test_no_spelling_of_service_reaches_the_network_from_sparql(make_app, listener):
    client = make_app().test_client()
    reached = []
    for text in all_queries(listener.port):
        before = listener.connections
        for method in ("get", "post"):
            response = (
                client.get("/sparql", query_string={"query": text})
                if method == "get"
                else client.post("/sparql", data=text, content_type="application/sparql-query")
            )
            assert response.status_code < 500, (text, response.data)
        if listener.connections != before:
            reached.append(text)
    assert reached == []


def test_the_engine_s_refusal_is_a_clear_400(make_app, listener):
    """`SERVICEe:x` passes the lexer; Oxigraph reads SERVICE, the sandbox denies the socket."""
    client = make_app().test_client()
    text = f"PREFIX e: <http://127.0.0.1:{listener.port}/> SELECT * WHERE {{ SERVICEe:x {{ ?s ?p ?o }} }}"
    response = client.get("/sparql", query_string={"query": text})
    assert response.status_code == 400
    assert b"refused: this endpoint makes no outbound requests" in response.data


def test_query_workers_are_confined_by_default_and_open_with_allow_remote(make_app, listener):
    def seccomp_modes(app) -> set[str]:
        pool = app.extensions["hres"].pool
        modes = set()
        for w in pool._live:
            modes.add(str(status_number(w.process.pid, "Seccomp")))
        return modes

    assert seccomp_modes(make_app()) == {"2"}  # 2: a filter is installed
    open_app = make_app(ALLOW_REMOTE=[f"http://127.0.0.1:{listener.port}/allowed/"])
    assert seccomp_modes(open_app) == {"0"}


@pytest.fixture(scope="module")
def sandbox_app(tmp_path_factory):
    from server import create_app

    settings = make_var_dir(tmp_path_factory.mktemp("outbound-sandbox"))
    app = create_app({"TESTING": True, "UPDATE_TOKEN": UPDATE_TOKEN, "QUERY_TIMEOUT": 2}, settings=settings)
    yield app
    app.extensions["hres"].close()


def all_updates(port: int) -> list[str]:
    e = f"PREFIX e: <http://127.0.0.1:{port}/> "
    out = [
        f"LOAD <http://127.0.0.1:{port}/data.nt>",
        e + "LOADe:data.nt",
        e + "LOAD e:data.nt",
        e + "LOADSILENT e:data.nt",
        e + "LOAD SILENT e:data.nt",
        e + "load e:data.nt INTO GRAPH <http://example.org/g>",
        e + "LoAd\ne:data.nt\nINTO GRAPH e:g",
        f"BASE <http://127.0.0.1:{port}/> LOAD <data.nt>",
        e + "INSERT DATA { <urn:a> <urn:b> 1 } ; LOADe:data.nt",
        e + "INSERT { <urn:a> <urn:b> ?o } USING e:g WHERE { ?s ?p ?o }",
        e + "INSERT { <urn:a> <urn:b> ?o } USING NAMED e:g WHERE { GRAPH ?g { ?s ?p ?o } }",
        e + "WITH e:g DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    ]
    for prologue, service in endpoint_spellings(port):
        out.append(prologue + f"INSERT {{ <urn:a> <urn:b> ?o }} WHERE {{ {service} {{ ?s ?p ?o }} }}")
        out.append(prologue + f"DELETE {{ ?s ?p ?o }} WHERE {{ OPTIONAL {{ {service} {{ ?s ?p ?o }} }} }}")
    assert len(out) >= 35
    return out


def updates_reaching(client, listener) -> list[str]:
    """Every update spelling sent to /update; those after which the listener saw a connection."""
    reached = []
    for text in all_updates(listener.port):
        before = listener.connections
        response = client.post("/update", data={"update": text}, headers=AUTH)
        assert response.status_code < 500, (text, response.data)
        if listener.connections != before:
            reached.append(text)
    return reached


def test_no_load_using_with_or_service_in_an_update_reaches_the_network(sandbox_app, listener):
    assert updates_reaching(sandbox_app.test_client(), listener) == []


def test_a_glued_load_is_refused_by_the_sandbox_with_a_clear_400(sandbox_app, listener):
    client = sandbox_app.test_client()
    text = f"PREFIX e: <http://127.0.0.1:{listener.port}/> LOADe:data.nt"
    response = client.post("/update", data={"update": text}, headers=AUTH)
    assert response.status_code == 400 and b"no outbound requests" in response.data


# --- with ALLOW_REMOTE, the worker has network: rdflib's parse decides ------------------------


def test_with_allow_remote_only_the_allowed_prefix_is_called(make_app, listener):
    allowed = f"http://127.0.0.1:{listener.port}/allowed/"
    client = make_app(ALLOW_REMOTE=[allowed]).test_client()
    reached = []
    for text in all_queries(listener.port):
        before = listener.connections
        response = client.get("/sparql", query_string={"query": text})
        assert response.status_code < 500, (text, response.data)
        if listener.connections != before:
            reached.append(text)
    assert reached == []
    before = listener.connections
    response = client.get(
        "/sparql", query_string={"query": f"PREFIX e: <{allowed}> SELECT * WHERE {{ SERVICE e:x {{ ?s ?p ?o }} }}"}
    )
    assert listener.connections > before  # the allowed endpoint is called (it hangs up: 502)
    assert response.status_code == 502, response.data


def test_with_allow_remote_a_query_rdflib_cannot_parse_is_refused_saying_why(make_app, listener):
    client = make_app(ALLOW_REMOTE=[f"http://127.0.0.1:{listener.port}/allowed/"]).test_client()
    text = "SELECT * WHERE { << <urn:a> <urn:b> <urn:c> >> <urn:d> ?o }"  # RDF 1.2: Oxigraph yes, rdflib no
    response = client.get("/sparql", query_string={"query": text})
    assert response.status_code == 400 and b"rdflib" in response.data


# --- the command line ------------------------------------------------------------------------


def test_hres_query_never_reaches_the_network(settings, listener):
    env = dict(os.environ, HRES_VAR_DIR=str(settings.var_dir), PYTHONPATH=str(ROOT))
    e = f"PREFIX e: <http://127.0.0.1:{listener.port}/> "
    for text in (
        e + "SELECT * WHERE { SERVICEe:x { ?s ?p ?o } }",
        f"PREFIX : <http://127.0.0.1:{listener.port}/> ASK {{ OPTIONAL {{ SERVICE:x {{}} }} }}",
        e + "SELECT * WHERE { SERVICESILENT e:x { ?s ?p ?o } }",
    ):
        before = listener.connections
        result = subprocess.run(
            [sys.executable, "-m", "hres_graph", "query", text],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            timeout=60,
        )
        assert listener.connections == before, text
        assert result.returncode in (0, 2) and "Traceback" not in result.stderr, result.stderr


# --- HRES_BACKEND=sparql: queries go to an external store, which could itself federate ---------


class FakeStore:
    """A SPARQL endpoint on 127.0.0.1 that records every query text it is sent and answers empty."""

    def __init__(self):
        import http.server
        import json
        import re
        import urllib.parse

        received = self.received = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                form = urllib.parse.parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
                text = form["query"][0]
                received.append(text)
                doc = (
                    {"head": {}, "boolean": False}
                    if re.search(r"\bASK\b", text)
                    else {"head": {"vars": []}, "results": {"bindings": []}}
                )
                body = json.dumps(doc).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def external(tmp_path_factory):
    import dataclasses

    from server import create_app

    store = FakeStore()
    settings = dataclasses.replace(
        make_var_dir(tmp_path_factory.mktemp("external")), backend="sparql", sparql_query_url=store.url
    )
    app = create_app({"TESTING": True, "QUERY_TIMEOUT": 5}, settings=settings)
    yield app, store
    app.extensions["hres"].close()
    store.server.shutdown()
    store.server.server_close()


def test_with_an_external_store_no_service_spelling_is_forwarded(external, listener):
    app, store = external
    client = app.test_client()
    assert client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"}).status_code == 200
    assert any("LIMIT 1" in text for text in store.received)  # plain queries do reach the store
    forwarded = []
    for text in all_queries(listener.port):
        before = len(store.received)
        response = client.get("/sparql", query_string={"query": text})
        assert response.status_code == 400, (text, response.data)
        forwarded += store.received[before:]
    assert forwarded == []


def test_with_allow_remote_the_update_writer_loads_only_allowed_sources(tmp_path_factory, listener):
    from server import create_app

    allowed = f"http://127.0.0.1:{listener.port}/allowed/"
    settings = make_var_dir(tmp_path_factory.mktemp("outbound-allow"))
    app = create_app(
        {"TESTING": True, "UPDATE_TOKEN": UPDATE_TOKEN, "QUERY_TIMEOUT": 2, "ALLOW_REMOTE": [allowed]},
        settings=settings,
    )
    try:
        client = app.test_client()
        assert updates_reaching(client, listener) == []
        before = listener.connections
        response = client.post("/update", data={"update": f"LOAD <{allowed}data.nt>"}, headers=AUTH)
        assert listener.connections > before and response.status_code == 502, response.data
    finally:
        app.extensions["hres"].close()


def test_with_an_external_store_an_unknown_dataset_graph_is_not_forwarded(external, listener):
    app, store = external
    before = len(store.received)
    response = app.test_client().get(
        "/sparql",
        query_string={
            "query": "SELECT * WHERE { ?s ?p ?o }",
            "default-graph-uri": f"http://127.0.0.1:{listener.port}/g",
        },
    )
    assert response.status_code == 400 and b"no graph of this store" in response.data
    assert not any("SELECT * WHERE { ?s ?p ?o }" in text for text in store.received[before:])
