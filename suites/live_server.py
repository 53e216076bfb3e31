"""`hres serve` in a subprocess on a free loopback port: the one live-server harness of the tests, the
hardening suite and the benchmarks. Start, wait until /sparql answers, stop (SIGINT, as a person's ^C),
and collect the query workers if the server could not.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from .procfs import children, cmdline, cpu_seconds, rss_mib

ROOT = Path(__file__).resolve().parents[1]
LOOPBACK = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def hres_env(root: Path = ROOT, **extra: str) -> dict:
    """The environment of an `hres` subprocess: this tree first on the path, no HRES_* of the caller's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HRES_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")]))
    env.update(extra)
    return env


def hres(*args: str) -> list[str]:
    return [sys.executable, "-m", "hres_graph", *args]


class LiveServer:
    """`hres serve` over `var_dir` (its `current` store) or over one `store` directory (HRES_STORE_PATH).

    `env`: more HRES_* settings; `root`: the source tree to run (another checkout, to compare with older
    code). A context manager; `log` is the server's output, `url` its base."""

    name = "hres serve"

    def __init__(
        self,
        var_dir: Path | None = None,
        *,
        store: Path | None = None,
        timeout: float = 3.0,
        workers: int = 2,
        threads: int = 8,
        queue_timeout: float | None = None,
        long_queries: int | None = None,
        row_cap: int | None = None,
        env: dict | None = None,
        log_dir: Path | None = None,
        start_timeout: float = 60.0,
        root: Path = ROOT,
    ):
        if (var_dir is None) == (store is None):
            raise ValueError("give var_dir or store")
        self.workers, self.threads, self.timeout = workers, threads, timeout
        self.queue_timeout, self.long_queries = queue_timeout, long_queries
        self.port = free_port()
        self.url = f"http://{LOOPBACK}:{self.port}"
        log_dir = Path(log_dir or var_dir)
        self.log = log_dir / f"serve-{self.port}.log"
        settings = {"HRES_RELOAD_CHECK_S": "3600"}
        if store is not None:  # a store directory of its own: no var_dir of the caller's is read or written
            settings |= {"HRES_STORE_PATH": str(store), "HRES_VAR_DIR": str(log_dir / "var-unused")}
        for name, value in (("QUEUE_TIMEOUT", queue_timeout), ("LONG_QUERIES", long_queries), ("ROW_CAP", row_cap)):
            if value is not None:
                settings[f"HRES_{name}"] = f"{value:g}"
        command = hres(
            *(("--var-dir", str(var_dir)) if var_dir is not None else ()),
            "serve",
            "--host",
            LOOPBACK,
            "--port",
            str(self.port),
            "--timeout",
            f"{timeout:g}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
        )
        t0 = time.perf_counter()
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(
                command,
                cwd=root,
                env=hres_env(root, **settings, **(env or {})),
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                preexec_fn=_default_sigint,
            )
        self.pid = self.process.pid
        self._seen: set[int] = set()
        try:
            self._wait_ready(start_timeout)
        except BaseException:
            self.stop()
            raise
        self.start_seconds = time.perf_counter() - t0
        self.worker_pids()

    def _wait_ready(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"hres serve exited ({self.process.returncode}): {self.log_text()[-2000:]}")
            connection = http.client.HTTPConnection(LOOPBACK, self.port, timeout=2)
            try:
                connection.request("GET", "/sparql", headers={"Accept": "text/turtle"})
                if connection.getresponse().status == 200:
                    return
            except OSError:
                pass
            finally:
                connection.close()
            time.sleep(0.2)
        raise RuntimeError(f"hres serve did not answer within {seconds:g} s: {self.log_text()[-2000:]}")

    @property
    def config(self) -> str:
        lane = "" if self.long_queries is None else f", long lane {self.long_queries or 'off'}"
        queue = "" if self.queue_timeout is None else f", queue timeout {self.queue_timeout:g} s"
        return f"{self.workers} query workers{lane}, {self.threads} waitress threads, timeout {self.timeout:g} s{queue}"

    def alive(self) -> bool:
        return self.process.poll() is None

    def worker_pids(self) -> list[int]:
        pids = [c for c in children(self.pid) if "server.worker" in cmdline(c)]
        self._seen.update(pids)
        return pids

    def workers_started(self) -> int:
        """Worker processes seen so far (the first ones and every replacement noticed by a call)."""
        self.worker_pids()
        return len(self._seen)

    def pids(self) -> list[int]:
        return [self.pid, *self.worker_pids()]

    def rss_mib(self) -> float:
        return sum(rss_mib(p) for p in self.pids())

    def log_text(self) -> str:
        try:
            return self.log.read_text("utf-8", "replace")
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process.poll() is None:
            workers = self.worker_pids()
            self.process.send_signal(signal.SIGINT)  # waitress stops, the pool closes its workers
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
            for pid in workers:  # only if the server could not reap them itself
                if cpu_seconds(pid) is not None and "server.worker" in cmdline(pid):
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass

    def __enter__(self) -> LiveServer:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _default_sigint() -> None:
    """In the child: SIGINT stops `hres serve` cleanly even when the caller runs where SIGINT is ignored
    (nohup, a background job), which the child would inherit."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
