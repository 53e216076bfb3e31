"""Benchmark (not a test): what running queries in worker processes costs per query.

    python tests/server/bench_pool_overhead.py [STORE_DIR] [--n 2000]

Compares, for the same queries and the same JSON writer:
- direct:  store.query() + results.write_json in this process (what a thread-based server does);
- pool:    WorkerPool.run(): pickle the job, socketpair round trip, query + write in the worker;
and prints the median and p99 per query and the median difference (the overhead). Without
STORE_DIR it builds the server tests' fixture store in a temporary directory.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from hres_graph.namespaces import PREFIXES  # noqa: E402
from server import results  # noqa: E402
from server.pool import WorkerPool  # noqa: E402

QUERIES = {
    "ask": "ASK {}",
    "lookup": "SELECT ?p ?o WHERE { { SELECT ?s WHERE { ?s a hres:Recommendation } LIMIT 1 } ?s ?p ?o }",
    "1000 rows": "SELECT ?a ?b ?c WHERE { VALUES ?a { %s } VALUES ?b { %s } VALUES ?c { %s } }"
    % ((" ".join(str(i) for i in range(10)),) * 3),
}


def direct(store: ox.Store, text: str) -> bytes:
    answer = store.query(text, prefixes=PREFIXES, use_default_graph_as_union=True)
    if isinstance(answer, ox.QueryBoolean):
        return results.write_boolean(bool(answer), "json")
    variables = [v.value for v in answer.variables]
    return results.write_json(variables, (tuple(s) for s in answer), results.Caps(100_000, 64 * 2**20)).body


def timed(fn, n: int) -> list[float]:
    for _ in range(min(50, n)):  # warm-up
        fn()
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def summary(samples: list[float]) -> tuple[float, float]:
    samples = sorted(samples)
    return statistics.median(samples), samples[int(len(samples) * 0.99) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("store", nargs="?")
    parser.add_argument("--n", type=int, default=2000)
    args = parser.parse_args()
    tmp = None
    path = args.store
    if path is None:
        tmp = tempfile.TemporaryDirectory()
        path = str(Path(tmp.name) / "store")
        store = ox.Store(path)
        store.bulk_load(path=str(Path(__file__).with_name("fixture.trig")), format=ox.RdfFormat.TRIG)
        store.flush()
        del store
    store = ox.Store.read_only(path)
    pool = WorkerPool(path, size=1)
    try:
        print(f"{'query':10} {'direct p50/p99 ms':>20} {'pool p50/p99 ms':>18} {'overhead p50 ms':>16}")
        for name, text in QUERIES.items():
            job = {
                "op": "query",
                "text": text,
                "format": "json",
                "row_cap": 100_000,
                "default_graphs": [],
                "named_graphs": [],
                "base_iri": None,
                "has_from": False,
                "from_iris": [],
                "allow_remote": [],
            }
            d = summary(timed(lambda: direct(store, text), args.n))
            p = summary(timed(lambda: pool.run(job, timeout=10, wait=10), args.n))
            print(f"{name:10} {d[0]:9.3f} / {d[1]:7.3f} {p[0]:8.3f} / {p[1]:7.3f} {p[0] - d[0]:16.3f}")
    finally:
        pool.close()
        if tmp:
            tmp.cleanup()


if __name__ == "__main__":
    main()
