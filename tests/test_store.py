"""Store round trip and result formats."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest
from rdflib import Dataset

from hres_graph.build.pipeline import build
from hres_graph.config import Settings
from hres_graph.store import results
from hres_graph.store.export import export
from hres_graph.store.oxigraph import open_store


@pytest.fixture(scope="module")
def settings(tmp_path_factory) -> Settings:
    settings = Settings(var_dir=tmp_path_factory.mktemp("var"))
    build(settings, sources=[], log=lambda m: None)
    return settings


def test_nquads_dump_round_trips(settings, tmp_path):
    dump = tmp_path / "all.nq"
    export(settings, "nquads", None, dump)
    copy = ox.Store()
    copy.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
    original = open_store(settings)
    assert len(copy) == sum(original.triple_counts().values())
    counts = {
        row["g"].value: int(row["n"].value)
        for row in copy.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    }
    assert counts == original.triple_counts()
    parsed = Dataset()
    parsed.parse(dump, format="nquads")  # an independent parser agrees it is valid N-Quads
    assert len(parsed) == len(copy)


def test_single_graph_turtle_export(settings, tmp_path):
    out = tmp_path / "ontology.ttl"
    export(settings, "turtle", "ontology", out)
    text = out.read_text(encoding="utf-8")
    assert "@prefix hres:" in text and "owl:Ontology" in text


def test_select_formats_agree(settings):
    result = open_store(settings).query(
        "SELECT ?i ?label WHERE { ?i a/rdfs:subClassOf* hres:Treaty ; rdfs:label ?label "
        'FILTER(LANG(?label) = "en") } ORDER BY ?i'
    )
    assert len(result.rows) >= 19
    doc = json.loads(results.to_json(result))
    assert doc["head"]["vars"] == ["i", "label"]
    assert doc["results"]["bindings"][0]["label"]["xml:lang"] == "en"
    table = list(csv.reader(io.StringIO(results.to_csv(result))))
    assert table[0] == ["i", "label"] and len(table) == len(result.rows) + 1
    tsv = results.to_tsv(result).splitlines()
    assert tsv[0] == "?i\t?label" and tsv[1].startswith("<https://w3id.org/hres/id/instrument/")
    assert (
        results.to_table(result, {"inst": "https://w3id.org/hres/id/instrument/"}).splitlines()[2].startswith("inst:")
    )


def test_ask_and_construct(settings):
    store = open_store(settings)
    assert store.query("ASK { ?s a hres:TreatyBody }").boolean is True
    graph = store.query("CONSTRUCT { ?s a hres:TreatyBody } WHERE { ?s a hres:TreatyBody }").graph
    assert len(graph) >= 10
