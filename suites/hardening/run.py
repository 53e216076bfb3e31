"""`python -m suites.hardening [--quick]`: the whole hardening suite, in bounded time, with its figures.

1. A small store (ontology + vocabularies + reference data: `hres build` with no sources) in a temporary
   var directory, and its checksum (SHA-256 of the sorted N-Quads).
2. The recording listener (its ports are the targets of every SSRF attempt), proved to work twice: a
   direct connection, and Oxigraph itself running a SERVICE query against it in a subprocess.
3. `hres serve` on a free 127.0.0.1 port (2 query workers, 3 s timeout), its RSS sampled throughout.
4. The hostile request corpus (corpus.py, corpus_issue14.py; the /update families, the 64 MiB answers and
   the memory bombs on a second server with an update token and a 30 s timeout), the hostile files (files.py) and command lines (commands.py), the
   pressure on connections, threads and the validator (pressure.py), the faults (faults.py).
5. The server's log is searched for unhandled errors, the server is stopped, the store checksummed again.

Exit code 0 when everything held; 1 otherwise, with every failure listed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..live_server import LiveServer
from . import commands as commands_mod
from . import corpus as corpus_mod
from . import corpus_issue14
from . import faults as faults_mod
from . import files as files_mod
from . import pressure as pressure_mod
from .common import Listener, RssSampler, add_bulk_graph, build_small_store, lookup, run_bounded, store_checksum

# families in which a query worker may die, and why (any other death is a failure)
WORKER_MAY_DIE = {"sort-abort": corpus_mod.ENGINE_ABORT, **corpus_issue14.WORKER_MAY_DIE}


@dataclass
class SuiteReport:
    quick: bool
    seed: int
    seconds: float = 0.0
    corpus: corpus_mod.CorpusResult | None = None
    files: files_mod.FilesResult | None = None
    faults: list[faults_mod.Fault] = field(default_factory=list)
    commands: list[commands_mod.CommandOutcome] = field(default_factory=list)
    checksum_before: tuple[str, int] | None = None
    checksum_after: tuple[str, int] | None = None
    current_unchanged: bool = True
    listener_probe: bool = False
    engine_canary: bool = False
    outbound: list = field(default_factory=list)
    rss_web_peak_mib: float = 0.0
    rss_worker_peak_mib: float = 0.0
    rss_by_phase: dict = field(default_factory=dict)  # phase -> (web peak MiB, largest worker MiB)
    server_alive: bool = True
    still_answers: dict = field(default_factory=dict)  # phase -> a lookup answered 200 after it
    part_seconds: dict = field(default_factory=dict)  # part -> wall-clock seconds
    server_unhandled: int = 0
    server_log_excerpt: str = ""
    notes: list[str] = field(default_factory=list)

    # --- what held ----------------------------------------------------------------------------
    def engine_aborts(self) -> list:
        """Workers killed by the upstream engine panic (corpus.ENGINE_ABORT): the sort-abort family only."""
        return [o for o in self.corpus.worker_deaths() if o.case.family == "sort-abort"] if self.corpus else []

    def unexplained_deaths(self) -> list:
        """Query workers that died in a family where nothing explains it (WORKER_MAY_DIE)."""
        return [o for o in self.corpus.worker_deaths() if o.case.family not in WORKER_MAY_DIE] if self.corpus else []

    def failures(self) -> list[str]:
        out = []
        if self.corpus:
            out += [
                f"corpus {o.case.family}: {o.case.note[:60]!r} -> {o.answer.status} (expected "
                f"{sorted(o.case.expect)}) {o.answer.error} {o.answer.text(100)!r}"
                for o in self.corpus.unexpected()
            ]
            out += [
                f"a query worker died outside {', '.join(WORKER_MAY_DIE)}: {o.case.family} {o.case.note[:60]!r}"
                for o in self.unexplained_deaths()
            ]
            out += [f"corpus: {why}" for why in self.corpus.skipped.values()]
            if self.server_unhandled:
                out.append(f"{self.server_unhandled} unhandled error(s) in the server log")
        if self.files:
            out += [f"file {o.route} {o.file.name}: {'; '.join(o.problems)}" for o in self.files.failures()]
            if self.files.big and self.files.big.status != 413:
                out.append(f"big upload: status {self.files.big.status} {self.files.big.error}")
        out += [
            f"command {o.case.name}: {'; '.join(o.problems)} ({o.first_line[:100]!r})"
            for o in self.commands
            if not o.ok
        ]
        for f in self.faults:
            out += [f"fault {f.name}: skipped: {f.skipped}"] if f.skipped else []
            out += [f"fault {f.name}: {name}" for name, passed in f.checks.items() if not passed]
        if self.outbound:
            out.append(f"{len(self.outbound)} outbound connection(s) reached the listener: {self.outbound[:3]}")
        if not self.listener_probe or not self.engine_canary:
            out.append(
                "the listener did not record its probe or Oxigraph's own SERVICE call: "
                "the outbound-connection figure would be meaningless"
            )
        if self.checksum_before != self.checksum_after or not self.current_unchanged:
            out.append("the served store changed")
        if not self.server_alive:
            out.append("the server process died")
        out += [
            f"the server did not answer a lookup after {phase}" for phase, ok in self.still_answers.items() if not ok
        ]
        return out

    @property
    def held(self) -> bool:
        return not self.failures()


def engine_canary(listener: Listener) -> bool:
    """Prove that an unrefused SERVICE would be seen: Oxigraph, in a subprocess, queries the listener."""
    port = listener.ports[-1]
    before = listener.count()
    code = (
        "import pyoxigraph as ox\n"
        "try:\n"
        f"    list(ox.Store().query('SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}'))\n"
        "except Exception:\n"
        "    pass\n"
    )
    run_bounded([sys.executable, "-c", code], timeout=20)
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline and listener.count() == before:
        time.sleep(0.05)
    seen = listener.count() > before
    with listener._lock:
        del listener.connections[before:]
    return seen


def run_second_server_families(
    report: SuiteReport, var_dir: Path, workdir: Path, listener: Listener, *, quick: bool, log
) -> None:
    """Families that need another configuration, on a second server: /update turned on (a token and its
    own sandbox), and a query timeout long enough to reach the byte cap and the worker memory limit."""
    server = LiveServer(
        var_dir,
        timeout=corpus_issue14.LONG_TIMEOUT_S,
        queue_timeout=30,
        log_dir=workdir,
        env={"HRES_UPDATE_TOKEN": corpus_issue14.UPDATE_TOKEN, "HRES_UPDATE_STORE": str(workdir / "update-sandbox")},
    )
    try:
        cases = corpus_issue14.update_cases(listener.ports) + corpus_issue14.long_query_cases(quick)
        with RssSampler(server.pid, every=0.2) as sampler:
            # one heavy query at a time: each memory bomb may take WORKER_MEMORY (2 GiB) before it is stopped
            result = corpus_mod.run_corpus(
                cases, server.port, concurrency=2, heavy_concurrency=1, budget_s=300 if quick else 600
            )
        report.rss_by_phase["second server"] = (round(sampler.peak_main / 1024, 1), round(sampler.peak_child / 1024, 1))
        report.corpus.outcomes += result.outcomes
        report.corpus.skipped.update({f"second server {k}": v for k, v in result.skipped.items()})
        report.still_answers["the second server's families"] = lookup(server.port, timeout=30).status == 200
        report.server_alive = report.server_alive and server.alive()
        log(
            f"second server: {len(result.outcomes)} requests (update token, {corpus_issue14.LONG_TIMEOUT_S:g} s timeout)"
        )
    finally:
        server.stop()
        report.server_unhandled += server.log_text().count("unhandled error")


@contextmanager
def timed(report: SuiteReport, part: str):
    t0 = time.monotonic()
    try:
        yield
    finally:
        report.part_seconds[part] = round(report.part_seconds.get(part, 0.0) + time.monotonic() - t0, 1)


BULK_TRIPLES = 100_000  # graph/bulk: ~31 MB of N-Quads, more than waitress buffers for a client (16 MiB)


def run_pressure(report: SuiteReport, workdir: Path, *, quick: bool, log) -> None:
    """Pressure needs dumps larger than the buffers between a dump and its client (else a HEAD's or a
    stalled reader's producer finishes anyway): its own store with graph/bulk, and its own server."""
    var_dir = workdir / "pressure-var"
    log(f"pressure: a store with {BULK_TRIPLES:,} more triples …")
    add_bulk_graph(build_small_store(var_dir), BULK_TRIPLES)
    server = LiveServer(var_dir, timeout=3.0, queue_timeout=30, log_dir=workdir)
    try:
        with RssSampler(server.pid, every=0.2) as sampler:
            log("pressure: HEAD on the dumps, held connections, a big validation …")
            report.faults.append(
                pressure_mod.dump_heads(server, heads=100 if quick else 300, abandoned=20 if quick else 50)
            )
            report.faults.append(pressure_mod.held_connections(server, seconds=3.0 if quick else 10.0))
            report.faults.append(
                pressure_mod.validation_contention(
                    server, (files_mod.EXAMPLES / "valid" / "ASM-01-01.ttl").read_bytes()
                )
            )
        report.rss_by_phase["pressure (own server)"] = (
            round(sampler.peak_main / 1024, 1),
            round(sampler.peak_child / 1024, 1),
        )
        report.still_answers["the pressure"] = lookup(server.port, timeout=30).status == 200
        report.server_alive = report.server_alive and server.alive()
    finally:
        server.stop()
        report.server_unhandled += server.log_text().count("unhandled error")


def run_suite(
    *,
    quick: bool,
    seed: int = 1,
    workdir: Path | None = None,
    log=print,
    parts: tuple[str, ...] = ("corpus", "files", "commands", "pressure", "faults"),
) -> SuiteReport:
    """Run the suite (`parts` lets a caller run pieces of it)."""
    t0 = time.monotonic()
    report = SuiteReport(quick, seed)
    own_dir = workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="hres-hardening-")) if own_dir else Path(workdir)
    listener = Listener()
    server = None
    try:
        var_dir = workdir / "var"
        log(f"building the small store in {var_dir} …")
        build_small_store(var_dir)
        current = (var_dir / "current").resolve()
        report.checksum_before = store_checksum(current)
        report.listener_probe = listener.probe()
        report.engine_canary = engine_canary(listener)
        log(
            f"listener on 127.0.0.1:{', '.join(map(str, listener.ports))}"
            f"{f' and [::1]:{listener.port6}' if listener.port6 else ''}: probe "
            f"{'recorded' if report.listener_probe else 'NOT recorded'}, Oxigraph SERVICE canary "
            f"{'recorded' if report.engine_canary else 'not recorded'}"
        )
        server = LiveServer(var_dir, timeout=3.0, queue_timeout=30, log_dir=workdir)
        log(f"hres serve on {server.url} (pid {server.pid}, workers {server.worker_pids()})")

        def phase(name: str) -> RssSampler:
            sampler = RssSampler(server.pid, every=0.2)
            samplers[name] = sampler
            return sampler

        samplers: dict[str, RssSampler] = {}
        if "corpus" in parts:
            with phase("corpus"), timed(report, "requests (main server)"):
                cases = corpus_mod.generate(seed, quick=quick, ports=listener.ports, port6=listener.port6)
                cases += corpus_issue14.generate(quick=quick, ports=listener.ports, server_port=server.port)
                log(f"corpus: {len(cases)} cases generated (seed {seed}); sending …")
                report.corpus = corpus_mod.run_corpus(
                    cases,
                    server.port,
                    budget_s=240 if quick else 1500,
                    progress=lambda done, total: log(f"  {done}/{total}"),
                )
                log(f"corpus: {len(report.corpus.outcomes)} requests in {report.corpus.seconds:.0f} s")
            report.still_answers["the corpus"] = lookup(server.port, timeout=30).status == 200
        if "files" in parts:
            with phase("files"), timed(report, "files"):
                empty = workdir / "empty-data"
                empty.mkdir(exist_ok=True)
                log("files …")
                report.files = files_mod.run_files(
                    server,
                    var_dir,
                    workdir / "files",
                    quick=quick,
                    ports=listener.ports,
                    empty_data_root=empty,
                    log=log,
                )
            report.still_answers["the files"] = lookup(server.port, timeout=30).status == 200
        if "commands" in parts:
            log("commands: FIFOs, /dev/zero, nested braces …")
            with timed(report, "command lines"):
                report.commands = commands_mod.run_commands(
                    commands_mod.command_cases(workdir / "commands", var_dir, quick=quick)
                )
        if "pressure" in parts:
            with timed(report, "pressure (own server)"):
                run_pressure(report, workdir, quick=quick, log=log)
        if "faults" in parts:
            with phase("kill a worker"), timed(report, "faults"):
                log("faults: kill -9 of a query worker under load …")
                report.faults.append(faults_mod.kill_worker(server, seconds=3.0 if quick else 8.0))
        report.rss_by_phase.update(
            {name: (round(sm.peak_main / 1024, 1), round(sm.peak_child / 1024, 1)) for name, sm in samplers.items()}
        )
        report.rss_web_peak_mib = max((w for w, _ in report.rss_by_phase.values()), default=0.0)
        report.rss_worker_peak_mib = max((k for _, k in report.rss_by_phase.values()), default=0.0)
        report.server_alive = server.alive()
        server.stop()
        text = server.log_text()
        report.server_unhandled += text.count("unhandled error")
        report.server_log_excerpt = "\n".join(
            line for line in text.splitlines() if line.startswith(("ERROR", "Traceback")) or "Error:" in line
        )[-3000:]
        server = None
        if "corpus" in parts:
            with timed(report, "requests (second server)"):
                run_second_server_families(report, var_dir, workdir, listener, quick=quick, log=log)
        if "commands" in parts:
            log("commands: hres import of a header-only file and of a NUL …")
            with timed(report, "import guard"):
                report.faults.append(commands_mod.import_guard(workdir))
        if "faults" in parts:
            with timed(report, "faults"):
                log("faults: kill -9 of hres build …")
                report.faults.append(
                    faults_mod.kill_build(
                        workdir, points=(256 * 1024,) if quick else (1, 256 * 1024, 768 * 1024, 1536 * 1024)
                    )
                )
                log("faults: a full disk during hres build …")
                report.faults.append(faults_mod.disk_full(workdir))
                log("faults: kill -9 of an import …")
                report.faults.append(faults_mod.kill_import(workdir, triples=800_000 if quick else 1_500_000))
                log("faults: an external SPARQL store (Virtuoso) that goes away …")
                report.faults.append(faults_mod.external_store(workdir))
        report.checksum_after = store_checksum(current)
        report.current_unchanged = (var_dir / "current").resolve() == current
        report.outbound = list(listener.connections)
    finally:
        if server is not None:
            server.stop()
        listener.close()
        if own_dir:
            shutil.rmtree(workdir, ignore_errors=True)
    report.seconds = round(time.monotonic() - t0, 1)
    return report


# --- the figures -----------------------------------------------------------------------------


def _statuses(counter: Counter) -> str:
    return " ".join(f"{k or 'closed'}×{v}" for k, v in sorted(counter.items()))


def render(report: SuiteReport) -> str:
    out = [
        f"# HRES Graph hardening: {'quick' if report.quick else 'full'} run, seed {report.seed}, "
        f"{report.seconds:.0f} s",
        "",
    ]
    if report.corpus:
        c = report.corpus
        out += [
            "## Hostile requests",
            "",
            "| family | requests | statuses seen | as expected | 500 |",
            "|---|---:|---|---:|---:|",
        ]
        for family, outs in c.by_family().items():
            out.append(
                f"| {family} | {len(outs)} | {_statuses(c.statuses(outs))} | "
                f"{sum(1 for o in outs if o.expected)} | {sum(1 for o in outs if o.answer.status == 500)} |"
            )
        out += [
            f"| **all** | **{len(c.outcomes)}** | {_statuses(c.statuses())} | "
            f"**{sum(1 for o in c.outcomes if o.expected)}** | **{len(c.status_500())}** |",
            "",
        ]
        out += [f"- not sent: {family}: {why}" for family, why in c.skipped.items()]
        aborts = report.engine_aborts()
        limited = [o for o in c.worker_deaths() if o.case.family in corpus_issue14.WORKER_MAY_DIE]
        out += [
            f"- requests: {len(c.outcomes)} in {c.seconds:.0f} s; status 500: {len(c.status_500())}; "
            f"answers not matching their case: {len(c.unexpected())}",
            f"- query workers that died: {len(c.worker_deaths())}, of which {len(aborts)} from the upstream "
            f"engine abort (sort-abort family: {corpus_mod.ENGINE_ABORT}) and {len(limited)} at their memory "
            f"limit (memory-bomb family)",
            f"- server process {'alive' if report.server_alive else 'DEAD'} at the end; unhandled errors in its "
            f"log: {report.server_unhandled}",
        ]
    out += [
        f"- outbound connections recorded: {len(report.outbound)} (listener probe "
        f"{'recorded' if report.listener_probe else 'NOT recorded'}; Oxigraph SERVICE canary "
        f"{'recorded' if report.engine_canary else 'NOT recorded'})",
        "- the server answered a lookup after: "
        + (", ".join(f"{phase} {'yes' if ok else 'NO'}" for phase, ok in report.still_answers.items()) or "-"),
        f"- server RSS peak: web process {report.rss_web_peak_mib:.0f} MiB, largest query worker "
        f"{report.rss_worker_peak_mib:.0f} MiB (by phase, web/worker: "
        + ", ".join(f"{name} {web:.0f}/{worker:.0f}" for name, (web, worker) in report.rss_by_phase.items())
        + ")",
    ]
    if report.checksum_before and report.checksum_after:
        same = report.checksum_before == report.checksum_after and report.current_unchanged
        out += [
            f"- store checksum before: {report.checksum_before[0]} ({report.checksum_before[1]} quads)",
            f"- store checksum after:  {report.checksum_after[0]} ({report.checksum_after[1]} quads): "
            f"{'unchanged' if same else 'CHANGED'}",
        ]
    if report.files:
        f = report.files
        out += [
            "",
            "## Hostile files",
            "",
            "| route | files | as expected | largest peak of a file <= 1 MiB (MiB) |",
            "|---|---:|---:|---:|",
        ]
        routes: dict[str, list] = {}
        for o in f.outcomes:
            routes.setdefault(o.route, []).append(o)
        for route, outs in routes.items():
            out.append(
                f"| {route} | {len(outs)} | {sum(1 for o in outs if o.ok)} | "
                f"{max((o.peak_mib for o in outs if not o.file.measured_only), default=0):.0f} |"
            )
        out.append("")
        for o in (o for o in f.outcomes if o.file.measured_only):
            out.append(
                f"- {o.route} {o.file.name} ({o.file.size / 2**20:.0f} MiB): exit/status {o.code}, "
                f"peak +{o.peak_mib:.0f} MiB, {o.seconds:.1f} s"
            )
        if f.big:
            b = f.big
            out.append(
                f"- upload of {b.size / 2**20:.0f} MiB to {b.route} (streamed): {b.status} in {b.seconds:.1f} s; "
                f"server RSS {b.rss_before_mib:.0f} MiB before, peak {b.peak_web_mib:.0f} MiB (web) / "
                f"{b.peak_total_mib:.0f} MiB (with workers); answer: {b.message.strip()[:100]!r}"
            )
        out += [f"- {n}" for n in f.notes]
        out.append(f"- files not refused as expected: {len(f.failures())}")
    if report.commands:
        out += [
            "",
            "## Hostile command lines",
            "",
            "| command | exit | s | as expected | first line |",
            "|---|---:|---:|---|---|",
        ]
        out += [
            f"| {o.case.name} | {o.code} | {o.seconds:.1f} | {'yes' if o.ok else 'NO: ' + '; '.join(o.problems)} | "
            f"{o.first_line[:90].replace('|', '/')} |"
            for o in report.commands
        ]
    if report.faults:
        out += ["", "## Faults and pressure", ""]
        for fault in report.faults:
            state = f"skipped: {fault.skipped}" if fault.skipped else ("held" if fault.held else "BROKE")
            out.append(f"- **{fault.name}** ({fault.seconds:.0f} s): {state}")
            out += [f"  - {'ok' if passed else 'NO'}: {name}" for name, passed in fault.checks.items()]
            out += [f"  - {k}: {v}" for k, v in fault.figures.items()]
            out += [f"  - {n}" for n in fault.notes]
    out += ["", "Time by part: " + ", ".join(f"{part} {sec:.0f} s" for part, sec in report.part_seconds.items())]
    failures = report.failures()
    out += ["", "## Failures", ""] + ([f"- {x}" for x in failures[:60]] or ["- none"])
    out += ["", f"**{'HELD' if report.held else 'DID NOT HOLD'}** in {report.seconds:.0f} s"]
    return "\n".join(out)


def to_json(report: SuiteReport) -> dict:
    data = {
        "quick": report.quick,
        "seed": report.seed,
        "seconds": report.seconds,
        "held": report.held,
        "failures": report.failures(),
        "outbound": len(report.outbound),
        "checksum_before": report.checksum_before,
        "checksum_after": report.checksum_after,
        "rss_web_peak_mib": report.rss_web_peak_mib,
        "rss_worker_peak_mib": report.rss_worker_peak_mib,
        "part_seconds": report.part_seconds,
        "still_answers": report.still_answers,
    }
    if report.corpus:
        data["corpus"] = {
            fam: {
                "requests": len(outs),
                "statuses": dict(report.corpus.statuses(outs)),
                "expected": sum(1 for o in outs if o.expected),
            }
            for fam, outs in report.corpus.by_family().items()
        }
    if report.files:
        data["files"] = [
            {"route": o.route, "file": o.file.name, "code": o.code, "ok": o.ok, "peak_mib": o.peak_mib}
            for o in report.files.outcomes
        ]
    if report.commands:
        data["commands"] = [
            {"command": o.case.name, "code": o.code, "seconds": o.seconds, "ok": o.ok, "problems": o.problems}
            for o in report.commands
        ]
    if report.faults:
        data["faults"] = {
            f.name: {"held": f.held, "skipped": f.skipped, "checks": f.checks, "figures": f.figures}
            for f in report.faults
        }
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m suites.hardening",
        description="Hostile requests, hostile files and faults against a real `hres serve`.",
    )
    parser.add_argument("--quick", action="store_true", help="the reduced run (about 1,500 requests, small files)")
    parser.add_argument("--seed", type=int, default=1, help="the corpus seed (default 1)")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (stores, files, server log)")
    args = parser.parse_args(argv)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    report = run_suite(
        quick=args.quick, seed=args.seed, workdir=args.keep, log=lambda m: print(m, file=sys.stderr, flush=True)
    )
    print(render(report))
    if args.json:
        args.json.write_text(json.dumps(to_json(report), indent=1, default=str), encoding="utf-8")
    return 0 if report.held else 1


if __name__ == "__main__":
    sys.exit(main())
