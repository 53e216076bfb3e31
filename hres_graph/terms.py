"""Conversion between rdflib terms (importers, parsing, SHACL) and pyoxigraph terms (the store).

Importers yield rdflib triples; the store speaks pyoxigraph. Conversion sits on the build's hot
path (about a million triples), so IRIs, which repeat a lot, are cached.
"""

from __future__ import annotations

from functools import lru_cache

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

_XSD_STRING = str(XSD.string)
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


@lru_cache(maxsize=200_000)
def named_node(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def to_ox(term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """rdflib term -> pyoxigraph term. Raises ValueError on an invalid IRI or language tag."""
    if isinstance(term, URIRef):
        return named_node(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None and str(term.datatype) != _XSD_STRING:
            return ox.Literal(str(term), datatype=named_node(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def from_ox(term) -> URIRef | Literal | BNode | None:
    """pyoxigraph term -> rdflib term (None stays None: an unbound variable)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        # lexical form kept as is: rdflib would otherwise normalise e.g. "01"^^xsd:integer
        return Literal(term.value, datatype=URIRef(datatype), normalize=False)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    raise TypeError(f"unsupported term from the store: {term!r}")


def quad(s, p, o, graph: ox.NamedNode) -> ox.Quad:
    return ox.Quad(to_ox(s), to_ox(p), to_ox(o), graph)
