"""A second import lane: one source converted in a child process while the build loads the others.

Importers read files and never the store, so on a machine with two cores the longest independent import
(upr-wg-reports, which reads the UPR Info export again to match its rows) can run beside the rest of the
build. The child writes the source's triples as N-Triples into NAME.lane.partial beside the staged store,
and the build reads that file into the source's graph when it gets there; an error in the child
(a malformed file, a full disk) is raised in the build as if the source had been read there, and the
staged store is dropped as usual. The child is started with `spawn`, not `fork` (the build holds RocksDB,
whose threads a fork would copy mid-lock), and dies with the build (PR_SET_PDEATHSIG), so a killed build
leaves no process behind: only the *.partial folder, which the next build removes.
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
SECOND_LANE = ("upr-wg-reports",)
_PR_SET_PDEATHSIG = 1


def lane_sources(sources: list) -> list:
    """The sources to import in the second lane (none when it would be the only one)."""
    chosen = [s for s in sources if s.id in SECOND_LANE]
    return chosen if len(chosen) < len(sources) else []


class SourceLane:
    """One source converted to N-Triples in a child process; `load_into` waits for it and loads the file."""

    def __init__(self, settings: Settings, source, folder: Path):
        self.source, self.folder = source, folder
        folder.mkdir(parents=True, exist_ok=True)
        self.file = folder / f"{source.id}.nt"
        context = multiprocessing.get_context("spawn")
        self._receive, send = context.Pipe(duplex=False)
        self.started = time.perf_counter()
        self._process = context.Process(target=_convert, args=(settings, source, self.file, send, os.getpid()),
                                        name=f"hres import {source.id}", daemon=True)
        self._process.start()
        send.close()

    def load_into(self, store, load_file) -> tuple:
        """Wait for the child; raise its error, or load its file with `load_file(store, file)`. Returns the
        child's (path, report) for the source's record."""
        try:
            outcome = self._receive.recv()
        except EOFError:  # the child died without a word (killed, out of memory)
            self._process.join()
            raise RuntimeError(f"the import of {self.source.id} in a second process ended with exit code "
                               f"{self._process.exitcode} before finishing") from None
        self._process.join()
        if isinstance(outcome, BaseException):
            raise outcome
        load_file(store, self.file)
        self.file.unlink()
        return outcome

    def close(self) -> None:
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._receive.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def _convert(settings: Settings, source, out: Path, send, parent: int) -> None:
    """In the child: die with the build, read the source, write its triples, send (path, report) or the error."""
    ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the build died before the line above
        return
    from .build import _LazyResolver, open_source  # the build imports this module

    try:
        path, report, triples = open_source(settings, source, _LazyResolver(settings),
                                            progress=False)
        with open(out, "wb") as handle:
            ox.serialize((ox.Triple(s, p, o) for s, p, o in triples), handle, ox.RdfFormat.N_TRIPLES)
        send.send((path, report))
    except BaseException as exc:  # noqa: BLE001 - every failure goes to the build, which reports it
        send.send(exc)
    finally:
        send.close()
