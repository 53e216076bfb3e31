"""The worker pool's resilience: a dead worker, and a new build behind `var/current`."""

from __future__ import annotations

import json
import os
import signal
import threading
import time

import pyoxigraph as ox

from server.pool import LONG_LANE_NICE

from .conftest import FIXTURE, VERSION, make_var_dir

QUERY = {"query": "ASK { ?s ?p ?o }"}


def wait_for(condition, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_a_worker_killed_while_idle_costs_the_next_request_nothing(make_app):
    """Issue 14 item 12: the job goes to a fresh worker, not a 503 (the old pool answered 503)."""
    app = make_app(QUERY_WORKERS=1)
    pool = app.extensions["hres"].pool
    client = app.test_client()
    assert client.get("/sparql", query_string=QUERY).status_code == 200
    (victim,) = list(pool._live)
    os.kill(victim.process.pid, signal.SIGKILL)
    victim.process.wait(5)
    response = client.get("/sparql", query_string=QUERY)
    assert response.status_code == 200, response.data
    assert pool.restarts >= 1 and victim not in pool._live


def test_a_job_whose_worker_is_dead_at_hand_over_goes_to_another_worker(make_app):
    """The race the liveness check cannot see: the worker dies after it was taken, before the send."""
    app = make_app(QUERY_WORKERS=1)
    pool = app.extensions["hres"].pool
    client = app.test_client()
    taken = pool._take

    def take_then_die(deadline):
        w = taken(deadline)
        if w.process.poll() is None and not getattr(pool, "_killed_once", False):
            pool._killed_once = True
            w.process.kill()
            w.process.wait(5)
        return w

    pool._take = take_then_die
    try:
        response = client.get("/sparql", query_string=QUERY)
    finally:
        pool._take = taken
    assert response.status_code == 200, response.data


def test_a_worker_that_dies_while_answering_gives_503_and_is_replaced(make_app):
    app = make_app(QUERY_WORKERS=1, LONG_QUERIES=0)
    pool = app.extensions["hres"].pool
    client = app.test_client()
    (victim,) = list(pool._live)
    threading.Timer(0.5, lambda: os.kill(victim.process.pid, signal.SIGKILL)).start()
    response = client.get("/sparql", query_string={"query": counting(10, 7)})
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert b"SIGKILL" in response.data
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
        os.replace(link, tmp_path / "current")  # what hres_graph.store.oxigraph.swap_current does
        time.sleep(0.1)

        def answered_by_newer() -> bool:
            response = client.get(
                "/sparql", query_string={"query": "SELECT ?v WHERE { GRAPH graph:meta { ?d dcterms:hasVersion ?v } }"}
            )
            rows = json.loads(response.data)["results"]["bindings"]
            return response.headers["HRES-Dataset-Version"] == "0.0.1+newer" and rows[0]["v"]["value"] == "0.0.1+newer"

        assert wait_for(answered_by_newer)
        assert client.get("/void").headers["HRES-Dataset-Version"] == "0.0.1+newer"
    finally:
        app.extensions["hres"].close()


# --- the long lane (pool.py) ----------------------------------------------------------------------
def counting(width: int, columns: int) -> str:
    """A query whose cost is width ** columns joined rows: 40 ** 6 never ends, 55 ** 4 takes ~0.6 s."""
    return "SELECT (COUNT(*) AS ?n) WHERE { %s }" % " ".join(
        "VALUES ?v%d { %s }" % (c, " ".join(str(i) for i in range(width))) for c in range(columns)
    )


RUNAWAY, MEDIUM = counting(40, 6), counting(55, 4)
LOOKUP = {"query": "SELECT ?s WHERE { ?s a ?type } LIMIT 1"}


def in_background(client, query: dict, outcome: dict):
    def send():
        started = time.monotonic()
        response = client.get("/sparql", query_string=query)
        outcome.update(status=response.status_code, seconds=time.monotonic() - started, body=response.data)

    thread = threading.Thread(target=send)
    thread.start()
    return thread


def nice_values(pool) -> list[int]:
    return sorted(os.getpriority(os.PRIO_PROCESS, w.query_thread) for w in list(pool._live))


def test_a_long_query_moves_to_the_long_lane_and_lookups_keep_their_worker(make_app):
    # QUEUE_TIMEOUT covers the spare's start (0.25 s idle machine, 0.55 s at load 8 with the sandbox)
    app = make_app(QUERY_WORKERS=1, QUEUE_TIMEOUT=1.5, LONG_QUERY_AFTER=0.2)
    pool, client = app.extensions["hres"].pool, app.test_client()
    base = os.getpriority(os.PRIO_PROCESS, 0)
    runaway: dict = {}
    thread = in_background(app.test_client(), {"query": RUNAWAY}, runaway)
    assert wait_for(lambda: pool.busy() == (0, 1), 2)
    assert nice_values(pool)[-1] == min(base + LONG_LANE_NICE, 19)  # the runaway's query thread
    answered = [client.get("/sparql", query_string=LOOKUP).status_code for _ in range(20)]
    assert thread.is_alive() and answered == [200] * 20  # with LONG_QUERIES=0 these are 503 (test_sparql)
    thread.join()
    assert runaway["status"] == 504 and runaway["seconds"] < 2 + 1
    assert wait_for(lambda: len(pool._live) == 1 and pool.busy() == (0, 0))  # the killed worker is not replaced twice


def test_a_query_beyond_the_long_lanes_limit_is_stopped_with_503(make_app):
    app = make_app(
        QUERY_WORKERS=1, LONG_QUERIES=1, LONG_QUERY_AFTER=0.2, QUEUE_TIMEOUT=3
    )  # a spare starts in time at load 15
    pool = app.extensions["hres"].pool
    first: dict = {}
    thread = in_background(app.test_client(), {"query": RUNAWAY}, first)
    assert wait_for(lambda: pool.busy() == (0, 1), 2)
    second = app.test_client().get("/sparql", query_string={"query": RUNAWAY + " "})
    assert second.status_code == 503 and second.headers["Retry-After"]
    assert b"LONG_QUERIES" in second.data
    thread.join()
    assert first["status"] == 504


def test_a_worker_back_from_the_long_lane_never_serves_at_low_priority(make_app):
    """It rejoins the idle workers with its priority restored (privileged) or is stopped and replaced."""
    app = make_app(QUERY_WORKERS=1, LONG_QUERY_AFTER=0.1, QUERY_TIMEOUT=20)
    pool, client = app.extensions["hres"].pool, app.test_client()
    base = os.getpriority(os.PRIO_PROCESS, 0)
    response = client.get("/sparql", query_string={"query": MEDIUM})
    assert response.status_code == 200 and json.loads(response.data)["results"]["bindings"][0]["n"]["value"] == str(
        55**4
    )
    assert wait_for(lambda: pool.busy() == (0, 0) and len(pool._live) == 1)
    assert nice_values(pool) == [base]
    assert client.get("/sparql", query_string=LOOKUP).status_code == 200
    (worker,) = pool._idle
    worker.lower_priority()
    assert nice_values(pool) == [min(base + LONG_LANE_NICE, 19)]
    restored = worker.restore_priority()
    assert restored or os.geteuid() != 0  # lowering a nice value back needs CAP_SYS_NICE
    assert nice_values(pool) == [base if restored else min(base + LONG_LANE_NICE, 19)]
