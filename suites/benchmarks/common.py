"""What the benchmarks share: the stores, the queries, a bounded load client and the tables; the
servers (servers.py) and /proc readings (suites/procfs.py) are re-exported, so `common.X` works for all.

Everything talks to 127.0.0.1 only; every loop is bounded in count or in time; every process started
here is stopped by `stop()` (the servers are context managers).
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import sys
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pyoxigraph as ox

from ..live_server import LOOPBACK, ROOT  # noqa: F401  (re-exported: c.LOOPBACK …)
from ..procfs import CpuSampler  # noqa: F401  (re-exported: c.CpuSampler)
from .servers import RdflibEndpoint, hres_server  # noqa: F401  (re-exported: c.hres_server …)

JSON = "application/sparql-results+json"
HRES = "https://w3id.org/hres/ontology#"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def machine() -> str:
    load = os.getloadavg()
    return (
        f"{os.cpu_count()} cores, load average {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} "
        f"(1 / 5 / 15 min), Python {sys.version.split()[0]}, pyoxigraph {ox.__version__}"
    )


# --- stores ----------------------------------------------------------------------------------------


def resolve_store(path: Path) -> Path:
    """A store directory, or a var directory holding `current` (what `hres build` makes)."""
    path = Path(path)
    if (path / "current").exists():
        path = path / "current"
    path = path.resolve()
    if not path.is_dir():
        raise SystemExit(f"error: no store at {path} (give a store directory or a var directory with `current`)")
    return path


def build_small_store(var_dir: Path, recommendations: int = 2000) -> Path:
    """ontology + vocab + reference (`build` with no sources) and the synthetic fixture; the store."""
    from hres_graph.build.pipeline import build
    from hres_graph.config import Settings

    from .fixture import add_fixture

    store = build(Settings(var_dir=Path(var_dir), sources=[]), log=lambda m: None).store
    add_fixture(store, recommendations)
    return Path(store)


def add_store_args(parser) -> None:
    """--store and --quick, the same for every benchmark script."""
    parser.add_argument(
        "--store",
        type=Path,
        help="a store directory, or a var directory with `current` (default: var/, the last "
        "`hres build`; with --quick, a small synthetic store)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a small synthetic store built in seconds (fixture.py) and short phases, for CI",
    )


def run_and_print(parse_args, run, render, argv) -> dict:
    """A benchmark script's main: run it, write --json first (the figures survive a failure to print them),
    print the tables; the report, for the script's exit status."""
    args = parse_args(argv)
    report = run(args)
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, default=str), encoding="utf-8")
    print(render(report, args))
    return report


def prepare_store(args, work: Path) -> tuple[Path, str]:
    """The store the run serves and a line that says what it is."""
    if args.quick and not args.store:
        return build_small_store(work / "var"), (
            "small synthetic store: ontology + vocab + reference + the fixture of fixture.py (2,000 recommendations)"
        )
    store = resolve_store(args.store or ROOT / "var")
    return store, str(store)


def export_nquads(store: Path, out: Path) -> int:
    """Dump the whole store as N-Quads, as `hres export --format nquads` does; the number of quads."""
    db = ox.Store.read_only(str(store))
    try:
        with open(out, "wb") as handle:
            db.dump(handle, ox.RdfFormat.N_QUADS)
    finally:
        del db
    with open(out, "rb") as handle:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))


def recommendation_iris(store: Path, limit: int) -> list[str]:
    db = ox.Store.read_only(str(store))
    try:
        rows = db.query(f"SELECT ?r WHERE {{ GRAPH ?g {{ ?r a <{HRES}Recommendation> }} }} LIMIT {int(limit)}")
        return sorted({row["r"].value for row in rows})
    finally:
        del db


def lookup_query(iri: str) -> str:
    return f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}"


def pathological_query(n: int) -> str:
    """COUNT over the three-way cross product of all recommendations (81,153^3 rows on the real build);
    the FILTER constant makes each text different, as an attacker's would be."""
    return (
        f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a a <{HRES}Recommendation> . ?b a <{HRES}Recommendation> . "
        f"?c a <{HRES}Recommendation> . FILTER(?a != <urn:hres-bench:{n}>) }}"
    )


# --- the load client -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    kind: str
    method: str
    path: str
    body: bytes | None = None
    headers: tuple = ()


def sparql_get(kind: str, query: str) -> Request:
    return Request(kind, "GET", "/sparql?" + urllib.parse.urlencode({"query": query}), None, (("Accept", JSON),))


def sparql_post(kind: str, query: str) -> Request:
    return Request(
        kind,
        "POST",
        "/sparql",
        query.encode("utf-8"),
        (("Accept", JSON), ("Content-Type", "application/sparql-query; charset=utf-8")),
    )


@dataclass
class Outcome:
    kind: str
    status: int  # the HTTP status; 0: no answer within the client's timeout; -1: connection error
    seconds: float
    end: float  # time.monotonic() when it ended
    body: bytes = b""


@dataclass
class LoadResult:
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0

    def of(self, kind: str | None = None) -> list[Outcome]:
        return [o for o in self.outcomes if kind is None or o.kind == kind]

    def statuses(self, kind: str | None = None) -> Counter:
        return Counter(o.status for o in self.of(kind))

    def ok(self, kind: str | None = None) -> list[Outcome]:
        return [o for o in self.of(kind) if o.status == 200]

    def errors(self, kind: str | None = None) -> int:
        return len(self.of(kind)) - len(self.ok(kind))

    def rate(self, kind: str | None = None) -> float:
        return len(self.ok(kind)) / self.seconds if self.seconds else 0.0

    def percentile(self, p: float, kind: str | None = None, ok_only: bool = True) -> float | None:
        values = sorted(o.seconds for o in (self.ok(kind) if ok_only else self.of(kind)))
        return percentile(values, p)


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile of sorted values."""
    if not values:
        return None
    rank = max(1, min(len(values), int(-(-p * len(values) // 100))))
    return values[rank - 1]


def run_load(
    port: int,
    clients: list[Callable[[int], Request]],
    *,
    duration: float,
    timeout: float,
    max_requests: int | None = None,
    keep_body: bool = False,
) -> LoadResult:
    """One thread per client, each on its own keep-alive connection, sending `client(i)` for its i-th
    request until `duration` seconds have passed (at least one each, at most `max_requests`); a request
    still running then
    is waited for, at most `timeout` seconds (the client's per-request timeout). Bounded: every thread
    is joined within duration + timeout + 10 s."""
    result = LoadResult()
    lock = threading.Lock()
    start = time.monotonic()
    deadline = start + duration

    def client(make: Callable[[int], Request]) -> None:
        conn = None
        mine: list[Outcome] = []
        i = 0
        while (i == 0 or time.monotonic() < deadline) and (max_requests is None or i < max_requests):
            request = make(i)
            i += 1
            if conn is None:
                conn = http.client.HTTPConnection(LOOPBACK, port, timeout=timeout)
            t0 = time.monotonic()
            body = b""
            try:
                headers = dict(request.headers)
                conn.request(request.method, request.path, body=request.body, headers=headers)
                response = conn.getresponse()
                body = response.read()
                status = response.status
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = None
            except socket.timeout:
                status = 0
            except (OSError, http.client.HTTPException):
                status = -1
            if status <= 0 and conn is not None:
                conn.close()
                conn = None
            end = time.monotonic()
            mine.append(
                Outcome(request.kind, status, end - t0, end, body if keep_body or status not in (200,) else b"")
            )
        if conn is not None:
            conn.close()
        with lock:
            result.outcomes.extend(mine)

    threads = [
        threading.Thread(target=client, args=(c,), name=f"bench-client-{n}", daemon=True) for n, c in enumerate(clients)
    ]
    for t in threads:
        t.start()
    limit = time.monotonic() + duration + timeout + 10
    for t in threads:
        t.join(max(limit - time.monotonic(), 0.01))
    result.seconds = max([o.end for o in result.outcomes] or [time.monotonic()]) - start
    return result


def one(port: int, request: Request, timeout: float) -> Outcome:
    """A single request (the probe before a measurement)."""
    return run_load(
        port, [lambda i: request], duration=0.0001, timeout=timeout, max_requests=1, keep_body=True
    ).outcomes[0]


def rows_in(body: bytes) -> int | None:
    try:
        return len(json.loads(body)["results"]["bindings"])
    except (ValueError, KeyError, TypeError):
        return None


# --- printing ------------------------------------------------------------------------------------


def ms(value: float | None) -> str:
    if value is None:
        return "–"
    value *= 1000
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def rate(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table (pasted into the README as it is)."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = lambda cells: "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"  # noqa: E731
    return "\n".join([line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, rows)])
