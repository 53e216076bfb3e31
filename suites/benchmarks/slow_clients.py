"""Slow and idle clients beside lookups (issue 14, items 4 and 5): can they starve `hres serve`?

    python -m suites.benchmarks.slow_clients [--store DIR] [--old CHECKOUT] [--phase-seconds 8]

Each phase starts a fresh `hres serve` over the store (var/current by default), runs `--lookup-clients`
lookup clients (`SELECT ?p ?o WHERE { <recommendation> ?p ?o }`, a new connection per request, as new
visitors come, 5 s timeout) for `--phase-seconds`, and meanwhile holds one attack open:

| phase | attack |
|---|---|
| lookups alone | none |
| slowloris | 150 sockets that send one more header line each second and never finish the request |
| idle | 300 sockets that connect and send nothing |
| non-readers | 8 clients that GET /dumps/all.nq and never read the answer |
| HEAD | 300 HEAD /dumps/all.nq, one after the other |
| all at once | the four attacks together |

It prints, per phase, the lookups answered and failed, their p50/p99, and the web process's threads
and RSS before the attack and after it (attack sockets closed, 1 s later), and its CPU in the 3 s after
that. `--old CHECKOUT` runs the same phases on another source tree (`git worktree add /tmp/old
<commit>`) for comparison. Before the phases, the dump is made ready (a ranged GET retried until it
answers) so that the non-readers get the file, not a 503; the time that took is printed.

Everything talks to 127.0.0.1; every loop is bounded in count and time; every socket and server is
closed at the end of its phase. The attack helpers are used by tests/server/test_front.py too.
"""

from __future__ import annotations

import argparse
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from ..procfs import cpu_seconds, rss_mib, thread_count
from . import common as c

DUMP = "/dumps/all.nq"


# --- the attacks -------------------------------------------------------------------------------


def open_sockets(
    port: int, count: int, first: bytes = b"", *, receive_buffer: int | None = None, connect_timeout: float = 2.0
) -> list[socket.socket]:
    """`count` connections that each send `first` and then nothing; the ones that could not connect
    are left out. A small `receive_buffer` makes a non-reading client fill up sooner."""
    sockets = []
    for _ in range(count):
        sock = socket.socket()
        if receive_buffer:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
        sock.settimeout(connect_timeout)
        try:
            sock.connect((c.LOOPBACK, port))
            if first:
                sock.sendall(first)
        except OSError:
            sock.close()
            continue
        sock.setblocking(False)
        sockets.append(sock)
    return sockets


def non_readers(port: int, count: int = 8, path: str = DUMP) -> list[socket.socket]:
    return open_sockets(port, count, f"GET {path} HTTP/1.1\r\nHost: bench\r\n\r\n".encode(), receive_buffer=4096)


def closed_by_server(sockets: list[socket.socket]) -> int:
    """How many of these connections the server has closed (they read as EOF or reset)."""
    closed = 0
    for sock in sockets:
        try:
            if sock.recv(1, socket.MSG_PEEK) == b"":
                closed += 1
        except BlockingIOError:
            continue
        except OSError:
            closed += 1
    return closed


def close_all(sockets: list[socket.socket]) -> None:
    for sock in sockets:
        sock.close()
    sockets.clear()


class Slowloris:
    """`count` requests that never end: one more header line per socket every `every` seconds, in a
    thread, until `stop()` (or `limit` seconds). `dropped` counts the sockets the server closed."""

    def __init__(self, port: int, count: int = 150, every: float = 1.0, limit: float = 60.0):
        self.sockets = open_sockets(port, count, b"GET /sparql HTTP/1.1\r\nHost: bench\r\n")
        self.opened, self.dropped, self.every, self.limit = len(self.sockets), 0, every, limit
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bench-slowloris", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        deadline = time.monotonic() + self.limit
        while not self._stop.wait(self.every) and time.monotonic() < deadline:
            for sock in list(self.sockets):
                try:
                    sock.send(b"X-Slow: 1\r\n")
                except BlockingIOError:  # the server is not reading it (yet): still open
                    continue
                except OSError:  # reset or closed by the server
                    self.sockets.remove(sock)
                    sock.close()
                    self.dropped += 1

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)
        close_all(self.sockets)


def head_requests(
    port: int, count: int = 300, path: str = DUMP, timeout: float = 5.0, limit: float = 60.0
) -> dict[int, int]:
    """`count` HEAD requests one after the other, for at most `limit` seconds; status -> how many
    (0: no answer)."""
    statuses: dict[int, int] = {}
    deadline = time.monotonic() + limit
    for _ in range(count):
        if time.monotonic() > deadline:
            break
        answer = status_of(port, "HEAD", path, timeout)
        statuses[answer] = statuses.get(answer, 0) + 1
    return statuses


def status_of(port: int, method: str, path: str, timeout: float, headers: str = "") -> int:
    """One request on a fresh connection (`Connection: close`); the status, 0 without an answer."""
    try:
        with socket.create_connection((c.LOOPBACK, port), timeout=timeout) as sock:
            sock.sendall(f"{method} {path} HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n{headers}\r\n".encode())
            head = sock.recv(64)
            return int(head.split()[1]) if head.startswith(b"HTTP/") else 0
    except (OSError, ValueError, IndexError):
        return 0


def wait_for_dump(port: int, limit: float = 120.0) -> float | None:
    """Seconds until a ranged GET of the dump is answered with 200 or 206 (retried after 503), or None."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < limit:
        if status_of(port, "GET", DUMP, 30.0, "Range: bytes=0-0\r\n") in (200, 206):
            return time.monotonic() - t0
        time.sleep(0.5)
    return None


# --- the web process ---------------------------------------------------------------------------


def cpu_percent(pid: int, seconds: float = 3.0) -> float:
    before = cpu_seconds(pid) or 0.0
    time.sleep(seconds)
    return 100.0 * ((cpu_seconds(pid) or before) - before) / seconds


# --- the phases --------------------------------------------------------------------------------


def attack_slowloris(port: int):
    loris = Slowloris(port, 150)
    return loris.stop, lambda: f"{loris.opened} opened, {loris.dropped} dropped by the server"


def attack_idle(port: int):
    sockets = open_sockets(port, 300)
    return (lambda: close_all(sockets)), (
        lambda: f"{len(sockets)} opened, {closed_by_server(sockets)} closed by the server"
    )


def attack_non_readers(port: int):
    sockets = non_readers(port, 8)
    return (lambda: close_all(sockets)), (lambda: f"{len(sockets)} opened")


def attack_heads(port: int):
    statuses: dict[int, int] = {}
    thread = threading.Thread(target=lambda: statuses.update(head_requests(port, 300)), name="bench-heads", daemon=True)
    thread.start()

    def note() -> str:
        thread.join(65)  # the count is only known at the end (at most head_requests' 60 s)
        return "HEAD statuses " + (", ".join(f"{k}: {v}" for k, v in sorted(statuses.items())) or "none yet")

    return (lambda: thread.join(65)), note


def attack_all(port: int):
    parts = [attack(port) for attack in (attack_slowloris, attack_idle, attack_non_readers, attack_heads)]
    return (lambda: [stop() for stop, _ in parts]), (lambda: "; ".join(note() for _, note in parts))


PHASES: list[tuple[str, Callable | None]] = [
    ("lookups alone", None),
    ("150 slowloris", attack_slowloris),
    ("300 idle sockets", attack_idle),
    ("8 non-reading dump clients", attack_non_readers),
    ("300 HEAD /dumps/all.nq", attack_heads),
    ("all at once", attack_all),
]


def run_phase(store: Path, work: Path, root: Path, recs: list[str], name: str, attack, args) -> dict:
    lookups = [
        c.Request("lookup", r.method, r.path, None, r.headers + (("Connection", "close"),))
        for r in (c.sparql_get("lookup", c.lookup_query(iri)) for iri in recs)
    ]
    with c.hres_server(store, work, root=root, timeout=10.0) as server:
        pid = server.process.pid
        before = {"threads": thread_count(pid), "rss": rss_mib(pid)}
        stop, note = attack(server.port) if attack else ((lambda: None), (lambda: ""))
        time.sleep(0.5)  # the attack is in place before the lookups start
        clients = [lambda i, k=k: lookups[(i + k) % len(lookups)] for k in range(args.lookup_clients)]
        result = c.run_load(server.port, clients, duration=args.phase_seconds, timeout=5.0)
        during = thread_count(pid)
        noted = note()
        stop()
        time.sleep(1.0)
        return {
            "phase": name,
            "answered": len(result.ok()),
            "failed": result.errors(),
            "p50": result.percentile(50),
            "p99": result.percentile(99),
            "attack": noted,
            "threads": (before["threads"], during, thread_count(pid)),
            "rss": (before["rss"], rss_mib(pid)),
            "cpu_after": cpu_percent(pid),
        }


def prepare_dump(store: Path, work: Path, root: Path) -> float | None:
    with c.hres_server(store, work, root=root) as server:
        return wait_for_dump(server.port)


def run_code(label: str, root: Path, store: Path, recs: list[str], args) -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="hres-slow-") as tmp:
        work = Path(tmp)
        ready = prepare_dump(store, work, root)
        c.log(f"{label}: dump ready after {ready if ready is None else round(ready, 1)} s")
        rows = []
        for name, attack in PHASES:
            rows.append({"code": label, **run_phase(store, work, root, recs, name, attack, args)})
            c.log(f"{label}: {rows[-1]}")
        return rows


def render(rows: list[dict]) -> str:
    header = [
        "code",
        "phase",
        "lookups answered / failed",
        "p50 / p99 ms",
        "threads before / during / after",
        "RSS MiB before / after",
        "CPU after %",
        "attack",
    ]
    body = [
        [
            r["code"],
            r["phase"],
            f"{r['answered']} / {r['failed']}",
            f"{c.ms(r['p50'])} / {c.ms(r['p99'])}",
            " / ".join(str(t) for t in r["threads"]),
            " / ".join(f"{m:.0f}" for m in r["rss"]),
            f"{r['cpu_after']:.0f}",
            r["attack"],
        ]
        for r in rows
    ]
    return c.table(header, body)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, default=c.ROOT / "var", help="store, or var dir with `current`")
    parser.add_argument("--old", type=Path, help="another checkout to run the same phases on, for comparison")
    parser.add_argument("--phase-seconds", type=float, default=8.0)
    parser.add_argument("--lookup-clients", type=int, default=2)
    args = parser.parse_args(argv)
    args.phase_seconds = min(max(args.phase_seconds, 1.0), 30.0)
    store = c.resolve_store(args.store)
    recs = c.recommendation_iris(store, 50)
    c.log(c.machine())
    rows = run_code("new", c.ROOT, store, recs, args)
    if args.old:
        rows += run_code(f"old ({args.old})", args.old.resolve(), store, recs, args)
    print(render(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
