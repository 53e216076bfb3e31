"""Reading /proc: a process's children, command line, CPU and memory (for the suites and the tests)."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Callable

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


def state(pid: int) -> str:
    """The one-letter state of a process (R, S, D, T, Z…); "" when it is gone."""
    return _stat_state(f"/proc/{pid}/stat")


def task_states(pid: int) -> list[str]:
    """The state of each thread of a process."""
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    return [s for t in tasks if (s := _stat_state(f"/proc/{pid}/task/{t}/stat"))]


def _stat_state(path: str) -> str:
    try:
        return Path(path).read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return ""


def cmdline(pid: int) -> str:
    """The command line of a process, its arguments joined by spaces ("" when it is gone)."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


def cpu_seconds(pid: int) -> float | None:
    """user + system CPU seconds of a live process (None when it is gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / _TICK


def status_number(pid: int, name: str) -> int:
    """A number of /proc/PID/status (`VmRSS` in KiB, `Threads`…); 0 when the process is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(name + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def rss_kib(pid: int) -> int:
    """Resident set size in KiB (0 when the process is gone)."""
    return status_number(pid, "VmRSS")


def rss_mib(pid: int) -> float:
    return rss_kib(pid) / 1024


def thread_count(pid: int) -> int:
    """Threads of a process (0 when it is gone)."""
    return status_number(pid, "Threads")


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


def descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        kids = children(todo.pop())
        found += kids
        todo += kids
    return found


class TreeRssPeak:
    """The peak of the summed RSS of a process and its descendants, sampled every `every` seconds in a
    thread: ru_maxrss gives only the largest single process, and a build runs child processes."""

    def __init__(self, pid: int, every: float = 0.1):
        self.pid, self.every, self.peak_mib = pid, every, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bench-rss-sampler", daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            total = sum(rss_mib(p) for p in [self.pid, *descendants(self.pid)])
            self.peak_mib = max(self.peak_mib, total)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(5)
