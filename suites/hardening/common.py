"""What the parts of the suite share: a raw HTTP client, the outbound-connection recorder, memory
sampling and the store checksum (`hres serve` in a subprocess is suites/live_server.py).

Everything here talks to 127.0.0.1 (or ::1) only, and every wait is bounded.
"""

from __future__ import annotations

import hashlib
import io
import os
import resource
import selectors
import socket
import subprocess
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..live_server import LOOPBACK, ROOT
from ..procfs import children, rss_kib


def _b(value) -> bytes:
    """bytes as given; text as UTF-8 (lone surrogates from surrogateescape become their raw bytes)."""
    return bytes(value) if isinstance(value, (bytes, bytearray)) else str(value).encode("utf-8", "surrogateescape")


# --- a raw HTTP/1.1 client ---------------------------------------------------------------------


@dataclass
class Answer:
    """What came back: `status` 0 means the connection closed without an answer, -1 a client-side
    timeout or socket error (`error` says which)."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    body_bytes: int = 0
    seconds: float = 0.0
    error: str = ""

    def text(self, limit: int = 300) -> str:
        return self.body[:limit].decode("utf-8", "replace")

    def payload(self) -> bytes | None:
        """The whole body with any chunked framing removed; None when it was not all read."""
        if self.body_bytes != len(self.body):
            return None
        if "chunked" not in self.headers.get("transfer-encoding", "").lower():
            return self.body
        out, rest = bytearray(), self.body
        while True:
            size_line, sep, rest = rest.partition(b"\r\n")
            try:
                size = int(size_line.split(b";")[0], 16)
            except ValueError:
                return None
            if not sep or len(rest) < size:
                return None
            if size == 0:
                return bytes(out)
            out += rest[:size]
            rest = rest[size + 2 :]


def http(
    port: int,
    method,
    target,
    headers: Iterable[tuple] = (),
    body=None,
    *,
    host: str = LOOPBACK,
    timeout: float = 30.0,
    content_length: bool = True,
    chunked: bool = False,
    half_close: bool = False,
    read_cap: int = 65536,
    version: bytes = b"HTTP/1.1",
) -> Answer:
    """Send one request on a fresh connection (`Connection: close`) and read the whole answer.

    `method`, `target`, header names and values may be str or bytes (sent as given, so invalid bytes
    and any method reach the server). `body` is bytes or an iterable of byte chunks, streamed, so a
    1 GiB body is never held in memory. `content_length=False` omits the header (with `chunked` the
    body is sent chunked); `half_close` shuts the write side after sending.
    """
    t0 = time.monotonic()
    names = {_b(k).lower() for k, _ in headers}
    lines = [_b(method) + b" " + _b(target) + b" " + version]
    if b"host" not in names:
        lines.append(b"Host: " + _b(f"{host}:{port}"))
    if b"connection" not in names:
        lines.append(b"Connection: close")
    lines += [_b(k) + b": " + _b(v) for k, v in headers]
    chunks = None
    if body is not None:
        if isinstance(body, (bytes, bytearray)):
            if content_length and b"content-length" not in names and not chunked:
                lines.append(b"Content-Length: " + str(len(body)).encode())
            chunks = [bytes(body)]
        else:
            chunks = body
        if chunked and b"transfer-encoding" not in names:
            lines.append(b"Transfer-Encoding: chunked")
    head = b"\r\n".join(lines) + b"\r\n\r\n"
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        try:
            sock.connect((host, port))
            sock.sendall(head)
            if chunks is not None:
                for chunk in chunks:
                    if chunked:
                        if chunk:
                            sock.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
                    else:
                        sock.sendall(chunk)
                if chunked:
                    sock.sendall(b"0\r\n\r\n")
            if half_close:
                sock.shutdown(socket.SHUT_WR)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered early (e.g. 413) and closed: read what it said
        except socket.timeout:
            return Answer(-1, seconds=time.monotonic() - t0, error="timeout while sending")
        except OSError as exc:
            return Answer(-1, seconds=time.monotonic() - t0, error=f"send: {exc}")
        return _read_answer(sock, t0, read_cap)
    finally:
        sock.close()


def _read_answer(sock: socket.socket, t0: float, read_cap: int) -> Answer:
    data = bytearray()
    total = 0
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            total += len(chunk)
            if len(data) < read_cap + 16384:
                data += chunk
    except socket.timeout:
        if not data:
            return Answer(-1, seconds=time.monotonic() - t0, error="timeout while reading")
    except (ConnectionResetError, OSError) as exc:
        if not data:
            return Answer(0, seconds=time.monotonic() - t0, error=f"reset: {exc}")
    seconds = time.monotonic() - t0
    raw = bytes(data)
    while raw.startswith(b"HTTP/1.1 1"):  # interim answers (100 Continue)
        end = raw.find(b"\r\n\r\n")
        if end < 0:
            break
        raw = raw[end + 4 :]
    if not raw.startswith(b"HTTP/"):
        return Answer(0, seconds=seconds, error="closed without an answer" if not raw else f"not HTTP: {raw[:40]!r}")
    head, _, body = raw.partition(b"\r\n\r\n")
    status_line, *header_lines = head.split(b"\r\n")
    try:
        status = int(status_line.split()[1])
    except (IndexError, ValueError):
        return Answer(0, seconds=seconds, error=f"bad status line {status_line[:60]!r}")
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(b":")
        headers[name.strip().decode("latin-1").lower()] = value.strip().decode("latin-1")
    return Answer(status, headers, body[:read_cap], total - len(head) - 4, seconds)


def repeat_chunks(total: int, chunk: bytes) -> Iterable[bytes]:
    """`total` bytes as repeats of one chunk (the last one cut): a huge body in constant memory."""
    sent = 0
    while sent < total:
        piece = chunk if total - sent >= len(chunk) else chunk[: total - sent]
        sent += len(piece)
        yield piece


# --- the outbound-connection recorder -----------------------------------------------------------


class Listener:
    """TCP listeners on loopback ports that record every connection made to them (SSRF canaries).

    Every hostile request or file that names a URL names one of these ports; `connections` must stay
    empty. `probe()` proves the recorder works by connecting to it from here.
    """

    def __init__(self, count: int = 3):
        self.sockets: list[socket.socket] = []
        self.connections: list[tuple[int, str, bytes]] = []
        self._lock = threading.Lock()
        self._selector = selectors.DefaultSelector()
        for _ in range(count):
            self._listen(socket.AF_INET, LOOPBACK, 0)
        self.ports = [s.getsockname()[1] for s in self.sockets]
        self.port6 = None
        try:  # the same port on ::1, when the machine has IPv6 loopback
            self._listen(socket.AF_INET6, "::1", self.ports[0])
            self.port6 = self.ports[0]
        except OSError:
            pass
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="hres-ssrf-listener", daemon=True)
        self._thread.start()

    def _listen(self, family: int, host: str, port: int) -> None:
        s = socket.socket(family, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        try:
            s.bind((host, port))
            s.listen(64)
        except OSError:
            s.close()
            raise
        s.setblocking(False)
        self.sockets.append(s)
        self._selector.register(s, selectors.EVENT_READ)

    def _serve(self) -> None:
        while not self._stop.is_set():
            for key, _ in self._selector.select(timeout=0.1):
                try:
                    conn, peer = key.fileobj.accept()
                except OSError:
                    continue
                with conn:
                    conn.settimeout(0.5)
                    try:
                        first = conn.recv(1024)
                    except OSError:
                        first = b""
                with self._lock:
                    self.connections.append((key.fileobj.getsockname()[1], str(peer[0]), first))

    def probe(self) -> bool:
        """Connect to the first port and check that the connection is recorded; then forget it."""
        before = len(self.connections)
        with socket.create_connection((LOOPBACK, self.ports[0]), timeout=2) as s:
            s.sendall(b"GET /probe HTTP/1.0\r\n\r\n")
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline and len(self.connections) == before:
            time.sleep(0.02)
        with self._lock:
            seen = len(self.connections) > before
            del self.connections[before:]
        return seen

    def count(self) -> int:
        with self._lock:
            return len(self.connections)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self._selector.close()
        for s in self.sockets:
            s.close()


# --- processes and memory ---------------------------------------------------------------------


def settle(measure, limit: int, *, seconds: float = 10.0) -> int:
    """Poll `measure()` until it is at most `limit` or `seconds` pass; return the last value
    (threads and connections are released asynchronously after a client goes away)."""
    deadline = time.monotonic() + seconds
    value = measure()
    while value > limit and time.monotonic() < deadline:
        time.sleep(0.1)
        value = measure()
    return value


class RssSampler:
    """Samples the RSS of a process and of its children every `every` seconds, in a thread."""

    def __init__(self, pid: int, every: float = 0.1):
        self.pid, self.every = pid, every
        self.peak_main = self.peak_child = self.peak_total = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="hres-rss-sampler", daemon=True)

    def __enter__(self) -> "RssSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(5)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.every)

    def sample(self) -> None:
        main = rss_kib(self.pid)
        kids = [rss_kib(c) for c in children(self.pid)]
        self.peak_main = max(self.peak_main, main)
        self.peak_child = max([self.peak_child, *kids])
        self.peak_total = max(self.peak_total, main + sum(kids))
        self.samples += 1


@dataclass
class Finished:
    returncode: int | None  # None: killed at the time limit
    stdout: str
    stderr: str
    seconds: float
    maxrss_kib: int  # the child's own peak RSS (wait4), 0 when unknown


def run_bounded(
    command: list[str],
    *,
    timeout: float,
    env: dict | None = None,
    cwd: Path | None = None,
    address_space_mib: int | None = None,
    stdin_data: bytes | None = None,
) -> Finished:
    """Run a command with a time limit (SIGKILL at the limit) and, optionally, an address-space limit;
    return its exit code, output and peak RSS (from wait4)."""
    limit = address_space_mib * 1024 * 1024 if address_space_mib else None

    def limits():
        if limit:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    t0 = time.monotonic()
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.PIPE if stdin_data is not None else subprocess.DEVNULL,
        env=env,
        cwd=cwd or ROOT,
        preexec_fn=limits if limit else None,
    )
    out, err = io.BytesIO(), io.BytesIO()

    def drain(stream, sink):
        for chunk in iter(lambda: stream.read(65536), b""):
            if sink.tell() < 4 * 1024 * 1024:
                sink.write(chunk)

    readers = [
        threading.Thread(target=drain, args=(process.stdout, out), daemon=True),
        threading.Thread(target=drain, args=(process.stderr, err), daemon=True),
    ]
    for r in readers:
        r.start()
    if stdin_data is not None:
        try:
            process.stdin.write(stdin_data)
        except BrokenPipeError:
            pass
        process.stdin.close()
    status, usage, killed = None, None, False
    while status is None:
        pid, st, ru = os.wait4(process.pid, os.WNOHANG)
        if pid:
            status, usage = st, ru
            break
        if time.monotonic() - t0 > timeout and not killed:
            process.kill()
            killed = True
        time.sleep(0.02)
    process.returncode = os.waitstatus_to_exitcode(status)
    for r in readers:
        r.join(10)
    process.stdout.close()
    process.stderr.close()
    return Finished(
        None if killed else process.returncode,
        out.getvalue().decode("utf-8", "replace"),
        err.getvalue().decode("utf-8", "replace"),
        time.monotonic() - t0,
        usage.ru_maxrss if usage else 0,
    )


LOOKUP = "SELECT ?p ?o WHERE { <https://w3id.org/hres/ontology#Recommendation> ?p ?o } LIMIT 20"


def lookup(port: int, timeout: float = 5.0) -> Answer:
    """A small query through a worker: what every client should still get answered."""
    from urllib.parse import quote

    return http(
        port,
        "GET",
        "/sparql?query=" + quote(LOOKUP, safe=""),
        [("Accept", "application/sparql-results+json")],
        timeout=timeout,
    )


# --- the store -----------------------------------------------------------------------------


def store_checksum(store_path: Path, skip_graphs: tuple[str, ...] = (), *, skip_blank: bool = False) -> tuple[str, int]:
    """SHA-256 of the store's quads as sorted N-Quads lines, and their number. Opens read-only.
    `skip_blank` leaves out quads with blank nodes (their labels differ from one build to the next)."""
    import pyoxigraph as ox

    store = ox.Store.read_only(str(Path(store_path).resolve()))
    try:
        data = store.dump(format=ox.RdfFormat.N_QUADS)
    finally:
        del store
    lines = [line for line in data.split(b"\n") if line]
    if skip_graphs:
        skipped = tuple(b"<" + g.encode() + b"> ." for g in skip_graphs)
        lines = [line for line in lines if not line.endswith(skipped)]
    if skip_blank:
        lines = [line for line in lines if not line.startswith(b"_:") and b" _:" not in line]
    lines.sort()
    digest = hashlib.sha256(b"\n".join(lines)).hexdigest()
    return digest, len(lines)


def build_small_store(var_dir: Path) -> Path:
    """ontology + vocab + reference, as `hres build` with no sources; returns the store directory."""
    from hres_graph.build.pipeline import build
    from hres_graph.config import Settings

    return build(Settings(var_dir=Path(var_dir), sources=[]), log=lambda m: None).store


def add_bulk_graph(store_dir: Path, triples: int, *, literal_bytes: int = 200) -> int:
    """Write graph/bulk (`triples` triples with `literal_bytes`-long literals) straight into a store no
    server has open, so its dumps are larger than the buffers between a dump and a client; returns the
    N-Quads size in bytes (about)."""
    import pyoxigraph as ox

    graph = ox.NamedNode("https://w3id.org/hres/graph/bulk")
    note = ox.NamedNode("https://w3id.org/hres/ontology#note")
    pad = "x" * literal_bytes
    store = ox.Store(str(Path(store_dir).resolve()))
    try:
        store.bulk_extend(
            ox.Quad(ox.NamedNode(f"https://w3id.org/hres/id/bulk/{i}"), note, ox.Literal(f"{i} {pad}"), graph)
            for i in range(triples)
        )
        store.flush()
    finally:
        del store
    return triples * (literal_bytes + 110)


META_GRAPH = "https://w3id.org/hres/graph/meta"
