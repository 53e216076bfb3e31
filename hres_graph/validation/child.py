"""Validate contributed files in a child process, so a parser crash or a runaway costs that child only.

Design notes: hres_graph/validation/README.md, "child.py".
"""

from __future__ import annotations

import logging
import math
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from .. import sandbox
from ..errors import SourceFormatError
from . import child_wire as wire
from .input_limits import MAX_FILE_BYTES, MAX_NESTING
from .report import Report

log = logging.getLogger(__name__)
_ENTRY = "import sys; from hres_graph.validation.child_main import main; main(int(sys.argv[1]))"
MIB = 1024 * 1024

StoreContext = Callable[[list[str], list[str]], Graph]  # (referenced IRIs, state IRIs) -> facts from the store


@dataclass(frozen=True)
class ChildLimits:
    """Bounds of one validation child. The CLI's defaults are generous; the server passes its settings."""

    timeout: float = 600.0  # seconds from the job to the report, then SIGKILL
    memory_bytes: int = 4096 * MIB  # RLIMIT_DATA (the parser thread's 256 MiB stack included)
    max_file_bytes: int = MAX_FILE_BYTES
    max_nesting: int = MAX_NESTING

    @property
    def cpu_seconds(self) -> int:
        """RLIMIT_CPU: a backstop behind the wall-clock timeout (it also counts the start-up)."""
        return math.ceil(self.timeout) + 10


class ChildFailed(SourceFormatError):
    """The child ended without a report."""


class ChildTimedOut(ChildFailed):
    pass


class ChildOutOfMemory(ChildFailed):
    pass


class ChildCrashed(ChildFailed):
    pass


@dataclass
class Outcome:
    report: Report
    graph: Graph | None  # the files' triples, when asked for (hres import --validate loads them)


class Child:
    """One started validation child, ready (or getting ready) for its single job."""

    def __init__(self, limits: ChildLimits):
        self.limits = limits
        self.process, self.conn = sandbox.start_child(_ENTRY)
        self.conn.send_bytes(wire.dumps({"memory_bytes": limits.memory_bytes, "cpu_seconds": limits.cpu_seconds}))
        self.ready = False

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        sandbox.kill_child(self.process, self.conn, "validation child")

    def receive(self, deadline: float, paths: list[Path]) -> list:
        """The next message, or the ChildFailed that says why there is none."""
        if not self.conn.poll(max(deadline - time.monotonic(), 0)):
            self.stop()
            raise _timed_out(paths, self.limits)
        try:
            return wire.loads(self.conn.recv_bytes())
        except (EOFError, OSError):
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.stop()
            raise _ended(paths, self.process.returncode, self.limits) from None

    def run(self, job: dict, paths: list[Path], store_context: StoreContext | None) -> list:
        """Send the job; answer the child's store-context request; return its last message."""
        deadline = time.monotonic() + self.limits.timeout
        try:
            if not self.ready:
                self.receive(deadline, paths)  # ["ready"]
                self.ready = True
            self.conn.send_bytes(wire.dumps(job))
            message = self.receive(deadline, paths)
            if message[0] == "context?":
                context = store_context(message[1], message[2]) if store_context else Graph()
                self.conn.send_bytes(wire.dumps(["context", wire.triples(context)]))
                message = self.receive(deadline, paths)
            return message
        except OSError:  # the child went away while we were writing to it
            self.stop()
            raise _ended(paths, self.process.returncode, self.limits) from None
        finally:
            self.stop()


def start_child(limits: ChildLimits) -> Child:
    return Child(limits)


def validate_in_child(
    paths: list[Path],
    *,
    limits: ChildLimits = ChildLimits(),
    allow_warnings: bool = False,
    store_context: StoreContext | None = None,
    shapes: Path | None = None,
    want_graph: bool = False,
    child: Child | None = None,
) -> Outcome:
    """Read and validate `paths` together in a confined child (a given ready `child`, or a new one).

    store_context: when given, the child asks for the store facts its data refers to and this reads
    them (in the caller: the child has no network and never opens the store).
    """
    paths = [Path(p) for p in paths]
    child = child or start_child(limits)
    job = {
        "paths": [str(p) for p in paths],
        "max_file_bytes": limits.max_file_bytes,
        "max_nesting": limits.max_nesting,
        "include_store": store_context is not None,
        "allow_warnings": allow_warnings,
        "shapes": str(shapes) if shapes else None,
        "want_graph": want_graph,
    }
    message = child.run(job, paths, store_context)
    if message[0] == "report":
        graph = None
        if want_graph:
            graph = Graph()
            for triple in wire.triples_from(message[2]):
                graph.add(triple)
        return Outcome(wire.report_from(message[1]), graph)
    if message[0] == "out-of-memory":
        raise _out_of_memory(paths, limits, "the validator ran out of memory")
    raise wire.error_from(message[1])


# --- why a child ended without a report -----------------------------------------------------------


def _failure(cls, paths: list[Path], problem: str, hint: str) -> ChildFailed:
    """Named by the first file (the server puts the upload's name there); the others are listed."""
    others = f" (validated together with {', '.join(str(p) for p in paths[1:])})" if len(paths) > 1 else ""
    return cls(paths[0], problem + others, hint=hint)


def _timed_out(paths: list[Path], limits: ChildLimits) -> ChildTimedOut:
    return _failure(
        ChildTimedOut,
        paths,
        f"reading and validating took longer than {limits.timeout:g} s and was "
        "stopped; likely the file is too large or nested too deep",
        "split the file into smaller ones",
    )


def _out_of_memory(paths: list[Path], limits: ChildLimits, what: str) -> ChildOutOfMemory:
    return _failure(
        ChildOutOfMemory,
        paths,
        f"{what} (limit {limits.memory_bytes // MIB:,} MiB); likely the file "
        "is too large or nested too deep; nothing was validated",
        "split the file into smaller ones",
    )


def _ended(paths: list[Path], returncode: int | None, limits: ChildLimits) -> ChildFailed:
    if returncode is not None and returncode < 0:
        number = -returncode
        name = signal.Signals(number).name if number in signal.valid_signals() else "unknown"
        if number == signal.SIGXCPU:
            return _timed_out(paths, limits)
        # Rust aborts (SIGABRT) when an allocation fails under RLIMIT_DATA and when a thread's stack
        # overflows; a native stack overflow on a non-Rust thread is a SIGSEGV
        what = "crashed or ran out of memory" if number == signal.SIGABRT else "crashed"
        return _failure(
            ChildCrashed,
            paths,
            f"the parser {what} (signal {number}, {name}); likely nesting too deep "
            "or a file too large; nothing was validated",
            "flatten deeply nested data, or split the file into smaller ones",
        )
    return _failure(
        ChildCrashed,
        paths,
        f"the validator exited without a report (exit status {returncode}); nothing was validated",
        "split the file into smaller ones",
    )


__all__ = [
    "ChildLimits",
    "ChildFailed",
    "ChildTimedOut",
    "ChildOutOfMemory",
    "ChildCrashed",
    "Outcome",
    "Child",
    "start_child",
    "validate_in_child",
]
