"""The two servers of the benchmarks, each in its own subprocess on a free loopback port: `hres serve`
over a store directory (suites/live_server.py), and rdflib-endpoint over an N-Quads file (rdflib_server.py).
Both are context managers; `stop()` ends what they started.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

from ..live_server import ROOT, LiveServer, free_port, hres_env
from ..procfs import rss_mib


def _tail(path: Path, chars: int = 2000) -> str:
    try:
        return path.read_text("utf-8", "replace")[-chars:]
    except OSError:
        return ""


def hres_server(store: Path, log_dir: Path, **options) -> LiveServer:
    """`hres serve` over one store directory, with the benchmarks' defaults (10 s timeout, 5 s queue)."""
    return LiveServer(
        store=store, log_dir=log_dir, **{"timeout": 10.0, "queue_timeout": 5.0, "start_timeout": 90.0, **options}
    )


class RdflibEndpoint:
    """rdflib-endpoint (FastAPI + uvicorn over an rdflib Dataset) serving an N-Quads file, started by
    `rdflib_server.py`: it loads the file once and serves from a forked child, so a child stuck in a
    query can be replaced at once (`restart`) without loading again."""

    name = "rdflib-endpoint"

    def __init__(self, nquads: Path, log_dir: Path, *, load_timeout: float = 1800.0):
        self.port = free_port()
        self.log_path = Path(log_dir) / f"rdflib-endpoint-{self.port}.log"
        command = [sys.executable, "-m", "suites.benchmarks.rdflib_server", "--port", str(self.port), str(nquads)]
        self._log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=hres_env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log
        )
        self._events: queue.Queue = queue.Queue()
        self._reader = threading.Thread(target=self._read, name="rdflib-endpoint-events", daemon=True)
        self._reader.start()
        self.restarts = 0
        try:
            loaded = self._expect("loaded", load_timeout)
            self.load_seconds, self.load_cpu_seconds, self.triples = (
                loaded["seconds"],
                loaded["cpu_seconds"],
                loaded["quads"],
            )
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
        except (OSError, ValueError):  # the pipe was closed by stop()
            pass
        self._events.put({"event": "exited"})

    def _expect(self, event: str, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            try:
                message = self._events.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                raise RuntimeError(
                    f"rdflib-endpoint: no '{event}' within {timeout:g} s: {_tail(self.log_path)}"
                ) from None
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
        self._reader.join(5)  # the pipe has ended with the process
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
