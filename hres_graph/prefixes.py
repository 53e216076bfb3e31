"""The one canonical prefix map, as plain strings.

Kept apart from namespaces.py so that the server's query workers import it without rdflib (a
worker killed at its timeout is replaced, and every 0.1 s of start-up counts then).
"""

from __future__ import annotations

BASE = "https://w3id.org/hres/"

PREFIXES: dict[str, str] = {
    "hres": BASE + "ontology#",
    "hresid": BASE + "id/",
    "vocab": BASE + "vocab/",
    "graph": BASE + "graph/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "void": "http://rdfs.org/ns/void#",
    "wd": "http://www.wikidata.org/entity/",
}


def sparql_prologue() -> str:
    """PREFIX lines for every canonical prefix, for queries typed by people."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
