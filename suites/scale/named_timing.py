"""Each named gap and follow-up query's p50 on one engine, and whether two engines gave the same answer.

The embedded store runs the query as the CLI and the REST API do (`NamedQuery.run`, parameters bound
as typed terms). Virtuoso (through `SparqlStore`, the external-store mode) and rdflib-endpoint get
the same text with the example's parameters written in (`benchmarks.named.cases`), which is how an
external store receives a named query. Answers are compared as multisets of rows in the query's
declared columns, with numbers compared as numbers (engines print 0.5 as "0.5" or "5.0E-1") and
blank nodes compared as blank, booleans as 1 / 0 (Virtuoso's form).
"""

from __future__ import annotations

import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from rdflib import BNode, Literal
from rdflib.namespace import XSD

from hres_graph.queries import catalogue

from ..benchmarks import common as c
from ..benchmarks.named import Case, cases

RUNS = 5  # timed runs after one warm-up
BOUND_S = 60.0  # a query slower than this once is not repeated (and is a timeout on the HTTP engines)


@dataclass
class Timing:
    label: str
    p50: float | None = None  # seconds
    rows: int | None = None
    timeout: bool = False
    error: str = ""
    answer: Counter = field(default_factory=Counter, repr=False)


def named_cases() -> list[Case]:
    return cases("inline")


# Examples Virtuoso 7.2 never answers, not sent to it (a query it hangs on holds one of its HTTP threads, at
# 0 % CPU, past its own MaxQueryExecutionTime, and later queries fail): regional-flows-theme with a session
# range. Bisected on a fresh server per case: the range's integer parameter written as VALUES into the middle
# aggregate level. The two shapes it did answer (two SELECT levels, the shares in the projection; or the
# labels as a plain join) made it crash (segfault, "Low query memory limit") on womens-rights at 300k.
VIRTUOSO_NEVER_ANSWERS = {
    "gaps/regional-flows-theme from_session=21": "hangs Virtuoso 7.2 (a session range on this query)",
}


def virtuoso_cases(case_list: list[Case]) -> list[Case]:
    return [c for c in case_list if c.label not in VIRTUOSO_NEVER_ANSWERS]


def normalise(term):
    if term is None:
        return None
    if isinstance(term, BNode):
        return "_:"
    if isinstance(term, Literal):
        if term.datatype == XSD.boolean:  # Virtuoso answers BOUND(…) and comparisons as 1 / 0
            return ("num", 1.0 if str(term) in ("true", "1") else 0.0)
        try:
            number = Decimal(str(term))
            return ("num", round(float(number), 6)) if number.is_finite() else str(term)
        except (InvalidOperation, ValueError):
            return (str(term), term.language or "")
    return str(term)


def _answer(variables: list[str], rows: list[tuple], columns: tuple[str, ...]) -> Counter:
    index = [variables.index(col) for col in columns if col in variables]
    return Counter(tuple(normalise(row[i]) for i in index) for row in rows)


def _timed(run) -> tuple[float | None, object, bool]:
    """(p50 seconds, last answer, timed out): one warm-up, then RUNS runs unless a run exceeds BOUND_S."""
    times, answer = [], None
    for i in range(RUNS + 1):
        t0 = time.perf_counter()
        answer = run()
        elapsed = time.perf_counter() - t0
        if elapsed > BOUND_S:
            return elapsed, answer, True
        if i:
            times.append(elapsed)
    return (statistics.median(times) if times else elapsed), answer, False


def on_embedded(store, case: Case) -> Timing:
    query = catalogue()[case.query]
    p50, result, slow = _timed(lambda: query.run(store, case.params))
    return Timing(case.label, p50, len(result.rows), slow, answer=_answer(result.variables, result.rows, query.columns))


def on_sparql_store(store, case: Case) -> Timing:
    """Virtuoso (or any SPARQL 1.1 server) through hres_graph.store.sparql.SparqlStore."""
    query = catalogue()[case.query]
    try:
        p50, result, slow = _timed(lambda: store.query(case.sparql))
    except Exception as exc:  # a server's refusal is a result to report, not a crash of the benchmark
        return Timing(case.label, error=str(exc).splitlines()[0][:200])
    return Timing(case.label, p50, len(result.rows), slow, answer=_answer(result.variables, result.rows, query.columns))


def on_rdflib(endpoint: c.RdflibEndpoint, case: Case, runs: int = 3) -> Timing:
    """rdflib's in-memory engine behind rdflib-endpoint; a query without an answer in BOUND_S is a timeout
    (the endpoint's stuck child is replaced so the next query starts clean)."""
    times, rows = [], None
    for _ in range(runs):
        outcome = c.one(endpoint.port, c.sparql_post(case.query, case.sparql), BOUND_S)
        if outcome.status != 200:
            if outcome.status <= 0:
                endpoint.restart()
                return Timing(case.label, BOUND_S, timeout=True)
            return Timing(case.label, error=f"HTTP {outcome.status}: {outcome.body[:200]!r}")
        times.append(outcome.seconds)
        rows = c.rows_in(outcome.body)
        if outcome.seconds > BOUND_S / runs:  # slow: one measurement is enough
            break
    return Timing(case.label, statistics.median(times), rows)


def same(a: Timing, b: Timing) -> str:
    if a.error or b.error:
        return "error"
    if a.timeout or b.timeout:
        return "timeout"
    return "yes" if a.answer == b.answer else f"NO ({a.rows} vs {b.rows} rows)"
