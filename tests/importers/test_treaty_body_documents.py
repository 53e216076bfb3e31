"""The UNHRD documents importer: General Comments, special-procedures reports, treaty-body decisions."""

from __future__ import annotations

from collections import Counter

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from hres_graph.errors import SourceFormatError
from hres_graph.importers import treaty_body_documents as tbd
from hres_graph.importers._citations import resolve
from hres_graph.importers.base import ImportContext
from hres_graph.namespaces import HRES, ID, concept, instrument, mechanism, state

from .helpers import SOURCES, context_for, run_real, tiny_resolver, to_graph

FIXTURES = SOURCES / "un-documents"


def _typed(graph: Graph, cls) -> set:
    return set(graph.subjects(RDF.type, cls))


@pytest.fixture(scope="module")
def real(state_resolver, data_root):
    return run_real(tbd.SOURCE, state_resolver, data_root)


@pytest.mark.real_data
def test_real_counts_per_kind(real):
    ctx, graph = real.ctx, real.graph
    counts = ctx.report.counts
    assert counts["general-comments"] == 187
    assert len(_typed(graph, HRES.GeneralComment)) == 186  # + CCPR GC 25 = reference data's hrc-gc-25
    assert {k.split(":")[1]: v for k, v in counts.items() if k.startswith("general-comments:")} == {
        "cedaw": 40,
        "ccpr": 37,
        "cerd": 37,
        "cescr": 27,
        "crc": 26,
        "crpd": 8,
        "cmw": 6,
        "cat": 4,
        "spt": 1,
        "ced": 1,
    }
    assert counts["reports"] == 335 == len(_typed(graph, HRES.Document))
    assert counts["reports:mandate-linked"] == 45 and counts["reports:mandate-literal"] == 290
    assert len(set(graph.subjects(HRES.issuedBy, mechanism("sr-expression")))) == 45
    assert counts["decisions"] == 3104 == len(_typed(graph, HRES.Decision))
    assert (counts["decisions:ccpr"], counts["decisions:cedaw"], counts["decisions:crpd"]) == (2849, 167, 88)
    assert counts["decisions:dated"] == 1919 and counts["decisions:no-country"] == 85


@pytest.mark.real_data
def test_real_outcomes(real):
    ctx, graph = real.ctx, real.graph
    # violation_found 857; merits_no_violation 352; inadmissible 816; discontinued 356;
    # views 352 + other 337 + decision 34 = other 723
    expected = {"violation": 857, "no-violation": 352, "inadmissible": 816, "discontinued": 356, "other": 723}
    assert {k[8:]: v for k, v in ctx.report.counts.items() if k.startswith("outcome:")} == expected
    assert Counter(str(o).rsplit("/", 1)[1] for o in graph.objects(None, HRES.outcome)) == expected


@pytest.mark.real_data
def test_real_every_country_resolves(real):
    ctx, graph = real.ctx, real.graph
    assert dict(ctx.report.unresolved) == {}  # 115 names, incl. the UK's "(Crown Dependencies)" etc.
    assert len(set(graph.subjects(HRES.concernsState, None))) == 3104 - 85


@pytest.mark.real_data
def test_real_citations(real):
    ctx, graph = real.ctx, real.graph
    counts = ctx.report.counts
    assert (counts["citations:resolved"], counts["citations:ambiguous"], counts["citations:out-of-range"]) == (
        1805,
        4273,
        148,
    )
    assert counts.get("citations:unparsed", 0) == 0
    assert len(set(graph.subjects(HRES.concernsProvision, None))) == 1073
    d = ID["finding/un-decision/ccpr-c-100-d-1507-2006-rev-1"]  # cites only "Art. 3": ICCPR or OP1
    assert graph.value(d, HRES.concernsProvision) is None


@pytest.mark.real_data
def test_real_known_decision(real):
    graph = real.graph
    d = ID["finding/un-decision/ccpr-c-100-d-1507-2006-rev-1"]
    assert (d, RDFS.label, Literal("CCPR, Communication No. 1507/2006 (Greece)", lang="en")) in graph
    assert (d, HRES.issuedBy, mechanism("ccpr")) in graph
    assert (d, HRES.concernsState, state("GRC")) in graph
    assert (d, HRES.outcome, concept("decision-outcome", "no-violation")) in graph
    assert (d, HRES.unSymbol, Literal("CCPR/C/100/D/1507/2006/REV.1")) in graph
    assert graph.value(d, DCTERMS.source).startswith("https://tbinternet.ohchr.org/")


@pytest.mark.real_data
def test_real_general_comments(real):
    graph = real.graph
    gc34 = instrument("gc-ccpr-34")
    assert (gc34, RDF.type, HRES.GeneralComment) in graph
    assert (gc34, HRES.adoptedBy, mechanism("ccpr")) in graph
    assert (gc34, HRES.unSymbol, Literal("CCPR/C/GC/34")) in graph
    assert (gc34, HRES.adoptionDate, Literal("2011-09-12", datatype=XSD.date)) in graph
    assert (gc34, HRES.interprets, URIRef(f"{instrument('iccpr')}/art/19")) in graph
    assert (
        gc34,
        RDFS.label,
        Literal("CCPR General Comment No. 34: Article 19: Freedoms of opinion and expression", lang="en"),
    ) in graph
    # CCPR GC 25 is reference data's hrc-gc-25: only facts reference data lacks
    gc25 = instrument("hrc-gc-25")
    assert (instrument("gc-ccpr-25"), None, None) not in graph
    assert set(graph.predicates(gc25)) == {DCTERMS.source, HRES.interprets}
    assert set(graph.objects(gc25, HRES.interprets)) == {URIRef(f"{instrument('iccpr')}/art/1")}
    # joint GC: both committees, both symbols; CAT-OP is the SPT
    joint = instrument("gc-cmw-7")
    assert set(graph.objects(joint, HRES.adoptedBy)) == {mechanism("cmw"), mechanism("cerd")}
    assert set(graph.objects(joint, HRES.unSymbol)) == {Literal("CMW/C/GC/7"), Literal("CERD/C/GC/38")}
    assert (instrument("gc-spt-1"), HRES.interprets, URIRef(f"{instrument('opcat')}/art/4")) in graph
    assert (instrument("gc-cedaw-30-add-1"), RDF.type, HRES.GeneralComment) in graph
    assert (instrument("gc-crc-22"), HRES.adoptedBy, mechanism("cmw")) in graph  # joint CMW 3 / CRC 22


@pytest.mark.real_data
def test_real_report(real):
    graph = real.graph
    doc = ID["document/a-50-440"]
    assert (doc, RDF.type, HRES.Document) in graph
    assert (doc, HRES.unSymbol, Literal("A/50/440")) in graph
    assert (doc, HRES.year, Literal("1995", datatype=XSD.gYear)) in graph
    assert (doc, DCTERMS.creator, Literal("SR Freedom of Religion or Belief")) in graph


@pytest.mark.real_data
def test_real_is_deterministic(real, state_resolver, data_root):
    assert run_real(tbd.SOURCE, state_resolver, data_root).triples == real.triples


# --- fixtures (no real data needed) ---------------------------------------------------------


@pytest.fixture()
def tiny_ctx() -> ImportContext:
    names = {"Greece": "GRC", "United Kingdom of Great Britain and Northern Ireland (Crown Dependencies)": "GBR"}
    return context_for(tbd.SOURCE, tiny_resolver(names))


def test_fixture_sample(tiny_ctx):
    graph = to_graph(tbd.read_treaty_body_documents(FIXTURES / "sample.json", tiny_ctx))
    assert len(_typed(graph, HRES.GeneralComment)) == 4 and len(_typed(graph, HRES.Document)) == 2
    assert len(_typed(graph, HRES.Decision)) == 4
    assert set(graph.predicates(instrument("hrc-gc-25"))) == {DCTERMS.source, HRES.interprets}
    assert (instrument("gc-cescr-4"), HRES.interprets, URIRef(f"{instrument('icescr')}/art/11")) in graph
    assert (instrument("gc-spt-1"), HRES.year, Literal("2024", datatype=XSD.gYear)) in graph
    assert set(graph.objects(instrument("gc-ccpr-10"), HRES.interprets)) == {URIRef(f"{instrument('iccpr')}/art/19")}
    assert (ID["document/a-hrc-14-23"], HRES.issuedBy, mechanism("sr-expression")) in graph
    assert (ID["document/a-hrc-19-61"], DCTERMS.creator, Literal("SR Torture")) in graph
    assert (ID["document/a-hrc-19-61"], HRES.reportDate, Literal("2012-03-05", datatype=XSD.date)) in graph
    d1 = ID["finding/un-decision/ccpr-c-126-d-2500-2014"]
    assert set(graph.objects(d1, HRES.concernsProvision)) == {
        URIRef(f"{instrument('iccpr-op1')}/art/5"),
        URIRef(f"{instrument('iccpr')}/art/25"),
        URIRef(f"{instrument('iccpr')}/art/4"),
    }
    assert (d1, HRES.issuedDate, Literal("2019-07-26", datatype=XSD.date)) in graph
    d2 = ID["finding/un-decision/cedaw-c-70-d-90-2015"]
    assert (d2, HRES.concernsState, state("GBR")) in graph
    assert (d2, HRES.outcome, concept("decision-outcome", "other")) in graph
    assert set(graph.objects(d2, HRES.concernsProvision)) == {
        URIRef(f"{instrument('cedaw-op')}/art/7"),
        URIRef(f"{instrument('cedaw')}/art/16"),
    }
    d3 = ID["finding/un-decision/crpd-c-20-d-j-1"]
    assert (d3, RDFS.label, Literal("CRPD, Joint consideration No. 1: a fixture", lang="en")) in graph
    assert graph.value(d3, HRES.concernsState) is None and graph.value(d3, HRES.issuedDate) is None
    assert dict(tiny_ctx.report.unresolved) == {"Narnia": ["sample.json:35"]}  # the line its record starts on
    assert tiny_ctx.report.counts["gc-articles-unresolved"] == 1  # "Art. 99" of the ICCPR


def test_citation_rules():
    assert resolve("CCPR", "Art. 5(4)") == ("iccpr-op1", "5", "resolved")
    assert resolve("CCPR", "Art. 5(1)") == (None, "5", "ambiguous")
    assert resolve("CCPR", "Art. 2(3)") == ("iccpr", "2", "resolved")
    assert resolve("CCPR", "Art. 2") == (None, "2", "ambiguous")
    assert resolve("CCPR", "Art. 35") == (None, "35", "out-of-range")
    assert resolve("CEDAW", "Art. 4(2)(e)") == ("cedaw-op", "4", "resolved")
    assert resolve("CRPD", "Art. 5(3)") == ("crpd", "5", "resolved")
    assert resolve("CRPD", "Art. 29") == ("crpd", "29", "resolved")


def test_fixture_unknown_outcome(tiny_ctx):
    with pytest.raises(SourceFormatError) as err:
        list(tbd.read_treaty_body_documents(FIXTURES / "unknown_outcome.json", tiny_ctx))
    assert err.value.path.name == "unknown_outcome.json" and err.value.line == 4
    assert "friendly_settlement" in str(err.value)


def test_fixture_truncated_json(tiny_ctx):
    with pytest.raises(SourceFormatError) as err:
        list(tbd.read_treaty_body_documents(FIXTURES / "truncated.json", tiny_ctx))
    assert err.value.path.name == "truncated.json"
    assert (err.value.line, err.value.column) == (5, 40)  # the cut string meets the line end
    assert "invalid JSON" in str(err.value)


def test_streaming_reader_across_chunk_boundaries(tiny_ctx, monkeypatch):
    """Records split across read chunks give the same triples and the same line numbers."""
    from hres_graph.importers import _json_records

    whole = list(tbd.read_treaty_body_documents(FIXTURES / "sample.json", tiny_ctx))
    monkeypatch.setattr(_json_records, "_CHUNK", 7)
    ctx = context_for(tbd.SOURCE, tiny_ctx.states)
    assert list(tbd.read_treaty_body_documents(FIXTURES / "sample.json", ctx)) == whole
    assert dict(ctx.report.unresolved) == {"Narnia": ["sample.json:35"]}
    with pytest.raises(SourceFormatError) as err:
        list(tbd.read_treaty_body_documents(FIXTURES / "truncated.json", ctx))
    assert (err.value.line, err.value.column) == (5, 40)
