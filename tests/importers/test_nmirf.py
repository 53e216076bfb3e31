"""importers.nmirf: follow-up mechanisms of 83 States, their classification and scores."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from rdflib import Literal
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from hres_graph.errors import SourceFormatError
from hres_graph.importers.nmirf import SCHEME, SOURCE, followup
from hres_graph.importers.state_names import StateResolver
from hres_graph.namespaces import HRES, concept, state

from .helpers import SOURCES, context_for, run_real, to_graph

FIXTURES = SOURCES
SCHEME_ID = "nmirf-classification"


@pytest.fixture(scope="module")
def real(data_root, state_resolver):
    return run_real(SOURCE, state_resolver, data_root)


@pytest.mark.real_data
def test_counts(real):
    g, report = real.graph, real.report
    assert Counter(g.objects(None, RDF.type)) == {HRES.FollowUpMechanism: 83, SKOS.Concept: 5, SKOS.ConceptScheme: 1}
    assert len(set(g.objects(None, HRES.followUpMechanismOf))) == 83
    classes = Counter(g.objects(None, DCTERMS.type))
    assert classes == {
        concept(SCHEME_ID, "nmirf"): 38,
        concept(SCHEME_ID, "single-inter-ministerial"): 18,
        concept(SCHEME_ID, "ad-hoc-inter-ministerial"): 16,
        concept(SCHEME_ID, "hybrid"): 6,
        concept(SCHEME_ID, "single-ministerial"): 5,
    }
    assert {k: report.counts[f"group:{k}"] for k in ("AG", "APG", "GRULAC", "WEOG", "EEG")} == {
        "AG": 24,
        "APG": 21,
        "GRULAC": 17,
        "WEOG": 13,
        "EEG": 8,
    }
    assert report.counts["with-y-scores"] == 83
    assert len(set(g.objects(None, HRES.score))) > 1


@pytest.mark.real_data
def test_resolution_and_checks(real):
    g, report = real.graph, real.report
    assert dict(report.unresolved) == {}  # resolved by the ISO column
    assert report.counts["name-not-matching-code"] == 1  # "RoK" (KOR): ambiguous name, the code decides
    assert (followup("KOR"), HRES.followUpMechanismOf, state("KOR")) in g
    assert report.counts["group-disagreements"] == 0  # same groups as the corrected states source
    assert report.counts["score-mismatches"] == 4  # weighted score is not sum/3 for ECU, SWZ, KIR, MUS
    # upr_sessions.csv agrees with every session year the PROVENANCE files state (1-20, 34, 48).
    assert report.counts["upr-sessions"] == 53 and report.counts["session-years-checked"] == 22
    assert report.counts["session-year-disagreements"] == 0


@pytest.mark.real_data
def test_known_mechanism(real):
    g = real.graph
    afg = followup("AFG")
    assert (afg, RDF.type, HRES.FollowUpMechanism) in g
    assert (afg, DCTERMS.type, concept(SCHEME_ID, "hybrid")) in g
    assert (afg, HRES.score, Literal(Decimal("7.33"), datatype=XSD.decimal)) in g
    notes = {str(n) for n in g.objects(afg, SKOS.note)}
    assert any(n.startswith("URG annex 2, participation scores: Parliament: 3; Judiciary: 0;") for n in notes)
    assert any("Weighted participation score: 3.33" in n for n in notes)
    assert any("Total Y Points: 5" in n for n in notes)
    assert (concept(SCHEME_ID, "hybrid"), SKOS.inScheme, SCHEME) in g
    for s in set(g.subjects(RDF.type, None)):
        assert len([lbl for lbl in g.objects(s, RDFS.label) if lbl.language == "en"]) == 1, s


@pytest.mark.real_data
def test_deterministic(real, data_root, state_resolver):
    assert run_real(SOURCE, state_resolver, data_root).triples == real.triples


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture()
def fixture_ctx():
    resolver = StateResolver.from_internacia(FIXTURES / "states" / "countries")
    return context_for(SOURCE, resolver, source_paths={"states": FIXTURES / "states"})


def test_fixture_folder(fixture_ctx):
    g = to_graph(SOURCE.read(FIXTURES / SOURCE.id, fixture_ctx))
    report = fixture_ctx.report
    assert len(set(g.subjects(RDF.type, HRES.FollowUpMechanism))) == 3
    assert report.counts["name-not-matching-code"] == 1  # "RoA"
    assert report.counts["group-disagreements"] == 1  # Armenia marked APG; EEG in the states source
    assert report.counts["score-mismatches"] == 1  # Guinea-Bissau's total
    assert report.counts["session-year-disagreements"] == 1  # session 2 dated 2009
    assert any("HKG" in n and "not imported" in n for n in report.notes)
    svn_notes = " ".join(str(n) for n in g.objects(followup("SVN"), SKOS.note))
    assert "Statistics: not scored" in svn_notes and "Budget: -1" in svn_notes


def test_single_file(fixture_ctx):
    g = to_graph(SOURCE.read(FIXTURES / SOURCE.id / "NMIRF_status.csv", fixture_ctx))
    assert len(set(g.subjects(RDF.type, HRES.FollowUpMechanism))) == 3
    assert fixture_ctx.report.counts["upr-sessions"] == 0  # only the given file is read


def test_bad_score_names_line_and_column(fixture_ctx):
    with pytest.raises(SourceFormatError) as info:
        list(SOURCE.read(FIXTURES / SOURCE.id / "bad-score", fixture_ctx))
    assert (info.value.path.name, info.value.line, info.value.column) == ("NMIRF_status.csv", 3, "Parliament")
    assert "'three'" in str(info.value)
