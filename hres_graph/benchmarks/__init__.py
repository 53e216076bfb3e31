"""Benchmarks (scripts that print figures, not timed tests): their figures go in the README.

    python -m hres_graph.benchmarks http [--quick]   # hres serve vs rdflib-endpoint, same data (issue 5)
    python -m hres_graph.benchmarks load [--quick]   # timeouts under load, 32 clients for 60 s (issue 8 §3-4)
    python -m hres_graph.benchmarks.slow_clients     # lookups under slowloris, idle and non-reading clients (issue 14)

Without `--quick` they serve var/current (the last `hres build`; `--store` for another). `--quick`
uses a small synthetic store and short phases; tests/benchmarks runs reduced versions of both and
checks only facts that hold on any machine (statuses, rows, timeouts within their bound), never speed.

| module | job |
|---|---|
| `http.py` | the comparison with rdflib-endpoint: lookup and named queries, concurrency 8 |
| `load.py` | pathological queries beside lookups; the 60 s mixed load |
| `slow_clients.py` | lookups while slowloris, idle, non-reading and HEAD clients hold connections, new code against an old checkout |
| `named.py` | the named queries' text with an example's parameters written in (both servers get the same) |
| `common.py` | stores, queries, the bounded load client, tables (and re-exports the two below) |
| `servers.py` | `hres serve` and rdflib-endpoint in subprocesses, on free loopback ports |
| `procfs.py` | process CPU and memory from /proc |
| `rdflib_server.py` | rdflib-endpoint over an N-Quads file, restartable without reloading |
| `fixture.py` | the small synthetic dataset (States, ratifications, UPR recommendations) |

Everything talks to 127.0.0.1 only; every loop is bounded in count and time; every server started is
stopped at the end. Run them as modules (`-m`): this package's `http.py` would shadow the standard
library's `http` if the folder were put on sys.path.
"""
from __future__ import annotations

import sys

COMMANDS = ("http", "load")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in COMMANDS:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    if argv[0] == "http":
        from .http import main as run
    else:
        from .load import main as run
    return run(argv[1:])
