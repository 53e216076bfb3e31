"""upr_wg_reports: the working-group report parse, its encodings, decisions and links to UPR Info."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from hres_graph.errors import SourceFormatError
from hres_graph.importers._wg_text import repair
from hres_graph.importers.base import stable_key
from hres_graph.importers.upr_wg_reports import SOURCE
from hres_graph.namespaces import HRES, ID, concept, state

from .helpers import SOURCES, ImportSummary, run_importer

FIXTURES = SOURCES
WG_FIXTURES = FIXTURES / "upr-wg-reports"
LINK_FLOOR = 0.96  # measured on the real data: 97.3 % (38,280 of 39,327)


def _wg_iri(year: int, to: str, from_: str, text: str) -> URIRef:
    return ID[f"recommendation/upr-wg/{year}-{stable_key(str(year), to, from_, ' '.join(text.split()))}"]


ALB = _wg_iri(
    2010,
    "albania",
    "Canada",
    "67.1   Consider signing the Convention on the Rights of Persons with Disabilities (CRPD) (Canada);",
)
MWI = _wg_iri(
    2011,
    "malawi",
    "Austria",
    "102.3. Enact the Legal Education and Legal Practitioners Amendment Bill and the Legal Aid Bill "
    "currently pending before Parliament (Austria);",
)


def _recommendation(s) -> URIRef:
    """The recommendation a response or an assessment belongs to; any other subject itself."""
    return URIRef(str(s).split("/response/")[0].split("/assessment/")[0])


@pytest.fixture(scope="module")
def real(state_resolver, data_root):
    return ImportSummary(SOURCE, state_resolver, data_root, keep=lambda s: _recommendation(s) in {ALB, MWI})


@pytest.mark.real_data
def test_real_counts(real):
    print(f"\nupr-wg-reports import with linking: {real.seconds:.1f} s")
    c = real.report.counts
    assert {
        d: c[f"decision {d}"] for d in ("consider", "support", "implemented", "reject", "noted", "implement", "unknown")
    } == {
        "consider": 20_294,
        "support": 13_376,
        "implemented": 3_508,
        "reject": 1_956,
        "noted": 72,
        "implement": 71,
        "unknown": 50,
    }
    assert {
        f: c[f"rows in {f}"]
        for f in (
            "2008data.csv",
            "2009data.csv",
            "2010data.csv",
            "2011data.csv",
            "2012data.csv",
            "2013data.csv",
            "2014data.csv",
            "haiti2011.csv",
        )
    } == {
        "2008data.csv": 1_024,
        "2009data.csv": 4_195,
        "2010data.csv": 6_044,
        "2011data.csv": 8_628,
        "2012data.csv": 4_222,
        "2013data.csv": 7_379,
        "2014data.csv": 7_699,
        "haiti2011.csv": 136,
    }
    assert real.types[HRES.Recommendation] == 39_327
    assert real.types[HRES.Response] == 39_327 - 50  # 'unknown' gets no response
    assert real.types[HRES.ImplementationAssessment] == 3_508  # 'implement' is not an assessment
    assert real.status == {
        concept("response-status", "supported"): 13_376 + 3_508 + 71,
        concept("response-status", "pending"): 20_294,
        concept("response-status", "rejected"): 1_956,
        concept("response-status", "noted"): 72,
    }
    assert c["recommending State from joint"] == 2 and c["recommending State from none"] == 12


@pytest.mark.real_data
def test_real_link_rate(real):
    c = real.report.counts
    rate = (c["linked exact"] + c["linked fuzzy"]) / c["recommendations"]
    print(f"\nlinked to UPR Info: {rate:.1%} ({c['linked exact']:,} exact, {c['linked fuzzy']:,} fuzzy)")
    assert rate > LINK_FLOOR
    assert any(note.startswith("linked ") for note in real.report.notes)


@pytest.mark.real_data
def test_real_state_names(real):
    # every `to` resolves; of the `From` values only the parse error 'moratorium' is not a State
    assert set(real.report.unresolved) == {"moratorium"}


@pytest.mark.real_data
def test_real_every_resource_typed_and_labelled(real):
    assert real.typed == real.labelled


@pytest.mark.real_data
def test_real_known_records(real):
    g = real.kept
    assert (
        ALB,
        HRES.text,
        Literal("Consider signing the Convention on the Rights of Persons with Disabilities (CRPD)", lang="en"),
    ) in g
    assert (ALB, HRES.paragraphNumber, Literal("67.1")) in g
    assert (ALB, HRES.addressedTo, state("ALB")) in g and (ALB, HRES.recommendingActor, state("CAN")) in g
    assert (ALB, HRES.madeInReview, ID["review/upr/6/ALB"]) in g  # reviewed Dec 2009, report 2010
    assert g.value(ALB, HRES.sameRecommendationAs).startswith(ID["recommendation/upr-info/"])
    assessment = URIRef(f"{MWI}/assessment/upr-wg")
    assert (assessment, RDF.type, HRES.ImplementationAssessment) in g
    assert (assessment, HRES.implementationStatus, concept("implementation-status", "reported-implemented")) in g
    assert (assessment, HRES.assessor, state("MWI")) in g
    assert (
        assessment,
        HRES.evidence,
        Literal("Malawi considers that the first part of recommendation 3 above has already been implemented."),
    ) in g
    assert set(g.objects(assessment, HRES.assesses)) == {MWI}  # exactly one; UPR Info via sameRecommendationAs
    assert g.value(MWI, HRES.sameRecommendationAs).startswith(ID["recommendation/upr-info/"])


@pytest.mark.real_data
def test_real_deterministic(real, state_resolver, data_root):
    again = ImportSummary(SOURCE, state_resolver, data_root)
    assert again.digest == real.digest


def test_repair_reencoded_text():
    assert repair("AfghanistanÕs", 1) == "Afghanistan’s"  # one round
    assert repair("childrenÍs rights ÒallÓ", 2) == "children’s rights “all”"  # two rounds
    assert repair("C™te dÕIvoire", 1) == "Côte d’Ivoire"
    assert repair("Guaran’ Kaiow‡", 1) == "Guaraní Kaiowá"
    assert repair("Curaçao, vis-à-vis", 1) == "Curaçao, vis-à-vis"  # genuine letters stay
    assert repair("Afghanistan’s", 0) == "Afghanistan’s"


@pytest.mark.real_data
def test_fixture_crlf_and_linking(state_resolver):
    wg = run_importer(
        SOURCE, WG_FIXTURES / "wg", state_resolver, source_paths={"upr-info": FIXTURES / "upr-info" / "legacy"}
    )
    g, ctx = wg.graph, wg.ctx
    assert len(set(g.subjects(RDF.type, HRES.Recommendation))) == 8
    france = next(g.subjects(HRES.recommendingActor, state("FRA")))
    assert (france, HRES.paragraphNumber, Literal("115.1")) in g
    assert str(g.value(france, HRES.sameRecommendationAs)).startswith(ID["recommendation/upr-info/"])
    holy_see = next(g.subjects(HRES.recommendingActor, state("VAT")))  # fuzzy: one word differs
    linked = g.value(holy_see, HRES.sameRecommendationAs)
    assert linked is not None and not str(linked).endswith("-2")  # the first of two equal rows
    assessment = URIRef(f"{holy_see}/assessment/upr-wg")
    assert set(g.objects(assessment, HRES.assesses)) == {holy_see}
    assert (
        str(g.value(assessment, HRES.evidence)) == "Slovenia’s local elections were held in 2014 (Côte d’Ivoire asked)."
    )  # re-encoding repaired
    joint = next(g.subjects(HRES.recommendingActor, state("ECU")))
    assert (joint, HRES.recommendingActor, state("ESP")) in g
    assert (joint, HRES.text, Literal("Ratify the Optional Protocol (CRPD)", lang="en")) in g
    assert (None, HRES.recommendingActor, state("ARG")) in g and (None, HRES.recommendingActor, state("CHL")) in g
    assert (None, HRES.recommendingActor, state("PRT")) in g  # From 'moratorium', read from text
    slovakia = next(g.subjects(HRES.recommendingActor, state("SVK")))
    assert (slovakia, HRES.madeInReview, ID["review/upr/20/SVN"]) in g  # report year 2015 -> session 20
    no_state = next(g.subjects(HRES.paragraphNumber, Literal("115.4")))
    assert g.value(no_state, HRES.recommendingActor) is None  # 'NA' is not Namibia
    assert (URIRef(f"{no_state}/response/upr-wg"), None, None) not in g  # decision unknown
    implement = next(g.subjects(HRES.paragraphNumber, Literal("88.1")))  # haiti-style header, CR only
    assert (URIRef(f"{implement}/response/upr-wg"), HRES.responseStatus, concept("response-status", "supported")) in g
    assert (URIRef(f"{implement}/assessment/upr-wg"), None, None) not in g
    assert set(ctx.report.unresolved) == {"moratorium"}


@pytest.mark.real_data
@pytest.mark.parametrize(
    "name, line, column, words",
    [("shifted_column.csv", 3, None, "7 fields where the header has 6"), ("bad_decision.csv", 2, "decision", "suport")],
)
def test_fixture_errors(state_resolver, name, line, column, words):
    with pytest.raises(SourceFormatError) as error:
        run_importer(SOURCE, WG_FIXTURES / name, state_resolver)
    err = error.value
    assert err.path.name == name and err.line == line and err.column == column and words in err.problem
    if column == "decision":
        assert "support, consider, reject, noted, implement, implemented, unknown" in err.hint
