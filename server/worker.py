"""A query worker: a long-lived process that opens the store and answers jobs sent over a pipe.

pyoxigraph has no per-query time limit and a running query cannot be interrupted from another
thread, so queries run here, in a process the pool can kill (see pool.py). The worker opens the
store read-only (several workers share one store directory); only the update sandbox's single
worker opens its store read-write.

A job is a dict (see `run_query` / `run_update`); the answer is a tuple
`("ok", status, content_type_key, body, headers)` or `("error", status, message)`.
"""
from __future__ import annotations

import signal
import threading
from multiprocessing.connection import Connection

import pyoxigraph as ox

from hres_graph.prefixes import PREFIXES

from . import negotiation, results
from .remote import ExternalStoreError, RemoteStore

DATASET = ox.NamedNode("https://w3id.org/hres/dataset")
META = ox.NamedNode("https://w3id.org/hres/graph/meta")
HAS_VERSION = ox.NamedNode("http://purl.org/dc/terms/hasVersion")


def dataset_version(store: ox.Store) -> str:
    for quad in store.quads_for_pattern(DATASET, HAS_VERSION, None, META):
        return quad.object.value
    return "unknown"


STACK_BYTES = 256 * 1024 * 1024  # address space only: pages are committed as a deep query touches them


def main(fd: int) -> None:
    """Process entry point: answer jobs on a thread with a large stack. Oxigraph parses and evaluates
    recursively; on the main thread's 8 MiB a query nested ~1,000 deep overflowed it (SIGSEGV)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C goes to the server, which then stops us
    threading.stack_size(STACK_BYTES)
    thread = threading.Thread(target=serve, args=(fd,), name="hres-query-worker")
    thread.start()
    thread.join()


def serve(fd: int) -> None:
    """Read the set-up, open the store, say ready, answer jobs until EOF."""
    conn = Connection(fd)
    setup = conn.recv()
    store_path, writable = setup["store"], setup["writable"]
    try:
        if setup.get("remote"):  # HRES_BACKEND=sparql: queries go to the external store
            store = RemoteStore(setup["remote"])
            version = store.dataset_version()
        else:
            store = ox.Store(store_path) if writable else ox.Store.read_only(store_path)
            version = dataset_version(store)
    except OSError as exc:
        conn.send(("failed", f"cannot open the store at {store_path}: {exc}"))
        return
    conn.send(("ready", version, threading.get_native_id()))  # the pool lowers this thread's priority
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            answer = run_update(store, job) if job["op"] == "update" else run_query(store, job)
            if job["op"] == "update":
                version = dataset_version(store)
        except ExternalStoreError as exc:
            answer = ("error", exc.status, exc.message)
        except SyntaxError as exc:
            answer = ("error", 400, f"SPARQL syntax error: {exc}")
        except (ConnectionError, TimeoutError) as exc:
            answer = ("error", 502, f"a remote SERVICE call failed: {exc}")
        except OSError as exc:
            answer = ("error", 503, f"the store could not be read: {exc}")
        except Exception as exc:  # an evaluation error the engine reports for this query
            answer = ("error", 422, f"the query could not be evaluated: {exc}")
        if answer[0] == "ok":
            answer[4]["HRES-Dataset-Version"] = version
        conn.send(answer)


def _dataset_kwargs(store: ox.Store, job: dict) -> dict:
    kwargs: dict = {"prefixes": PREFIXES, "base_iri": job.get("base_iri")}
    default, named = job.get("default_graphs"), job.get("named_graphs")
    if default or named:  # the protocol's dataset replaces FROM / FROM NAMED (Protocol 2.1.4)
        kwargs["default_graph"] = [ox.NamedNode(g) for g in default or []]
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in named or []]
    elif not job.get("has_from"):
        kwargs["use_default_graph_as_union"] = True  # Oxigraph ignores FROM when this is set
    if job.get("bindings"):  # a named query's parameters, as N-Triples terms (they cross a pipe)
        kwargs["substitutions"] = {ox.Variable(name): _term(text) for name, text in job["bindings"].items()}
    return kwargs


def _term(ntriples: str) -> ox.NamedNode | ox.Literal:
    """One N-Triples term back into a pyoxigraph term (the parser does the unescaping)."""
    triple = next(iter(ox.parse(f"<urn:s> <urn:p> {ntriples} .", ox.RdfFormat.N_TRIPLES)))
    return triple.object


def unknown_from_graphs(store: ox.Store, job: dict) -> list[str]:
    """FROM / FROM NAMED IRIs that name no graph here (Oxigraph never fetches them: they would
    read as empty graphs, so the query is refused instead) and are not allow-listed."""
    allowed = tuple(job.get("allow_remote") or ())
    return [iri for iri in job.get("from_iris") or []
            if not (allowed and iri.startswith(allowed))
            and (iri.startswith("?") or not store.contains_named_graph(ox.NamedNode(iri)))]


def run_query(store: ox.Store, job: dict):
    if not (job.get("default_graphs") or job.get("named_graphs")):
        missing = unknown_from_graphs(store, job)
        if missing:
            return ("error", 400, "FROM <%s> names no graph of this store; this endpoint never fetches "
                    "remote data (the graphs are listed in the service description and at /void)" % missing[0])
    answer = store.query(job["text"], **_dataset_kwargs(store, job))
    fmt = negotiation.BY_KEY[job["format"]]
    cap = job["row_cap"]
    headers: dict[str, str] = {}
    if isinstance(answer, ox.QueryBoolean):
        fmt = fmt if fmt.rdf is None else negotiation.JSON
        return ("ok", 200, fmt.key, results.write_boolean(bool(answer), fmt.key), headers)
    if isinstance(answer, ox.QuerySolutions):
        fmt = fmt if fmt.rdf is None else negotiation.JSON  # only if the lexer misread the form
        variables = [v.value for v in answer.variables]
        solutions = (tuple(s) for s in answer)
        if job.get("columns"):  # a named query answers with the columns its header declares
            index = [variables.index(c) for c in job["columns"]]
            variables = list(job["columns"])
            solutions = (tuple(row[i] for i in index) for row in solutions)
        rows, truncated = results.capped(solutions, cap)
        body = results.SOLUTION_WRITERS[fmt.key](variables, rows, truncated, cap)
    else:
        fmt = fmt if fmt.rdf is not None else negotiation.TURTLE
        rows, truncated = results.capped(answer, cap)
        body = results.write_rdf(rows, fmt.rdf)
    if truncated:
        headers["HRES-Truncated"] = f"true; row-cap={cap}"
    return ("ok", 200, fmt.key, body, headers)


def run_update(store: ox.Store, job: dict):
    store.update(job["text"], base_iri=job.get("base_iri"), prefixes=PREFIXES)
    return ("ok", 204, None, b"", {})

