"""Long-lived query worker processes in two lanes, so that cheap queries never wait behind heavy ones.

Every query starts in the **short lane**: at most `size` queries at once, each in an idle worker (a
request waits at most `wait` seconds for a slot, else `PoolBusy` -> 503). A query still running
after `long_after` seconds moves to the **long lane**: its worker stops counting against `size`, its
query thread gets a lower CPU priority (nice +10), and a fresh worker is started for the short lane.
So a storm of heavy queries takes the long lane and the background CPU, while lookups keep `size`
workers and the CPU's attention. At most `long_limit` queries are in the long lane at once; a query
that would be one more is stopped (`TooManyLong`, a `PoolBusy` -> 503). `long_limit=0` turns the
lane off (the update sandbox's single writer).

In either lane a query not answered within `timeout` has its worker killed (SIGKILL: the query stops
burning CPU at once) -> `QueryTimedOut` -> 504; a replacement starts in the background. A worker that
dies while answering -> `WorkerLost`, which says how from its exit status (SIGABRT: out of the memory
`memory_bytes` allows). A worker found dead before it took the job (dead while idle, or its pipe
closed at the hand-over) never saw the job, so the job goes to another worker instead.

Each worker confines itself at start (worker.main): no network unless `remote` or `allow_remote`
needs it, heap bounded by `memory_bytes`.

Idle workers are kept one per free short-lane slot, plus `size` spares while the long lane is in use;
a worker back from the long lane rejoins them only if its priority can be restored (that needs
CAP_SYS_NICE), otherwise it is stopped. Workers alive at once: at most 3 × `size` + `long_limit`.

Workers are plain subprocesses (`python -c "…server.worker.main(FD)"`) talking over a socketpair with
multiprocessing's message framing: unlike multiprocessing's spawn/forkserver they never re-import
the server's `__main__`, and unlike fork they do not inherit the threads and open store of the
web server. A worker starts in about 0.1 s (interpreter, imports without Flask or rdflib, opening the
store).
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import threading
import time

from hres_graph.errors import StoreError
from hres_graph.sandbox import kill_child, start_child

log = logging.getLogger(__name__)
_ENTRY = "import sys; from server.worker import main; main(int(sys.argv[1]))"
LONG_LANE_NICE = 10  # added to the query thread's nice value: CFS then gives it ~1/10 of a nice-0 thread's share


class PoolBusy(Exception):
    """No worker became free in time."""


class TooManyLong(PoolBusy):
    """The query outlived the short lane and the long lane was full, so it was stopped."""


class QueryTimedOut(Exception):
    """The worker did not answer within the time limit and was killed."""


class WorkerLost(Exception):
    """The worker died while answering: `cause` says how, from its exit status."""

    def __init__(self, cause: str, out_of_memory: bool = False):
        super().__init__(cause)
        self.cause, self.out_of_memory = cause, out_of_memory


def death_cause(returncode: int | None) -> tuple[str, bool]:
    """How a worker died, and whether it was for want of memory. Under RLIMIT_DATA an allocation
    that fails aborts Oxigraph (Rust's allocation-error handler: SIGABRT); Python's own raise
    MemoryError, which the worker answers itself (422)."""
    if returncode == -signal.SIGABRT:
        return "it ran out of memory (SIGABRT after a failed allocation)", True
    if returncode == -signal.SIGKILL:
        return "it was killed (SIGKILL), for example by the system's out-of-memory killer", False
    if returncode == -signal.SIGSEGV:
        return "it crashed (SIGSEGV)", False
    if returncode is None:
        return "its connection closed", False
    return f"it exited with status {returncode}", False


class _NotAccepted(Exception):
    """The worker was dead before it could read the job (raised inside `run`, never out of it)."""


class _Worker:
    def __init__(self, process, conn, generation: int):
        self.process, self.conn, self.generation = process, conn, generation
        self.version, self.query_thread = "", 0
        self.nice: int | None = None  # the query thread's nice value before the long lane lowered it
        self._stopping, self.stopped = threading.Lock(), False

    def alive(self) -> bool:
        """Not exited, and its end of the pipe not closed (an idle worker sends nothing, so anything
        readable now is the EOF of a dead one)."""
        try:
            return self.process.poll() is None and not self.conn.poll(0)
        except OSError:
            return False

    def stop(self) -> None:
        """Kill, reap and close, once: the reaper thread and `close()` may both get here, and a
        second close of the pipe could close an unrelated descriptor that reused its number."""
        with self._stopping:
            if self.stopped:
                return
            self.stopped = True
        kill_child(self.process, self.conn, "query worker")

    def lower_priority(self) -> None:
        try:
            self.nice = os.getpriority(os.PRIO_PROCESS, self.query_thread)
            os.setpriority(os.PRIO_PROCESS, self.query_thread, min(self.nice + LONG_LANE_NICE, 19))
        except OSError:  # the worker has just died: the request will see it
            pass

    def restore_priority(self) -> bool:
        """Back to the nice value it started with; False if not permitted (unprivileged)."""
        if self.nice is None:
            return True
        try:
            os.setpriority(os.PRIO_PROCESS, self.query_thread, self.nice)
        except OSError:
            return False
        self.nice = None
        return True


MEMORY_PER_WORKER_CAP = 2 * 2**30  # what one query may use at most by default (WORKER_MEMORY)
MEMORY_FLOOR = 512 * 2**20  # an idle worker alone takes ~300 MiB of its limit (the 256 MiB stack)


def physical_memory() -> int | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        return None


def default_worker_memory(max_workers: int) -> int:
    """WORKER_MEMORY when none is configured: 2 GiB, or less, so that the most workers that can run
    at once (3 x QUERY_WORKERS + LONG_QUERIES), all at their limit, fit in three quarters of the
    machine's memory (14 x 2 GiB would be 28 GiB on a 24 GiB machine), never under 512 MiB."""
    physical = physical_memory()
    if not physical:
        return MEMORY_PER_WORKER_CAP
    share = physical * 3 // 4 // max(max_workers, 1)
    return max(MEMORY_FLOOR, min(MEMORY_PER_WORKER_CAP, share // 2**20 * 2**20))


def _warn_if_memory_overcommitted(memory_bytes: int | None, workers: int) -> None:
    """Say at start-up when the workers could, all at their limit, want more than the machine has:
    each limit then still stops a runaway query, but not several at once (the kernel's OOM killer
    would pick a victim, perhaps the web process)."""
    physical = physical_memory()
    if physical and memory_bytes and memory_bytes * workers > physical:
        log.warning(
            "up to %d query workers x WORKER_MEMORY %d MiB = %d MiB, more than this machine's %d MiB; "
            "lower HRES_WORKER_MEMORY, QUERY_WORKERS or LONG_QUERIES",
            workers,
            memory_bytes // 2**20,
            memory_bytes * workers // 2**20,
            physical // 2**20,
        )


class WorkerPool:
    def __init__(
        self,
        store_path: str,
        *,
        size: int,
        long_after: float = 0.25,
        long_limit: int = 0,
        writable: bool = False,
        start_timeout: float = 60.0,
        remote: str | None = None,
        allow_remote: tuple[str, ...] = (),
        memory_bytes: int | None = None,
    ):
        self.path, self.size, self.writable, self.remote = str(store_path), size, writable, remote
        # a worker keeps network access only when it must (see worker.py): the external store, or
        # endpoints that ALLOW_REMOTE lets SERVICE / LOAD call
        self.allow_remote, self.network = tuple(allow_remote), bool(remote or allow_remote)
        self.memory_bytes = memory_bytes
        self.long_after, self.long_limit = long_after, long_limit
        # a writable store admits one process at a time: a replacement waits until the old one is reaped
        self._max_workers = size if writable else 3 * size + long_limit
        self.start_timeout = start_timeout
        _warn_if_memory_overcommitted(memory_bytes, self._max_workers)
        self.generation = 0
        self.restarts = 0
        self._state = threading.Condition()  # guards everything below; notified when a slot or worker frees
        self._idle: list[_Worker] = []
        self._live: set[_Worker] = set()
        self._short_busy = self._long_busy = self._starting = 0
        self._closed = False
        for w in [self._start() for _ in range(size)]:  # fail at start-up if the store cannot be opened
            self._idle.append(self._ready(w))

    # -- starting and stopping workers

    def _start(self) -> _Worker:
        """Launch a worker process; `_ready` then waits for it to have opened the store."""
        # RUST_BACKTRACE=0: a worker that runs out of memory logs one line, not 60
        process, conn = start_child(_ENTRY, RUST_BACKTRACE="0")
        conn.send(
            {
                "store": self.path,
                "writable": self.writable,
                "remote": self.remote,
                "network": self.network,
                "allow_remote": self.allow_remote,
                "memory_bytes": self.memory_bytes,
            }
        )
        return _Worker(process, conn, self.generation)

    def _ready(self, w: _Worker) -> _Worker:
        try:
            message = w.conn.recv() if w.conn.poll(self.start_timeout) else ("failed", "no answer at start-up")
        except (EOFError, OSError) as exc:
            message = ("failed", f"it exited ({exc.__class__.__name__})")
        if message[0] != "ready":
            w.stop()
            raise StoreError(f"a query worker did not start: {message[1]}", hint="is the store built and readable?")
        w.version, w.query_thread = message[1], message[2]
        with self._state:
            self._live.add(w)
        return w

    def _idle_wanted(self) -> int:
        """One idle worker per free short-lane slot; while the long lane is in use, `size` more, so
        that a query moving there hands its slot to a worker that is already up (a start takes 0.1 s)."""
        return self.size - self._short_busy + (self.size if self._long_busy else 0)

    def _top_up(self) -> None:
        """Start workers in the background until enough are idle or starting. Called with `_state`
        held, after anything that frees a slot or loses a worker."""
        while (
            not self._closed
            and len(self._idle) + self._starting < self._idle_wanted()
            and len(self._live) + self._starting < self._max_workers
        ):
            self._starting += 1
            threading.Thread(target=self._start_in_background, name="hres-worker-start", daemon=True).start()

    def _start_in_background(self) -> None:
        delay = 0.1
        while not self._closed:
            try:
                new = self._ready(self._start())
            except Exception as exc:  # e.g. the store directory vanished; keep trying, slowly
                log.error("cannot start a query worker: %s; retrying in %.1f s", exc, delay)
                time.sleep(delay)
                delay = min(delay * 2, 10.0)
                continue
            with self._state:
                self._starting -= 1
                if self._closed or len(self._idle) >= self._idle_wanted():
                    self._dismiss(new)
                else:
                    self._idle.append(new)
                    self._state.notify()
            return
        with self._state:
            self._starting -= 1

    def _dismiss(self, w: _Worker) -> None:
        """Kill a worker at once; reap it in the background, then top up. Called with `_state` held."""
        w.process.kill()
        threading.Thread(target=self._reap, args=(w,), name="hres-worker-reap", daemon=True).start()

    def _reap(self, w: _Worker) -> None:
        w.stop()  # reaped before a replacement opens the store (the sandbox's write lock is then free)
        with self._state:
            self._live.discard(w)
            self._top_up()

    # -- running jobs

    def _take(self, deadline: float) -> _Worker:
        """A short-lane slot and an idle worker of the current generation, or PoolBusy at the deadline."""
        with self._state:
            while True:
                if self._short_busy < self.size and self._idle:
                    w = self._idle.pop()  # the most recently used: its caches are warm
                    if w.generation != self.generation:  # it opened an older store (see reload)
                        self._dismiss(w)
                        continue
                    if not w.alive():  # it died while idle: it never saw a job, so try the next one
                        self.restarts += 1
                        self._dismiss(w)
                        continue
                    self._short_busy += 1
                    return w
                self._top_up()
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._closed:
                    raise PoolBusy()
                self._state.wait(remaining)

    def _enter_long_lane(self, w: _Worker) -> None:
        with self._state:
            if self._long_busy >= self.long_limit:
                raise TooManyLong()
            self._short_busy -= 1
            self._long_busy += 1
            self._top_up()
            self._state.notify()
        w.lower_priority()

    def _give_back(self, w: _Worker, long: bool, healthy: bool) -> None:
        with self._state:
            if long:
                self._long_busy -= 1
            else:
                self._short_busy -= 1
            if not healthy:
                self.restarts += 1
                self._dismiss(w)
            elif self._closed or len(self._idle) >= self._idle_wanted() or not w.restore_priority():
                self._dismiss(w)
            else:
                self._idle.append(w)
            while len(self._idle) > self._idle_wanted():  # the long lane emptied: its spares go
                self._dismiss(self._idle.pop(0))
            self._state.notify()

    def run(self, job: dict, *, timeout: float, wait: float):
        """Send a job to an idle worker; its answer tuple, or PoolBusy / TooManyLong / QueryTimedOut /
        WorkerLost. A worker found dead when the job is handed over (it died idle) never accepted the
        job, so the job goes once more to another worker rather than failing."""
        deadline = time.monotonic() + wait
        try:
            return self._run_on(self._take(deadline), job, timeout)
        except _NotAccepted:
            return self._run_on(self._take(max(deadline, time.monotonic() + 1.0)), job, timeout)

    def _run_on(self, w: _Worker, job: dict, timeout: float):
        long = healthy = False
        try:
            try:
                w.conn.send(job)
            except OSError:  # EPIPE / ECONNRESET: its end is closed, the job was never read
                raise _NotAccepted() from None
            first = min(timeout, self.long_after) if self.long_limit else timeout
            if not w.conn.poll(first):
                if first >= timeout:
                    raise QueryTimedOut()
                self._enter_long_lane(w)
                long = True
                if not w.conn.poll(timeout - first):
                    raise QueryTimedOut()
            answer = w.conn.recv()
            healthy = True
            return answer
        except (EOFError, OSError):
            try:
                returncode = w.process.wait(1.0)
            except subprocess.TimeoutExpired:
                returncode = None
            raise WorkerLost(*death_cause(returncode)) from None
        finally:
            self._give_back(w, long, healthy)

    def busy(self) -> tuple[int, int]:
        """Queries running now in the short lane and in the long lane."""
        with self._state:
            return self._short_busy, self._long_busy

    def reload(self, store_path: str) -> None:
        """Serve another store directory: workers are replaced as they come back idle."""
        with self._state:
            self.path = str(store_path)
            self.generation += 1

    def close(self) -> None:
        with self._state:
            self._closed = True
            live = list(self._live)
            self._live.clear()
            self._state.notify_all()
        for w in live:
            w.stop()
