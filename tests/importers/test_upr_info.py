"""upr_info: the UPR Info export (legacy Mac Roman CR layout and the current UHRI layout)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from hres_graph.errors import SourceFormatError
from hres_graph.importers import upr_common as upr
from hres_graph.importers.base import stable_key
from hres_graph.importers.upr_info import SOURCE
from hres_graph.namespaces import HRES, ID, VOCAB, concept, state

from .helpers import ROOT, SOURCES, ImportSummary, run_importer

FIXTURES = SOURCES / "upr-info"
REC = ID["recommendation/upr-info/"]


class Summary(ImportSummary):
    """The shared streaming pass, also counting the themes and the States under review of recommendations."""

    def __init__(self, state_resolver, data_root: Path, keep: set[URIRef]):
        self.themes: Counter = Counter()
        self.sur: set[URIRef] = set()
        super().__init__(
            SOURCE,
            state_resolver,
            data_root,
            keep=lambda s: s in keep or URIRef(str(s).rsplit("/response/", 1)[0]) in keep,
        )

    def observe(self, s, p, o) -> None:
        if p == HRES.theme and s.startswith(REC):
            self.themes[o] += 1
        elif p == HRES.addressedTo and s.startswith(REC):
            self.sur.add(o)


AFG_TEXT = (
    "Enact legislation and take effective measures to protect and promote women's rights, especially "
    "with regard to forced marriages, honour killings and access to education for all girls."
)
AFG = REC + stable_key("5", "Afghanistan", "Austria", AFG_TEXT)


@pytest.fixture(scope="module")
def real(state_resolver, data_root):
    return Summary(state_resolver, data_root, {URIRef(AFG)})


@pytest.mark.real_data
def test_real_counts(real):
    print(f"\nupr-info import: {real.seconds:.1f} s")
    assert real.types[HRES.Recommendation] == 41_066
    assert real.types[HRES.VoluntaryPledge] == 947
    assert real.types[HRES.Response] == 41_066  # pledges have no response
    assert real.status[concept("response-status", "supported")] == 30_472
    assert real.status[concept("response-status", "noted")] == 10_594
    assert real.themes[VOCAB["upr-info-issue/elections"]] == 254
    assert len(real.sur) == 193
    assert real.types[HRES.Review] == 305  # = rows of sessions.csv
    assert real.types[SKOS.Concept] == 54 and real.types[SKOS.ConceptScheme] == 1
    counts = real.report.counts
    assert {n: counts[f"action category {n}"] for n in "12345"} == {
        "4": 16_261,
        "5": 13_772,
        "2": 6_981,
        "3": 3_449,
        "1": 603,
    }
    assert counts["recommendations identical to an earlier row (kept)"] == 3
    assert counts["recommending State coded (Unknown)"] == 9


@pytest.mark.real_data
def test_real_every_resource_typed_and_labelled(real):
    assert real.typed == real.labelled


@pytest.mark.real_data
def test_real_state_names(real):
    # every To and From spelling is a State; '&#40;Unknown&#41;' is handled before resolution
    assert dict(real.report.unresolved) == {}


@pytest.mark.real_data
def test_real_regional_groups_compared(real):
    assert any("regional-group coding" in note for note in real.report.notes)


@pytest.mark.real_data
def test_real_known_recommendation(real):
    g, s = real.kept, URIRef(AFG)
    assert (s, RDF.type, HRES.Recommendation) in g
    assert (s, HRES.text, Literal(AFG_TEXT, lang="en")) in g
    assert (s, HRES.addressedTo, state("AFG")) in g
    assert (s, HRES.recommendingActor, state("AUT")) in g
    assert (s, HRES.issuedBy, ID["mechanism/upr"]) in g
    assert (s, HRES.madeInReview, ID["review/upr/5/AFG"]) in g
    assert (s, HRES.inCycleOf, ID["mechanism/upr/cycle/1"]) in g
    assert (s, HRES.year, upr.year_literal(2009)) in g
    assert (s, HRES.actionCategory, concept("action-category", "5")) in g
    assert set(g.objects(s, HRES.theme)) == {
        VOCAB["upr-info-issue/rights-of-the-child"],
        VOCAB["upr-info-issue/womens-rights"],
    }
    response = URIRef(f"{s}/response/upr-info")
    assert (response, HRES.respondsTo, s) in g
    assert (response, HRES.responseStatus, concept("response-status", "supported")) in g
    assert (response, HRES.respondent, state("AFG")) in g


@pytest.mark.real_data
def test_real_deterministic(real, state_resolver, data_root):
    again = Summary(state_resolver, data_root, set())
    assert again.digest == real.digest


def test_session_years_match_reference():
    graph = Graph().parse(ROOT / "ontology" / "reference" / "mechanisms.ttl")
    for session, number in graph.subject_objects(HRES.sessionNumber):
        n = int(number)
        assert upr.SESSION_YEAR[n] == int(str(graph.value(session, HRES.year))), n
        assert ID[f"mechanism/upr/cycle/{upr.cycle_of(n)}"] == graph.value(session, HRES.inCycle), n


@pytest.mark.real_data
def test_fixture_legacy_mac_roman_cr(state_resolver):
    legacy = run_importer(SOURCE, FIXTURES / "legacy", state_resolver)
    g, ctx = legacy.graph, legacy.ctx
    recs = set(g.subjects(RDF.type, HRES.Recommendation))
    assert len(recs) == 5 and len(set(g.subjects(RDF.type, HRES.VoluntaryPledge))) == 1
    texts = {str(t) for t in g.objects(None, HRES.text)}
    assert "Ratify the convention, in consultation with civil society, and protect the Romé community." in texts
    duplicate = [r for r in recs if str(r).endswith("-2")]
    assert len(duplicate) == 1 and (duplicate[0], HRES.recommendingActor, state("VAT")) in g
    assert (None, HRES.recommendingActor, state("PSE")) in g
    assert (None, HRES.addressedTo, state("GNB")) in g
    assert (None, HRES.madeInReview, ID["review/upr/8/GNB"]) in g
    unknown = next(g.subjects(HRES.text, Literal("Continue its efforts.", lang="en")))
    assert g.value(unknown, HRES.recommendingActor) is None
    pledge = next(g.subjects(RDF.type, HRES.VoluntaryPledge))
    assert g.value(pledge, HRES.issuedBy) == state("SVN") and g.value(pledge, HRES.addressedTo) == state("SVN")
    assert g.value(pledge, HRES.actionCategory) is None and (None, HRES.respondsTo, pledge) not in g
    assert ctx.report.counts["recommending State coded (Unknown)"] == 1
    assert dict(ctx.report.unresolved) == {}


@pytest.mark.real_data
def test_fixture_current_uhri_layout(state_resolver):
    g = run_importer(SOURCE, FIXTURES / "current_uhri_layout.csv", state_resolver).graph
    s = next(g.subjects(HRES.paragraphNumber, Literal("140.7")))
    assert set(g.objects(s, HRES.recommendingActor)) == {state("MDV"), state("PRT")}
    assert (s, HRES.madeInReview, ID["review/upr/48/SVN"]) in g
    assert (s, HRES.inCycleOf, ID["mechanism/upr/cycle/4"]) in g
    assert (s, HRES.year, upr.year_literal(2025)) in g
    assert (s, HRES.sourceDocument, ID["document/a-hrc-59-15"]) in g
    assert {
        VOCAB["sdg/1"],
        VOCAB["sdg/16"],
        VOCAB["affected-persons/public-officials"],
        VOCAB["uhri-theme/economic-social-cultural-rights-general-measures-of-implementation"],
    } <= set(g.objects(s, HRES.theme))
    noted = next(g.subjects(HRES.paragraphNumber, Literal("140.160")))
    assert g.value(noted, HRES.recommendingActor) == state("TUR")  # 'Türkiye', UTF-8
    assert (URIRef(f"{noted}/response/upr-info"), HRES.responseStatus, concept("response-status", "noted")) in g


@pytest.mark.real_data
def test_fixture_unknown_response(state_resolver):
    with pytest.raises(SourceFormatError) as error:
        run_importer(SOURCE, FIXTURES / "bad_response.csv", state_resolver)
    err = error.value
    assert err.path.name == "bad_response.csv" and err.line == 3 and err.column == "Response"
    assert "Acepted" in err.problem and "Accepted, Noted, Voluntary Pledge" in err.hint


@pytest.mark.real_data
def test_fixture_unknown_header(state_resolver):
    with pytest.raises(SourceFormatError) as error:
        run_importer(SOURCE, FIXTURES / "unknown_header.csv", state_resolver)
    err = error.value
    assert err.path.name == "unknown_header.csv" and err.line == 1
    assert "To-Rgrp" in err.hint and "State under Review or Countries Concerned" in err.hint
