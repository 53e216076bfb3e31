"""uhri_matrices: OHCHR UPR thematic lists of recommendations for Slovenia (flat CSV and the DOCX originals)."""

from __future__ import annotations

from collections import Counter

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from hres_graph.errors import SourceFormatError
from hres_graph.importers.uhri_matrices import SOURCE
from hres_graph.namespaces import HRES, ID, VOCAB, concept, state

from .helpers import SOURCES, run_importer, run_real

FIXTURES = SOURCES / "upr-matrices-slovenia"


def _rec(session: int, paragraph: str) -> URIRef:
    return ID[f"recommendation/upr-{session}-svn/{paragraph}"]


@pytest.fixture(scope="module")
def real(state_resolver, data_root):
    return run_real(SOURCE, state_resolver, data_root)


@pytest.mark.real_data
def test_real_counts(real):
    g, ctx = real.graph, real.ctx
    recs = set(g.subjects(RDF.type, HRES.Recommendation))
    assert len(recs) == 632
    by_cycle = Counter(
        (
            str(g.value(r, HRES.inCycleOf)).rsplit("/", 1)[1],
            str(g.value(URIRef(f"{r}/response/{SOURCE.id}"), HRES.responseStatus)).rsplit("/", 1)[1],
        )
        for r in recs
    )
    assert by_cycle == {
        ("2", "supported"): 142,
        ("2", "noted"): 21,
        ("3", "supported"): 182,
        ("3", "noted"): 33,
        ("4", "supported"): 217,
        ("4", "noted"): 37,
    }
    assert {str(g.value(r, HRES.year)) for r in recs} == {"2014", "2019", "2025"}
    assert set(g.subjects(RDF.type, HRES.Review)) == {
        ID["review/upr/20/SVN"],
        ID["review/upr/34/SVN"],
        ID["review/upr/48/SVN"],
    }
    # the empty assessment column is not an assessment
    assert ctx.report.counts["assessment cells empty"] == 163 + 215
    assert not set(g.subjects(RDF.type, HRES.ImplementationAssessment))
    schemes = Counter(str(s).rsplit("/", 1)[1] for s in g.objects(None, SKOS.inScheme))
    assert schemes == {"uhri-theme": 114, "affected-persons": 34, "sdg": 14}
    assert len(set(g.subjects(RDF.type, SKOS.ConceptScheme))) == 3
    assert ctx.report.counts["recommendations without a recommending State"] == 0


@pytest.mark.real_data
def test_real_every_resource_typed_and_labelled(real):
    g = real.graph
    assert set(g.subjects(RDF.type, None)) == set(g.subjects(RDFS.label, None))


@pytest.mark.real_data
def test_real_state_names(real):
    assert dict(real.report.unresolved) == {}


@pytest.mark.real_data
def test_real_known_records(real):
    g = real.graph
    s = _rec(20, "115.1")
    assert (s, HRES.paragraphNumber, Literal("115.1")) in g
    assert (s, HRES.recommendingActor, state("HRV")) in g
    assert (s, HRES.madeInReview, ID["review/upr/20/SVN"]) in g
    assert (s, HRES.sourceDocument, ID["document/a-hrc-28-15"]) in g
    assert (s, HRES.theme, VOCAB["uhri-theme/acceptance-of-international-norms"]) in g
    assert (VOCAB["uhri-theme/acceptance-of-international-norms"], SKOS.notation, Literal("A12")) in g
    response = URIRef(f"{s}/response/{SOURCE.id}")
    assert (response, HRES.sourceDocument, ID["document/a-hrc-28-15-add-1"]) in g
    assert (response, DCTERMS.source, Literal("A/HRC/28/15/Add.1 - Para. 3")) in g
    assert (ID["document/a-hrc-28-15-add-1"], HRES.unSymbol, Literal("A/HRC/28/15/Add.1")) in g
    assert set(g.objects(_rec(20, "115.3"), HRES.recommendingActor)) == {state("PRT"), state("SVK")}
    assert set(g.objects(_rec(34, "121.1"), HRES.recommendingActor)) == {state("FRA"), state("LTU")}
    assert set(g.objects(_rec(34, "121.2"), HRES.recommendingActor)) == {state("UKR"), state("SVK")}
    assert {VOCAB["sdg/16"], VOCAB["affected-persons/disappeared-persons"]} <= set(
        g.objects(_rec(34, "121.1"), HRES.theme)
    )
    cycle4 = _rec(48, "140.7")
    assert set(g.objects(cycle4, HRES.recommendingActor)) == {state("MDV"), state("PRT")}
    assert (cycle4, HRES.theme, VOCAB["sdg/1"]) in g
    assert (cycle4, HRES.theme, VOCAB["affected-persons/public-officials"]) in g
    assert (URIRef(f"{cycle4}/response/{SOURCE.id}"), HRES.responseStatus, concept("response-status", "supported")) in g


@pytest.mark.real_data
def test_real_docx_gives_the_same_records(real, state_resolver, data_root, tmp_path):
    # a folder with the three DOCX matrices and no flat CSV is read from the DOCX files
    for docx in (data_root / SOURCE.default_path).glob("*.docx"):
        (tmp_path / docx.name).symlink_to(docx)
    from_docx = run_importer(SOURCE, tmp_path, state_resolver).graph
    assert set(from_docx) == set(real.graph)
    # one DOCX file on its own gives the records of its cycle
    one = run_importer(
        SOURCE, data_root / SOURCE.default_path / "UPR20_Slovenia_ThematicListRecommendations_E.docx", state_resolver
    ).graph
    assert len(set(one.subjects(RDF.type, HRES.Recommendation))) == 163


@pytest.mark.real_data
def test_real_deterministic(real, state_resolver, data_root):
    assert set(run_real(SOURCE, state_resolver, data_root).graph) == set(real.graph)


@pytest.mark.real_data
def test_fixture_small_matrix(state_resolver):
    small = run_importer(SOURCE, FIXTURES / "small_matrix.csv", state_resolver)
    g, ctx = small.graph, small.ctx
    nested = _rec(34, "121.9")  # '(CRPD) (Venezuela (Bolivarian Republic of)) (Canada);'
    assert set(g.objects(nested, HRES.recommendingActor)) == {state("VEN"), state("CAN")}
    assert (URIRef(f"{nested}/response/{SOURCE.id}"), HRES.responseStatus, concept("response-status", "noted")) in g
    several = _rec(34, "121.10")  # two recommendations in one cell; '(2009–2014)' is not a State
    assert set(g.objects(several, HRES.recommendingActor)) == {state("UKR"), state("SEN"), state("SLE"), state("PER")}
    assert (several, HRES.theme, VOCAB["affected-persons/general"]) in g
    assert (several, HRES.sourceDocument, ID["document/a-hrc-43-15"]) in g
    assert dict(ctx.report.unresolved) == {}


@pytest.mark.real_data
def test_fixture_unknown_position(state_resolver):
    with pytest.raises(SourceFormatError) as error:
        run_importer(SOURCE, FIXTURES / "bad_position.csv", state_resolver)
    err = error.value
    assert err.path.name == "bad_position.csv" and err.line == 2 and err.column == "position"
    assert "Suported" in err.problem and "Supported, Noted" in err.hint
