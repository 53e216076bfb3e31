"""A query worker: a long-lived process that opens the store and answers jobs sent over a pipe.

pyoxigraph has no per-query time limit and a running query cannot be interrupted from another
thread, so queries run here, in a process the pool can kill (see pool.py). The worker opens the
store read-only (several workers share one store directory); only the update sandbox's single
worker opens its store read-write.

Before it reads any query, a worker confines itself (hres_graph.sandbox): RLIMIT_DATA at
WORKER_MEMORY, and, unless the set-up says it needs network (ALLOW_REMOTE set, or an external
store), a seccomp filter under which it can create only AF_UNIX sockets. So in the default
configuration no spelling of SERVICE or LOAD can reach the network: the engine's connection is
denied by the kernel, and the answer is a 400 saying so. With network, `OutboundGuard` checks the
text on rdflib's parse instead (outbound.py).

A job is a dict (see `run_query` / `run_update`); the answer is a tuple
`("ok", status, content_type_key, body, headers)` or `("error", status, message)`.
"""

from __future__ import annotations

import signal
import threading
from multiprocessing.connection import Connection

import pyoxigraph as ox

from hres_graph.prefixes import PREFIXES
from hres_graph.sandbox import confine, exit_with_parent

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
    """Process entry point: read the set-up, confine this process, then answer jobs on a thread with
    a large stack. Oxigraph parses and evaluates recursively; on the main thread's 8 MiB a query
    nested ~1,000 deep overflowed it (SIGSEGV). The confinement comes first so that the serving
    thread, the store's own threads and everything else started later inherit it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C goes to the server, which then stops us
    conn = Connection(fd)
    try:
        setup = conn.recv()
    except (EOFError, OSError):  # the pool closed before it set this worker up (a replacement started as
        return  # `hres query` finished): nothing to answer, and no traceback on its stderr
    confine(network=setup["network"], memory_bytes=setup.get("memory_bytes"))
    exit_with_parent()  # the parent enforces the time limit: never outlive it
    threading.stack_size(STACK_BYTES)
    thread = threading.Thread(target=serve, args=(conn, setup), name="hres-query-worker")
    thread.start()
    thread.join()


def serve(conn: Connection, setup: dict) -> None:
    """Open the store, say ready, answer jobs until EOF; end quietly when the pool has gone (a replacement
    worker started as `hres query` finished finds the pipe closed: no traceback on the command's stderr)."""
    try:
        _serve(conn, setup)
    except (BrokenPipeError, ConnectionResetError):
        return


def _serve(conn: Connection, setup: dict) -> None:
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
    guard = OutboundGuard(setup) if setup["network"] else None
    conn.send(("ready", version, threading.get_native_id()))  # the pool lowers this thread's priority
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        answer = answer_job(store, job, guard, setup)
        if answer[0] == "ok":
            if job["op"] == "update":
                version = dataset_version(store)
            answer[4]["HRES-Dataset-Version"] = version
        conn.send(answer)


REFUSED_OUTBOUND = (
    "SERVICE/LOAD refused: this endpoint makes no outbound requests (the query or update "
    "named a remote endpoint or source, and the worker's connection to it was denied)"
)


def answer_job(store, job: dict, guard: "OutboundGuard | None", setup: dict):
    """The answer tuple for one job; every engine error classified (a worker never answers 500)."""
    try:
        if guard is not None:
            refusal = guard.refusal(store, job)
            if refusal:
                return ("error", 400, refusal)
        return run_update(store, job) if job["op"] == "update" else run_query(store, job)
    except ExternalStoreError as exc:
        return ("error", exc.status, exc.message)
    except SyntaxError as exc:
        return ("error", 400, f"SPARQL syntax error: {exc}")
    except results.NotXmlSafe as exc:
        return (
            "error",
            406,
            f"the answer holds a character that XML 1.0 cannot carry ({exc}), so it cannot be "
            f"sent as {negotiation.BY_KEY[job['format']].media_type}; ask for "
            f"{_xml_free_formats(job['format'])}, which carry it unchanged",
        )
    except MemoryError:
        return (
            "error",
            422,
            f"the {job['op']} needed more memory than WORKER_MEMORY "
            f"({setup.get('memory_bytes', 0) // 2**20} MiB) allows; ask for less (LIMIT, fewer or shorter values)",
        )
    except PermissionError as exc:
        if not setup["network"]:  # the sandbox denied a socket: SERVICE or LOAD tried to connect
            return ("error", 400, REFUSED_OUTBOUND)
        return ("error", 503, f"the store could not be read: {exc}")
    except (ConnectionError, TimeoutError) as exc:
        return ("error", 502, f"a remote SERVICE call failed: {exc}")
    except OSError as exc:
        if not setup["network"] and "os error 13" in str(exc):
            return ("error", 400, REFUSED_OUTBOUND)
        return ("error", 503, f"the store could not be read: {exc}")
    except Exception as exc:  # an evaluation error the engine reports for this query
        return ("error", 422, f"the {job['op']} could not be evaluated: {exc}")


def _xml_free_formats(key: str) -> str:
    graph = negotiation.BY_KEY[key].rdf is not None
    return ", ".join(
        f.media_type
        for f in (negotiation.GRAPH if graph else negotiation.RESULTS)
        if f.key != key and "xml" not in f.media_type
    )


class OutboundGuard:
    """Where the worker has network (ALLOW_REMOTE set, or an external store), what the kernel does
    not refuse is checked on rdflib's parse of the text (outbound.py)."""

    def __init__(self, setup: dict):
        from . import outbound  # imports rdflib, which the default configuration's workers never load

        self.outbound, self.allow_remote = outbound, tuple(setup.get("allow_remote") or ())

    def refusal(self, store, job: dict) -> str | None:
        try:
            found = self.outbound.targets(
                job["text"], update=job["op"] == "update", base=job.get("base_iri"), prefixes=PREFIXES
            )
            self.outbound.check(found, self.allow_remote)
        except self.outbound.OutboundRefused as exc:
            return str(exc)
        if job["op"] == "query":  # the parser's FROM graphs replace the lexer's (run_query checks them)
            job["from_iris"], job["has_from"] = found.graphs, bool(found.graphs)
        if isinstance(store, RemoteStore):  # an external store might fetch a protocol dataset graph too
            protocol = (job.get("default_graphs") or []) + (job.get("named_graphs") or [])
            for iri in protocol:
                if not (self.allow_remote and iri.startswith(self.allow_remote)) and not store.contains_named_graph(
                    ox.NamedNode(iri)
                ):
                    return (
                        f"the dataset graph <{iri}> is no graph of this store, and the external store "
                        "behind this endpoint could fetch it; name graphs of the store (see /void)"
                    )
        return None


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
    return [
        iri
        for iri in job.get("from_iris") or []
        if not (allowed and iri.startswith(allowed))
        and (iri.startswith("?") or not store.contains_named_graph(ox.NamedNode(iri)))
    ]


def run_query(store: ox.Store, job: dict):
    if not (job.get("default_graphs") or job.get("named_graphs")):
        missing = unknown_from_graphs(store, job)
        if missing:
            return (
                "error",
                400,
                "FROM <%s> names no graph of this store; this endpoint never fetches "
                "remote data (the graphs are listed in the service description and at /void)" % missing[0],
            )
    answer = store.query(job["text"], **_dataset_kwargs(store, job))
    fmt = negotiation.BY_KEY[job["format"]]
    caps = results.Caps(job["row_cap"], job["byte_cap"])
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
        written = results.SOLUTION_WRITERS[fmt.key](variables, solutions, caps)
    else:
        fmt = fmt if fmt.rdf is not None else negotiation.TURTLE
        written = results.write_rdf_capped(answer, fmt.rdf, caps)
    if written.cut:
        headers["HRES-Truncated"] = f"true; {written.cut}"
    return ("ok", 200, fmt.key, written.body, headers)


def run_update(store: ox.Store, job: dict):
    store.update(job["text"], base_iri=job.get("base_iri"), prefixes=PREFIXES)
    return ("ok", 204, None, b"", {})
