"""The two servers of the benchmarks, each in its own subprocess on a free loopback port: `hres serve`
over a store directory, and rdflib-endpoint over an N-Quads file (rdflib_server.py). Both are context
managers; `stop()` ends what they started.
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
from pathlib import Path

from .procfs import children, cpu_seconds, rss_mib

ROOT = Path(__file__).resolve().parents[2]
LOOPBACK = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def _clean_env(root: Path = ROOT, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HRES_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")]))
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
    """`hres serve` over one store directory, on a free loopback port (HRES_STORE_PATH). `root` is the
    source tree it runs from (another checkout, to compare with older code)."""

    name = "hres serve"

    def __init__(self, store: Path, log_dir: Path, *, workers: int = 2, threads: int = 8, timeout: float = 10.0,
                 queue_timeout: float = 5.0, long_queries: int | None = None, start_timeout: float = 90.0,
                 root: Path = ROOT):
        self.store, self.workers, self.threads = Path(store), workers, threads
        self.timeout, self.queue_timeout, self.long_queries = timeout, queue_timeout, long_queries
        self.port = free_port()
        self.log_path = Path(log_dir) / f"hres-serve-{self.port}.log"
        command = [sys.executable, "-m", "hres_graph", "serve", "--host", LOOPBACK, "--port", str(self.port),
                   "--workers", str(workers), "--threads", str(threads), "--timeout", f"{timeout:g}"]
        env = _clean_env(root, HRES_STORE_PATH=str(self.store), HRES_QUEUE_TIMEOUT=f"{queue_timeout:g}",
                         HRES_RELOAD_CHECK_S="3600", HRES_VAR_DIR=str(Path(log_dir) / "var-unused"),
                         **({} if long_queries is None else {"HRES_LONG_QUERIES": str(long_queries)}))
        t0 = time.perf_counter()
        with open(self.log_path, "wb") as out:
            self.process = subprocess.Popen(command, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT,
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
        lane = "" if self.long_queries is None else f", long lane {self.long_queries or 'off'}"
        return (f"{self.workers} query workers{lane}, {self.threads} waitress threads, timeout {self.timeout:g} s, "
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
            self.load_seconds, self.load_cpu_seconds, self.triples = loaded["seconds"], loaded["cpu_seconds"], loaded["quads"]
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
