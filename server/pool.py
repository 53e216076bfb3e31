"""A small pool of long-lived query worker processes: fed over sockets, killed and replaced on timeout.

A request thread takes an idle worker (waiting at most `wait` seconds, else `PoolBusy` -> 503),
sends it the job and waits at most `timeout` seconds for the answer. If none comes the worker is
killed (SIGKILL: the query stops burning CPU at once) and a replacement is started in the
background, while the request answers `QueryTimedOut` -> 504 straight away.

Workers are plain subprocesses (`python -c "…server.worker.main(FD)"`) talking over a socketpair with
multiprocessing's message framing: unlike multiprocessing's spawn/forkserver they never re-import
the server's `__main__`, and unlike fork they do not inherit the threads and open store of the
web server. A worker starts in about 0.4 s (interpreter, imports, opening the store).
"""
from __future__ import annotations

import logging
import os
import queue
import socket
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path

from hres_graph.errors import StoreError

log = logging.getLogger(__name__)
_ENTRY = "import sys; from server.worker import main; main(int(sys.argv[1]))"


class PoolBusy(Exception):
    """No worker became free in time."""


class QueryTimedOut(Exception):
    """The worker did not answer within the time limit and was killed."""


class WorkerLost(Exception):
    """The worker died while answering (e.g. killed by the out-of-memory killer)."""


class _Worker:
    def __init__(self, process, conn, version: str, generation: int):
        self.process, self.conn, self.version, self.generation = process, conn, version, generation

    def stop(self) -> None:
        self.process.kill()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            log.error("query worker %s did not exit after SIGKILL", self.process.pid)
        self.conn.close()


class WorkerPool:
    def __init__(self, store_path: str, *, size: int, writable: bool = False, start_timeout: float = 60.0,
                 remote: str | None = None):
        self.path, self.size, self.writable, self.remote = str(store_path), size, writable, remote
        self.start_timeout = start_timeout
        self.generation = 0
        self.restarts = 0
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._live: set[_Worker] = set()
        self._closed = False
        for w in [self._start() for _ in range(size)]:  # fail at start-up if the store cannot be opened
            self._idle.put(self._ready(w))

    def _start(self) -> _Worker:
        """Launch a worker process; `_ready` then waits for it to have opened the store."""
        ours, theirs = socket.socketpair()
        root = str(Path(__file__).resolve().parent.parent)  # so the worker imports this tree
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}
        process = subprocess.Popen([sys.executable, "-c", _ENTRY, str(theirs.fileno())],
                                   pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, env=env, cwd=root)
        theirs.close()
        conn = Connection(ours.detach())
        conn.send({"store": self.path, "writable": self.writable, "remote": self.remote})
        return _Worker(process, conn, "", self.generation)

    def _ready(self, w: _Worker) -> _Worker:
        try:
            message = w.conn.recv() if w.conn.poll(self.start_timeout) else ("failed", "no answer at start-up")
        except (EOFError, OSError) as exc:
            message = ("failed", f"it exited ({exc.__class__.__name__})")
        if message[0] != "ready":
            w.stop()
            raise StoreError(f"a query worker did not start: {message[1]}", hint="is the store built and readable?")
        w.version = message[1]
        with self._lock:
            self._live.add(w)
        return w

    def _retire(self, w: _Worker) -> None:
        """Kill a worker (at once) and start its replacement in the background."""
        w.process.kill()
        self.restarts += 1
        threading.Thread(target=self._replace, args=(w,), name="hres-worker-replace", daemon=True).start()

    def _replace(self, old: _Worker) -> None:
        old.stop()  # reaped before the replacement opens the store (the sandbox's lock is then free)
        with self._lock:
            self._live.discard(old)
        delay = 0.1
        while not self._closed:
            try:
                new = self._ready(self._start())
            except Exception as exc:  # e.g. the store directory vanished; keep trying, slowly
                log.error("cannot start a query worker: %s; retrying in %.1f s", exc, delay)
                time.sleep(delay)
                delay = min(delay * 2, 10.0)
                continue
            if self._closed:
                new.stop()
            else:
                self._idle.put(new)
            return

    def run(self, job: dict, *, timeout: float, wait: float):
        """Send a job to an idle worker; its answer tuple, or PoolBusy / QueryTimedOut / WorkerLost."""
        deadline = time.monotonic() + wait
        while True:
            try:
                w = self._idle.get(timeout=max(deadline - time.monotonic(), 0.001))
            except queue.Empty:
                raise PoolBusy() from None
            if w.generation == self.generation:
                break
            self._retire(w)  # opened an older store (see reload)
        healthy = False
        try:
            w.conn.send(job)
            if not w.conn.poll(timeout):
                raise QueryTimedOut()
            answer = w.conn.recv()
            healthy = True
            return answer
        except (EOFError, OSError) as exc:
            raise WorkerLost(str(exc) or exc.__class__.__name__) from None
        finally:
            if healthy and not self._closed:
                self._idle.put(w)
            else:
                self._retire(w)

    def reload(self, store_path: str) -> None:
        """Serve another store directory: workers are replaced as they come back idle."""
        self.path = str(store_path)
        self.generation += 1

    def close(self) -> None:
        self._closed = True
        with self._lock:
            live = list(self._live)
            self._live.clear()
        for w in live:
            w.stop()
