"""The scale benchmark: generate, build, query on the embedded store and on Virtuoso, serve.

    python -m suites.scale                       # 10k, 100k and 300k recommendations, plus the real store
    python -m suites.scale --quick               # 10k only, short serving run (about a minute)
    python -m suites.scale --scales 100k --rdflib 100k,real --serving 100k

For each scale it prints: generation and `hres build` wall time, the build's peak RSS (its largest
process's ru_maxrss, and the sampled peak of the build and its child processes together), triples and
store size on disk; each named gap and follow-up query's p50 on the embedded Oxigraph store and on
Virtuoso (bulk-loaded, queried through the external-store mode), with the answers checked equal;
optionally rdflib's in-memory engine (rdflib-endpoint) beside them, and the throughput of `hres serve`
with 1 and 2 query workers, 8 clients, on one-recommendation lookups and on named queries.
Figures are taken on a shared machine: the load average is printed with them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from hres_graph.config import PROJECT_ROOT, Settings
from hres_graph.store.oxigraph import OxigraphStore

from ..benchmarks import common as c
from ..procfs import TreeRssPeak
from . import named_timing as nt
from .generate import generate
from .virtuoso_load import bulk_load, sql_port

SCALES = {"1k": 1_000, "2k": 2_000, "10k": 10_000, "100k": 100_000, "300k": 300_000}


def parse_args(argv):
    p = argparse.ArgumentParser(prog="python -m suites.scale", description=__doc__.split("\n\n")[0])
    p.add_argument("--scales", default="10k,100k,300k", help=f"comma-separated, of {', '.join(SCALES)}")
    p.add_argument("--quick", action="store_true", help="10k only, no rdflib, 5 s serving runs")
    p.add_argument("--work", type=Path, default=PROJECT_ROOT / "var" / "scale", help="generated data and stores")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--no-virtuoso", action="store_true")
    p.add_argument("--rdflib", default="", help="scales (and/or 'real') to also time on rdflib's engine")
    p.add_argument("--serving", default="", help="scales at which to measure hres serve with 1 and 2 workers")
    p.add_argument("--serving-seconds", type=float, default=20.0)
    p.add_argument("--real", action="store_true", help="also time the queries on the real store (var/current)")
    p.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = p.parse_args(argv)
    if args.quick:
        args.scales, args.rdflib, args.serving, args.serving_seconds = "10k", "", "10k", 5.0
    args.scales = [s.strip() for s in args.scales.split(",") if s.strip()]
    unknown = [s for s in args.scales if s not in SCALES]
    if unknown:
        p.error(f"unknown scale(s) {', '.join(unknown)}; choose from {', '.join(SCALES)}")
    args.rdflib = {s.strip() for s in args.rdflib.split(",") if s.strip()}
    args.serving = {s.strip() for s in args.serving.split(",") if s.strip()}
    return args


def du_mib(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def run_build(data: Path, var: Path) -> dict:
    """`hres build` in a child process: wall seconds, its peak RSS (largest process; process tree), the store."""
    report = var / "build-report.json"
    var.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        "-m",
        "hres_graph",
        "--config",
        str(data / "hres.toml"),
        "--var-dir",
        str(var),
        "build",
        "--no-progress",
        "--report",
        str(report),
    ]
    t0 = time.perf_counter()
    with open(var / "build.log", "wb") as out:
        child = subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=out, stderr=subprocess.STDOUT)
        with TreeRssPeak(child.pid) as tree:  # the build and its child processes together
            _, status, usage = os.wait4(child.pid, 0)  # wait4: the largest single process's peak RSS
        child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - t0
    if child.returncode != 0:
        raise SystemExit(f"hres build failed; see {var / 'build.log'}:\n{(var / 'build.log').read_text()[-2000:]}")
    store = (var / "current").resolve()
    db = OxigraphStore(store)
    counts = db.triple_counts()
    recs = db.query("SELECT (COUNT(?r) AS ?n) WHERE { GRAPH graph:upr-info { ?r a hres:Recommendation } }").rows[0][0]
    sources = {s["id"]: s["seconds"] for s in json.loads(report.read_text())["sources"]}
    return {
        "seconds": seconds,
        "peak_rss_mib": usage.ru_maxrss / 1024,
        "tree_peak_rss_mib": tree.peak_mib,
        "store": str(store),
        "store_mib": du_mib(store),
        "triples": sum(counts.values()),
        "recommendations": int(recs),
        "source_seconds": sources,
    }


def time_embedded(store: Path, case_list) -> dict:
    db = OxigraphStore(store)
    return {case.label: nt.on_embedded(db, case) for case in case_list}


def time_virtuoso(store: Path, work: Path, case_list, embedded: dict) -> dict:
    from hres_graph.store.sparql import SparqlStore

    from ..virtuoso import available, running_virtuoso

    if not available():
        c.log("  Virtuoso not installed (Debian's virtuoso-opensource): skipped")
        return {}
    db_dir = work / "virtuoso"
    shutil.rmtree(db_dir, ignore_errors=True)
    with running_virtuoso(db_dir) as url:
        t0 = time.perf_counter()
        (db_dir / "dump").mkdir()
        quads = c.export_nquads(store, db_dir / "dump" / "hres.nq")
        dumped = time.perf_counter() - t0
        loaded = bulk_load(sql_port(db_dir), db_dir / "dump")
        c.log(f"  Virtuoso: dumped {quads:,} quads in {dumped:.1f} s, bulk-loaded in {loaded:.1f} s")
        remote = SparqlStore(url, timeout=int(nt.BOUND_S) + 30)
        counts = remote.triple_counts()
        local_counts = OxigraphStore(store).triple_counts()
        timings = {case.label: nt.on_sparql_store(remote, case) for case in nt.virtuoso_cases(case_list)}
        timings.update({label: nt.Timing(label, error=why) for label, why in nt.VIRTUOSO_NEVER_ANSWERS.items()})
        for label, t in timings.items():
            t.same = nt.same(embedded[label], t)
    return {
        "dump_seconds": dumped,
        "load_seconds": loaded,
        "quads": quads,
        "graphs_equal": counts == local_counts,
        "db_mib": du_mib(db_dir) - du_mib(db_dir / "dump"),
        "timings": timings,
    }


def time_rdflib(store: Path, work: Path, case_list) -> dict:
    nquads = work / "all.nq"
    c.export_nquads(store, nquads)
    with c.RdflibEndpoint(nquads, work) as endpoint:
        c.log(
            f"  rdflib: loaded {endpoint.triples:,} quads in {endpoint.load_seconds:.0f} s, "
            f"peak {endpoint.load_peak_mib:,.0f} MiB"
        )
        timings = {case.label: nt.on_rdflib(endpoint, case) for case in case_list}
        return {"load_seconds": endpoint.load_seconds, "peak_mib": endpoint.load_peak_mib, "timings": timings}


# Named queries that keep a query worker busy for tens of milliseconds at 100k: the workload in
# which a second worker can help (a lookup is mostly the front process's HTTP and JSON work).
SERVING_NAMED = ("/api/queries/implementation-status-counts", "/api/queries/theme-share")


def serving(store: Path, work: Path, seconds: float) -> dict:
    """`hres serve` with 1 then 2 query workers, 8 clients: one-recommendation lookups, then named queries."""
    iris = c.recommendation_iris(store, 2000)
    workloads = {
        "lookups": [
            lambda i, k=k: c.sparql_get("lookup", c.lookup_query(iris[(k * 997 + i) % len(iris)])) for k in range(8)
        ],
        "named queries": [
            lambda i, k=k: c.Request(
                "named", "GET", SERVING_NAMED[(k + i) % len(SERVING_NAMED)], None, (("Accept", c.JSON),)
            )
            for k in range(8)
        ],
    }
    out = {name: {} for name in workloads}
    for workers in (1, 2):
        with c.hres_server(store, work, workers=workers, threads=8) as server:
            for name, clients in workloads.items():
                c.run_load(server.port, clients, duration=2.0, timeout=10)  # warm-up
                result = c.run_load(server.port, clients, duration=seconds, timeout=10)
                out[name][workers] = {
                    "rate": result.rate(),
                    "p50": result.percentile(50),
                    "p99": result.percentile(99),
                    "errors": result.errors(),
                    "rss_mib": server.rss_mib(),
                }
    return out


def run_scale(name: str, args, case_list) -> dict:
    work = args.work / name
    data, var = work / "data", work / "var"
    shutil.rmtree(work, ignore_errors=True)
    t0 = time.perf_counter()
    counts = generate(data, SCALES[name], args.seed, log=lambda m: None)
    gen_seconds = time.perf_counter() - t0
    c.log(f"[{name}] generated {counts.recommendations:,} recommendations in {gen_seconds:.1f} s; building…")
    built = run_build(data, var)
    c.log(
        f"[{name}] built {built['triples']:,} triples in {built['seconds']:.1f} s, "
        f"peak RSS {built['peak_rss_mib']:,.0f} MiB (with its child processes {built['tree_peak_rss_mib']:,.0f} MiB), "
        f"{built['store_mib']:,.0f} MiB on disk; timing queries…"
    )
    store = Path(built["store"])
    result = {
        "generate_seconds": gen_seconds,
        "generated": {k: v for k, v in counts.__dict__.items() if k != "files"},
        "build": built,
        "embedded": time_embedded(store, case_list),
    }
    if not args.no_virtuoso:
        result["virtuoso"] = time_virtuoso(store, work, case_list, result["embedded"])
    if name in args.rdflib:
        result["rdflib"] = time_rdflib(store, work, case_list)
    if name in args.serving:
        result["serving"] = serving(store, work, args.serving_seconds)
    return result


def run_real(args, case_list) -> dict:
    store = (Settings().var_dir / "current").resolve()
    result = {"store": str(store), "embedded": time_embedded(store, case_list)}
    if "real" in args.rdflib:
        work = args.work / "real"
        work.mkdir(parents=True, exist_ok=True)
        result["rdflib"] = time_rdflib(store, work, case_list)
    return result


def render(report: dict) -> str:
    scales = [s for s in report["scales"]]
    lines = [f"Machine: {report['machine']}", ""]
    rows = []
    for s in scales:
        b = report["scales"][s]["build"]
        v = report["scales"][s].get("virtuoso") or {}
        rows.append(
            [
                s,
                f"{b['recommendations']:,}",
                f"{b['triples']:,}",
                f"{b['seconds']:.1f} s",
                f"{b['peak_rss_mib']:,.0f} MiB",
                f"{b['tree_peak_rss_mib']:,.0f} MiB",
                f"{b['store_mib']:,.0f} MiB",
                f"{v['load_seconds']:.1f} s" if v else "–",
                ("yes" if v.get("graphs_equal") else "NO") if v else "–",
            ]
        )
    lines.append(
        c.table(
            [
                "scale",
                "recommendations",
                "triples",
                "hres build",
                "peak RSS",
                "with child processes",
                "store on disk",
                "Virtuoso bulk load",
                "same triples",
            ],
            rows,
        )
    )
    columns = (["real"] if "real" in report else []) + scales
    header = ["named query (example)"]
    for s in columns:
        header += (
            [f"{s} oxigraph"]
            + (["virtuoso", "same"] if report["scales"].get(s, {}).get("virtuoso") else [])
            + (
                ["rdflib"]
                if (report["scales"].get(s) or report.get("real", {})).get("rdflib")
                and (s != "real" or "rdflib" in report["real"])
                else []
            )
        )
    rows = []
    labels = list((report.get("real") or report["scales"][scales[0]])["embedded"])
    for label in labels:
        row = [label]
        for s in columns:
            part = report["real"] if s == "real" else report["scales"][s]
            row.append(_cell(part["embedded"][label]))
            if part.get("virtuoso"):
                t = part["virtuoso"]["timings"][label]
                row += [_cell(t), t["same"]]
            if part.get("rdflib"):
                row.append(_cell(part["rdflib"]["timings"][label]))
        rows.append(row)
    lines += ["", "p50 in ms (timeout: no answer within the bound)", c.table(header, rows)]
    for s in scales:
        serve = report["scales"][s].get("serving")
        for workload, by_workers in (serve or {}).items():
            lines += [
                "",
                f"hres serve at {s}: {workload}, 8 clients",
                c.table(
                    ["query workers", "req/s", "p50 ms", "p99 ms", "errors", "RSS"],
                    [
                        [w, c.rate(x["rate"]), c.ms(x["p50"]), c.ms(x["p99"]), x["errors"], f"{x['rss_mib']:,.0f} MiB"]
                        for w, x in by_workers.items()
                    ],
                ),
            ]
    return "\n".join(lines)


def _cell(t: dict) -> str:
    if t.get("error"):
        return "error"
    if t.get("timeout"):
        return f"timeout (> {nt.BOUND_S:g} s)"
    return c.ms(t["p50"])


def _plain(value):
    if isinstance(value, nt.Timing):
        return {
            "p50": value.p50,
            "rows": value.rows,
            "timeout": value.timeout,
            "error": value.error,
            "same": getattr(value, "same", None),
        }
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def main(argv=None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    case_list = nt.named_cases()
    report = {"machine": c.machine(), "scales": {}}
    if args.real:
        c.log("[real] timing the named queries on var/current…")
        report["real"] = _plain(run_real(args, case_list))
    for name in args.scales:
        report["scales"][name] = _plain(run_scale(name, args, case_list))
        report["machine"] = c.machine()
    text = render(report)
    print(text)
    if args.json:
        args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")
    mismatched = [
        label
        for s in report["scales"].values()
        for label, t in (s.get("virtuoso") or {}).get("timings", {}).items()
        if t["same"] not in ("yes",)
    ]
    return 1 if mismatched else 0
