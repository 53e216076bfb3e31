"""The HUDOC (ECtHR judgments) importer: judgments vs rows, respondents, conclusions, errors."""

from __future__ import annotations

from collections import Counter

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from hres_graph.errors import SourceFormatError
from hres_graph.importers import hudoc
from hres_graph.importers.base import ImportContext
from hres_graph.namespaces import HRES, ID, concept, instrument, mechanism, state

from .helpers import SOURCES, context_for, run_real, tiny_resolver, to_graph

FIXTURES = SOURCES / "echr-judgments"


def _art(key: str, n: int) -> URIRef:
    return URIRef(f"{instrument(key)}/art/{n}")


@pytest.fixture(scope="module")
def real(state_resolver, data_root):
    return run_real(hudoc.SOURCE, state_resolver, data_root)


@pytest.mark.real_data
def test_real_counts(real):
    ctx, graph = real.ctx, real.graph
    counts = ctx.report.counts
    assert counts["rows"] == 239
    assert counts["application-fields"] == 177  # distinct `Application Number` values (PROVENANCE)
    assert counts["applications"] == 201  # distinct single application numbers
    assert counts["judgments"] == 179 == len(set(graph.subjects(RDF.type, HRES.Decision)))
    # 177 applications, two of which had a Chamber and then a Grand Chamber judgment
    assert {str(s) for s in graph.subjects(RDF.type, HRES.Decision) if str(s).endswith("/2")} == {
        str(ID["finding/echr/5809-08/2"]),
        str(ID["finding/echr/27510-08/2"]),
    }
    assert counts["outcome:violation"] == 179  # the export was filtered on violations
    assert counts.get("conclusion-items:unparsed", 0) == 0
    assert counts["provisions:protocol-without-key"] == 1  # Kadusic: Article 4 of Protocol No. 7


@pytest.mark.real_data
def test_real_states(real):
    ctx, graph = real.ctx, real.graph
    assert dict(ctx.report.unresolved) == {}
    by_state = Counter(graph.objects(None, HRES.concernsState))
    # README: 130 Slovak and 47 Swiss cases; two Swiss cases have a second (Grand Chamber) judgment;
    # one Slovak case also names Ukraine
    assert by_state == {state("SVK"): 130, state("CHE"): 49, state("UKR"): 1}


@pytest.mark.real_data
def test_real_every_judgment_names_a_provision(real):
    graph = real.graph
    for decision in graph.subjects(RDF.type, HRES.Decision):
        assert graph.value(decision, HRES.concernsProvision) is not None, decision
    provisions = set(graph.objects(None, HRES.concernsProvision))
    assert _art("echr-p1", 1) in provisions and _art("echr", 6) in provisions
    for p in provisions:  # articles: type, partOf, label only
        assert set(graph.predicates(p)) == {RDF.type, HRES.partOf, RDFS.label}


@pytest.mark.real_data
def test_real_known_judgment(real):
    graph = real.graph
    d = ID["finding/echr/34159-17"]
    assert (d, RDFS.label, Literal("CASE OF M.L. v. SLOVAKIA (2021-10-14)", lang="en")) in graph
    assert (d, HRES.issuedBy, mechanism("ecthr")) in graph
    assert (d, HRES.issuedDate, Literal("2021-10-14", datatype=XSD.date)) in graph
    assert (d, HRES.concernsState, state("SVK")) in graph
    assert set(graph.objects(d, HRES.concernsProvision)) == {_art("echr", 8)}
    assert (d, HRES.outcome, concept("decision-outcome", "violation")) in graph
    assert (d, DCTERMS.identifier, Literal("34159/17")) in graph
    laduna = ID["finding/echr/31827-02"]  # "Violation of Art. 14+8;No violation of Art. 13;No violation of P1-1"
    assert set(graph.objects(laduna, HRES.concernsProvision)) == {
        _art("echr", 14),
        _art("echr", 8),
        _art("echr", 13),
        _art("echr-p1", 1),
    }


@pytest.mark.real_data
def test_real_is_deterministic(real, state_resolver, data_root):
    assert run_real(hudoc.SOURCE, state_resolver, data_root).triples == real.triples


# --- fixtures (no real data needed) ---------------------------------------------------------


@pytest.fixture()
def tiny_ctx() -> ImportContext:
    names = {"SLOVAKIA": "SVK", "SLOVAQUIE": "SVK", "SWITZERLAND": "CHE", "SUISSE": "CHE", "UKRAINE": "UKR"}
    return context_for(hudoc.SOURCE, tiny_resolver(names))


def test_fixture_sample(tiny_ctx):
    graph = to_graph(hudoc.read_hudoc(FIXTURES / "sample.csv", tiny_ctx))
    decisions = {str(s).split("/echr/")[1] for s in graph.subjects(RDF.type, HRES.Decision)}
    assert decisions == {"12345-18", "12345-18/2", "22222-19", "44444-17", "55555-16"}
    ab = ID["finding/echr/12345-18"]
    assert (ab, RDFS.label, Literal("CASE OF A.B. v. SLOVAKIA (2021-10-14)", lang="en")) in graph  # English row read
    assert set(graph.objects(ab, HRES.concernsProvision)) == {_art("echr", 8)}
    assert set(graph.objects(ID["finding/echr/12345-18/2"], HRES.concernsProvision)) == {
        _art("echr", 5),
        _art("echr-p1", 1),
    }
    xyz = ID["finding/echr/22222-19"]
    assert (xyz, RDFS.label, Literal("AFFAIRE X, Y ET Z c. SUISSE (n° 2) (2020-02-01)", lang="fr")) in graph
    assert set(graph.objects(xyz, DCTERMS.identifier)) == {Literal("22222/19"), Literal("33333/19")}
    assert (xyz, HRES.outcome, concept("decision-outcome", "no-violation")) in graph
    assert set(graph.objects(xyz, HRES.concernsProvision)) == {_art("echr", 6), _art("echr-p1", 1)}
    cd = ID["finding/echr/44444-17"]
    assert set(graph.objects(cd, HRES.concernsState)) == {state("SVK"), state("UKR")}
    assert set(graph.objects(cd, HRES.concernsProvision)) == {_art("echr", 14), _art("echr", 8)}
    ef = ID["finding/echr/55555-16"]
    assert (ef, HRES.outcome, concept("decision-outcome", "other")) in graph
    assert graph.value(ef, HRES.concernsProvision) is None
    assert (ef, HRES.concernsState, state("CHE")) in graph
    counts = tiny_ctx.report.counts
    assert counts["rows"] == 7 and counts["judgments"] == 5
    assert counts["provisions:protocol-without-key"] == 1 and counts["conclusion-items:unparsed"] == 1
    assert any("A conclusion nobody has seen before" in note for note in tiny_ctx.report.notes)


def test_fixture_bad_date(tiny_ctx):
    with pytest.raises(SourceFormatError) as err:
        list(hudoc.read_hudoc(FIXTURES / "bad_date.csv", tiny_ctx))
    assert err.value.path.name == "bad_date.csv"
    assert err.value.line == 3 and err.value.column == "Date"
    assert "31/02/2020" in str(err.value)
