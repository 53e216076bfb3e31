"""Work of the build done in child processes, beside the build's own: import lanes and the links phase.

Design notes: hres_graph/build/README.md, "lanes.py".
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import shutil
import signal
import time
from pathlib import Path

import pyoxigraph as ox

from ..config import Settings
from ..namespaces import GRAPH
from .sources import LazyResolver, open_source

# the sources worth a lane of their own: long, and independent of the others' output
LANE_SOURCES = ("upr-info", "upr-info-2018", "upr-wg-reports")
_PR_SET_PDEATHSIG = 1


def lane_sources(sources: list) -> list:
    """The sources to import in lanes (none when they would be the only ones: the build would only wait)."""
    chosen = [s for s in sources if s.id in LANE_SOURCES]
    return chosen if len(chosen) < len(sources) else []


class ChildTask:
    """`target(*args)` run in a child process; `result()` waits for its return value or raises its error."""

    def __init__(self, target, args: tuple, name: str):
        context = multiprocessing.get_context("spawn")
        self._receive, send = context.Pipe(duplex=False)
        self.started = time.perf_counter()
        self._process = context.Process(target=_run, args=(target, args, send, os.getpid()), name=name, daemon=True)
        self._process.start()
        send.close()

    def result(self):
        try:
            outcome = self._receive.recv()
        except EOFError:  # the child died without a word (killed, out of memory)
            self._process.join()
            raise RuntimeError(
                f"{self._process.name} (a child process of the build) ended with exit code "
                f"{self._process.exitcode} before finishing"
            ) from None
        self._process.join()
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    def answered(self) -> bool:
        """Whether the child has sent its answer (or died)."""
        return self._receive.poll()

    def close(self) -> None:
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._receive.close()


class SourceLane:
    """One source converted to N-Quads of its graph in a child process; `load_into` loads them (streamed or from a
    file). Quads, not triples: the build's parser then gives the quads to insert as they are (constructing a
    quad per triple in Python was 15 % of loading a lane)."""

    def __init__(self, settings: Settings, source, folder: Path, *, stream: bool = False):
        self.source, self.folder, self.stream = source, folder, stream
        folder.mkdir(parents=True, exist_ok=True)
        self.file = folder / f"{source.id}.nq"
        self._task = ChildTask(_convert, (settings, source, self.file), f"hres import {source.id}")
        self.started = self._task.started

    def load_into(self, store, load_file) -> tuple:
        """Load the child's triples with `load_file(store, binary file object)` (streamed: as they are written);
        raise the child's error. Returns the child's (path, report) for the source's record."""
        if self.stream:
            tail = _Tail(self.file, self._task)
            try:
                load_file(store, tail)
            except SyntaxError:  # a cut file: the child's own error says why
                self._task.result()
                raise
            finally:
                tail.close()
            outcome = self._task.result()
        else:
            outcome = self._task.result()
            with open(self.file, "rb") as handle:
                load_file(store, handle)
        self.file.unlink()
        return outcome

    def close(self) -> None:
        self._task.close()
        shutil.rmtree(self.folder, ignore_errors=True)


class _Tail:
    """The lane's file as the child writes it, as a binary file object for Oxigraph's parser: a read at the end
    of the file waits for more until the child has answered (after closing the file), then it is the end.
    A file, not a pipe: the child never waits for the build (a pipe's 64 KiB would make conversion and
    insertion take turns instead of running at once)."""

    def __init__(self, file: Path, task: ChildTask):
        self._file, self._task, self._handle = file, task, None

    def read(self, size: int = -1) -> bytes:
        while True:
            finished = self._task.answered()  # before reading: whatever it wrote before answering is there
            if self._handle is None and self._file.exists():
                self._handle = open(self._file, "rb")
            data = self._handle.read(size) if self._handle else b""
            if data or finished:
                return data
            time.sleep(0.02)

    def close(self) -> None:
        if self._handle:
            self._handle.close()


def _run(target, args: tuple, send, parent: int) -> None:
    """In the child: die with the build, run the target, send its value or its error."""
    ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the build died before the line above
        return
    try:
        outcome = target(*args)
    except BaseException as exc:  # noqa: BLE001 - every failure goes to the build, which reports it
        outcome = exc
    try:
        send.send(outcome)
    finally:
        send.close()


def _convert(settings: Settings, source, out: Path) -> tuple:
    """Read the source and write its triples to `out`, as quads of the source's graph."""

    path, report, triples = open_source(settings, source, LazyResolver(settings), progress=False)
    graph = ox.NamedNode(str(GRAPH[source.id]))
    with open(out, "wb") as handle:
        ox.serialize((ox.Quad(s, p, o, graph) for s, p, o in triples), handle, ox.RdfFormat.N_QUADS)
    return path, report
