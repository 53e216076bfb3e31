"""`hres serve` against rdflib-endpoint over HTTP, on the same data, in the same run (issue 5, Performance).

    python -m suites.benchmarks http [--quick] [--store DIR] [--json FILE]

1. The data: the store of the last `hres build` (var/current; `--store` for another), exported as
   N-Quads; rdflib-endpoint loads that file (its load time and memory are reported), so both serve
   exactly the same quads. `--quick`: the small synthetic store of fixture.py instead.
2. The cases: a one-recommendation lookup (`SELECT ?p ?o WHERE { <recommendation> ?p ?o }`, GET) and
   each named query of queries/gaps and queries/follow-up with its first example's parameters
   (`--all-examples`: every example) written into the text (named.py), sent to both servers by POST
   application/sparql-query. On hres serve the same named queries also go through
   GET /api/queries/<name>?params (Oxigraph binds the parameters), and their rows are compared.
3. For each server and case: one probe request (status, rows), then `--concurrency` clients (8) on
   keep-alive connections for `--duration` seconds (10; quick 0.75): requests/s and p50/p99 latency.
   A request rdflib-endpoint does not answer within `--rdflib-timeout` (60 s; quick 3) is recorded as
   a timeout with that bound, and its server is replaced (rdflib_server.py). rdflib-endpoint runs one
   query at a time (its event loop, and the GIL), so when its probe took more than
   timeout / (2 × concurrency), 8 queued requests would pass the timeout: its figure is then the
   probe alone, and its throughput at concurrency 8 is taken as 1 / that latency (marked `1 req`).

The client is Python (threads, http.client) on the same 2 cores: at 1,000 requests/s it uses about a
fifth of a core that the servers then lack, for both servers alike.
"""

from __future__ import annotations

import argparse
import math
import shutil
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from . import common as c
from .named import cases as named_cases

JSON_ACCEPT = (("Accept", c.JSON),)


def parse_args(argv):
    p = argparse.ArgumentParser(prog="python -m suites.benchmarks http", description=__doc__.split("\n\n")[0])
    c.add_store_args(p)
    p.add_argument(
        "--work-dir",
        type=Path,
        help="where the dump and the logs go (default: a temporary directory, removed at the end)",
    )
    p.add_argument("--concurrency", type=int, default=8)
    p.add_argument("--duration", type=float, help="seconds of load per case and server (default 10; quick 0.75)")
    p.add_argument(
        "--rdflib-timeout", type=float, help="seconds rdflib-endpoint gets per request (default 60; quick 3)"
    )
    p.add_argument("--workers", type=int, default=2, help="hres serve --workers (default 2, its default)")
    p.add_argument("--threads", type=int, default=8, help="hres serve --threads (default 8, its default)")
    p.add_argument("--timeout", type=float, help="hres serve --timeout (default 10, its default; quick 5)")
    p.add_argument("--all-examples", action="store_true", help="every example of each query, not only the first")
    p.add_argument("--queries", help="only these named queries (comma-separated names)")
    p.add_argument("--skip-rdflib", action="store_true", help="measure hres serve alone")
    p.add_argument("--json", type=Path, help="also write every figure to this file")
    args = p.parse_args(argv)
    args.duration = args.duration or (0.75 if args.quick else 10.0)
    args.rdflib_timeout = args.rdflib_timeout or (3.0 if args.quick else 60.0)
    args.timeout = args.timeout or (5.0 if args.quick else 10.0)
    return args


def build_cases(store: Path, args) -> tuple[list[tuple[str, c.Request]], dict[str, c.Request]]:
    """The /sparql requests (label, request) for both servers, and the /api/queries requests by label."""
    recs = c.recommendation_iris(store, 1)
    if not recs:
        raise SystemExit("error: the store has no hres:Recommendation to look up")
    sparql = [("lookup " + recs[0].rsplit("/", 1)[-1], c.sparql_get("lookup", c.lookup_query(recs[0])))]
    api = {}
    names = [n.strip() for n in args.queries.split(",")] if args.queries else None
    for case in named_cases("values", names, all_examples=args.all_examples):
        sparql.append((case.label, c.sparql_post(case.label, case.sparql)))
        query = "?" + urllib.parse.urlencode(case.params) if case.params else ""
        api[case.label] = c.Request(case.label, "GET", f"/api/queries/{case.query}{query}", None, JSON_ACCEPT)
    return sparql, api


def measure(server, label: str, request: c.Request, args, *, timeout: float, peer: bool) -> dict:
    """One probe, then `concurrency` clients for `duration` seconds (see the module doc for the peer)."""
    c.log(f"  {server.name}: {request.method} {label}")
    probe = c.one(server.port, request, timeout)
    entry = {"probe_status": probe.status, "probe_ms": round(probe.seconds * 1000, 1), "rows": c.rows_in(probe.body)}
    if probe.status != 200:
        entry["outcome"] = f"no answer in {timeout:g} s" if probe.status == 0 else f"status {probe.status}"
        entry["error"] = probe.body[:300].decode("utf-8", "replace")
        c.log(f"    {entry['outcome']} after {probe.seconds:.1f} s {entry['error'][:160]}")
        if probe.status == 0 and peer:
            server.restart()
        return entry
    if peer and probe.seconds * args.concurrency > timeout / 2:
        entry.update(
            outcome="1 req",
            requests=1,
            errors=0,
            rps=1 / probe.seconds,
            p50_ms=entry["probe_ms"],
            p99_ms=entry["probe_ms"],
        )
        return entry
    result = c.run_load(server.port, [lambda i: request] * args.concurrency, duration=args.duration, timeout=timeout)
    statuses = result.statuses()
    entry.update(
        outcome="measured",
        requests=len(result.outcomes),
        errors=result.errors(),
        statuses={str(k): v for k, v in sorted(statuses.items())},
        rps=result.rate(),
        p50_ms=_ms(result.percentile(50)),
        p99_ms=_ms(result.percentile(99)),
    )
    if result.errors():
        c.log(f"    not all answered 200: {dict(statuses)}")
    if statuses.get(0) and peer:
        server.restart()
    return entry


def _ms(seconds):
    return None if seconds is None else round(seconds * 1000, 2)


def run(args) -> dict:
    t_start = time.perf_counter()
    work = args.work_dir or Path(tempfile.mkdtemp(prefix="hres-bench-http-"))
    work.mkdir(parents=True, exist_ok=True)
    report: dict = {"machine_before": c.machine()}
    try:
        store, report["store"] = c.prepare_store(args, work)
        dump = work / "dataset.nq"
        t0 = time.perf_counter()
        report["quads"] = c.export_nquads(store, dump)
        report["export_s"] = round(time.perf_counter() - t0, 1)
        report["dump_mib"] = round(dump.stat().st_size / 2**20, 1)
        c.log(f"dataset: {report['quads']:,} quads, {report['dump_mib']} MiB of N-Quads ({report['export_s']} s)")
        sparql, api = build_cases(store, args)
        report["cases"] = [label for label, _ in sparql]

        with c.hres_server(store, work, workers=args.workers, threads=args.threads, timeout=args.timeout) as hres:
            report["hres_config"], report["hres_start_s"] = hres.config, round(hres.start_seconds, 2)
            timeout = args.timeout + 10  # the server answers 504 at its own timeout
            report["hres"] = {label: measure(hres, label, r, args, timeout=timeout, peer=False) for label, r in sparql}
            report["hres_api"] = {
                label: measure(hres, label, r, args, timeout=timeout, peer=False) for label, r in api.items()
            }
            report["hres_rss_mib"] = round(hres.rss_mib())

        if not args.skip_rdflib:
            c.log("rdflib-endpoint: loading the dump …")
            with c.RdflibEndpoint(dump, work) as peer:
                report.update(
                    rdflib_load_s=peer.load_seconds,
                    rdflib_load_cpu_s=peer.load_cpu_seconds,
                    rdflib_triples=peer.triples,
                    rdflib_rss_after_load_mib=peer.load_rss_mib,
                    rdflib_peak_load_mib=peer.load_peak_mib,
                    rdflib_config=peer.config,
                )
                c.log(f"  loaded {peer.triples:,} quads in {peer.load_seconds:.0f} s, RSS {peer.load_rss_mib:,} MiB")
                report["rdflib"] = {
                    label: measure(peer, label, r, args, timeout=args.rdflib_timeout, peer=True) for label, r in sparql
                }
                report["rdflib_rss_mib"] = round(peer.rss_mib())
                report["rdflib_restarts"] = peer.restarts
    finally:
        report["machine_after"] = c.machine()
        report["total_s"] = round(time.perf_counter() - t_start, 1)
        if args.work_dir is None:
            shutil.rmtree(work, ignore_errors=True)
    return report


def ratio(h: dict | None, r: dict | None, args) -> tuple[float | None, str]:
    """hres / rdflib-endpoint throughput; a lower bound when rdflib-endpoint did not answer in time."""
    h_rps, r_rps = (h or {}).get("rps"), (r or {}).get("rps")
    if not h_rps or r is None:
        return None, "–"
    if r_rps:
        value = h_rps / r_rps
        return value, f"{value:,.0f}×" if value >= 10 else f"{value:.1f}×"
    if r.get("probe_status") == 0:  # fewer than 1 / timeout requests per second
        value = h_rps * args.rdflib_timeout
        return value, f"> {value:,.0f}×"
    return None, "–"


def _figures(entry: dict | None) -> list[str]:
    if not entry:
        return ["–", "–", "–"]
    if entry.get("rps") is None:
        return [entry.get("outcome", "–"), "–", "–"]
    note = " (1 req)" if entry["outcome"] == "1 req" else ""
    if entry.get("errors"):
        note += f" ({entry['errors']} not 200: {entry['statuses']})"
    return [c.rate(entry["rps"]) + note, c.ms(_s(entry["p50_ms"])), c.ms(_s(entry["p99_ms"]))]


def _s(ms):
    return None if ms is None else ms / 1000


def _rows(h: dict | None, r: dict | None, a: dict | None) -> str:
    text = "–" if not h or h.get("rows") is None else f"{h['rows']:,}"
    if r and r.get("rows") is not None and r["rows"] != (h or {}).get("rows"):
        text += f" (rdflib-endpoint {r['rows']:,})"
    if a and a.get("rows") is not None and a["rows"] != (h or {}).get("rows"):
        text += f" (/api {a['rows']:,})"
    return text


def render(report: dict, args) -> str:
    hres, api, peer = report.get("hres", {}), report.get("hres_api", {}), report.get("rdflib")
    header = ["case", "rows", "hres req/s", "p50 ms", "p99 ms"]
    if peer is not None:
        header += ["rdflib-endpoint req/s", "p50 ms", "p99 ms", "ratio"]
    header += ["hres /api req/s", "p50 ms", "p99 ms"]
    lines, ratios = [], []
    for label in report.get("cases", []):
        h, r, a = hres.get(label), (peer or {}).get(label), api.get(label)
        line = [label, _rows(h, r, a), *_figures(h)]
        if peer is not None:
            value, text = ratio(h, r, args)
            if value is not None:
                ratios.append((value, text.startswith(">")))
            line += [*_figures(r), text]
        line += _figures(a) if a else ["(lookup: /sparql only)", "", ""]
        lines.append(line)
    out = [c.table(header, lines), ""]
    if ratios:
        geo = math.exp(sum(math.log(v) for v, _ in ratios) / len(ratios))
        met = sum(v >= 10 for v, _ in ratios)
        out.append(
            f"Throughput hres / rdflib-endpoint: goal ≥ 10× met in {met} of {len(ratios)} cases; geometric mean "
            f"{geo:,.0f}× ({sum(b for _, b in ratios)} of the ratios are lower bounds: rdflib-endpoint gave no "
            f"answer within {args.rdflib_timeout:g} s)."
        )
    out.append(
        f"Data: {report.get('store')}; {report.get('quads', 0):,} quads, {report.get('dump_mib')} MiB of N-Quads "
        f"(exported in {report.get('export_s')} s), the same file for rdflib-endpoint."
    )
    out.append(
        f"hres serve: {report.get('hres_config')}; started in {report.get('hres_start_s')} s; "
        f"RSS {report.get('hres_rss_mib')} MiB at the end (web process + workers)."
    )
    if peer is not None:
        out.append(
            f"rdflib-endpoint: {report.get('rdflib_config')}; loaded {report.get('rdflib_triples', 0):,} quads "
            f"in {report.get('rdflib_load_s')} s ({report.get('rdflib_load_cpu_s')} s of CPU), RSS {report.get('rdflib_rss_after_load_mib'):,} MiB after the "
            f"load (peak {report.get('rdflib_peak_load_mib'):,} MiB), {report.get('rdflib_rss_mib'):,} MiB "
            f"serving at the end; replaced {report.get('rdflib_restarts')} times after a timeout."
        )
    out.append(
        f"Load: {args.concurrency} concurrent clients (Python threads, keep-alive), {args.duration:g} s per case "
        f"and server after one probe; lookup by GET, named queries by POST application/sparql-query with the "
        f"example's parameters written in as VALUES (named.py); '1 req': a single request, see the module doc."
    )
    out.append(
        f"Machine: {report.get('machine_before')}; after: {report.get('machine_after')}. "
        f"Whole run {report.get('total_s')} s."
    )
    return "\n".join(out)


def main(argv=None) -> int:
    report = c.run_and_print(parse_args, run, render, argv)
    failed = [
        label
        for label, e in {**report.get("hres", {}), **report.get("hres_api", {})}.items()
        if e.get("probe_status") != 200 or e.get("errors")
    ]
    if failed:
        c.log(f"hres serve did not answer 200 every time for: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
