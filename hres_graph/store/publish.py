"""Publish a built store to an external SPARQL 1.1 server (HRES_BACKEND=sparql).

The build always happens in the embedded store first (fast, validated, with provenance); this
step copies each named graph to the external server. Each graph is loaded into a staging graph
and MOVEd into place only after every graph has loaded, so a failure leaves the server's
previous graphs as they were. Blank nodes are skolemised (they cannot span INSERT requests).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator

import pyoxigraph as ox

from ..config import Settings
from ..namespaces import BASE
from .oxigraph import OxigraphStore, current_store_path
from .sparql import SparqlStore

GENID = BASE + ".well-known/genid/"


def publish(settings: Settings, log=lambda msg: print(msg, file=sys.stderr)) -> dict[str, int]:
    target = SparqlStore.from_settings(settings)
    local = OxigraphStore(current_store_path(settings), read_only=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    staged: dict[str, str] = {}
    counts: dict[str, int] = {}
    try:
        for graph in local.graphs():
            staging = f"{graph}/staging-{stamp}"
            staged[graph] = staging
            counts[graph] = target.add_ntriples(staging, _ntriples(local, graph))
            log(f"  published {graph}: {counts[graph]:,} triples (staged)")
    except BaseException:
        for staging in staged.values():
            target.drop_graph(staging)
        raise
    for graph, staging in staged.items():
        target.move_graph(staging, graph)
    return counts


def _ntriples(store: OxigraphStore, graph: str) -> Iterator[str]:
    for q in store.quads(graph):
        yield f"{_skolem(q.subject)} {q.predicate} {_skolem(q.object)} ."


def _skolem(term) -> str:
    return f"<{GENID}{term.value}>" if isinstance(term, ox.BlankNode) else str(term)
