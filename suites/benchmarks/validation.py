"""Benchmark: SHACL validation of the whole real graph and of a 1,000-row contributed CSV (issue 4).

    python -m suites.benchmarks.validation                  # both parts
    python -m suites.benchmarks.validation --part csv       # the CSV only (about a minute)
    python -m suites.benchmarks.validation --turbo-python /path/to/venv/bin/python   # + pyshacl-turbo

(a) **The full graph**: every source graph of the current store (`var/current`, or `--store`; the
    ontology, vocabularies, reference data, provenance and derived graphs are context, not data), read
    into rdflib and validated by the project's validator (hres_graph.validation.shacl.validate). Time to read,
    time to validate, peak RSS (VmHWM), results per shape.
(b) **A 1,000-row contributed CSV** made from shapes/templates/eom-recommendations.csv (one recommendation
    per row, the template's assessments kept): the project's path (`validate_files`: CSV -> RDF -> shapes,
    the SPARQL-only shapes run in bulk), cold (first call in a process: shapes and ontology parsed) and warm;
    `hres validate` as a user runs it (a new process); `POST /validate` in-process; and, on the same
    converted graph with the same context, pySHACL doing everything itself (the baseline) and, with
    `--turbo-python`, pyshacl-turbo (installed in another virtualenv: it is not a project dependency).

Each measurement runs in its own process, so peak RSS is that measurement's. The number of results on
the contributed focus nodes is printed beside each engine: the engines must agree.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ..live_server import ROOT
from ..procfs import status_number

TEMPLATE = ROOT / "shapes" / "templates" / "eom-recommendations.csv"
CONTEXT_GRAPHS = ("ontology", "vocab", "reference", "meta", "derived")
COUNTRIES = ("KEN", "NGA", "GHA", "SEN", "ZMB", "MWI", "TZA", "UGA", "CIV", "MLI", "LBR", "SLE")


def peak_rss_mib() -> float:
    return status_number(os.getpid(), "VmHWM") / 1024


def by_shape(report) -> dict[str, int]:
    counts: dict[str, int] = {}
    for r in report.results:
        counts[r.shape_id or r.shape_name] = counts.get(r.shape_id or r.shape_name, 0) + 1
    return dict(sorted(counts.items()))


# --- the measurements, each run in a child process (`--run NAME`) -------------------------------


def run_full(store_path: str) -> dict:
    """(a) Read every source graph into rdflib and validate it with the project's validator."""
    import pyoxigraph as ox
    from rdflib import Graph

    from hres_graph.terms import from_ox
    from hres_graph.validation.reading import quiet_rdflib
    from hres_graph.validation.shacl import validate

    t0 = time.perf_counter()
    store = ox.Store.read_only(store_path)
    sources = sorted(g.value for g in store.named_graphs() if g.value.rsplit("/", 1)[-1] not in CONTEXT_GRAPHS)
    graph = Graph()
    for name in sources:
        for q in store.quads_for_pattern(None, None, None, ox.NamedNode(name)):
            graph.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
    read_s, rss_read = time.perf_counter() - t0, peak_rss_mib()
    t1 = time.perf_counter()
    with quiet_rdflib():
        report = validate(graph)
    return {
        "graphs": len(sources),
        "triples": len(graph),
        "read_s": read_s,
        "validate_s": time.perf_counter() - t1,
        "peak_rss_after_read_mib": rss_read,
        "peak_rss_mib": peak_rss_mib(),
        "focus_nodes": report.focus_nodes,
        "violations": report.violations,
        "warnings": report.warnings,
        "by_shape": by_shape(report),
    }


def run_project_csv(csv_path: str, repeats: int) -> dict:
    """(b) The project's path on the CSV: cold, then warm (median of `repeats`)."""
    from hres_graph.validation.contributions import validate_files

    times, report = [], None
    for _ in range(repeats + 1):
        t0 = time.perf_counter()
        report = validate_files([Path(csv_path)])
        times.append(time.perf_counter() - t0)
    return {
        "cold_s": times[0],
        "warm_s": statistics.median(times[1:]),
        "results": len(report.results),
        "focus_nodes": report.focus_nodes,
        "conforms": report.conforms,
        "peak_rss_mib": peak_rss_mib(),
    }


def run_http_csv(csv_path: str, repeats: int) -> dict:
    """(b) POST /validate with the CSV as a text/csv body (Flask test client: no network, same code path)."""
    import pyoxigraph as ox

    from hres_graph.config import Settings
    from server import create_app

    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "stores").mkdir()
        store = ox.Store(str(Path(tmp) / "stores" / "empty"))
        store.flush()
        del store
        (Path(tmp) / "current").symlink_to("stores/empty")
        app = create_app({"QUERY_WORKERS": 1}, settings=Settings(var_dir=Path(tmp)))
        try:
            client, data, times = app.test_client(), Path(csv_path).read_bytes(), []
            for _ in range(repeats + 1):
                t0 = time.perf_counter()
                response = client.post(
                    "/validate", data=data, content_type="text/csv", headers={"Accept": "application/json"}
                )
                times.append(time.perf_counter() - t0)
                assert response.status_code == 200, response.get_data(as_text=True)[:300]
        finally:
            app.extensions["hres"].close()
    return {
        "cold_s": times[0],
        "warm_s": statistics.median(times[1:]),
        "bytes": len(data),
        "conforms": response.headers["HRES-Conforms"],
    }


def run_pyshacl_csv(csv_path: str, repeats: int) -> dict:
    """(b) Baseline: pySHACL alone on the converted CSV with the same context (ontology, vocabularies,
    reference data) and shapes, every constraint evaluated by pySHACL per focus node."""
    import pyshacl
    from rdflib import Graph
    from rdflib.namespace import RDF, SH

    from hres_graph.validation.contrib_csv import read_contribution
    from hres_graph.validation.reading import quiet_rdflib
    from hres_graph.validation.shacl import load_shapes, ontology_graph, reference_context

    t0 = time.perf_counter()
    contribution = read_contribution(Path(csv_path))
    shapes, ontology, context = Graph() + load_shapes(), Graph() + ontology_graph(), Graph() + reference_context()
    setup_s = time.perf_counter() - t0
    contributed = set(contribution.graph.subjects())
    times, count = [], 0
    for _ in range(repeats):
        data = Graph() + context + contribution.graph
        t0 = time.perf_counter()
        with quiet_rdflib():
            _, results, _ = pyshacl.validate(
                data, shacl_graph=shapes, ont_graph=ontology, inference="none", inplace=True
            )
        times.append(time.perf_counter() - t0)
        count = sum(
            1 for r in results.subjects(RDF.type, SH.ValidationResult) if results.value(r, SH.focusNode) in contributed
        )
    return {
        "setup_s": setup_s,
        "validate_s": statistics.median(times),
        "results": count,
        "peak_rss_mib": peak_rss_mib(),
    }


def export_for_turbo(csv_path: str, folder: str) -> dict:
    """Write the converted CSV + context, the shapes, the ontology and the contributed subjects as files."""
    from rdflib import Graph

    from hres_graph.validation.contrib_csv import read_contribution
    from hres_graph.validation.shacl import load_shapes, ontology_graph, reference_context

    out = Path(folder)
    contribution = read_contribution(Path(csv_path))
    (Graph() + reference_context() + contribution.graph).serialize(out / "data.nt", format="nt", encoding="utf-8")
    load_shapes().serialize(out / "shapes.ttl", format="turtle")
    ontology_graph().serialize(out / "ontology.ttl", format="turtle")
    (out / "focus.txt").write_text("\n".join(sorted(str(s) for s in set(contribution.graph.subjects()))))
    return {}


TURBO_RUNNER = r"""
import json, statistics, sys, time
from pathlib import Path
import pyshacl_turbo
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH
folder, repeats = Path(sys.argv[1]), int(sys.argv[2])
shapes = Graph().parse(folder / "shapes.ttl")
ontology = Graph().parse(folder / "ontology.ttl")
contributed = {URIRef(x) for x in (folder / "focus.txt").read_text().split()}
times = []
for _ in range(repeats):
    data = Graph().parse(folder / "data.nt", format="nt")
    t0 = time.perf_counter()
    _, results, _ = pyshacl_turbo.validate(data, shacl_graph=shapes, ont_graph=ontology, inference="none", inplace=True)
    times.append(time.perf_counter() - t0)
count = sum(1 for r in results.subjects(RDF.type, SH.ValidationResult) if results.value(r, SH.focusNode) in contributed)
rss = next(int(l.split()[1]) / 1024 for l in open("/proc/self/status") if l.startswith("VmHWM:"))
print(json.dumps({"validate_s": statistics.median(times), "first_s": times[0], "results": count,
                  "peak_rss_mib": rss, "version": pyshacl_turbo.__version__}))
"""

RUNS = {
    "full": run_full,
    "project-csv": run_project_csv,
    "http-csv": run_http_csv,
    "pyshacl-csv": run_pyshacl_csv,
    "export-turbo": export_for_turbo,
}


def child(name: str, *args) -> dict:
    """Run one measurement in a fresh process and return what it printed (JSON)."""
    command = [sys.executable, "-m", "suites.benchmarks.validation", "--run", name, *map(str, args)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{name} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the CSV and the report -----------------------------------------------------------------


def make_csv(path: Path, rows: int) -> int:
    """`rows` rows in the eom-recommendations template: the template's rows, each with its own rec_key and a
    country from COUNTRIES, so every row is a recommendation (with the template's assessment when it has one).
    Two rows in a hundred carry a mistake (an unknown status, an assessment dated before the report), so the
    engines' result counts can be compared."""
    with open(TEMPLATE, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header, examples = list(reader.fieldnames), list(reader)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header)
        writer.writeheader()
        for i in range(rows):
            row = dict(examples[i % len(examples)])
            country = COUNTRIES[i % len(COUNTRIES)]
            row.update(rec_key=f"{country.lower()}-2022-{i:04d}", country=country)
            if row["assessment_date"] and i % 100 == 8:
                row["implementation_status"] = "half-done"  # not in the scheme: a value-set shape
            elif row["assessment_date"] and i % 100 == 48:
                row["assessment_date"] = "2021-01-01"  # before the report: a cross-node (SPARQL) shape
            writer.writerow(row)
    return path.stat().st_size


def machine() -> str:
    load = os.getloadavg()
    return (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average {load[0]:.1f} at the start (other work on the machine slows every figure)"
    )


def part_full(store: Path) -> None:
    print(f"\n(a) The full graph: every source graph of {store}")
    r = child("full", store)
    total = r["read_s"] + r["validate_s"]
    print(f"  {r['triples']:,} triples in {r['graphs']} source graphs; {r['focus_nodes']:,} focus nodes checked")
    print(
        f"  read into rdflib {r['read_s']:.1f} s (peak RSS {r['peak_rss_after_read_mib']:,.0f} MiB); "
        f"validate {r['validate_s']:.1f} s; total {total:.1f} s; peak RSS {r['peak_rss_mib']:,.0f} MiB"
    )
    print(
        f"  {r['violations']:,} violations, {r['warnings']:,} warnings; by shape: "
        + ", ".join(f"{k} {v:,}" for k, v in r["by_shape"].items())
    )


def part_csv(rows: int, repeats: int, turbo_python: str | None) -> None:
    with tempfile.TemporaryDirectory(prefix="hres-bench-csv-") as tmp:
        path = Path(tmp) / f"eom-{rows}.csv"
        size = make_csv(path, rows)
        print(
            f"\n(b) A {rows:,}-row contributed CSV ({size / 1024:.0f} KiB, eom-recommendations template); "
            f"warm figures are medians of {repeats}"
        )
        project = child("project-csv", path, repeats)
        t0 = time.perf_counter()
        cli = subprocess.run(
            [sys.executable, "-m", "hres_graph", "validate", str(path)], cwd=ROOT, capture_output=True, text=True
        )
        cli_s = time.perf_counter() - t0
        http = child("http-csv", path, repeats)
        baseline = child("pyshacl-csv", path, 1)  # minutes per run: once
        turbo = None
        if turbo_python:
            child("export-turbo", path, tmp)
            done = subprocess.run([turbo_python, "-c", TURBO_RUNNER, tmp, str(repeats)], capture_output=True, text=True)
            turbo = json.loads(done.stdout.strip().splitlines()[-1]) if done.returncode == 0 else None
            if turbo is None:
                print(f"  pyshacl-turbo failed: {done.stderr[-500:]}")
    warm = project["warm_s"]
    print(
        f"  project path (convert + validate, SPARQL-only shapes in bulk): cold {project['cold_s']:.2f} s, "
        f"warm {warm:.2f} s; {project['results']} results on {project['focus_nodes']:,} focus nodes; "
        f"peak RSS {project['peak_rss_mib']:.0f} MiB"
    )
    print(f"  `hres validate FILE` as a user runs it (new process): {cli_s:.2f} s wall, exit code {cli.returncode}")
    print(
        f"  POST /validate (text/csv body, in-process): cold {http['cold_s']:.2f} s, warm {http['warm_s']:.2f} s, "
        f"HRES-Conforms: {http['conforms']}"
    )
    print(
        f"  pure pySHACL baseline (same graph, context and shapes; one run): validate {baseline['validate_s']:.2f} s "
        f"(+{baseline['setup_s']:.2f} s converting and parsing); {baseline['results']} results; peak RSS "
        f"{baseline['peak_rss_mib']:.0f} MiB -> the project path is {baseline['validate_s'] / warm:.1f}x faster (warm)"
    )
    if turbo:
        print(
            f"  pyshacl-turbo {turbo['version']} (same inputs): validate {turbo['validate_s']:.2f} s (first call "
            f"{turbo['first_s']:.2f} s); {turbo['results']} results; peak RSS {turbo['peak_rss_mib']:.0f} MiB -> "
            f"project path / turbo = {warm / turbo['validate_s']:.2f}, {baseline['validate_s'] / turbo['validate_s']:.1f}x "
            "faster than pySHACL"
        )
    elif not turbo_python:
        print("  pyshacl-turbo: not measured (give --turbo-python, a Python with pyshacl-turbo installed)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m suites.benchmarks.validation", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--part", choices=("all", "full", "csv"), default="all")
    parser.add_argument(
        "--store", type=Path, default=ROOT / "var" / "current", help="store directory (default var/current)"
    )
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--turbo-python", help="a Python interpreter with pyshacl-turbo installed")
    parser.add_argument("--run", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.run:
        name, *rest = args.run
        function = RUNS[name]
        values = [int(v) if v.isdigit() else v for v in rest]
        print(json.dumps(function(*values)))
        return 0
    print(f"Validation benchmark — {machine()}")
    if args.part in ("all", "csv"):
        part_csv(args.rows, args.repeats, args.turbo_python)
    if args.part in ("all", "full"):
        if not (args.store / "").exists():
            print(f"\n(a) skipped: no store at {args.store} (run hres build)")
        else:
            part_full(args.store.resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
