"""Pressure on a live server's connections, threads and validator (issue 14, items 4 to 6).

- `dump_heads`: HEAD (and GET abandoned after the first bytes) on every dump, many times: each request
  may start a producer for the dump's stream, which must end with the request.
- `held_connections`: clients that request /dumps/all.nq and never read, idle sockets that send nothing,
  and slowloris sockets that send a header line a second, all at once: lookups must still be answered.
- `validation_contention`: a ~1 MiB Turtle validation while other validations and lookups arrive.

Each returns a faults.Fault whose checks are properties: nothing answered 500, lookups answered in
bounded time, the server alive, and its thread count and RSS back near their baseline afterwards.
"""

from __future__ import annotations

import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from ..live_server import LOOPBACK, LiveServer
from ..procfs import rss_kib, thread_count
from .common import http, settle
from .common import lookup as lookup_on
from .faults import Fault

MIB_KIB = 1024
THREAD_SLACK = 2  # threads above the baseline still counted as "back to it"
RSS_SLACK_MIB = 64  # RSS above the baseline still counted as "back near it"
LOOKUP_LIMIT_S = 5.0  # a lookup slower than this under pressure counts as not answered
DUMPS = [
    "/dumps/ontology.nt",
    "/dumps/ontology.ttl",
    "/dumps/vocab.nt",
    "/dumps/reference.ttl",
    "/dumps/all.nq",
    "/dumps/all.trig",
]


def lookup(server: LiveServer, timeout: float = LOOKUP_LIMIT_S):
    return lookup_on(server.port, timeout)


class Baseline:
    """The web process's threads and RSS before the pressure, and the checks that they came back."""

    def __init__(self, server: LiveServer):
        self.server = server
        lookup(server, timeout=30)  # warm: the first request may start lazily created threads
        self.threads = settle(lambda: thread_count(server.pid), 0, seconds=0.5)
        self.rss_kib = rss_kib(server.pid)

    def check_restored(self, fault: Fault, *, seconds: float = 15.0) -> None:
        threads = settle(lambda: thread_count(self.server.pid), self.threads + THREAD_SLACK, seconds=seconds)
        rss = rss_kib(self.server.pid)
        fault.figures.update(
            {
                "threads before/after": f"{self.threads}/{threads}",
                "web RSS MiB before/after": f"{self.rss_kib / MIB_KIB:.0f}/{rss / MIB_KIB:.0f}",
            }
        )
        fault.check(
            f"thread count back to its baseline (+{THREAD_SLACK}) within {seconds:g} s",
            threads <= self.threads + THREAD_SLACK,
        )
        fault.check(
            f"web process RSS back near its baseline (+{RSS_SLACK_MIB} MiB)",
            rss - self.rss_kib <= RSS_SLACK_MIB * MIB_KIB,
        )
        fault.check("the server answers a lookup afterwards", self.server.alive() and lookup(self.server).status == 200)


def _peak_threads(pid: int, stop: threading.Event, peak: list[int]) -> None:
    while not stop.wait(0.05):
        peak[0] = max(peak[0], thread_count(pid))


def _abandoned_get(port: int, target: str) -> int:
    """GET a dump, read its first bytes, hang up: the status seen (0 when none came, -1 no connection)."""
    try:
        with socket.create_connection((LOOPBACK, port), timeout=10) as sock:
            sock.sendall(f"GET {target} HTTP/1.1\r\nHost: {LOOPBACK}:{port}\r\nAccept: */*\r\n\r\n".encode())
            first = sock.recv(1024)
    except OSError:
        return -1
    try:
        return int(first.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return 0


def dump_heads(server: LiveServer, *, heads: int = 300, abandoned: int = 50) -> Fault:
    """`heads` HEAD requests and `abandoned` GETs hung up after 1 KiB, over every dump, 4 at a time."""
    t0 = time.monotonic()
    fault = Fault("HEAD /dumps/* and abandoned dump GETs")
    fault.figures["requests"] = f"{heads} HEAD, {abandoned} GET hung up after 1 KiB"
    base = Baseline(server)
    stop, peak = threading.Event(), [base.threads]
    watcher = threading.Thread(target=_peak_threads, args=(server.pid, stop, peak), daemon=True)
    watcher.start()
    with ThreadPoolExecutor(max_workers=4) as pool:
        head_statuses = list(
            pool.map(lambda i: http(server.port, "HEAD", DUMPS[i % len(DUMPS)], timeout=30).status, range(heads))
        )
        get_statuses = list(pool.map(lambda i: _abandoned_get(server.port, DUMPS[i % len(DUMPS)]), range(abandoned)))
    stop.set()
    watcher.join(2)
    fault.figures.update(
        {
            "HEAD statuses": {s: head_statuses.count(s) for s in sorted(set(head_statuses))},
            "abandoned GET statuses": {s: get_statuses.count(s) for s in sorted(set(get_statuses))},
            "peak threads": peak[0],
        }
    )
    fault.check("every HEAD answered 200", all(s == 200 for s in head_statuses))
    # 503 is an honest answer while other dumps stream (a bound on them); 0 or 500 are not
    fault.check("every abandoned GET started with 200 or 503", all(s in (200, 503) for s in get_statuses))
    base.check_restored(fault)
    deadline = time.monotonic() + 30  # 503 while the dump is being written is honest: ask again
    whole = http(server.port, "GET", "/dumps/all.nq", timeout=60, read_cap=0)
    while whole.status == 503 and time.monotonic() < deadline:
        time.sleep(1)
        whole = http(server.port, "GET", "/dumps/all.nq", timeout=60, read_cap=0)
    fault.figures["a whole dump afterwards"] = f"{whole.status}, {whole.body_bytes:,} bytes"
    fault.check(
        "a whole dump downloads afterwards, within 30 s (the abandoned ones released their slots)",
        whole.status == 200 and whole.body_bytes > 0,
    )
    fault.seconds = time.monotonic() - t0
    return fault


def _connect(port: int, *, rcvbuf: int | None = None) -> socket.socket | None:
    sock = socket.socket()
    if rcvbuf:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)  # a small window: the server blocks sooner
    sock.settimeout(5)
    try:
        sock.connect((LOOPBACK, port))
    except OSError:
        sock.close()
        return None
    return sock


def held_connections(
    server: LiveServer, *, readers: int = 8, idle: int = 150, slowloris: int = 20, seconds: float = 10.0
) -> Fault:
    """Hold `readers` unread dump downloads, `idle` silent sockets and `slowloris` trickling ones open
    for `seconds` while lookups are sent one after the other; then close them all."""
    t0 = time.monotonic()
    fault = Fault("stalled readers, idle and slowloris sockets")
    base = Baseline(server)
    held: list[socket.socket] = []
    stop = threading.Event()
    try:
        for _ in range(readers):
            sock = _connect(server.port, rcvbuf=4096)
            if sock:
                sock.sendall(f"GET /dumps/all.nq HTTP/1.1\r\nHost: {LOOPBACK}\r\nAccept: */*\r\n\r\n".encode())
                held.append(sock)
        opened_readers = len(held)
        held += [s for s in (_connect(server.port) for _ in range(idle)) if s]
        opened_idle = len(held) - opened_readers
        trickling = [s for s in (_connect(server.port) for _ in range(slowloris)) if s]
        held += trickling

        def trickle():
            for sock in trickling:
                try:
                    sock.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n")
                except OSError:
                    pass
            k = 0
            while not stop.wait(1.0):
                k += 1
                for sock in trickling:
                    try:
                        sock.sendall(f"X-Slow-{k}: {k}\r\n".encode())
                    except OSError:
                        pass

        trickler = threading.Thread(target=trickle, daemon=True)
        trickler.start()
        time.sleep(0.5)
        answers = []
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and len(answers) < 1000:
            answers.append(lookup(server))
        stop.set()
        trickler.join(3)
        slow = [a for a in answers if a.status != 200]
        latencies = sorted(a.seconds for a in answers)
        fault.figures.update(
            {
                "held": f"{opened_readers} unread dump downloads, {opened_idle} idle, {len(trickling)} slowloris",
                "lookups": len(answers),
                "lookups not answered 200": len(slow),
                "lookup max s": round(latencies[-1], 2) if latencies else None,
                "first failure": f"{slow[0].status} {slow[0].error}" if slow else "",
            }
        )
        fault.check(
            f"all connections opened ({readers}+{idle}+{slowloris})",
            opened_readers == readers and opened_idle == idle and len(trickling) == slowloris,
        )
        fault.check(f"every lookup answered 200 within {LOOKUP_LIMIT_S:g} s while they were held", answers and not slow)
    finally:
        stop.set()
        for sock in held:
            sock.close()
    base.check_restored(fault)
    fault.seconds = time.monotonic() - t0
    return fault


def _big_turtle(example: bytes, size: int) -> bytes:
    """The example repeated with numbered subjects until `size` bytes: many focus nodes, all distinct."""
    head, _, body = example.partition(b"\n<")
    parts, k = [head + b"\n"], 0
    while sum(map(len, parts)) < size:
        parts.append(b"<" + body.replace(b"/assessment/example-ngo>", b"/assessment/example-ngo-%d>" % k) + b"\n")
        k += 1
    return b"".join(parts)


def validation_contention(
    server: LiveServer, example: bytes, *, size: int = 1000 * 1024, others: int = 4, queue_timeout: float = 30.0
) -> Fault:
    """A `size`-byte Turtle validation, then `others` small ones and lookups while it runs."""
    t0 = time.monotonic()
    fault = Fault("a 1 MiB validation while other validations and lookups arrive")
    big = _big_turtle(example, size)
    validate_warm = http(
        server.port, "POST", "/validate?name=warm.ttl", [("Content-Type", "text/turtle")], example, timeout=120
    )  # the first validation loads the shapes: not pressure
    base = Baseline(server)
    fault.figures["warm-up validation"] = validate_warm.status

    def validate(body: bytes, timeout: float):
        return http(
            server.port,
            "POST",
            "/validate?name=contention.ttl",
            [("Content-Type", "text/turtle"), ("Accept", "application/json")],
            body,
            timeout=timeout,
        )

    results: dict[str, list] = {"big": [], "small": [], "lookups": []}
    big_thread = threading.Thread(target=lambda: results["big"].append(validate(big, 180)), daemon=True)
    big_thread.start()
    time.sleep(0.3)
    small_threads = [
        threading.Thread(target=lambda: results["small"].append(validate(example, queue_timeout + 60)), daemon=True)
        for _ in range(others)
    ]
    for t in small_threads:
        t.start()
    while big_thread.is_alive() and len(results["lookups"]) < 500:
        results["lookups"].append(lookup(server))
        time.sleep(0.1)
    big_thread.join(185)
    for t in small_threads:
        t.join(queue_timeout + 65)
    big_answer = results["big"][0] if results["big"] else None
    small = results["small"]
    lookups = results["lookups"]
    fault.figures.update(
        {
            "big upload": f"{len(big) // 1024} KiB -> {big_answer.status if big_answer else 'no answer'} in "
            f"{big_answer.seconds if big_answer else 0:.1f} s",
            "small validations (status, s)": [(a.status, round(a.seconds, 1)) for a in small],
            "lookups during it": len(lookups),
            "lookups not 200": sum(1 for a in lookups if a.status != 200),
        }
    )
    fault.check(
        "the big validation answered (200/400/413/503), never 500",
        big_answer is not None and big_answer.status in (200, 400, 413, 503),
    )
    fault.check(
        f"every other validation answered 200 or 503 within the queue timeout ({queue_timeout:g} s) + 60 s",
        len(small) == others and all(a.status in (200, 503) for a in small),
    )
    fault.check(
        f"every lookup meanwhile answered 200 within {LOOKUP_LIMIT_S:g} s", all(a.status == 200 for a in lookups)
    )
    base.check_restored(fault)
    fault.seconds = time.monotonic() - t0
    return fault
