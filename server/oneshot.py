"""One query from the command line (`hres query`), answered by a query worker as the endpoint's are.

The CLI used to run the query in its own process, unconfined: 60 KB of nested braces overflowed
its main thread's 8 MiB stack (SIGSEGV), and any spelling of SERVICE the engine accepted connected
out. Here a pool of one worker (pool.py) answers it, with everything a worker has: the sandbox (no
network unless the store is external, memory bounded by WORKER_MEMORY), the 256 MiB stack, and the
lexer's checks first (nesting, an update sent as a query, the positioned SERVICE / LOAD courtesy).
If the worker dies anyway, the caller gets a QueryError saying how (exit code 2), not a crash.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass

from hres_graph.config import Settings
from hres_graph.errors import ConfigError, QueryError, StoreError
from hres_graph.namespaces import BASE, PREFIXES
from hres_graph.store.oxigraph import current_store_path, syntax_error
from hres_graph.store.results import QueryResult

from . import lexer
from .errors import EndpointError
from .limits import Limits, check_query
from .pool import PoolBusy, QueryTimedOut, WorkerLost, WorkerPool

TIMEOUT_S = 3600.0  # the operator's own tool: generous, and Ctrl-C stops it at once
MEMORY_BYTES = 2 * 2**30  # WORKER_MEMORY's default; HRES_WORKER_MEMORY overrides it here too
ANSWER_BYTES = 1 * 2**30  # an answer larger than this is cut, and the caller told
MAX_TEXT_BYTES = 16 * 2**20  # `-f` and standard input are read up to this


@dataclass(frozen=True)
class Outcome:
    result: QueryResult | None  # SELECT and ASK
    turtle: str | None  # CONSTRUCT and DESCRIBE, as Oxigraph's Turtle with the canonical prefixes
    cut: str | None  # "row-cap=N" / "byte-cap=N" when the answer was cut


def run(
    settings: Settings,
    text: str,
    *,
    bindings: dict[str, str] | None = None,
    columns: tuple[str, ...] = (),
    check: Callable[[Callable[[str], list[dict[str, str]]]], None] | None = None,
) -> Outcome:
    """Run `text` in a confined worker; QueryError for a refused, bad or failed query. `check(select)`, when
    given, runs first with `select(sparql)` answering SELECTs of its own (rows of values) on the same worker
    and store: a named query's IRI parameters are checked so (NamedQuery.check_resources), and what it
    raises ends the run."""
    analysis = lexer.analyse(text, PREFIXES, base=BASE)
    memory = worker_memory()
    limits = Limits(
        query_timeout=TIMEOUT_S,
        queue_timeout=60.0,
        row_cap=10**12,
        max_request_bytes=MAX_TEXT_BYTES,
        allow_remote=(),
        max_query_bytes=MAX_TEXT_BYTES,
        max_answer_bytes=ANSWER_BYTES,
        worker_memory=memory,
    )
    try:
        check_query(analysis, limits)
    except EndpointError as exc:
        raise QueryError(exc.message) from None
    graph = analysis.form in ("construct", "describe")
    remote = settings.sparql_query_url if settings.backend == "sparql" else None
    job = {
        "op": "query",
        "text": text,
        "format": "turtle" if graph else "json",
        "row_cap": limits.row_cap,
        "byte_cap": ANSWER_BYTES,
        "base_iri": BASE,
        "has_from": bool(analysis.from_default or analysis.from_named),
        "from_iris": analysis.from_default + analysis.from_named,
        "bindings": bindings or {},
        "columns": list(columns),
    }
    pool = WorkerPool(str(current_store_path(settings)), size=1, long_limit=0, remote=remote, memory_bytes=memory)
    try:
        if check is not None:

            def select(sparql: str) -> list[dict[str, str]]:
                own = {
                    "op": "query",
                    "text": sparql,
                    "format": "json",
                    "row_cap": limits.row_cap,
                    "byte_cap": ANSWER_BYTES,
                }
                body = json.loads(_answer(pool, own, sparql)[3])
                return [{var: term["value"] for var, term in row.items()} for row in body["results"]["bindings"]]

            check(select)
        _, _, key, body, headers = _answer(pool, job, text)
    finally:
        pool.close()
    cut = headers.get("HRES-Truncated", "").partition("; ")[2] or None
    if key == "turtle":
        return Outcome(None, body.decode("utf-8"), cut)
    return Outcome(result_from_json(json.loads(body)), None, cut)


def _answer(pool: WorkerPool, job: dict, text: str) -> tuple:
    """The worker's ("ok", …) answer to a job, or the QueryError / StoreError that says why there is none."""
    try:
        answer = pool.run(job, timeout=TIMEOUT_S, wait=60.0)
    except WorkerLost as exc:
        raise QueryError(
            f"the query's worker process died ({exc.cause}); nothing was answered",
            hint="simplify the query: less nesting, fewer or shorter values, a LIMIT",
        ) from None
    except (QueryTimedOut, PoolBusy):
        raise QueryError(f"the query ran longer than {TIMEOUT_S:g} s and was stopped") from None
    if answer[0] == "error":
        message = answer[2]
        if message.startswith("SPARQL syntax error: "):
            raise syntax_error(text, SyntaxError(message[len("SPARQL syntax error: ") :]))
        if answer[1] in (502, 503):  # the store (an external one: away, or a bad answer) failed, not the query
            raise StoreError(message)
        raise QueryError(message)
    return answer


def worker_memory() -> int:
    """HRES_WORKER_MEMORY (bytes), as the server reads it, else the default."""
    raw = os.environ.get("HRES_WORKER_MEMORY", "")
    if not raw:
        return MEMORY_BYTES
    if not raw.isdigit() or int(raw) < 512 * 2**20:
        raise ConfigError(f"HRES_WORKER_MEMORY must be a whole number of bytes, at least 536870912 (got {raw!r})")
    return int(raw)


def result_from_json(doc: dict) -> QueryResult:
    """SPARQL 1.1 JSON results as a QueryResult of rdflib terms (what the CLI's writers take)."""
    if "boolean" in doc:
        return QueryResult("ask", boolean=bool(doc["boolean"]))
    variables = doc["head"]["vars"]
    rows = [tuple(_term(binding.get(v)) for v in variables) for binding in doc["results"]["bindings"]]
    return QueryResult("select", variables=variables, rows=rows)


def _term(value: dict | None):
    from rdflib import BNode, Literal, URIRef

    if value is None:
        return None
    if value["type"] == "uri":
        return URIRef(value["value"])
    if value["type"] == "bnode":
        return BNode(value["value"])
    if value["type"] == "triple":
        return Literal(json.dumps(value["value"]))  # RDF-star term: shown as its JSON
    return Literal(value["value"], lang=value.get("xml:lang"), datatype=value.get("datatype"))
