"""How many validations run at once, how many may wait, and the warm child each one starts from.

`POST /validate` runs each validation in its own confined child process (hres_graph.validation.child),
never in the web process. This module bounds them:

- **slots** (VALIDATE_SLOTS, default 2): validations running at once;
- **queue** (VALIDATE_QUEUE, default 4): requests waiting for a slot; one more is turned away at
  once (`QueueFull` -> 503 with Retry-After), and a waiting request gives up after QUEUE_TIMEOUT
  seconds (`QueueFull` too);
- **a spare child**: one child is started ahead and loads the shapes and reference data while it
  waits, so a validation does not pay for the interpreter start (about 0.5 s). Each child does
  one validation and exits; the next spare is started when a slot is given back, not while a
  validation runs (on a busy machine its start-up would take CPU from that validation).
"""

from __future__ import annotations

import atexit
import math
import threading
import time
from contextlib import contextmanager

from hres_graph.validation.child import Child, ChildLimits, start_child

MIB = 1024 * 1024


class QueueFull(Exception):
    """No slot for this validation: the queue was full, or the wait ran out."""


class ValidationQueue:
    def __init__(self, *, slots: int, queue: int, limits: ChildLimits, spares: int = 1):
        self.slots, self.queue, self.limits, self.spares = slots, queue, limits, spares
        self._state = threading.Condition()
        self._running = self._waiting = 0
        self._spare: list[Child] = []
        self._closed = False
        atexit.register(self.close)

    @classmethod
    def from_config(cls, config) -> "ValidationQueue":
        limits = ChildLimits(
            timeout=config["VALIDATE_TIMEOUT"],
            memory_bytes=config["VALIDATE_MEMORY_MB"] * MIB,
            max_file_bytes=config["MAX_REQUEST_BYTES"],
        )
        return cls(slots=config["VALIDATE_SLOTS"], queue=config["VALIDATE_QUEUE"], limits=limits)

    @contextmanager
    def slot(self, wait: float):
        """Hold one of the slots for the block; QueueFull when none frees within `wait` seconds."""
        deadline = time.monotonic() + wait
        with self._state:
            if self._running >= self.slots:
                if self._waiting >= self.queue:
                    raise QueueFull(
                        f"{self.slots} validations are running and {self._waiting} are waiting "
                        f"(VALIDATE_SLOTS, VALIDATE_QUEUE)"
                    )
                self._waiting += 1
                try:
                    while self._running >= self.slots:
                        left = deadline - time.monotonic()
                        if left <= 0 or not self._state.wait(left) and self._running >= self.slots:
                            raise QueueFull(f"no validation slot became free within {wait:g} s (QUEUE_TIMEOUT)")
                finally:
                    self._waiting -= 1
            self._running += 1
        try:
            yield
        finally:
            with self._state:
                self._running -= 1
                self._state.notify()
                if not self._closed and len(self._spare) < self.spares:
                    self._spare.append(start_child(self.limits))

    def child(self) -> Child:
        """A child for one validation: the warm spare if there is one still alive, else a new one."""
        with self._state:
            spare = self._spare.pop() if self._spare else None
        if spare is not None and spare.alive():
            return spare
        if spare is not None:
            spare.stop()
        return start_child(self.limits)

    def retry_after(self) -> str:
        """Seconds a client should wait: about one validation's time limit shared by the slots."""
        return str(max(1, math.ceil(min(self.limits.timeout, 30) / self.slots)))

    def close(self) -> None:
        with self._state:
            self._closed = True
            spares, self._spare = self._spare, []
        for spare in spares:
            spare.stop()


__all__ = ["ValidationQueue", "QueueFull"]
