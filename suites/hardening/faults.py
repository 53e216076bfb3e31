"""Faults: kill -9 of a build and of an import half-way, kill -9 of a query worker under load, a full disk
during a build (a small tmpfs), and an external SPARQL store that goes away.

Each fault returns a `Fault` with what was done, what held (`checks`: name -> passed) and the figures.
Processes killed here are only ever ones this module started (by pid).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..live_server import LOOPBACK, ROOT, LiveServer, free_port, hres, hres_env
from ..procfs import task_states
from .common import LOOKUP, META_GRAPH, build_small_store, http, run_bounded, store_checksum


@dataclass
class Fault:
    name: str
    checks: dict[str, bool] = field(default_factory=dict)
    figures: dict[str, object] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    skipped: str = ""
    seconds: float = 0.0

    @property
    def held(self) -> bool:
        return not self.skipped and all(self.checks.values())

    def check(self, name: str, passed: bool) -> bool:
        self.checks[name] = bool(passed)
        return bool(passed)


ONLY_BUILTINS = "[sources]\nonly = []\n"


def _query_ok(store_dir: Path) -> bool:
    import pyoxigraph as ox

    try:
        store = ox.Store.read_only(str(store_dir))
        answer = bool(store.query("ASK { GRAPH ?g { ?s ?p ?o } }"))
        del store
        return answer
    except OSError:
        return False


def _partials(var_dir: Path) -> list[Path]:
    stores = var_dir / "stores"
    return sorted(stores.glob("*.partial")) if stores.is_dir() else []


def _dir_bytes(path: Path) -> int:
    total = 0
    for root, _, names in os.walk(path):
        for n in names:
            try:
                total += os.path.getsize(os.path.join(root, n))
            except OSError:
                pass
    return total


def _kill_when_partial(
    command: list[str], var_dir: Path, *, delay: float, env: dict, min_bytes: int = 1, limit_s: float = 120.0
) -> tuple[str, float, int]:
    """Start `command`; once a *.partial store directory has at least `min_bytes`, wait `delay` s and
    SIGKILL it. Returns (what happened, seconds until the kill, bytes in the partial directory)."""
    known = set(_partials(var_dir))  # left by an earlier kill: not this run's progress
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    t0 = time.monotonic()
    seen_at, size = None, 0
    try:
        while time.monotonic() - t0 < limit_s:
            if process.poll() is not None:
                return f"finished before the kill (exit {process.returncode})", time.monotonic() - t0, size
            partial = [p for p in _partials(var_dir) if p not in known]
            if partial:
                size = _dir_bytes(partial[0])
                if seen_at is None and size >= min_bytes:
                    seen_at = time.monotonic()
                if seen_at is not None and time.monotonic() - seen_at >= delay:
                    os.kill(process.pid, signal.SIGKILL)
                    process.wait(10)
                    return "killed", time.monotonic() - t0, size
            time.sleep(0.005)
        os.kill(process.pid, signal.SIGKILL)
        return "killed at the time limit, never saw progress", time.monotonic() - t0, size
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(10)
        process.stderr.close()


# --- kill -9 of hres build ----------------------------------------------------------------------


def kill_build(workdir: Path, *, points=(256 * 1024,)) -> Fault:
    """`hres build` killed with SIGKILL as soon as its new store directory holds `point` bytes, for each point."""
    t0 = time.monotonic()
    fault = Fault("kill -9 hres build")
    var_dir = workdir / "kill-build-var"
    build_small_store(var_dir)
    config = workdir / "only-builtins.toml"
    config.write_text(ONLY_BUILTINS, encoding="utf-8")
    env = hres_env()
    current = (var_dir / "current").resolve()
    before = store_checksum(current)
    killed = 0
    for point in points:
        what, when, size = _kill_when_partial(
            hres("--config", str(config), "--var-dir", str(var_dir), "build"),
            var_dir,
            delay=0.0,
            min_bytes=point,
            env=env,
        )
        label = f"{point / 1024:.0f} KiB" if point >= 1024 else f"{point} byte(s)"
        fault.notes.append(
            f"kill when the new store holds {label}: {what} at {when:.2f} s, partial store {size / 1024:.0f} KiB"
        )
        if what != "killed":
            current = (var_dir / "current").resolve()  # it finished first: that build is now the previous one
            before = store_checksum(current)
            continue
        killed += 1
        fault.check(f"current unchanged (killed at {label})", (var_dir / "current").resolve() == current)
        fault.check(f"store checksum unchanged (killed at {label})", store_checksum(current) == before)
        fault.check(f"previous store queryable (killed at {label})", _query_ok(current))
    fault.check("the build was killed half-way", killed >= 1)
    left = len(_partials(var_dir))
    again = run_bounded(hres("--config", str(config), "--var-dir", str(var_dir), "build"), timeout=180, env=env)
    new = (var_dir / "current").resolve()
    fault.check("next build succeeds", again.returncode == 0)
    if again.returncode != 0:
        fault.notes.append(f"the next build exited {again.returncode}: {again.stderr.strip()[-600:]}")
    fault.check("next build removed the partial store", not _partials(var_dir))
    fault.check("next build is current and queryable", new != current and _query_ok(new))
    if current.exists():
        fault.check(
            "next build has the same data (provenance and blank nodes aside)",
            store_checksum(new, (META_GRAPH,), skip_blank=True)
            == store_checksum(current, (META_GRAPH,), skip_blank=True),
        )
    fault.figures.update(
        {
            "kills": killed,
            "partial stores left by the kills": left,
            "rebuild s": round(again.seconds, 1),
            "triples": before[1],
        }
    )
    fault.seconds = time.monotonic() - t0
    return fault


# --- kill -9 of an import -----------------------------------------------------------------------


def _slow_import_main(var_dir: str, triples: int) -> None:
    """(subprocess) `hres import toy` of a toy source that yields `triples` triples, through
    hres_graph.build.replace.import_source (the code `hres import` runs)."""
    from rdflib import Literal, URIRef

    from hres_graph import importers
    from hres_graph.build.replace import import_source
    from hres_graph.config import Settings
    from hres_graph.importers.base import Source

    def read(path, ctx):
        p = URIRef("https://w3id.org/hres/ontology#note")
        for i in range(triples):
            yield URIRef(f"https://w3id.org/hres/id/toy/{i}"), p, Literal(f"note {i}")

    toy = Source(id="toy", title="Toy", read=read, default_path="toy", license="CC0-1.0", upstream="hardening")
    importers.IMPORTERS  # load the registry
    importers._registry = {**importers.IMPORTERS, "toy": toy}
    marker = Path(var_dir) / "toy-input"
    marker.write_text("toy\n")
    import_source(Settings(var_dir=Path(var_dir)), "toy", marker)


def kill_import(workdir: Path, *, triples: int = 1_500_000, delay: float = 0.1) -> Fault:
    """An import killed with SIGKILL while it writes its copy of the store; then an import that succeeds."""
    t0 = time.monotonic()
    fault = Fault("kill -9 hres import")
    var_dir = workdir / "kill-import-var"
    build_small_store(var_dir)
    env = hres_env()
    current = (var_dir / "current").resolve()
    before = store_checksum(current)
    command = [sys.executable, "-m", "suites.hardening.faults", "--slow-import", str(var_dir), str(triples)]
    # the copy of the store appears first (hard links); wait until the import has written into it
    base_size = _dir_bytes(current)
    what, when, size = _kill_when_partial(command, var_dir, delay=delay, env=env, min_bytes=base_size + 256 * 1024)
    fault.notes.append(
        f"{what} at {when:.2f} s; the partial copy had {size / 1024:.0f} KiB (the store: {base_size / 1024:.0f} KiB)"
    )
    fault.check("the import was killed half-way", what == "killed")
    fault.check("current unchanged", (var_dir / "current").resolve() == current)
    fault.check("store checksum unchanged", store_checksum(current) == before)
    fault.check("previous store queryable", _query_ok(current))
    left = _partials(var_dir)
    fault.figures["partial stores left"] = len(left)
    again = run_bounded(
        [sys.executable, "-m", "suites.hardening.faults", "--slow-import", str(var_dir), "1000"], timeout=180, env=env
    )
    new = (var_dir / "current").resolve()
    fault.check("next import succeeds", again.returncode == 0 and new != current and _query_ok(new))
    kept = sorted(p.name for p in (var_dir / "stores").iterdir() if p.is_dir())
    fault.figures["stores after the next import"] = kept
    fault.check("next import removed the partial store", not _partials(var_dir))
    rollback_kept = current.exists()
    fault.check("the previous store is kept for rollback (HRES_KEEP_STORES=2)", rollback_kept)
    fault.seconds = time.monotonic() - t0
    return fault


# --- kill -9 of a query worker under load -----------------------------------------------------------


def kill_worker(
    server: LiveServer, *, clients: int = 4, seconds: float = 4.0, kill_at: float = 1.0, max_requests: int = 4000
) -> Fault:
    """Lookups from `clients` threads; one worker is SIGKILLed at `kill_at` s, another while idle afterwards."""
    from urllib.parse import quote

    t0 = time.monotonic()
    fault = Fault("kill -9 one query worker under load")
    workers = server.worker_pids()
    if len(workers) < 2:
        fault.skipped = f"the server has {len(workers)} worker(s); need 2"
        return fault
    target = "/sparql?query=" + quote(LOOKUP, safe="")
    statuses: list[tuple[float, int, float]] = []
    lock = threading.Lock()
    stop = threading.Event()

    def client():
        while not stop.is_set():
            answer = http(server.port, "GET", target, [("Accept", "application/sparql-results+json")], timeout=30)
            with lock:
                statuses.append((time.monotonic() - t0, answer.status, answer.seconds))
                if len(statuses) >= max_requests:
                    stop.set()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for t in threads:
        t.start()
    time.sleep(kill_at)
    victim = workers[0]
    killed_at = time.monotonic() - t0
    os.kill(victim, signal.SIGKILL)
    time.sleep(max(0.0, seconds - kill_at))
    stop.set()
    for t in threads:
        t.join(35)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and (len(server.worker_pids()) < 2 or victim in server.worker_pids()):
        time.sleep(0.05)
    replaced = len(server.worker_pids()) >= 2 and victim not in server.worker_pids()
    errors = [s for s in statuses if s[1] != 200]
    after = [s for s in statuses if s[0] > killed_at + 1.0]
    latencies = sorted(s[2] for s in statuses if s[1] == 200)
    fault.figures.update(
        {
            "requests": len(statuses),
            "200": sum(1 for s in statuses if s[1] == 200),
            "non-200": {str(k): sum(1 for s in errors if s[1] == k) for k in sorted({s[1] for s in errors})},
            "p50 ms": round(1000 * latencies[len(latencies) // 2], 1) if latencies else None,
            "max ms": round(1000 * latencies[-1], 1) if latencies else None,
        }
    )
    fault.check(
        "at most one request lost with the killed worker (503)", len(errors) <= 1 and all(s[1] == 503 for s in errors)
    )
    fault.check(
        "the other worker kept answering during the respawn",
        any(killed_at < s[0] < killed_at + 1.0 and s[1] == 200 for s in statuses),
    )
    fault.check("every request 1 s after the kill answered 200", all(s[1] == 200 for s in after))
    fault.check("the killed worker was replaced", replaced)
    # an idle worker killed: the pool must notice before it hands the worker a request (issue 14, item 12)
    idle_victim = server.worker_pids()[0]
    os.kill(idle_victim, signal.SIGKILL)
    time.sleep(0.2)
    idle = [
        http(server.port, "GET", target, [("Accept", "application/sparql-results+json")], timeout=30).status
        for _ in range(6)
    ]
    fault.figures["after killing an idle worker"] = idle
    fault.check("an idle worker's death costs no request (every one after it 200, no 503)", all(s == 200 for s in idle))
    fault.check("the server process survived", server.alive())
    fault.seconds = time.monotonic() - t0
    return fault


# --- a full disk during a build --------------------------------------------------------------------


def disk_full(workdir: Path, *, size_mib: int = 48, free_kib: int = 512) -> Fault:
    """A store built on a small tmpfs; the tmpfs filled up to `free_kib`; `hres build` again."""
    t0 = time.monotonic()
    fault = Fault("disk full during hres build")
    mount = workdir / "tmpfs"
    mount.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_mib}m", "tmpfs", str(mount)], capture_output=True, text=True
    )
    if done.returncode != 0:
        fault.skipped = f"cannot mount a tmpfs ({done.stderr.strip() or 'mount failed'}); needs root or CAP_SYS_ADMIN"
        return fault
    try:
        var_dir = mount / "var"
        config = workdir / "only-builtins.toml"
        config.write_text(ONLY_BUILTINS, encoding="utf-8")
        env = hres_env()
        first = run_bounded(hres("--config", str(config), "--var-dir", str(var_dir), "build"), timeout=180, env=env)
        if first.returncode != 0:
            fault.skipped = f"the first build did not fit in {size_mib} MiB: {first.stderr[-300:]}"
            return fault
        current = (var_dir / "current").resolve()
        before = store_checksum(current)
        filler = mount / "filler"
        try:  # the store may have filled the tmpfs already: then the filler stays empty
            with open(filler, "wb") as out:
                while True:
                    out.write(b"\0" * 65536)
                    out.flush()
        except OSError:
            pass
        if filler.exists():
            os.truncate(filler, max(0, filler.stat().st_size - free_kib * 1024))
        full = run_bounded(hres("--config", str(config), "--var-dir", str(var_dir), "build"), timeout=180, env=env)
        message = [line for line in full.stderr.splitlines() if line.strip()]
        fault.figures.update(
            {
                "tmpfs MiB": size_mib,
                "free KiB": free_kib,
                "exit code": full.returncode,
                "last line": message[-1][:200] if message else "",
            }
        )
        fault.check("the build failed", full.returncode not in (0, None))
        clear = full.stderr.startswith("error:") and "Traceback" not in full.stderr and full.returncode == 3
        fault.check(
            "a clear error: one 'error:' line about the space, exit code 3", clear and "space" in full.stderr.lower()
        )
        fault.check("the message says the disk is full", "no space left" in full.stderr.lower())
        fault.check("current unchanged", (var_dir / "current").resolve() == current)
        fault.check("store checksum unchanged", store_checksum(current) == before)
        fault.check("previous store queryable", _query_ok(current))
        fault.check("the partial build was removed", not _partials(var_dir))
        filler.unlink(missing_ok=True)
        again = run_bounded(hres("--config", str(config), "--var-dir", str(var_dir), "build"), timeout=180, env=env)
        fault.check(
            "with space again, the next build succeeds",
            again.returncode == 0 and _query_ok((var_dir / "current").resolve()),
        )
    finally:
        undone = subprocess.run(["umount", str(mount)], capture_output=True, text=True)
        if undone.returncode != 0:
            subprocess.run(["umount", "-l", str(mount)], capture_output=True, text=True)
    fault.seconds = time.monotonic() - t0
    return fault


# --- an external SPARQL store that goes away -------------------------------------------------------


class Virtuoso:
    """A real Virtuoso (suites/virtuoso.py's configuration) that can be killed, frozen and started
    again on the same ports and database, so "it comes back" means the same server at the same URL."""

    def __init__(self, workdir: Path):
        from ..virtuoso import INI

        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.sql_port, self.http_port = free_port(), free_port()
        self.ini = self.workdir / "virtuoso.ini"
        self.ini.write_text(INI.format(d=self.workdir, sql_port=self.sql_port, http_port=self.http_port), "utf-8")
        self.url = f"http://{LOOPBACK}:{self.http_port}/sparql"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 90.0) -> float:
        from ..virtuoso import wait_for

        t0 = time.monotonic()
        self.process = subprocess.Popen(
            ["virtuoso-t", "+foreground", "+configfile", str(self.ini)],
            cwd=self.workdir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self.url, self.process, self.workdir, timeout)
        return time.monotonic() - t0

    def allow_updates(self) -> None:
        from ..virtuoso import isql

        isql(self.sql_port, 'GRANT SPARQL_UPDATE TO "SPARQL";', "DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);")

    def signal(self, sig: int) -> None:
        os.kill(self.process.pid, sig)
        if sig == signal.SIGKILL:
            self.process.wait(20)
        deadline = time.monotonic() + 5
        while sig == signal.SIGSTOP and time.monotonic() < deadline and not self._stopped():
            time.sleep(0.01)  # the signal is asynchronous: wait until every thread has stopped

    def _stopped(self) -> bool:
        return all(state in "tT" for state in task_states(self.process.pid))

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


# a graph only Virtuoso has: true from the external store, false from the local build
ON_VIRTUOSO = "ASK { GRAPH <http://www.openlinksw.com/schemas/virtrdf#> { ?s ?p ?o } }"
COUNT_ONTOLOGY = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/hres/graph/ontology> { ?s ?p ?o } }"


def _ask(server: LiveServer, text: str):
    from urllib.parse import quote

    return http(
        server.port,
        "GET",
        "/sparql?query=" + quote(text, safe=""),
        [("Accept", "application/sparql-results+json")],
        timeout=30,
    )


def _hres_query(var_dir: Path, url: str, text: str, *, timeout: float) -> tuple[int | None, str, float]:
    done = run_bounded(
        hres("--var-dir", str(var_dir), "query", "--format", "csv", text),
        timeout=timeout,
        env=hres_env(HRES_BACKEND="sparql", HRES_SPARQL_QUERY_URL=url),
    )
    lines = (done.stderr.strip() or done.stdout.strip()).splitlines()
    message = next((t for t in lines if t.startswith("error:")), lines[-1] if lines else "")
    return done.returncode, message[:200], done.seconds


def external_store(workdir: Path, *, query_timeout: float = 3.0) -> Fault:
    """`hres serve` with HRES_BACKEND=sparql over a real Virtuoso, which is killed (-9), frozen (SIGSTOP)
    and started again; the endpoint and `hres query` are asked each time."""
    from hres_graph.config import Settings
    from hres_graph.store.publish import publish

    from ..virtuoso import available

    t0 = time.monotonic()
    fault = Fault("external SPARQL store goes away")
    if not available():
        fault.skipped = "virtuoso-t is not installed (`make test` installs Debian's virtuoso-opensource)"
        return fault
    var_dir = workdir / "external-var"
    build_small_store(var_dir)
    virtuoso = Virtuoso(workdir / "virtuoso")
    server = None
    try:
        fault.figures["virtuoso start s"] = round(virtuoso.start(), 1)
        virtuoso.allow_updates()
        counts = publish(Settings(var_dir=var_dir, backend="sparql", sparql_query_url=virtuoso.url), log=lambda m: None)
        fault.figures["triples published"] = sum(counts.values())
        server = LiveServer(
            var_dir,
            timeout=query_timeout,
            queue_timeout=30,
            log_dir=workdir,
            env={"HRES_BACKEND": "sparql", "HRES_SPARQL_QUERY_URL": virtuoso.url},
        )
        seen: dict[str, list] = {}

        def ask(phase: str):
            answers = [_ask(server, ON_VIRTUOSO), _ask(server, COUNT_ONTOLOGY)]
            seen[phase] = [(a.status, round(a.seconds, 2), a.text(160)) for a in answers]
            return answers

        up = ask("up")
        fault.check(
            "endpoint: queries go to the external store (a graph only Virtuoso has)",
            up[0].status == 200 and b"true" in up[0].body,
        )
        count_up = up[1].body
        cli_up = _hres_query(var_dir, virtuoso.url, COUNT_ONTOLOGY, timeout=60)
        virtuoso.signal(signal.SIGKILL)
        down = ask("killed")
        fault.check(
            "endpoint: 503 with a clear message while the external store is down",
            all(a.status == 503 and b"cannot be reached" in a.body for a in down),
        )
        fault.check("endpoint: the web server answered at once (< 5 s)", all(a.seconds < 5 for a in down))
        cli_down = _hres_query(var_dir, virtuoso.url, COUNT_ONTOLOGY, timeout=60)
        fault.figures["virtuoso restart s"] = round(virtuoso.start(), 1)
        back = ask("back")
        fault.check(
            "endpoint: answers again, with the same data, when it is back",
            all(a.status == 200 for a in back) and back[1].body == count_up,
        )
        virtuoso.signal(signal.SIGSTOP)
        frozen = ask("frozen")
        fault.check(
            f"endpoint: 504 at the {query_timeout:g} s timeout while the store hangs (SIGSTOP)",
            all(a.status == 504 for a in frozen),
        )
        virtuoso.signal(signal.SIGCONT)
        thawed = ask("thawed")
        fault.check("endpoint: answers again after the hang", all(a.status == 200 for a in thawed))
        fault.check("the server process survived", server.alive())
        cli_back = _hres_query(var_dir, virtuoso.url, COUNT_ONTOLOGY, timeout=60)
        fault.figures["endpoint (status, s, body) by phase"] = seen
        fault.figures["hres query (exit, message, s): up, down, back"] = [cli_up, cli_down, cli_back]
        fault.check("hres query: answers while the store is up", cli_up[0] == 0)
        fault.check(
            "hres query: exit 3 with an 'error:' line when the store is down",
            cli_down[0] == 3 and cli_down[1].startswith("error:"),
        )
        fault.check("hres query: answers again when the store is back", cli_back[0] == 0)
    finally:
        if server is not None:
            server.stop()
        virtuoso.stop()
    fault.seconds = time.monotonic() - t0
    return fault


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="faults (used by python -m suites.hardening)")
    parser.add_argument("--slow-import", nargs=2, metavar=("VAR_DIR", "TRIPLES"), help="internal: a slow toy import")
    args = parser.parse_args(argv)
    if args.slow_import:
        _slow_import_main(args.slow_import[0], int(args.slow_import[1]))
        return 0
    parser.print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main())
