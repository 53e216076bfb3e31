"""The General Comment paragraphs importer (gc-paragraphs): fixtures, the real release, and GC 25 in the graph.

The real-data expectations are computed here from the raw JSON files with plain Python (file names, arrays,
labels), not by the importer's code and not with SPARQL; the store test then reads GC 25 through SPARQL
paths from ICCPR art. 25 and from each right it covers, and compares with the raw file.
"""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from hres_graph.build.pipeline import build
from hres_graph.config import PROJECT_ROOT, Settings
from hres_graph.errors import SourceFormatError
from hres_graph.importers import gc_paragraphs as gcp
from hres_graph.importers import treaty_body_documents as tbd
from hres_graph.importers.base import slug
from hres_graph.namespaces import HRES, VOCAB, concept, instrument, mechanism
from hres_graph.store.oxigraph import open_store

from .helpers import SOURCES, run_importer, run_real

FIXTURE = SOURCES / "gc-paragraphs"
VOCAB_DIR = PROJECT_ROOT / "ontology" / "vocab"
GROUP_SCHEME = URIRef(VOCAB + "rights-holder-group")
SOURCE_SCHEME = URIRef(VOCAB + "gc-concerned-group")
ART25 = URIRef(instrument("iccpr") + "/art/25")
GC25 = instrument("hrc-gc-25")


def para(key: str, n: str) -> URIRef:
    return instrument(f"{key}/para/{n}")


# ---- Fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample():
    return run_importer(gcp.SOURCE, FIXTURE, None)


def test_sample_general_comments_use_the_shared_iris(sample):
    g = sample.graph
    gcs = set(g.subjects(RDF.type, HRES.GeneralComment))
    assert gcs == {GC25, instrument("gc-crc-22"), instrument("gc-cescr-3"), instrument("gc-cedaw-5")}
    assert set(g.objects(instrument("gc-crc-22"), HRES.adoptedBy)) == {mechanism("crc"), mechanism("cmw")}
    assert set(g.objects(instrument("gc-cescr-3"), HRES.adoptedBy)) == {mechanism("cescr")}
    assert set(g.objects(instrument("gc-cedaw-5"), HRES.adoptedBy)) == {mechanism("cedaw")}  # from the file name
    assert all(g.value(gc, RDFS.label) is None for gc in gcs)  # names are un-documents'


def test_sample_paragraphs(sample):
    g = sample.graph
    paras = set(g.subjects(RDF.type, HRES.Paragraph))
    assert paras == {para("hrc-gc-25", n) for n in "123"} | {para("gc-crc-22", n) for n in "1234"} | {
        para("gc-cescr-3", n) for n in "012"
    } | {para("gc-cedaw-5", "1")}
    for p in paras:
        (number,) = g.objects(p, HRES.number)
        assert str(p).endswith(f"/para/{number}")
        assert str(g.value(p, HRES.partOf)) == str(p).rsplit("/para/", 1)[0]
    assert g.value(para("hrc-gc-25", "2"), HRES.text) == Literal(
        "Placeholder words of a second paragraph,\n(a) with a listed point;\n(b) and another.", lang="en"
    )
    assert g.value(para("hrc-gc-25", "3"), HRES.text) == Literal(
        "Placeholder words broken by a manual line break.", lang="en"
    )
    assert g.value(para("gc-crc-22", "3"), HRES.text) == Literal("Placeholder words printed as two again.", lang="en")
    assert g.value(para("gc-cescr-3", "2"), HRES.text) == Literal("2. Placeholder words without an ID.", lang="en")
    assert g.value(para("hrc-gc-25", "1"), RDFS.label) == Literal("HRC General Comment 25 para. 1", lang="en")
    assert g.value(para("gc-crc-22", "4"), RDFS.label) == Literal("CRC General Comment 22 para. 4", lang="en")
    assert g.value(para("gc-cedaw-5", "1"), RDFS.label) == Literal("CEDAW General Recommendation 5 para. 1", lang="en")
    counts = sample.report.counts
    assert (counts["general-comments"], counts["paragraphs"]) == (4, 11)
    assert (counts["numbers-from-text"], counts["numbers-repeated"], counts["soft-line-breaks"]) == (1, 1, 1)
    assert counts["gc-info-without-file"] == 1
    assert any("Annotated_CEDAW-GR5-sample.json is not listed" in n for n in sample.report.notes)


def test_sample_concerned_groups(sample):
    g = sample.graph
    group = lambda s: concept("gc-concerned-group", s)  # noqa: E731
    assert set(g.objects(para("hrc-gc-25", "2"), HRES.concernsGroup)) == {
        group("persons-deprived-of-their-liberty"),
        group("migrants"),
    }
    assert set(g.objects(para("gc-crc-22", "3"), HRES.concernsGroup)) == {group("refugees-asylum-seekers")}
    assert set(g.objects(para("gc-cescr-3", "2"), HRES.concernsGroup)) == {group("non-citizens-and-stateless")}
    assert not set(g.objects(para("hrc-gc-25", "1"), HRES.concernsGroup))
    assert sample.report.counts["group-links"] == 10


def _broken_copy(tmp_path: Path, file: str, edit) -> Path:
    copy = tmp_path / "gc-paragraphs"
    shutil.copytree(FIXTURE, copy)
    path = copy / file
    path.write_text(json.dumps(edit(json.loads(path.read_text(encoding="utf-8")))), encoding="utf-8")
    return copy


def _set(records, index, key, value):
    records[index][key] = value
    return records


@pytest.mark.parametrize(
    "file, edit, message",
    [
        (
            "json_data/Annotated_CCPR_GC25_sample.json",
            lambda r: _set(r, 1, "Labels", ["Sailors"]),
            "unknown concerned group 'Sailors'",
        ),
        (
            "json_data/Annotated_CCPR_GC25_sample.json",
            lambda r: _set(r, 0, "ID", "iv."),
            "paragraph number 'iv.' is neither a number nor new in this file",
        ),
        (
            "json_data/Annotated_ESCR-GC3-sample.json",
            lambda r: _set(r, 2, "Text", "Placeholder without a number."),
            "paragraph number None",
        ),
        ("GC-info.json", lambda r: _set(r, 0, "Committee", "CCPR, XYZ"), "unknown committee 'XYZ'"),
    ],
    ids=["unknown-group", "roman-id", "no-id-no-number", "unknown-committee"],
)
def test_errors_name_the_file(tmp_path, file, edit, message):
    folder = _broken_copy(tmp_path, file, edit)
    with pytest.raises(SourceFormatError) as err:
        run_importer(gcp.SOURCE, folder, None)
    assert message in str(err.value)
    assert Path(file).name in str(err.value)


def test_file_name_without_number_is_refused(tmp_path):
    folder = tmp_path / "gc-paragraphs"
    shutil.copytree(FIXTURE, folder)
    (folder / "json_data" / "Annotated_CCPR_intro.json").write_text("[]", encoding="utf-8")
    with pytest.raises(SourceFormatError, match="cannot read the committee and number"):
        run_importer(gcp.SOURCE, folder, None)


def test_folder_without_json_data_is_refused(tmp_path):
    with pytest.raises(SourceFormatError, match="no json_data/ folder"):
        run_importer(gcp.SOURCE, tmp_path, None)


# ---- The two group schemes --------------------------------------------------------------------


@pytest.fixture(scope="module")
def vocab() -> Graph:
    g = Graph()
    for name in ("rights-holder-group.ttl", "gc-concerned-group.ttl", "rights.ttl"):
        g.parse(VOCAB_DIR / name)
    return g


def test_source_labels_are_the_scheme(vocab):
    labels = {
        str(o)
        for c in vocab.subjects(SKOS.inScheme, SOURCE_SCHEME)
        for o in vocab.objects(c, SKOS.prefLabel)
        if o.language == "en"
    }
    assert labels == set(gcp.CONCERNED_GROUPS)
    for label in gcp.CONCERNED_GROUPS:
        assert (concept("gc-concerned-group", slug(label)), SKOS.inScheme, SOURCE_SCHEME) in vocab, label


MISSING_GROUPS = {  # issue 16: groups the General Comments address that the project lacked
    "persons-deprived-of-liberty",
    "refugees-and-asylum-seekers",
    "migrants",
    "lgbti-persons",
    "people-living-in-poverty",
    "internally-displaced-persons",
    "stateless-persons",
}


@pytest.mark.parametrize("name", sorted(MISSING_GROUPS))
def test_added_group_is_described_in_three_languages(vocab, name):
    c = concept("rights-holder-group", name)
    assert (c, SKOS.inScheme, GROUP_SCHEME) in vocab
    for p in (SKOS.prefLabel, RDFS.label, SKOS.definition):
        assert sorted(o.language for o in vocab.objects(c, p)) == ["en", "es", "fr"], p


def test_every_source_group_maps_into_the_project_scheme(vocab):
    mappings = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch)
    targets = Counter()
    for c in vocab.subjects(SKOS.inScheme, SOURCE_SCHEME):
        for p in mappings:
            for o in vocab.objects(c, p):
                assert (o, SKOS.inScheme, GROUP_SCHEME) in vocab, (c, p, o)
                targets[o] += 1
        if not any(vocab.objects(c, p) for p in mappings):
            assert vocab.value(c, SKOS.scopeNote) is not None, f"{c} unmapped without a note"
    # each added group is the target of the source's label for it
    assert {str(o).rsplit("/", 1)[1] for o in targets} >= MISSING_GROUPS
    assert (
        concept("gc-concerned-group", "roma-gypsies-sinti-and-travellers"),
        SKOS.broadMatch,
        concept("rights-holder-group", "minorities"),
    ) in vocab


# ---- The real release ----------------------------------------------------------------------------


def expected_key(file_name: str) -> str:
    """The General Comment a raw file holds, told independently of the importer: the first committee and
    the first GC/GR number of its name; CESCR files say ESCR; CCPR GC 25 is reference data's hrc-gc-25."""
    committee = re.split(r"[_-]", file_name[len("Annotated_") :])[0].lower()
    committee = "cescr" if committee == "escr" else committee
    number = re.search(r"G[CR](\d+)", file_name).group(1)
    return "hrc-gc-25" if (committee, number) == ("ccpr", "25") else f"gc-{committee}-{number}"


def raw_files(data_root: Path) -> dict[str, list[dict]]:
    folder = data_root / "raw" / "gc-paragraphs" / "json_data"
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))}


def clean_text(text: str) -> str:
    return re.sub(r" *\x0b *", " ", text).replace("\r\n", "\n").strip()


@pytest.fixture(scope="module")
def real(data_root):
    return run_real(gcp.SOURCE, None, data_root)


@pytest.mark.real_data
def test_real_paragraphs_per_document(real, data_root):
    expected = Counter()
    for name, records in raw_files(data_root).items():
        expected[instrument(expected_key(name))] += len(records)
    got = Counter(o for _, o in real.graph.subject_objects(HRES.partOf))
    assert got == expected
    assert (len(expected), sum(expected.values())) == (180, 6536)
    assert expected[GC25] == 27
    assert set(real.graph.subjects(RDF.type, HRES.GeneralComment)) == set(expected)


@pytest.mark.real_data
def test_real_texts_of_uniquely_numbered_paragraphs(real, data_root):
    checked = 0
    for name, records in raw_files(data_root).items():
        ids = Counter(str(r.get("ID")).strip(" .\u00a0") for r in records)
        for r in records:
            n = str(r.get("ID")).strip(" .\u00a0")
            if n.isdigit() and ids[n] == 1:
                p = para(expected_key(name), str(int(n)))
                assert real.graph.value(p, HRES.text) == Literal(clean_text(r["Text"]), lang="en"), p
                checked += 1
    assert checked == 6536 - 3 - 2  # 3 without ID, 2 sharing "31." in CRC GC 18 / CEDAW GR 31


@pytest.mark.real_data
def test_real_concerned_group_links(real, data_root):
    expected = Counter(
        label for records in raw_files(data_root).values() for r in records for label in set(r.get("Labels") or [])
    )
    got = Counter(o for _, o in real.graph.subject_objects(HRES.concernsGroup))
    assert got == Counter({concept("gc-concerned-group", slug(k)): v for k, v in expected.items()})
    assert expected["Children"] == 2200 and expected["LGBTI+"] == 53


@pytest.mark.real_data
def test_real_general_comments_are_those_of_un_documents(real, state_resolver, data_root):
    documents = run_real(tbd.SOURCE, state_resolver, data_root).graph
    known = set(documents.subjects(RDF.type, HRES.GeneralComment)) | {GC25}  # GC 25 is reference data's
    assert set(real.graph.subjects(RDF.type, HRES.GeneralComment)) <= known


# ---- GC 25 in a built store: from ICCPR art. 25 and from each right it covers ---------------------

FROM_ARTICLE = """
SELECT DISTINCT ?article ?gc ?number ?text WHERE {
  ?gc a hres:GeneralComment ; hres:interprets/hres:subProvisionOf* ?article .
  ?para hres:partOf ?gc ; hres:number ?number ; hres:text ?text .
}"""
FROM_RIGHT = """
SELECT DISTINCT ?right ?gc ?number ?text WHERE {
  ?right ^hres:groundsRight/hres:subProvisionOf* ?provision .
  ?gc a hres:GeneralComment ; hres:interprets ?provision .
  ?para hres:partOf ?gc ; hres:number ?number ; hres:text ?text .
}"""
GROUNDING_PARAGRAPHS = """
SELECT ?right ?gc ?number ?text WHERE {
  ?para hres:groundsRight ?right ; hres:partOf ?gc ; hres:number ?number ; hres:text ?text .
}"""


def rights_of_article_25() -> set[URIRef]:
    """The rights ICCPR art. 25 and its sub-paragraphs ground, read from the reference Turtle with rdflib."""
    g = Graph().parse(PROJECT_ROOT / "ontology" / "reference" / "instruments.ttl")
    provisions = {ART25} | set(g.subjects(HRES.subProvisionOf, ART25))
    return {r for p in provisions for r in g.objects(p, HRES.groundsRight)}


def raw_gc25(data_root: Path) -> set[tuple[str, str]]:
    records = raw_files(data_root)["Annotated_CCPR_GC25_art.25.json"]
    return {(r["ID"].strip(" ."), clean_text(r["Text"])) for r in records}


@pytest.fixture(scope="module")
def store(tmp_path_factory, data_root):
    settings = Settings(var_dir=tmp_path_factory.mktemp("gc-var"), data_root=data_root)
    build(settings, only=["un-documents", "gc-paragraphs"], log=lambda m: None)
    return open_store(settings)


def _bind(**iris: URIRef) -> dict:
    """Variables bound to IRIs by the engine (substitutions), as the named queries bind their parameters."""
    return {ox.Variable(name): ox.NamedNode(str(iri)) for name, iri in iris.items()}


def _rows(result, gc=GC25) -> set[tuple[str, str]]:
    """(number, text) of the paragraphs of one General Comment in an answer."""
    return {
        (str(n), str(t))
        for g, n, t in zip(result.column("gc"), result.column("number"), result.column("text"))
        if g == gc
    }


@pytest.mark.real_data
def test_gc25_is_read_paragraph_by_paragraph_from_article_25(store, data_root):
    expected = raw_gc25(data_root)
    assert len(expected) == 27
    assert _rows(store.query(FROM_ARTICLE, substitutions=_bind(article=ART25))) == expected


@pytest.mark.real_data
def test_gc25_is_read_from_each_right_article_25_covers(store, data_root):
    expected = raw_gc25(data_root)
    rights = rights_of_article_25()
    assert {str(r).rsplit("/", 1)[1] for r in rights} >= {
        "vote",
        "stand-for-election",
        "universal-suffrage",
        "equal-suffrage",
        "secret-ballot",
        "periodic-elections",
        "free-expression-of-will",
        "take-part-in-public-affairs",
        "equal-access-public-service",
    }
    for right in sorted(rights):
        assert _rows(store.query(FROM_RIGHT, substitutions=_bind(right=right))) == expected, right
        # and the paragraphs reference data says ground the right, now with their text
        grounding = _rows(store.query(GROUNDING_PARAGRAPHS, substitutions=_bind(right=right, gc=GC25)))
        assert grounding and grounding <= expected, right


@pytest.mark.real_data
def test_gc25_paragraphs_have_one_label_and_one_text(store):
    rows = store.query("""SELECT ?para (COUNT(DISTINCT ?l) AS ?labels) (COUNT(DISTINCT ?t) AS ?texts) WHERE {
        ?para hres:partOf <https://w3id.org/hres/id/instrument/hrc-gc-25> ; rdfs:label ?l ; hres:text ?t
    } GROUP BY ?para""").rows
    assert len(rows) == 27
    assert {(int(labels), int(texts)) for _, labels, texts in rows} == {(1, 1)}


@pytest.mark.real_data
def test_one_general_comment_resource_stated_by_both_sources(store):
    rows = store.query("""SELECT ?gc ?other WHERE {
        GRAPH graph:gc-paragraphs { ?gc a hres:GeneralComment }
        OPTIONAL { GRAPH ?other { ?gc a hres:GeneralComment } FILTER(?other != graph:gc-paragraphs) }
    }""").rows
    others = {}
    for gc, other in rows:
        others.setdefault(gc, set()).add(str(other).rsplit("/", 1)[1] if other else None)
    assert len(others) == 180
    assert others.pop(GC25) == {"reference"}
    assert set(map(frozenset, others.values())) == {frozenset({"un-documents"})}


@pytest.mark.real_data
def test_mit_licence_in_the_provenance(store):
    (licence,) = store.query("SELECT ?l WHERE { GRAPH graph:meta { graph:gc-paragraphs dcterms:license ?l } }").rows[0]
    assert str(licence).startswith("MIT (LICENSE.md, Copyright (c) 2024 Łukasz Szoszkiewicz)")
