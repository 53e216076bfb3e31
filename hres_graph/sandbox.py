"""Confine the current process before it handles untrusted input: no network, bounded memory and CPU.

Query workers, the validation child and the CLI's parsing child call `confine()` first thing. The
network rule is enforced by the kernel, not by reading the input: a seccomp filter makes
`socket()` fail with EACCES for every address family but AF_UNIX (the pipes and socketpairs the
server talks over), and refuses `io_uring_setup` (io_uring can open and connect sockets of its
own). So no spelling of `SERVICE`, `LOAD` or a JSON-LD `@context` can reach another host: the
engine's HTTP client cannot even resolve a name. The filter is inherited by every thread and
child started afterwards and cannot be lifted.

Memory is bounded with RLIMIT_DATA (heap and private anonymous mappings, thread stacks included:
a file-backed store mapping is not counted), CPU time with RLIMIT_CPU (SIGXCPU, then SIGKILL),
and core dumps are off. libseccomp (Debian's libseccomp2, always present with apt) is used through
pyseccomp; where it is missing, `confine(network=False)` raises instead of running unconfined.
"""

from __future__ import annotations

import errno
import logging
import os
import resource
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

log = logging.getLogger(__name__)
_TREE = str(Path(__file__).resolve().parent.parent)  # so a child imports this checkout's packages


class SandboxError(RuntimeError):
    """The confinement could not be applied (no seccomp on this system)."""


@dataclass(frozen=True)
class Confinement:
    """What `confine()` applied, for logs and tests."""

    network: bool
    memory_bytes: int | None
    cpu_seconds: int | None


def deny_network() -> None:
    """Install the seccomp filter: only AF_UNIX sockets can be created from now on."""
    try:
        import pyseccomp as seccomp

        rules = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
        rules.add_rule(seccomp.ERRNO(errno.EACCES), "socket", seccomp.Arg(0, seccomp.NE, socket.AF_UNIX))
        rules.add_rule(seccomp.ERRNO(errno.EPERM), "io_uring_setup")
        rules.load()
    except (ImportError, OSError, RuntimeError, ValueError) as exc:
        raise SandboxError(
            f"cannot confine this process with seccomp ({exc}); install libseccomp2 "
            "(Debian) so that untrusted input can be handled without network access"
        ) from exc


def _lower(limit: int, value: int) -> None:
    soft, hard = resource.getrlimit(limit)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    if soft == resource.RLIM_INFINITY or value < soft:
        resource.setrlimit(limit, (value, hard if hard != resource.RLIM_INFINITY else value))


def confine(*, network: bool = False, memory_bytes: int | None = None, cpu_seconds: int | None = None) -> Confinement:
    """Apply the limits to this process (and what it starts later). Limits can only be lowered."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if memory_bytes:
        _lower(resource.RLIMIT_DATA, int(memory_bytes))
    if cpu_seconds:
        _lower(resource.RLIMIT_CPU, int(cpu_seconds))
    if not network:
        deny_network()
    return Confinement(network, memory_bytes, cpu_seconds)


def exit_with_parent(poll_seconds: float = 1.0) -> threading.Thread:
    """Exit this process soon after the process that started it is gone.

    A query worker's time limit is enforced by its parent (it kills the worker): a worker left
    behind by a killed server would run its query forever (one was seen at 25 CPU-minutes).
    PR_SET_PDEATHSIG does not fit: it fires when the parent *thread* ends, and the pool starts
    workers from short-lived threads. So a daemon thread watches for re-parenting instead.
    """
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(poll_seconds)
        os._exit(70)  # EX_SOFTWARE: nobody is left to read an answer

    watcher = threading.Thread(target=watch, name="hres-exit-with-parent", daemon=True)
    watcher.start()
    return watcher


def start_child(entry: str, **env: str) -> tuple[subprocess.Popen, Connection]:
    """Start `python -c entry FD` over a socketpair with multiprocessing's message framing.

    A plain subprocess, never a fork of the caller (the web server has threads and an open store),
    and not multiprocessing's spawn (it would re-import the server's `__main__`). `entry` reads its
    end of the pipe from argv[1]; `env` adds variables to the caller's environment.
    """
    ours, theirs = socket.socketpair()
    path = os.pathsep.join(filter(None, [_TREE, os.environ.get("PYTHONPATH")]))
    process = subprocess.Popen(
        [sys.executable, "-c", entry, str(theirs.fileno())],
        pass_fds=(theirs.fileno(),),
        stdin=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": path, **env},
        cwd=_TREE,
    )
    theirs.close()
    return process, Connection(ours.detach())


def kill_child(process: subprocess.Popen, conn: Connection, what: str) -> None:
    """SIGKILL (a no-op on one that has exited), reap, close its pipe."""
    if process.poll() is None:
        process.kill()
    try:
        process.wait(5)
    except subprocess.TimeoutExpired:
        log.error("%s %s did not exit after SIGKILL", what, process.pid)
    conn.close()
