"""Work of the build done in child processes, beside the build's own: import lanes and the links phase.

Importers read files and never the store, so on a machine with two cores the long imports run in child
processes while the build loads the other sources:

* the first lane source (upr-info) *streams* its triples as N-Triples through a pipe, and the build adds
  them to the store as they come: the child's Python conversion and the store's insertion run at once
  (converting 300,000 recommendations takes ~20 s of CPU, inserting their 5.4 M triples ~44 s);
* the others (upr-wg-reports, which reads the UPR Info export again to match its rows) write
  NAME.lane.partial/SOURCE.nt beside the staged store, which the build reads when it gets there.

After the imports, graph/links is computed in a child (`ChildTask`) from a checkpoint of the store (hard
links, read-only) while the build computes graph/derived: the two read only the source graphs.

An error in a child (a malformed file, a full disk) is raised in the build as if the work had been done
there, and the staged store is dropped as usual. Children are started with `spawn`, not `fork` (the build
holds RocksDB, whose threads a fork would copy mid-lock), and die with the build (PR_SET_PDEATHSIG), so a
killed build leaves no process behind: only *.partial folders, which the next build removes.
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

from .config import Settings

# the sources worth a lane of their own: long, and independent of the others' output
SECOND_LANE = ("upr-info", "upr-wg-reports")
_PR_SET_PDEATHSIG = 1
_CHUNK = 1 << 20  # bytes of N-Triples per message of a streaming lane
_END = b""        # the message after a streaming lane's last chunk


def lane_sources(sources: list) -> list:
    """The sources to import in lanes (none when they would be the only ones: the build would only wait)."""
    chosen = [s for s in sources if s.id in SECOND_LANE]
    return chosen if len(chosen) < len(sources) else []


class ChildTask:
    """`target(send, *args)` run in a child process; `result()` waits for its return value or raises its error."""

    def __init__(self, target, args: tuple, name: str):
        context = multiprocessing.get_context("spawn")
        self._receive, send = context.Pipe(duplex=False)
        self.started = time.perf_counter()
        self._process = context.Process(target=_run, args=(target, args, send, os.getpid()), name=name,
                                        daemon=True)
        self._process.start()
        send.close()

    def result(self):
        try:
            outcome = self._receive.recv()
        except EOFError:  # the child died without a word (killed, out of memory)
            self._process.join()
            raise RuntimeError(f"{self._process.name} (a second process of the build) ended with exit code "
                               f"{self._process.exitcode} before finishing") from None
        self._process.join()
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    def close(self) -> None:
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._receive.close()


class SourceLane:
    """One source converted to N-Triples in a child process; `load_into` loads them (streamed or from a file)."""

    def __init__(self, settings: Settings, source, folder: Path, *, stream: bool = False):
        self.source, self.folder, self.stream = source, folder, stream
        folder.mkdir(parents=True, exist_ok=True)
        self.file = None if stream else folder / f"{source.id}.nt"
        self._task = ChildTask(_convert, (settings, source, self.file), f"hres import {source.id}")
        self.started = self._task.started

    def load_into(self, store, load_file) -> tuple:
        """Load the child's triples with `load_file(store, binary file object)`; raise the child's error.
        Returns the child's (path, report) for the source's record."""
        if self.stream:
            try:
                load_file(store, _Chunks(self._task._receive))
            except SyntaxError:  # a cut stream: the child's own error says why
                self._task.result()
                raise
            return self._task.result()
        outcome = self._task.result()
        with open(self.file, "rb") as handle:
            load_file(store, handle)
        self.file.unlink()
        return outcome

    def close(self) -> None:
        self._task.close()
        shutil.rmtree(self.folder, ignore_errors=True)


class _Chunks:
    """The receiving end of a streaming lane as a binary file object (what Oxigraph's parser reads)."""

    def __init__(self, connection):
        self._connection, self._buffer, self._done = connection, memoryview(b""), False

    def read(self, size: int = -1) -> bytes:
        if not self._buffer and not self._done:
            try:
                self._buffer = memoryview(self._connection.recv_bytes())
            except EOFError:  # the child died: what came is all there is (result() says why)
                self._buffer = memoryview(b"")
            self._done = not self._buffer
        size = len(self._buffer) if size is None or size < 0 else size
        out, self._buffer = self._buffer[:size], self._buffer[size:]
        return bytes(out)


class _ChunkWriter:
    """N-Triples written by Oxigraph's serializer, sent to the build in chunks of _CHUNK bytes."""

    def __init__(self, send):
        self._send, self._pending = send, bytearray()

    def write(self, data: bytes) -> int:
        self._pending += data
        if len(self._pending) >= _CHUNK:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self._pending:
            self._send.send_bytes(self._pending)
            self._pending = bytearray()


def _run(target, args: tuple, send, parent: int) -> None:
    """In the child: die with the build, run the target, send its value or its error."""
    ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the build died before the line above
        return
    try:
        outcome = target(send, *args)
    except BaseException as exc:  # noqa: BLE001 - every failure goes to the build, which reports it
        outcome = exc
    try:
        send.send(outcome)
    finally:
        send.close()


def _convert(send, settings: Settings, source, out: Path | None) -> tuple:
    """Read the source and write its triples to `out`, or stream them through `send` (out None)."""
    from .build import _LazyResolver, open_source  # the build imports this module

    path, report, triples = open_source(settings, source, _LazyResolver(settings), progress=False)
    terms = (ox.Triple(s, p, o) for s, p, o in triples)
    if out is not None:
        with open(out, "wb") as handle:
            ox.serialize(terms, handle, ox.RdfFormat.N_TRIPLES)
        return path, report
    writer = _ChunkWriter(send)
    try:
        ox.serialize(terms, writer, ox.RdfFormat.N_TRIPLES)
        writer.flush()
    finally:
        send.send_bytes(_END)  # also after an error: the build stops reading, then receives the error
    return path, report
