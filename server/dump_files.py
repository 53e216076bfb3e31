"""Dump files: each dump written once per dataset version, then served from disk.

A dump streamed straight from the store needed a request thread (and a producer thread) for as long
as its client took to read it: eight clients that never read held every request thread, and a HEAD
started a producer that nothing ever stopped. A file is instead sent by the HTTP server's file
wrapper from its I/O loop, holding no thread, however slow the client.

- A file is written by a background thread into a temporary name and renamed into place, so a
  reader never sees half a file; one file is written at a time (the store's read bandwidth and one
  core are the cost).
- The files of one store live in `<DUMP_DIR>/<version>-<store hash>/`; making the first file of a
  new store removes the folders of older ones.
- A request for a file being written waits at most WAIT_S seconds, and at most WAITERS requests
  wait that long at once; the others wait GRACE_S (a small file is often done by then) and are
  told to come back (503 with Retry-After). So requests for dumps hold at most WAITERS request
  threads for long, however many arrive.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)
WAIT_S = 5.0
WAITERS = 2
GRACE_S = 0.5


def folder_name(version: str, store_path: Path) -> str:
    """A folder per store: the version for people, a hash of the path in case two builds share it."""
    readable = re.sub(r"[^A-Za-z0-9._+-]", "_", version)[:80]
    return f"{readable}-{hashlib.sha256(str(store_path).encode()).hexdigest()[:12]}"


class DumpFiles:
    def __init__(self, root: Path, *, wait_s: float = WAIT_S, waiters: int = WAITERS, grace_s: float = GRACE_S):
        self.root, self.wait_s, self.grace_s = Path(root), wait_s, min(grace_s, wait_s)
        self._lock = threading.Lock()  # guards _making
        self._making: dict[Path, threading.Event] = {}
        self._one_writer = threading.Lock()  # one file written at a time
        self._waiters = threading.BoundedSemaphore(waiters)

    def path(self, version: str, store_path: Path, filename: str) -> Path:
        return self.root / folder_name(version, store_path) / filename

    def get(self, target: Path, write: Callable[[Path], None]) -> Path | None:
        """`target` once it exists (made with `write(temporary path)` if needed), or None if it is
        not ready within `wait_s` (`grace_s` when `waiters` other requests are already waiting)."""
        if target.is_file():
            return target
        made = self._start(target, write)
        if not self._waiters.acquire(blocking=False):
            made.wait(self.grace_s)
            return target if target.is_file() else None
        try:
            made.wait(self.wait_s)
        finally:
            self._waiters.release()
        return target if target.is_file() else None

    def _start(self, target: Path, write: Callable[[Path], None]) -> threading.Event:
        with self._lock:
            made = self._making.get(target)
            if made is None:
                made = self._making[target] = threading.Event()
                threading.Thread(
                    target=self._make, args=(target, write, made), name="hres-dump-file", daemon=True
                ).start()
            return made

    def _make(self, target: Path, write: Callable[[Path], None], made: threading.Event) -> None:
        try:
            with self._one_writer:
                if not target.is_file():
                    self._write(target, write)
        except Exception as exc:  # logged; the next request tries again
            log.error("could not write the dump %s: %s", target, exc)
        finally:
            with self._lock:
                del self._making[target]
            made.set()

    def _write(self, target: Path, write: Callable[[Path], None]) -> None:
        if not target.parent.is_dir():
            target.parent.mkdir(parents=True, exist_ok=True)
            for other in self.root.iterdir():  # older builds' files: nobody asks for them again
                if other != target.parent and other.is_dir():
                    shutil.rmtree(other, ignore_errors=True)
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        try:
            write(temporary)
            os.replace(temporary, target)
        finally:
            temporary.unlink(missing_ok=True)
