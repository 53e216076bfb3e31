"""Defined classes: materialised by the build into graph/derived, and HermiT agrees with the materialisation."""

from __future__ import annotations

import csv
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDF

from hres_graph.config import PROJECT_ROOT
from hres_graph.namespaces import HRES, ID, VOCAB
from hres_graph.quality.reasoner import check_consistency, load_ontology
from hres_graph.store.oxigraph import open_store

DERIVED = PROJECT_ROOT / "queries" / "derived" / "election-related-recommendation.rq"


def _sample() -> Graph:
    """Ontology + vocabularies + the election-theme reference data + five recommendations."""
    g = load_ontology()
    g.parse(PROJECT_ROOT / "ontology" / "reference" / "election-themes.ttl")
    rec = lambda n: ID[f"recommendation/test/{n}"]  # noqa: E731
    mission = ID["mission/eu/KEN/2022-08-09"]
    g.add((mission, RDF.type, HRES.ObservationMission))
    facts = [
        (rec("tagged"), HRES.theme, VOCAB["upr-info-issue/elections"]),
        (rec("right"), HRES.concernsRight, VOCAB["rights/vote"]),
        (rec("mission"), HRES.madeByMission, mission),
        (rec("other-theme"), HRES.theme, VOCAB["upr-info-issue/womens-rights"]),
        (rec("plain"), HRES.text, Literal("Ratify the convention", lang="en")),
    ]
    for subject, predicate, value in facts:
        g.add((subject, RDF.type, HRES.Recommendation))
        g.add((subject, predicate, value))
    return g


def _materialised(graph: Graph) -> set[str]:
    store = ox.Store()
    store.load(graph.serialize(format="nt").encode(), ox.RdfFormat.N_TRIPLES)
    return {t.subject.value for t in store.query(DERIVED.read_text(encoding="utf-8"))}


@pytest.mark.slow
def test_hermit_infers_the_same_members_as_the_build():
    sample = _sample()
    report = check_consistency(sample, members_of=str(HRES.ElectionRelatedRecommendation))
    assert report.consistent and not report.unsatisfiable
    expected = {str(ID[f"recommendation/test/{n}"]) for n in ("tagged", "right", "mission")}
    assert set(report.members) == expected
    assert _materialised(sample) == expected


@pytest.mark.real_data
@pytest.mark.slow
def test_real_build_materialises_election_related_recommendations(real_settings, data_root):
    store = open_store(real_settings)
    rows = store.query(
        "SELECT ?r ?g WHERE { GRAPH graph:derived { ?r a hres:ElectionRelatedRecommendation } "
        "GRAPH ?g { ?r a hres:Recommendation } }"
    ).rows
    by_graph: dict[str, set[str]] = {}
    for r, g in rows:
        by_graph.setdefault(str(g).rsplit("/", 1)[-1], set()).add(str(r))
    tagged = {
        str(r)
        for (r,) in store.query(
            "SELECT ?r WHERE { GRAPH graph:upr-info { ?r a hres:Recommendation ; "
            "hres:theme <https://w3id.org/hres/vocab/upr-info-issue/elections> } }"
        ).rows
    }
    assert by_graph["upr-info"] == tagged
    # independently of the graph: the UPR Info export's rows tagged Elections
    export = data_root / "raw" / "upr-info-terman" / "upr-info-export"
    count = 0
    for path in sorted(Path(export).glob("sessions_*.csv")):
        with open(path, encoding="mac_roman", newline="") as handle:
            count += sum("Elections" in [t.strip() for t in row["Issue"].split(",")] for row in csv.DictReader(handle))
    assert len(tagged) == count == 254
    linked = {
        str(r)
        for (r,) in store.query("SELECT DISTINCT ?r WHERE { ?r a hres:Recommendation ; hres:concernsRight ?x }").rows
    }
    assert linked and linked <= set().union(*by_graph.values())
    assert len(by_graph["eom-missions"]) == 121  # every observer recommendation (PROVENANCE: 121)
