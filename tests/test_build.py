"""The build: named graphs with provenance, reproducibility, atomic swap, clear errors."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from hres_graph.build import pipeline as build_module
from hres_graph.build.pipeline import build
from hres_graph.config import Settings
from hres_graph.errors import SourceFormatError
from hres_graph.importers.base import Source, read_csv
from hres_graph.namespaces import GRAPH, HRES, ID
from hres_graph.store.oxigraph import OxigraphStore, open_store

FIXTURE_CSV = Path(__file__).parent / "data" / "sources" / "toy" / "actors.csv"


def read_toy(path: Path, ctx):
    """A tiny importer over tests/data/sources/toy: one actor per row."""
    for row in read_csv(path, required=("key", "name")):
        if row["name"] == "BROKEN":
            raise row.error("the name is the marker BROKEN", column="name")
        subject = ID[f"org/toy-{row['key']}"]
        yield subject, RDF.type, HRES.Organisation
        yield subject, RDFS.label, Literal(row["name"], lang="en")


TOY = Source(
    id="toy",
    title="Toy fixture",
    read=read_toy,
    default_path="toy",
    license="CC0-1.0",
    upstream="tests/data/sources/toy",
)


@pytest.fixture()
def settings(tmp_path) -> Settings:
    return Settings(var_dir=tmp_path / "var", data_root=tmp_path / "data", source_paths={"toy": FIXTURE_CSV})


def _quads(settings: Settings, skip=("meta",)) -> set[str]:
    store = open_store(settings)
    rows = store.query("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(!isBlank(?s) && !isBlank(?o)) }").rows
    return {" ".join(t.n3() for t in row) for row in rows if not any(str(row[0]).endswith("/" + k) for k in skip)}


def test_builtin_graphs_are_loaded_with_provenance(settings):
    result = build(settings, sources=[], log=lambda m: None)
    store = open_store(settings)
    graphs = store.graphs()
    for name in ("ontology", "vocab", "reference", "meta"):
        assert str(GRAPH[name]) in graphs
    version = store.query(
        "SELECT ?v WHERE { GRAPH <https://w3id.org/hres/graph/meta> "
        "{ <https://w3id.org/hres/dataset> dcterms:hasVersion ?v } }"
    ).rows
    assert version == [(Literal(result.version),)]
    checksums = store.query(
        "SELECT ?g ?c WHERE { GRAPH graph:meta { ?g <http://spdx.org/rdf/terms#checksum> ?c ; a void:Dataset } }"
    ).rows
    assert {str(g) for g, _ in checksums} == {
        str(GRAPH[n]) for n in ("ontology", "vocab", "reference", "derived", "links")
    }
    assert all(len(str(c)) == 64 for _, c in checksums)


def test_source_lands_in_its_own_named_graph(settings):
    build(settings, sources=[TOY], log=lambda m: None)
    store = open_store(settings)
    rows = store.query(
        "SELECT ?s ?name WHERE { GRAPH graph:toy { ?s a hres:Organisation ; rdfs:label ?name } } ORDER BY ?s"
    ).rows
    assert rows == [
        (ID["org/toy-a"], Literal("Alpha", lang="en")),
        (ID["org/toy-b"], Literal("Beta, Gamma", lang="en")),
    ]
    assert store.count(str(GRAPH["toy"])) == 4
    derived = store.query(
        "SELECT ?id WHERE { GRAPH graph:meta { graph:toy prov:wasDerivedFrom ?f . ?f dcterms:identifier ?id } }"
    ).rows
    assert derived == [(Literal("actors.csv"),)]


def test_same_inputs_give_the_same_graph(settings, tmp_path):
    first = build(settings, sources=[TOY], log=lambda m: None)
    quads = _quads(settings)
    second = build(settings, sources=[TOY], log=lambda m: None)
    assert second.version == first.version
    assert _quads(settings) == quads
    assert first.store != second.store  # a new store each time; the old one kept for rollback


def test_failed_build_leaves_the_previous_store_current(settings, tmp_path):
    good = build(settings, sources=[TOY], log=lambda m: None)
    broken_csv = tmp_path / "broken.csv"
    broken_csv.write_text("key,name\nc,Gamma\nd,BROKEN\n", encoding="utf-8")
    settings.source_paths["toy"] = broken_csv
    with pytest.raises(SourceFormatError) as err:
        build(settings, sources=[TOY], log=lambda m: None)
    assert "broken.csv:3 (column name)" in str(err.value)
    assert settings.current_store.resolve() == good.store
    assert not list((settings.var_dir / "stores").glob("*.partial"))
    assert open_store(settings).count(str(GRAPH["toy"])) == 4  # still the good data


def test_malformed_reference_turtle_names_file_and_line(settings, tmp_path, monkeypatch):
    good = build(settings, sources=[], log=lambda m: None)
    folder = tmp_path / "reference"
    folder.mkdir()
    (folder / "bad.ttl").write_text(
        '@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "open .\n', encoding="utf-8"
    )
    builtin = [b if b[0] != "reference" else (b[0], b[1], folder, b[3]) for b in build_module.BUILTIN]
    monkeypatch.setattr(build_module, "BUILTIN", tuple(builtin))
    with pytest.raises(SourceFormatError) as err:
        build(settings, sources=[], log=lambda m: None)
    assert str(err.value).startswith(f"{folder / 'bad.ttl'}:3:")
    assert settings.current_store.resolve() == good.store


def test_old_stores_are_pruned_to_current_and_previous(settings):
    results = [build(settings, sources=[], log=lambda m: None) for _ in range(3)]
    remaining = sorted(p for p in (settings.var_dir / "stores").iterdir())
    assert remaining == sorted([results[1].store, results[2].store])


def test_store_is_read_only_for_readers(settings):
    build(settings, sources=[], log=lambda m: None)
    store = OxigraphStore(settings.current_store.resolve(), read_only=True)
    node = ox.NamedNode("http://example.org/x")
    with pytest.raises((OSError, RuntimeError), match="read-write|read-only"):
        store.add_quads([ox.Quad(node, node, node)])


def test_ontology_and_reference_answer_queries(settings):
    build(settings, sources=[], log=lambda m: None)
    store = open_store(settings)
    iccpr = store.query(
        "SELECT ?label WHERE { <https://w3id.org/hres/id/instrument/iccpr> rdfs:label ?label "
        "FILTER(LANG(?label) = 'en') }"
    ).rows
    assert iccpr and "Civil and Political Rights" in str(iccpr[0][0])
    classes = store.query(
        "SELECT (COUNT(?c) AS ?n) WHERE { GRAPH graph:ontology { ?c a owl:Class "
        "FILTER(STRSTARTS(STR(?c), STR(hres:))) } }"
    ).rows
    assert int(classes[0][0]) >= 40
    assert URIRef(HRES.Recommendation)
