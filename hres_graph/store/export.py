"""Dumps of the whole graph or one named graph, in the standard RDF formats."""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox

from ..config import Settings
from ..errors import ConfigError, QueryError
from ..namespaces import GRAPH
from .oxigraph import OxigraphStore, open_store

FORMATS = {
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
}


def graph_iri(name: str) -> str:
    """A named graph by IRI or by source id ('upr-info' -> https://w3id.org/hres/graph/upr-info)."""
    return name if "://" in name else str(GRAPH[name])


def export(settings: Settings, fmt: str, graph: str | None, output: Path | None) -> None:
    store = open_store(settings)
    if not isinstance(store, OxigraphStore):
        raise ConfigError("export reads the embedded store; dump an external store with its own tools")
    rdf_format = FORMATS[fmt]
    iri = graph_iri(graph) if graph else None
    if iri and iri not in store.graphs():
        raise QueryError(f"no named graph {iri}", hint="`hres stats` lists the graphs")
    if iri is None and not rdf_format.supports_datasets:
        raise QueryError(f"{fmt} holds a single graph: add --graph, or use nquads or trig for everything")
    if output:
        with open(output, "wb") as handle:
            store.dump(handle, rdf_format, iri)
    else:
        store.dump(sys.stdout.buffer, rdf_format, iri)
