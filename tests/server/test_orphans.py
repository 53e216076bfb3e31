"""A query worker never outlives the server that started it.

The server enforces the query timeout by killing the worker; if the server itself is killed (kill -9,
the OOM killer), a worker in the middle of a runaway query would otherwise run on forever: one was
found at 25 CPU-minutes, re-parented to init, after a test's server had gone.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from suites.procfs import children, state

from .conftest import make_var_dir

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"

SERVER = textwrap.dedent("""
    import sys, threading, time
    from server.pool import WorkerPool
    pool = WorkerPool(sys.argv[1], size=1)
    job = {"op": "query", "text": sys.argv[2], "format": "json", "row_cap": 10, "byte_cap": 1 << 20,
           "base_iri": None}
    threading.Thread(target=pool.run, args=(job,), kwargs={"timeout": 600, "wait": 5}, daemon=True).start()
    print("running", flush=True)
    time.sleep(600)
""")


def _alive(pid: int) -> bool:
    return state(pid) not in ("", "Z")


def test_a_worker_running_a_query_exits_when_its_server_is_killed(tmp_path):
    make_var_dir(tmp_path)
    store = tmp_path / "stores" / "fixture"
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(store), RUNAWAY],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        assert server.stdout.readline().strip() == "running"
        deadline = time.monotonic() + 20
        workers: list[int] = []
        while not workers and time.monotonic() < deadline:
            workers = children(server.pid)
            time.sleep(0.1)
        assert workers, "the pool started no worker"
        time.sleep(1.0)  # the worker is now inside the runaway query
        assert all(_alive(w) for w in workers)
    finally:
        server.send_signal(signal.SIGKILL)
        server.wait(10)
        server.stdout.close()
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [w for w in workers if _alive(w)]
    for pid in left:  # do not leave the runaway behind for the rest of the suite
        os.kill(pid, signal.SIGKILL)
    assert not left, f"query workers {left} outlived their server"
