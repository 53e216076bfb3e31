"""The closed HRES namespace and the canonical prefixes agree with the ontology and the queries."""

from __future__ import annotations

import re

import pytest
from rdflib import Graph
from rdflib.namespace import OWL, RDF

from hres_graph.config import PROJECT_ROOT
from hres_graph.namespaces import HRES, PREFIXES
from hres_graph.queries import QUERIES_DIR

ONTOLOGY_DIR = PROJECT_ROOT / "ontology"


def test_namespace_lists_exactly_the_ontology_terms():
    graph = Graph().parse(ONTOLOGY_DIR / "hres.ttl")
    ns = str(HRES._NS)
    defined = {
        str(s)[len(ns) :]
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
        for s in graph.subjects(RDF.type, kind)
        if str(s).startswith(ns)
    }
    declared = set(HRES.__annotations__)
    assert sorted(declared - defined) == [], "terms in namespaces.py but not in ontology/hres.ttl"
    assert sorted(defined - declared) == [], "terms in ontology/hres.ttl missing from namespaces.py"


def test_misspelt_term_raises():
    with pytest.raises(AttributeError):
        HRES.recomendedBy  # noqa: B018


@pytest.mark.parametrize("path", sorted(QUERIES_DIR.rglob("*.rq")), ids=lambda p: p.stem)
def test_query_prefixes_are_canonical(path):
    for prefix, iri in re.findall(r"PREFIX\s+([\w-]*):\s*<([^>]*)>", path.read_text(encoding="utf-8")):
        if prefix in PREFIXES:
            assert PREFIXES[prefix] == iri, (
                f"{path.name}: prefix {prefix}: is <{iri}>, canonical is <{PREFIXES[prefix]}>"
            )


@pytest.mark.parametrize("path", sorted(ONTOLOGY_DIR.rglob("*.ttl")), ids=lambda p: p.name)
def test_turtle_prefixes_are_canonical(path):
    for prefix, iri in re.findall(r"@prefix\s+([\w-]*):\s*<([^>]*)>", path.read_text(encoding="utf-8")):
        if prefix in PREFIXES:
            assert PREFIXES[prefix] == iri, (
                f"{path.name}: @prefix {prefix}: is <{iri}>, canonical is <{PREFIXES[prefix]}>"
            )


def test_plain_prefix_map_names_the_same_iris_as_rdflib():
    from rdflib.namespace import DCTERMS, PROV, RDFS, SKOS, XSD

    from hres_graph.namespaces import GRAPH, ID, ORG, VOCAB, VOID, WD

    expected = {
        "hres": HRES._NS,
        "hresid": ID,
        "vocab": VOCAB,
        "graph": GRAPH,
        "rdf": RDF,
        "rdfs": RDFS,
        "owl": OWL,
        "xsd": XSD,
        "skos": SKOS,
        "dcterms": DCTERMS,
        "prov": PROV,
        "org": ORG,
        "void": VOID,
        "wd": WD,
    }
    assert PREFIXES == {prefix: str(ns) for prefix, ns in expected.items()}


def test_query_workers_start_without_flask_or_rdflib():
    """A worker killed at its timeout is replaced: its start-up (0.26 s with them, 0.10 s without)
    decides how fast the pool recovers from a storm of heavy queries."""
    import subprocess
    import sys

    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, server.worker; print(sorted({'flask', 'rdflib'} & set(sys.modules)))"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert loaded == "[]"
