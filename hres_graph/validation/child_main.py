"""The validation child: parses and validates contributed files in a confined, short-lived process.

Design notes: hres_graph/validation/README.md, "child_main.py".
"""

from __future__ import annotations

import signal
import sys
import threading
import traceback
from multiprocessing.connection import Connection
from pathlib import Path

from ..errors import HresError
from ..sandbox import confine, exit_with_parent
from . import child_wire as wire

STACK_BYTES = 256 * 1024 * 1024  # address space; Oxigraph's parsers recurse (server/worker.py does the same)


def main(fd: int) -> None:
    """Process entry point."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C goes to the parent, which then kills us
    conn = Connection(fd)
    setup = wire.loads(conn.recv_bytes())
    confine(network=False, memory_bytes=setup["memory_bytes"], cpu_seconds=setup["cpu_seconds"])
    exit_with_parent()  # the parent enforces the time limit: never outlive it
    threading.stack_size(STACK_BYTES)
    thread = threading.Thread(target=serve, args=(conn,), name="hres-validation-child")
    thread.start()
    thread.join()


def serve(conn: Connection) -> None:
    from .shacl import load_shapes, ontology_graph, reference_context

    load_shapes(), ontology_graph(), reference_context()  # before "ready": a spare child waits warm
    conn.send_bytes(wire.dumps(["ready"]))
    try:
        job = wire.loads(conn.recv_bytes())
    except EOFError:  # a spare the parent no longer needs
        return
    try:
        answer = run(conn, job)
    except HresError as exc:
        answer = ["error", wire.error(exc)]
    except MemoryError:
        answer = ["out-of-memory"]
    except Exception as exc:  # noqa: BLE001 - a bug or data the validator cannot take: say so, never "does not conform"
        traceback.print_exc(file=sys.stderr)
        names = ", ".join(job["paths"])
        answer = [
            "error",
            wire.error(
                HresError(
                    f"{names}: the validator failed on this data ({type(exc).__name__}: {exc}); nothing was validated",
                    hint="this is a bug in HRES Graph if the file is valid RDF; please report it with the file",
                )
            ),
        ]
    conn.send_bytes(wire.dumps(answer))


def run(conn: Connection, job: dict) -> list:
    from .contributions import validate_loaded
    from .reading import load_files
    from .shacl import context_references

    loaded = load_files(
        [Path(p) for p in job["paths"]], max_file_bytes=job["max_file_bytes"], max_nesting=job["max_nesting"]
    )
    context = None
    if job["include_store"]:
        referenced, states = context_references(loaded.graph)
        conn.send_bytes(wire.dumps(["context?", referenced, states]))
        from rdflib import Graph

        context = Graph()
        for triple in wire.triples_from(wire.loads(conn.recv_bytes())[1]):
            context.add(triple)
    report = validate_loaded(
        loaded,
        context=context,
        allow_warnings=job["allow_warnings"],
        shapes=Path(job["shapes"]) if job["shapes"] else None,
    )
    return ["report", wire.report(report), wire.triples(loaded.graph) if job["want_graph"] else None]


__all__ = ["main"]
