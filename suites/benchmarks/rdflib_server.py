"""rdflib-endpoint over an N-Quads file, for the benchmark: load once, serve from a forked child.

    python -m suites.benchmarks.rdflib_server --port PORT FILE.nq

This is what `rdflib-endpoint serve FILE` does (an rdflib `Dataset(default_union=True)`, rdflib-endpoint's
`SparqlEndpoint`, `uvicorn.run`, one process), with two differences that only serve the measurement:
the endpoint is at /sparql (as ours), and uvicorn runs in a child forked after the load. rdflib-endpoint
evaluates a query inside its event loop, so a query the benchmark gave up on (no answer in 60 s) keeps
that server busy until it ends; the parent then kills the child and forks a fresh one from the loaded
dataset in a second, instead of loading the file again for minutes.

Talks JSON lines on stdout ({"event": "loaded", …}, {"event": "serving", "pid": …}) and reads
`restart` or `quit` on stdin (end of input = quit). The child dies with the parent (PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import http.client
import json
import os
import resource
import signal
import sys
import time
from pathlib import Path

from ..procfs import rss_mib


def _say(**event) -> None:
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


def _ready(port: int, pid: int, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.waitpid(pid, os.WNOHANG)[0]:
            return False
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/sparql", headers={"Accept": "text/turtle"})
            ok = conn.getresponse().status == 200
            conn.close()
            if ok:
                return True
        except OSError:
            pass
        time.sleep(0.1)
    return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("file", type=Path)
    args = parser.parse_args(argv)

    import uvicorn
    from rdflib import Dataset
    from rdflib_endpoint import SparqlEndpoint

    t0, cpu0 = time.perf_counter(), time.process_time()
    dataset = Dataset(default_union=True)
    dataset.parse(str(args.file), format="nquads")
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - cpu0  # the wall time depends on the machine's load, the CPU time less
    app = SparqlEndpoint(graph=dataset, path="/sparql", cors_enabled=True)
    gc.collect()
    gc.freeze()  # the forked child does not copy the dataset's pages just to collect them
    _say(
        event="loaded",
        seconds=round(seconds, 1),
        cpu_seconds=round(cpu, 1),
        quads=len(dataset),
        rss_mib=round(rss_mib(os.getpid())),
        peak_rss_mib=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    )

    def fork() -> int:
        pid = os.fork()
        if pid == 0:
            try:
                ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: die with the parent
                os.dup2(2, 1)  # stdout is the parent's event channel
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)
            finally:
                os._exit(0)
        return pid

    def kill(pid: int) -> None:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass

    child = fork()
    try:
        if not _ready(args.port, child):
            _say(event="failed", reason="the server did not answer")
            return 1
        _say(event="serving", pid=child)
        for line in sys.stdin:
            command = line.strip()
            if command == "quit":
                break
            if command == "restart":
                kill(child)
                child = fork()
                if not _ready(args.port, child):
                    _say(event="failed", reason="the server did not answer after a restart")
                    return 1
                _say(event="serving", pid=child)
    finally:
        kill(child)
    return 0


if __name__ == "__main__":
    sys.exit(main())
