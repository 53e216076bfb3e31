"""The worker pool's resilience: a dead worker, and a new build behind `var/current`."""
from __future__ import annotations

import json
import os
import signal
import time

import pyoxigraph as ox

from .conftest import FIXTURE, VERSION, make_var_dir

QUERY = {"query": "ASK { ?s ?p ?o }"}


def wait_for(condition, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_a_worker_that_dies_gives_503_and_is_replaced(make_app):
    app = make_app(QUERY_WORKERS=1)
    pool = app.extensions["hres"].pool
    client = app.test_client()
    assert client.get("/sparql", query_string=QUERY).status_code == 200
    (victim,) = list(pool._live)
    os.kill(victim.process.pid, signal.SIGKILL)
    victim.process.wait(5)
    response = client.get("/sparql", query_string=QUERY)
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert wait_for(lambda: client.get("/sparql", query_string=QUERY).status_code == 200)
    assert pool.restarts >= 1


def test_a_new_build_is_picked_up_without_a_restart(tmp_path):
    from server import create_app

    settings = make_var_dir(tmp_path)
    app = create_app({"TESTING": True, "QUERY_WORKERS": 1, "RELOAD_CHECK_S": 0.05}, settings=settings)
    try:
        client = app.test_client()
        assert client.get("/sparql", query_string=QUERY).headers["HRES-Dataset-Version"] == VERSION
        newer = tmp_path / "stores" / "newer"
        store = ox.Store(str(newer))
        store.bulk_load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
        meta = ox.NamedNode("https://w3id.org/hres/graph/meta")
        version = ox.NamedNode("http://purl.org/dc/terms/hasVersion")
        dataset = ox.NamedNode("https://w3id.org/hres/dataset")
        store.remove(ox.Quad(dataset, version, ox.Literal(VERSION), meta))
        store.add(ox.Quad(dataset, version, ox.Literal("0.0.1+newer"), meta))
        store.flush()
        del store
        link = tmp_path / "current.tmp"
        link.symlink_to("stores/newer")
        os.replace(link, tmp_path / "current")  # what hres_graph.store.swap_current does
        time.sleep(0.1)

        def answered_by_newer() -> bool:
            response = client.get("/sparql", query_string={
                "query": "SELECT ?v WHERE { GRAPH graph:meta { ?d dcterms:hasVersion ?v } }"})
            rows = json.loads(response.data)["results"]["bindings"]
            return response.headers["HRES-Dataset-Version"] == "0.0.1+newer" and \
                rows[0]["v"]["value"] == "0.0.1+newer"

        assert wait_for(answered_by_newer)
        assert client.get("/void").headers["HRES-Dataset-Version"] == "0.0.1+newer"
    finally:
        app.extensions["hres"].close()
