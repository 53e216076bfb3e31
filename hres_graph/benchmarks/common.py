"""What the benchmarks share: the stores, the two servers in subprocesses, a bounded load client,
process CPU and memory from /proc, and the tables.

Everything talks to 127.0.0.1 only; every loop is bounded in count or in time; every process started
here is stopped by `stop()` (the servers are context managers).
"""
from __future__ import annotations

import http.client
import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[2]
LOOPBACK = "127.0.0.1"
JSON = "application/sparql-results+json"
HRES = "https://w3id.org/hres/ontology#"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def machine() -> str:
    load = os.getloadavg()
    return (f"{os.cpu_count()} cores, load average {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} "
            f"(1 / 5 / 15 min), Python {sys.version.split()[0]}, pyoxigraph {ox.__version__}")


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
    from hres_graph.build import build
    from hres_graph.config import Settings

    from .fixture import add_fixture

    store = build(Settings(var_dir=Path(var_dir), sources=[]), log=lambda m: None).store
    add_fixture(store, recommendations)
    return Path(store)


def add_store_args(parser) -> None:
    """--store and --quick, the same for every benchmark script."""
    parser.add_argument("--store", type=Path,
                        help="a store directory, or a var directory with `current` (default: var/, the last "
                             "`hres build`; with --quick, a small synthetic store)")
    parser.add_argument("--quick", action="store_true",
                        help="a small synthetic store built in seconds (fixture.py) and short phases, for CI")


def prepare_store(args, work: Path) -> tuple[Path, str]:
    """The store the run serves and a line that says what it is."""
    if args.quick and not args.store:
        return build_small_store(work / "var"), ("small synthetic store: ontology + vocab + reference + the "
                                                 "fixture of fixture.py (2,000 recommendations)")
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
    return (f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a a <{HRES}Recommendation> . ?b a <{HRES}Recommendation> . "
            f"?c a <{HRES}Recommendation> . FILTER(?a != <urn:hres-bench:{n}>) }}")


# --- /proc ---------------------------------------------------------------------------------------

_TICK = os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            try:
                found += [int(c) for c in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
            except OSError:
                continue
    except OSError:
        pass
    return found


def cpu_seconds(pid: int) -> float | None:
    """user + system CPU seconds of a live process (None when it is gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / _TICK


def rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return 0.0


def tree_cpu(pids: list[int]) -> dict[int, float]:
    return {pid: c for pid in pids if (c := cpu_seconds(pid)) is not None}


class CpuSampler:
    """Samples the CPU time of a process tree every `every` seconds in a thread, so that the CPU of
    workers killed between two samples is lost for at most one interval. `mark(name)` notes the total
    at a moment; `between(a, b)` is the CPU used between two marks, in % of one core."""

    def __init__(self, pids_now: Callable[[], list[int]], every: float = 0.2):
        self.pids_now, self.every = pids_now, every
        self.last: dict[int, float] = {}
        self.total = 0.0
        self.seen: set[int] = set()
        self.marks: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bench-cpu-sampler", daemon=True)

    def sample(self) -> None:
        now = tree_cpu(self.pids_now())
        with self._lock:
            self.total += sum(v - self.last.get(pid, 0.0) for pid, v in now.items())
            self.last = now
            self.seen.update(now)

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.sample()

    def mark(self, name: str) -> None:
        self.sample()
        with self._lock:
            self.marks[name] = (time.monotonic(), self.total)

    def wait_idle(self, since: str, *, below_percent: float, window: float, limit: float) -> float | None:
        """Seconds from mark `since` until a `window` in which the tree used less than `below_percent`
        of one core (the end of that window), or None if that did not come within `limit` seconds."""
        t_since = self.marks[since][0]
        while time.monotonic() - t_since < limit:
            self.mark("_window")
            time.sleep(window)
            self.mark("_window_end")
            if self.between("_window", "_window_end") < below_percent:
                return round(self.marks["_window_end"][0] - t_since, 1)
        return None

    def between(self, a: str, b: str) -> float:
        (t0, c0), (t1, c1) = self.marks[a], self.marks[b]
        return 100.0 * (c1 - c0) / max(t1 - t0, 1e-9)

    def __enter__(self):
        self.sample()
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(5)


# --- servers -------------------------------------------------------------------------------------

def _clean_env(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HRES_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    env.update(extra)
    return env


def _wait_ready(port: int, process: subprocess.Popen, path: str, deadline_s: float, what: str, log_path: Path):
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}: {_tail(log_path)}")
        conn = http.client.HTTPConnection(LOOPBACK, port, timeout=2)
        try:
            conn.request("GET", path, headers={"Accept": "text/turtle"})
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            conn.close()
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not answer within {deadline_s:g} s: {_tail(log_path)}")


def _tail(path: Path, chars: int = 2000) -> str:
    try:
        return path.read_text("utf-8", "replace")[-chars:]
    except OSError:
        return ""


class HresServer:
    """`hres serve` over one store directory, on a free loopback port (HRES_STORE_PATH)."""

    name = "hres serve"

    def __init__(self, store: Path, log_dir: Path, *, workers: int = 2, threads: int = 8, timeout: float = 10.0,
                 queue_timeout: float = 5.0, start_timeout: float = 90.0):
        self.store, self.workers, self.threads = Path(store), workers, threads
        self.timeout, self.queue_timeout = timeout, queue_timeout
        self.port = free_port()
        self.log_path = Path(log_dir) / f"hres-serve-{self.port}.log"
        command = [sys.executable, "-m", "hres_graph", "serve", "--host", LOOPBACK, "--port", str(self.port),
                   "--workers", str(workers), "--threads", str(threads), "--timeout", f"{timeout:g}"]
        env = _clean_env(HRES_STORE_PATH=str(self.store), HRES_QUEUE_TIMEOUT=f"{queue_timeout:g}",
                         HRES_RELOAD_CHECK_S="3600", HRES_VAR_DIR=str(Path(log_dir) / "var-unused"))
        t0 = time.perf_counter()
        with open(self.log_path, "wb") as out:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, preexec_fn=_default_sigint)
        self._seen: set[int] = set()
        try:
            _wait_ready(self.port, self.process, "/sparql", start_timeout, self.name, self.log_path)
        except BaseException:
            self.stop()
            raise
        self.start_seconds = time.perf_counter() - t0
        self._seen.update(self.worker_pids())

    @property
    def config(self) -> str:
        return (f"{self.workers} query workers, {self.threads} waitress threads, timeout {self.timeout:g} s, "
                f"queue timeout {self.queue_timeout:g} s")

    def worker_pids(self) -> list[int]:
        pids = [c for c in children(self.process.pid) if b"server.worker" in _cmdline(c)]
        self._seen.update(pids)
        return pids

    def pids(self) -> list[int]:
        return [self.process.pid, *self.worker_pids()]

    def rss_mib(self) -> float:
        return sum(rss_mib(p) for p in self.pids())

    def workers_started(self) -> int:
        """Worker processes seen so far (the first ones and every replacement noticed by a call)."""
        self.worker_pids()
        return len(self._seen)

    def stop(self) -> None:
        if self.process.poll() is None:
            workers = self.worker_pids()
            self.process.send_signal(signal.SIGINT)   # waitress stops, the pool kills its workers
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
            for pid in workers:                       # only if the server could not reap them itself
                if cpu_seconds(pid) is not None and b"server.worker" in _cmdline(pid):
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def _default_sigint() -> None:
    """In the child: SIGINT stops `hres serve` cleanly (waitress, then the pool) even when this
    benchmark runs where SIGINT is ignored (nohup, a background job), which the child would inherit."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


class RdflibEndpoint:
    """rdflib-endpoint (FastAPI + uvicorn over an rdflib Dataset) serving an N-Quads file, started by
    `rdflib_server.py`: it loads the file once and serves from a forked child, so a child stuck in a
    query can be replaced at once (`restart`) without loading again."""

    name = "rdflib-endpoint"

    def __init__(self, nquads: Path, log_dir: Path, *, load_timeout: float = 1800.0):
        self.port = free_port()
        self.log_path = Path(log_dir) / f"rdflib-endpoint-{self.port}.log"
        command = [sys.executable, "-m", "hres_graph.benchmarks.rdflib_server", "--port", str(self.port), str(nquads)]
        self._log = open(self.log_path, "wb")
        self.process = subprocess.Popen(command, cwd=ROOT, env=_clean_env(), stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=self._log)
        self._events: queue.Queue = queue.Queue()
        self._reader = threading.Thread(target=self._read, name="rdflib-endpoint-events", daemon=True)
        self._reader.start()
        self.restarts = 0
        try:
            loaded = self._expect("loaded", load_timeout)
            self.load_seconds, self.triples = loaded["seconds"], loaded["quads"]
            self.load_rss_mib, self.load_peak_mib = loaded["rss_mib"], loaded["peak_rss_mib"]
            self.child = self._expect("serving", 120)["pid"]
        except BaseException:
            self.stop()
            raise

    def _read(self) -> None:
        try:
            for line in self.process.stdout:
                try:
                    self._events.put(json.loads(line))
                except ValueError:
                    continue
        except (OSError, ValueError):   # the pipe was closed by stop()
            pass
        self._events.put({"event": "exited"})

    def _expect(self, event: str, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            try:
                message = self._events.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                raise RuntimeError(f"rdflib-endpoint: no '{event}' within {timeout:g} s: {_tail(self.log_path)}") from None
            if message.get("event") == event:
                return message
            if message.get("event") in ("exited", "failed"):
                raise RuntimeError(f"rdflib-endpoint stopped ({message}): {_tail(self.log_path)}")

    @property
    def config(self) -> str:
        return "rdflib-endpoint 0.6 defaults: one uvicorn process, rdflib in-memory Dataset (default_union)"

    def pids(self) -> list[int]:
        return [self.child]

    def rss_mib(self) -> float:
        return rss_mib(self.child)

    def restart(self) -> None:
        """Kill the serving child (stuck in a query the client gave up on) and fork a fresh one."""
        self.process.stdin.write(b"restart\n")
        self.process.stdin.flush()
        self.child = self._expect("serving", 120)["pid"]
        self.restarts += 1

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                self.process.stdin.write(b"quit\n")
                self.process.stdin.flush()
                self.process.wait(15)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait(5)
        self._reader.join(5)   # the pipe has ended with the process
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass
        self._log.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


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
    return Request(kind, "POST", "/sparql", query.encode("utf-8"),
                   (("Accept", JSON), ("Content-Type", "application/sparql-query; charset=utf-8")))


@dataclass
class Outcome:
    kind: str
    status: int          # the HTTP status; 0: no answer within the client's timeout; -1: connection error
    seconds: float
    end: float           # time.monotonic() when it ended
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


def run_load(port: int, clients: list[Callable[[int], Request]], *, duration: float, timeout: float,
             max_requests: int | None = None, keep_body: bool = False) -> LoadResult:
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
            mine.append(Outcome(request.kind, status, end - t0, end,
                                body if keep_body or status not in (200,) else b""))
        if conn is not None:
            conn.close()
        with lock:
            result.outcomes.extend(mine)

    threads = [threading.Thread(target=client, args=(c,), name=f"bench-client-{n}", daemon=True)
               for n, c in enumerate(clients)]
    for t in threads:
        t.start()
    limit = time.monotonic() + duration + timeout + 10
    for t in threads:
        t.join(max(limit - time.monotonic(), 0.01))
    result.seconds = max([o.end for o in result.outcomes] or [time.monotonic()]) - start
    return result


def one(port: int, request: Request, timeout: float) -> Outcome:
    """A single request (the probe before a measurement)."""
    return run_load(port, [lambda i: request], duration=0.0001, timeout=timeout, max_requests=1,
                    keep_body=True).outcomes[0]


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
