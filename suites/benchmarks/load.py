"""Timeouts under load and sustained load against `hres serve` (issue 8, items 3 and 4).

    python -m suites.benchmarks load [--quick] [--store DIR] [--json FILE]

The store is var/current (the last `hres build`; `--store` for another); `--quick` uses the small
synthetic store of fixture.py. Each part runs against a fresh `hres serve` on a free loopback port:

1. **Baseline**: 8 clients sending one-recommendation lookups (a random one of 500 recommendations
   each time), for the lookup latency without pathological load.
2. **Timeouts under load** (item 3): 8 clients send pathological queries (COUNT over the three-way
   cross product of all recommendations, each text different) while 8 others send lookups, for
   `--patho-duration` seconds (30; quick 6) against `hres serve` with 2 query workers, once per
   `--storm-long` value: its long lane of 8 (the default, see server/pool.py) and no long lane (0,
   the design before it, where heavy queries held every worker). Reported: how many lookups were
   answered and how fast (p50 / p99 / max, the longest time with no lookup answered, and in which
   seconds of the run the others failed); what the pathological ones got (503 / 504) and after how long, against the configured timeout (`--timeout`, 5 s; quick 2) and queue timeout
   (`--queue-timeout`, 0.5 s: the wait for a free worker comes on top of the query timeout); the CPU
   of the server's processes from /proc during the run, and how long after it they are back under 5 %
   of a core (the timed-out workers are killed, not left running). `--threads` 32: every client holds
   an HTTP thread, so waitress is not the bottleneck.
   Part 2b is issue 5's case: one pathological client and 8 lookup clients, 2 workers, half as long.
3. **Sustained load** (item 4): `--mixed-clients` (32) for `--mixed-duration` seconds (60; quick 6)
   mixing lookups and named queries (`--named-share`, 20 %: every example of every gap and follow-up
   query in turn, by GET /api/queries/<name>), against `hres serve` with its defaults (2 workers,
   8 threads, timeout 10 s (quick 3), queue timeout 5 s). Expected: no errors. A named query that
   does not answer 200 even alone is left out of the mix, and the report says so.

Every client has a per-request timeout; every phase is bounded in time; loopback only.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
import urllib.parse
from collections import Counter
from pathlib import Path

from . import common as c
from .named import cases as named_cases


def parse_args(argv):
    p = argparse.ArgumentParser(prog="python -m suites.benchmarks load", description=__doc__.split("\n\n")[0])
    c.add_store_args(p)
    p.add_argument("--work-dir", type=Path, help="logs (default: a temporary directory, removed at the end)")
    p.add_argument(
        "--storm-long",
        default="8,0",
        help="part 2 runs once per value: LONG_QUERIES of hres serve (default 8,0: its default, and no long lane)",
    )
    p.add_argument("--storm-workers", type=int, default=2, help="query workers in part 2 (default 2, as hres serve)")
    p.add_argument("--threads", type=int, default=32, help="waitress threads in parts 1-2 (default 32)")
    p.add_argument("--timeout", type=float, help="query timeout in parts 1-2 (default 5; quick 2)")
    p.add_argument("--queue-timeout", type=float, help="HRES_QUEUE_TIMEOUT in parts 1-2 (default 0.5)")
    p.add_argument("--baseline-duration", type=float, help="seconds of part 1 (default 10; quick 2)")
    p.add_argument("--patho-duration", type=float, help="seconds of part 2 (default 30; quick 6); part 2b takes half")
    p.add_argument("--mixed-duration", type=float, help="seconds of part 3 (default 60; quick 6)")
    p.add_argument("--mixed-clients", type=int, default=32)
    p.add_argument("--mixed-workers", type=int, default=2, help="query workers in part 3 (default 2, as hres serve)")
    p.add_argument("--mixed-threads", type=int, default=8, help="waitress threads in part 3 (default 8, as hres serve)")
    p.add_argument("--mixed-timeout", type=float, help="query timeout in part 3 (default 10, as hres serve; quick 3)")
    p.add_argument("--named-share", type=float, default=0.2, help="share of named queries in part 3 (default 0.2)")
    p.add_argument("--parts", default="1,2,3", help="which parts to run (default 1,2,3)")
    p.add_argument("--json", type=Path, help="also write every figure to this file")
    args = p.parse_args(argv)
    q = args.quick
    args.storm_long = [int(x) for x in args.storm_long.split(",") if x.strip()]
    args.timeout = args.timeout or (2.0 if q else 5.0)
    args.queue_timeout = args.queue_timeout or 0.5
    args.baseline_duration = args.baseline_duration or (2.0 if q else 10.0)
    args.patho_duration = args.patho_duration or (6.0 if q else 30.0)
    args.mixed_duration = args.mixed_duration or (6.0 if q else 60.0)
    args.mixed_timeout = args.mixed_timeout or (3.0 if q else 10.0)
    args.parts = {int(x) for x in args.parts.split(",") if x.strip()}
    return args


def lookups(recs: list[str], seed: int):
    rng = random.Random(seed)
    return lambda i: c.sparql_get("lookup", c.lookup_query(rng.choice(recs)))


def summary(result: c.LoadResult, kind: str | None = None) -> dict:
    return {
        "requests": len(result.of(kind)),
        "ok": len(result.ok(kind)),
        "errors": result.errors(kind),
        "statuses": {str(k): v for k, v in sorted(result.statuses(kind).items())},
        "rps": round(result.rate(kind), 1),
        "p50_ms": _ms(result.percentile(50, kind)),
        "p99_ms": _ms(result.percentile(99, kind)),
        "max_ms": _ms(max((o.seconds for o in result.ok(kind)), default=None)),
    }


def pathological_summary(result: c.LoadResult) -> dict:
    """`summary`, and how long the 503 and 504 answers took (p50, max) and what else came."""
    out = summary(result, "pathological")
    for status in (503, 504):
        times = sorted(o.seconds for o in result.of("pathological") if o.status == status)
        out[f"{status}_ms"] = {"p50": _ms(c.percentile(times, 50)), "max": _ms(times[-1] if times else None)}
    others = [o for o in result.of("pathological") if o.status not in (503, 504)]
    out["other"] = [(o.status, _ms(o.seconds), o.body[:200].decode("utf-8", "replace")) for o in others[:5]]
    return out


def _ms(seconds):
    return None if seconds is None else round(seconds * 1000, 1)


def part_baseline(store, recs, work, args) -> dict:
    c.log(f"part 1: 8 lookup clients for {args.baseline_duration:g} s")
    with c.hres_server(
        store, work, workers=2, threads=args.threads, timeout=args.timeout, queue_timeout=args.queue_timeout
    ) as server:
        result = c.run_load(
            server.port, [lookups(recs, n) for n in range(8)], duration=args.baseline_duration, timeout=30
        )
        return {"config": server.config, "lookup": summary(result), "seconds": round(result.seconds, 1)}


def part_pathological(store, recs, work, args, long_queries: int) -> dict:
    workers = args.storm_workers
    c.log(
        f"part 2: 8 pathological + 8 lookup clients for {args.patho_duration:g} s, {workers} workers, "
        f"long lane {long_queries}"
    )
    out: dict = {"workers": workers, "long_queries": long_queries}
    with c.hres_server(
        store,
        work,
        workers=workers,
        threads=args.threads,
        timeout=args.timeout,
        queue_timeout=args.queue_timeout,
        long_queries=long_queries,
    ) as server:
        out["config"] = server.config
        bad = [lambda i, n=n: c.sparql_get("pathological", c.pathological_query(n * 1_000_000 + i)) for n in range(8)]
        good = [lookups(recs, 100 + n) for n in range(8)]
        with c.CpuSampler(server.pids) as cpu:
            cpu.mark("idle")
            time.sleep(1.0)
            cpu.mark("start")
            result = c.run_load(
                server.port, bad + good, duration=args.patho_duration, timeout=args.timeout + args.queue_timeout + 15
            )
            cpu.mark("end")
            out["idle_after_s"] = cpu.wait_idle("end", below_percent=5.0, window=1.0, limit=30.0)
            cpu.mark("after")
            time.sleep(2.0)
            cpu.mark("later")
        out["idle_cpu_percent"] = round(cpu.between("idle", "start"), 1)
        out["cpu_during_percent"] = round(cpu.between("start", "end"))
        out["cpu_later_percent"] = round(cpu.between("after", "later"), 1)
        out["workers_alive_after"] = len(server.worker_pids())
        out["processes_seen"] = len(cpu.seen)
        out["server_alive"] = server.process.poll() is None
        after = c.one(server.port, c.sparql_get("lookup", c.lookup_query(recs[0])), 30)
        out["lookup_after"] = {"status": after.status, "ms": _ms(after.seconds)}
    out["seconds"] = round(result.seconds, 1)
    out["lookup"] = summary(result, "lookup")
    out["pathological"] = pathological_summary(result)
    # the longest stretch in which no lookup was answered
    start = min((o.end - o.seconds for o in result.outcomes), default=0.0)
    ends = sorted(o.end for o in result.ok("lookup"))
    stop = max((o.end for o in result.outcomes), default=start)
    gaps = [b - a for a, b in zip([start, *ends], [*ends, stop])]
    out["lookup"]["longest_gap_ms"] = _ms(max(gaps)) if gaps else None
    failed = Counter(int(o.end - start) for o in result.of("lookup") if o.status != 200)
    out["lookup"]["failed_by_second"] = dict(sorted(failed.items()))
    return out


def part_one_pathological(store, recs, work, args) -> dict:
    """Issue 5's case: one client's pathological query while 8 others look up."""
    seconds = args.patho_duration / 2
    c.log(f"part 2b: 1 pathological + 8 lookup clients for {seconds:g} s")
    with c.hres_server(
        store, work, workers=2, threads=args.threads, timeout=args.timeout, queue_timeout=args.queue_timeout
    ) as server:
        out: dict = {"config": server.config}
        bad = [lambda i: c.sparql_get("pathological", c.pathological_query(9_000_000 + i))]
        result = c.run_load(
            server.port,
            bad + [lookups(recs, 300 + n) for n in range(8)],
            duration=seconds,
            timeout=args.timeout + args.queue_timeout + 15,
        )
    out["seconds"] = round(result.seconds, 1)
    out["lookup"], out["pathological"] = summary(result, "lookup"), pathological_summary(result)
    return out


def named_requests(server) -> tuple[list[c.Request], list[str]]:
    """GET /api/queries/<name> for every example of every gap and follow-up query, each probed alone
    first: those answering 200 go in the mix; the others are left out and reported."""
    chosen, left_out = [], []
    for case in named_cases("values"):
        query = "?" + urllib.parse.urlencode(case.params) if case.params else ""
        request = c.Request("named", "GET", f"/api/queries/{case.query}{query}", None, (("Accept", c.JSON),))
        probe = c.one(server.port, request, server.timeout + 10)
        if probe.status == 200:
            chosen.append(request)
        else:
            left_out.append(f"{case.label}: {probe.status or 'no answer'} after {probe.seconds:.1f} s")
    return chosen, left_out


def part_mixed(store, recs, work, args) -> dict:
    c.log(f"part 3: {args.mixed_clients} clients mixing lookups and named queries for {args.mixed_duration:g} s")
    with c.hres_server(
        store, work, workers=args.mixed_workers, threads=args.mixed_threads, timeout=args.mixed_timeout
    ) as server:
        out: dict = {"config": server.config}
        named, left_out = named_requests(server)
        out["named_left_out"], out["named_cases"] = left_out, len(named)

        def client(n: int):
            rng = random.Random(1000 + n)
            lookup = lookups(recs, 2000 + n)
            return lambda i: named[(n + i) % len(named)] if named and rng.random() < args.named_share else lookup(i)

        result = c.run_load(
            server.port, [client(n) for n in range(args.mixed_clients)], duration=args.mixed_duration, timeout=40
        )
        out["rss_mib"] = round(server.rss_mib())
        out["server_alive"] = server.process.poll() is None
    out["seconds"] = round(result.seconds, 1)
    out["all"], out["lookup"], out["named"] = summary(result), summary(result, "lookup"), summary(result, "named")
    out["error_samples"] = [
        (o.kind, o.status, _ms(o.seconds), o.body[:200].decode("utf-8", "replace"))
        for o in result.outcomes
        if o.status != 200
    ][:5]
    return out


def run(args) -> dict:
    t_start = time.perf_counter()
    work = args.work_dir or Path(tempfile.mkdtemp(prefix="hres-bench-load-"))
    work.mkdir(parents=True, exist_ok=True)
    report: dict = {"machine_before": c.machine()}
    try:
        store, report["store"] = c.prepare_store(args, work)
        recs = c.recommendation_iris(store, 500)
        if not recs:
            raise SystemExit("error: the store has no hres:Recommendation to look up")
        report["lookup_iris"] = len(recs)
        if 1 in args.parts:
            report["baseline"] = part_baseline(store, recs, work, args)
        if 2 in args.parts:
            report["storms"] = [part_pathological(store, recs, work, args, n) for n in args.storm_long]
            report["one_pathological"] = part_one_pathological(store, recs, work, args)
        if 3 in args.parts:
            report["mixed"] = part_mixed(store, recs, work, args)
    finally:
        report["machine_after"] = c.machine()
        report["total_s"] = round(time.perf_counter() - t_start, 1)
        if args.work_dir is None:
            shutil.rmtree(work, ignore_errors=True)
    return report


def _row(label: str, s: dict) -> list[str]:
    statuses = ", ".join(f"{k}: {v:,}" for k, v in s["statuses"].items())
    return [
        label,
        f"{s['requests']:,}",
        statuses,
        c.rate(s["rps"]),
        c.ms(_s(s["p50_ms"])),
        c.ms(_s(s["p99_ms"])),
        c.ms(_s(s["max_ms"])),
    ]


def _s(ms):
    return None if ms is None else ms / 1000


def render(report: dict, args) -> str:
    lines = []
    header = ["requests", "sent", "statuses", "answered/s", "p50 ms", "p99 ms", "max ms"]
    if "baseline" in report:
        b = report["baseline"]
        lines.append(f"Part 1, baseline: 8 lookup clients, {b['seconds']} s ({b['config']})")
        lines.append(c.table(header, [_row("lookup", b["lookup"])]))
        lines.append("")
    for p in report.get("storms", []):
        look, bad = p["lookup"], p["pathological"]
        lines.append(
            f"Part 2, timeouts under load: 8 clients sending pathological "
            f"queries + 8 sending lookups, {p['seconds']} s ({p['config']})"
        )
        lines.append(c.table(header, [_row("lookup", look), _row("pathological", bad)]))
        lines.append("")
        answered = look["ok"] / look["requests"] if look["requests"] else 0
        lines.append(
            f"- Lookups: {look['ok']:,} of {look['requests']:,} answered 200 ({100 * answered:.0f} %, the "
            f"others 503: no worker free within the queue timeout); the answered ones within "
            f"{c.ms(_s(look['max_ms']))} ms (p50 {c.ms(_s(look['p50_ms']))}, p99 {c.ms(_s(look['p99_ms']))}); "
            f"the longest stretch with no lookup answered: {c.ms(_s(look['longest_gap_ms']))} ms; "
            f"the others failed in seconds {look['failed_by_second'] or '(none)'} of the run "
            "(second: how many)."
        )
        lines.append(
            f"- Pathological: 504 after p50 {c.ms(_s(bad['504_ms']['p50']))} / max "
            f"{c.ms(_s(bad['504_ms']['max']))} ms, 503 after p50 {c.ms(_s(bad['503_ms']['p50']))} / max "
            f"{c.ms(_s(bad['503_ms']['max']))} ms (configured: timeout {args.timeout:g} s, queue timeout "
            f"{args.queue_timeout:g} s); other answers: {bad['other'] or 'none'}."
        )
        idle = "not within 30 s" if p["idle_after_s"] is None else f"{p['idle_after_s']} s after the last request"
        lines.append(
            f"- CPU of the server's processes (web process + workers, from /proc every 0.2 s, % of one core): "
            f"{p['idle_cpu_percent']} % before, {p['cpu_during_percent']} % during the run; back under 5 % "
            f"{idle}, then {p['cpu_later_percent']} % over the next 2 s; {p['workers_alive_after']} workers "
            f"alive after ({p['processes_seen'] - 1} worker processes seen in all: the others were killed "
            f"at their timeout); a lookup after the run: {p['lookup_after']['status']} in "
            f"{p['lookup_after']['ms']} ms."
        )
        lines.append("")
    if "one_pathological" in report:
        o = report["one_pathological"]
        lines.append(f"Part 2b, one pathological client + 8 lookup clients, {o['seconds']} s ({o['config']})")
        lines.append(c.table(header, [_row("lookup", o["lookup"]), _row("pathological", o["pathological"])]))
        lines.append("")
        lines.append(
            f"- Pathological: 504 after p50 {c.ms(_s(o['pathological']['504_ms']['p50']))} / max "
            f"{c.ms(_s(o['pathological']['504_ms']['max']))} ms (timeout {args.timeout:g} s)."
        )
        lines.append("")
    if "mixed" in report:
        m = report["mixed"]
        lines.append(
            f"Part 3, sustained load: {args.mixed_clients} clients, {m['seconds']} s, "
            f"{100 * args.named_share:.0f} % named queries ({m['named_cases']} cases, GET /api/queries/<name>) "
            f"({m['config']})"
        )
        lines.append(c.table(header, [_row("all", m["all"]), _row("lookup", m["lookup"]), _row("named", m["named"])]))
        lines.append("")
        lines.append(
            f"- Errors: {m['all']['errors']} (any answer but 200, or none in 40 s); RSS at the end "
            f"{m['rss_mib']} MiB (web process + workers)."
        )
        if m["named_left_out"]:
            lines.append(f"- Left out of the mix (no 200 even alone): {'; '.join(m['named_left_out'])}.")
        if m["error_samples"]:
            lines.append(f"- Error samples: {m['error_samples']}")
        lines.append("")
    lines.append(
        f"Data: {report.get('store')}; lookups of {report.get('lookup_iris')} recommendations picked at random."
    )
    lines.append(
        f"Machine: {report.get('machine_before')}; after: {report.get('machine_after')}. "
        f"Whole run {report.get('total_s')} s. Client: Python threads with keep-alive connections."
    )
    return "\n".join(lines)


def main(argv=None) -> int:
    c.run_and_print(parse_args, run, render, argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
