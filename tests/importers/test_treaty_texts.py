"""The UN treaty-texts importer: counts from PROVENANCE.md, paragraph IRIs shared with reference data, errors."""

from __future__ import annotations

from collections import Counter

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from hres_graph.errors import SourceFormatError
from hres_graph.importers import treaty_texts
from hres_graph.namespaces import HRES, concept, instrument

from .helpers import ROOT, SOURCES, run_importer, run_real

FIXTURES = SOURCES / "treaty-texts"

# PROVENANCE.md: articles and paragraph items per file (file stem -> canonical key)
PROVENANCE = {
    "iccpr": (53, 175),
    "iccpr-op1": (14, 14),
    "iccpr-op2": (11, 11),
    "icescr": (31, 86),
    "icescr-op": (22, 22),
    "icerd": (25, 91),
    "cedaw": (30, 105),
    "cedaw-op": (21, 50),
    "cat": (33, 101),
    "opcat": (37, 116),
    "crc": (54, 179),
    "crc-opac": (13, 19),
    "crc-opsc": (17, 76),
    "crc-opic": (24, 24),
    "icmw": (93, 333),
    "cped": (45, 180),
    "crpd": (50, 57),
    "crpd-op": (18, 38),
}
# Paragraphs minted per instrument, measured (CRPD and most protocols hold an article in one item).
PARAGRAPHS = {
    "cat": 83,
    "cped": 164,
    "cedaw-op": 41,
    "cedaw": 101,
    "icerd": 78,
    "icmw": 298,
    "crc-opac": 2,
    "crc-opsc": 72,
    "crc": 154,
    "crpd-op": 27,
    "iccpr": 160,
    "icescr": 70,
    "opcat": 99,
}


def _p(local: str) -> URIRef:
    return URIRef(f"{instrument(local.split('/')[0])}/{local.split('/', 1)[1]}")


@pytest.fixture(scope="module")
def real(data_root):
    return run_real(treaty_texts.SOURCE, None, data_root)


@pytest.mark.real_data
def test_real_articles_per_instrument_match_provenance(real, data_root):
    ctx, graph = real.ctx, real.graph
    articles = Counter(
        str(o).rsplit("/", 1)[1] for s, o in graph.subject_objects(HRES.partOf) if (s, RDF.type, HRES.Article) in graph
    )
    assert dict(articles) == {key: n for key, (n, _) in PROVENANCE.items()}
    assert ctx.report.counts["articles"] == 591
    assert ctx.report.counts["items"] == sum(items for _, items in PROVENANCE.values()) == 1677
    assert articles["iccpr"] == 53
    # every file numbers its articles 1..n
    for key, (n, _) in PROVENANCE.items():
        assert {URIRef(f"{instrument(key)}/art/{i}") for i in range(1, n + 1)} <= set(
            graph.subjects(RDF.type, HRES.Article)
        )


@pytest.mark.real_data
def test_real_paragraph_counts(real):
    ctx, graph = real.ctx, real.graph
    paragraphs = Counter(
        str(o).rsplit("/", 1)[1]
        for s, o in graph.subject_objects(HRES.partOf)
        if (s, RDF.type, HRES.Paragraph) in graph
    )
    assert dict(paragraphs) == PARAGRAPHS
    assert len(set(graph.subjects(RDF.type, HRES.Paragraph))) == ctx.report.counts["paragraphs"] == 1349
    assert ctx.report.counts["articles-with-gaps"] == 21


@pytest.mark.real_data
def test_real_iccpr_25_shares_reference_iris(real):
    graph = real.graph
    art = _p("iccpr/art/25")
    assert (art, RDFS.label, Literal("ICCPR art. 25", lang="en")) in graph
    assert (art, HRES.number, Literal("25")) in graph
    assert str(graph.value(art, HRES.text)).startswith("Every citizen shall have the right and the opportunity")
    for letter in "abc":
        para = _p(f"iccpr/art/25/para/{letter}")
        assert (para, RDF.type, HRES.Paragraph) in graph
        assert (para, HRES.subProvisionOf, art) in graph
        assert (para, HRES.partOf, instrument("iccpr")) in graph
        assert (para, RDFS.label, Literal(f"ICCPR art. 25({letter})", lang="en")) in graph
    assert str(graph.value(_p("iccpr/art/25/para/b"), HRES.text)).startswith("To vote and to be elected")
    assert (_p("iccpr/art/25/para/b"), HRES.groundsRight, concept("rights", "secret-ballot")) in graph


@pytest.mark.real_data
def test_real_nested_and_glued_paragraphs(real):
    graph = real.graph
    # ICCPR 2(3)(a): a lettered item under a numbered paragraph
    assert (_p("iccpr/art/2/para/3/para/a"), HRES.subProvisionOf, _p("iccpr/art/2/para/3")) in graph
    assert (_p("iccpr/art/2/para/3/para/a"), RDFS.label, Literal("ICCPR art. 2(3)(a)", lang="en")) in graph
    # CEDAW 7(a) is printed in the chapeau's item upstream: split, so the electoral table finds it
    assert str(graph.value(_p("cedaw/art/7/para/a"), HRES.text)).startswith("To vote in all elections")
    assert (_p("icerd/art/5/para/c"), HRES.groundsRight, concept("rights", "vote")) in graph
    assert (_p("icerd/art/5/para/d/para/ii"), RDF.type, HRES.Paragraph) in graph  # roman under a letter
    assert (_p("icmw/art/33/para/2"), RDF.type, HRES.Paragraph) in graph  # "2." run into (b)
    # CAT art. 5(1)(a) lost its paragraph upstream: no guessed IRI
    assert (_p("cat/art/5/para/a"), None, None) not in graph
    # ICCPR art. 14(4) is missing upstream: not invented
    assert (_p("iccpr/art/14/para/4"), None, None) not in graph


@pytest.mark.real_data
def test_real_every_electoral_provision_is_minted(real):
    graph = real.graph
    for local, rights in treaty_texts.ELECTORAL_RIGHTS.items():
        assert (_p(local), HRES.partOf, None) in graph, local
        assert {concept("rights", r) for r in rights} == set(graph.objects(_p(local), HRES.groundsRight)), local


@pytest.mark.real_data
def test_real_no_instrument_descriptions_and_all_labelled(real):
    graph = real.graph
    for key in PROVENANCE:
        assert (instrument(key), None, None) not in graph
    for s in set(graph.subjects()):
        assert graph.value(s, RDFS.label) is not None and graph.value(s, RDF.type) is not None


@pytest.mark.real_data
def test_real_is_deterministic(real, data_root):
    again = run_real(treaty_texts.SOURCE, None, data_root).triples
    assert again == real.triples


def test_fixture_paragraph_rules():
    sample = run_importer(treaty_texts.SOURCE, FIXTURES / "sample" / "cedaw.json", None)
    ctx, graph = sample.ctx, sample.graph
    paths = {str(s).split("/cedaw/", 1)[1] for s in graph.subjects(RDF.type, HRES.Paragraph)}
    assert paths == {
        "art/2/para/1",
        "art/2/para/1/para/a",
        "art/2/para/1/para/b",
        "art/2/para/1/para/c",
        "art/2/para/2",
        "art/2/para/2/para/a",
        "art/2/para/2/para/a/para/i",
        "art/2/para/2/para/a/para/ii",
        "art/2/para/2/para/b",
        "art/2/para/3",
        "art/2/para/5",
        "art/7/para/a",
        "art/7/para/b",
        "art/7/para/c",
        "art/8/para/2",
        *(f"art/9/para/{c}" for c in "abcdefghij"),
    }
    assert graph.value(_p("cedaw/art/2/para/1"), HRES.text) == Literal(
        "A first paragraph that introduces its list:", lang="en"
    )
    assert graph.value(_p("cedaw/art/2/para/1/para/a"), HRES.text) == Literal(
        "a first item printed in the same item;", lang="en"
    )
    assert graph.value(_p("cedaw/art/2/para/2"), HRES.text) is None  # a bare "2."
    assert graph.value(_p("cedaw/art/2/para/3"), HRES.text) == Literal(
        "A third paragraph run into the item before it.", lang="en"
    )
    assert graph.value(_p("cedaw/art/1"), HRES.text) == Literal(
        "An article printed as one item, with no paragraphs.", lang="en"
    )
    # the article text keeps every item as given, one per line, numbered items with their number
    assert str(graph.value(_p("cedaw/art/2"), HRES.text)).split("\n")[0].startswith("1. A first paragraph")
    assert (_p("cedaw/art/7/para/a"), HRES.groundsRight, concept("rights", "vote")) in graph
    notes = "\n".join(ctx.report.notes)
    assert "art. 2: paragraph 5 follows 3; (4) is missing upstream" in notes
    assert "art. 8: items (b) (c) have no paragraph above them" in notes


def test_fixture_truncated_json_names_file_line_and_column():
    with pytest.raises(SourceFormatError) as err:
        run_importer(treaty_texts.SOURCE, FIXTURES / "truncated" / "iccpr.json", None)
    assert err.value.path.name == "iccpr.json"
    assert err.value.line == 5 and err.value.column == 55  # where the cut string meets the line end
    assert "invalid JSON" in str(err.value)


def test_folder_without_treaty_files(tmp_path):
    with pytest.raises(SourceFormatError, match="no treaty files"):
        run_importer(treaty_texts.SOURCE, tmp_path, None)


def test_electoral_table_uses_contract_rights():
    vocab = Graph().parse(ROOT / "ontology" / "vocab" / "rights.ttl")
    for local, rights in treaty_texts.ELECTORAL_RIGHTS.items():
        for right in rights:
            assert (concept("rights", right), RDF.type, None) in vocab, (local, right)
