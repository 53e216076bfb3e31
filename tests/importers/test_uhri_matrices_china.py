"""uhri_matrices_china: OHCHR UPR matrices (DOCX) of China, cycles 2 and 3, read by the generic matrices reader.

The expected values of the real-data tests are read from the raw DOCX files with plain python-docx (`raw`),
not with the importer's code; the small matrices of the fixture tests are written here (`_matrix`).
"""

from __future__ import annotations

import pickle
import re
from collections import Counter
from difflib import SequenceMatcher

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from hres_graph.errors import SourceFormatError
from hres_graph.importers import uhri_matrices as slovenia
from hres_graph.importers import upr_info, upr_info_2018
from hres_graph.importers.base import ImportContext, ImportReport
from hres_graph.importers.uhri_matrices_china import SOURCE
from hres_graph.namespaces import HRES, ID, VOCAB, concept, state

from .helpers import SOURCES, run_importer, run_real

FIXTURES = SOURCES / "upr-matrices-china"
EXPORT = FIXTURES / "upr-info-export-2018"
SESSIONS = {"2": 17, "3": 31}  # PROVENANCE.md: position sources A/HRC/25/5/Add.1 (WG 17), A/HRC/40/6/Add.1 (WG 31)


def _rec(session: int, paragraph: str, iso3: str = "chn") -> URIRef:
    return ID[f"recommendation/upr-{session}-{iso3}/{paragraph}"]


def _response(s: URIRef) -> URIRef:
    return URIRef(f"{s}/response/{SOURCE.id}")


def _slug(symbol: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", symbol.lower()).strip("-")


# --- the raw DOCX files, read with python-docx alone ----------------------------------------------------------


def _raw_row(cells: list[str], theme: str) -> dict:
    """A table row as a person reads it: number, text, position source, position, the themes cell's lines."""
    recommendation, _, source = cells[0].partition("Source of position:")
    number = re.match(r"\s*(\d+(?:\.\d+)+)", recommendation).group(1)
    text = re.sub(r"^\s*\d+(?:\.\d+)+[\s.]*", "", recommendation)
    return {
        "paragraph": number,
        "text": " ".join(text.split()),
        "source": source.strip(),
        "position": cells[1].strip(),
        "lines": [line.strip() for line in cells[2].splitlines() if line.strip()] + ([theme] if theme else []),
    }


def _raw_file(path) -> tuple[str, str, str, list[dict]]:
    """(State, cycle, session, rows) of one matrix: the page header names the review."""
    import docx

    document = docx.Document(str(path))
    header = document.sections[0].header.paragraphs[0].text
    review = re.match(r"UPR of (\w+) \((\d)\w\w Cycle \W (\d+)\w\w session\)", header, re.I)
    rows, theme = [], ""
    for row in document.tables[0].rows[1:]:
        cells = [c.text for c in row.cells]
        if cells[0].startswith("Theme:"):
            theme = cells[0][len("Theme:") :].strip()
        elif re.match(r"\s*\d+\.\d+", cells[0]):
            rows.append(_raw_row(cells, theme))
    return review.group(1), review.group(2), review.group(3), rows


@pytest.fixture(scope="module")
def raw(data_root) -> dict[str, dict]:
    """cycle -> {state, session, rows} for the two DOCX files."""
    out = {}
    for path in sorted((data_root / SOURCE.default_path).glob("*.docx")):
        name, cycle, session, rows = _raw_file(path)
        out[cycle] = {"state": name, "session": int(session), "rows": rows, "file": path.name}
    return out


@pytest.fixture(scope="module")
def real(state_resolver, data_root):
    return run_real(SOURCE, state_resolver, data_root)


def _sample(rows: list[dict]) -> list[dict]:
    return rows[::15] + rows[-1:]


# --- real data -----------------------------------------------------------------------------------------------


@pytest.mark.real_data
def test_raw_files_are_the_two_reviews_of_provenance(raw):
    assert {c: (r["state"], r["session"], len(r["rows"])) for c, r in raw.items()} == {
        "2": ("China", 17, 252),
        "3": ("China", 31, 346),
    }


@pytest.mark.real_data
def test_real_rows_per_cycle(real, raw):
    g = real.graph
    recs = set(g.subjects(RDF.type, HRES.Recommendation))
    by_cycle = Counter(str(g.value(r, HRES.inCycleOf)).rsplit("/", 1)[1] for r in recs)
    assert by_cycle == {cycle: len(r["rows"]) for cycle, r in raw.items()} == {"2": 252, "3": 346}
    assert real.report.counts["recommendations"] == 598
    assert set(g.subjects(RDF.type, HRES.Review)) == {ID["review/upr/17/CHN"], ID["review/upr/31/CHN"]}
    assert {str(g.value(r, HRES.year)) for r in recs} == {"2013", "2018"}
    assert set(g.objects(None, HRES.addressedTo)) == {state("CHN")}


@pytest.mark.real_data
def test_real_positions_per_cycle(real, raw):
    g = real.graph
    found = Counter(
        (str(g.value(r, HRES.inCycleOf)).rsplit("/", 1)[1], str(g.value(_response(r), HRES.responseStatus)))
        for r in g.subjects(RDF.type, HRES.Recommendation)
    )
    expected = Counter(
        (cycle, str(concept("response-status", row["position"].lower())))
        for cycle, r in raw.items()
        for row in r["rows"]
    )
    assert found == expected
    assert {(c, s.rsplit("/", 1)[1]): n for (c, s), n in found.items()} == {
        ("2", "supported"): 204,
        ("2", "noted"): 48,
        ("3", "supported"): 284,
        ("3", "noted"): 62,
    }


@pytest.mark.real_data
def test_real_paragraph_numbers_and_texts(real, raw):
    g = real.graph
    for cycle, r in raw.items():
        numbers = {
            str(n)
            for s in g.subjects(HRES.inCycleOf, ID[f"mechanism/upr/cycle/{cycle}"])
            for n in g.objects(s, HRES.paragraphNumber)
        }
        assert numbers == {row["paragraph"] for row in r["rows"]}
        for row in _sample(r["rows"]):
            s = _rec(r["session"], row["paragraph"])
            assert g.value(s, HRES.paragraphNumber) == Literal(row["paragraph"])
            assert g.value(s, HRES.text) == Literal(row["text"], lang="en"), row["paragraph"]
    assert g.value(_rec(31, "28.212"), HRES.text).startswith("Continue its legislative, judicial and administrative")
    assert set(g.objects(_rec(31, "28.212"), HRES.recommendingActor)) == {state("TUN")}
    assert g.value(_rec(17, "186.132"), HRES.text).startswith("Inform the suspects")  # '186.132. .Inform'


@pytest.mark.real_data
def test_real_position_sources(real, raw):
    g = real.graph
    for r in raw.values():
        for row in r["rows"]:
            s = _rec(r["session"], row["paragraph"])
            addendum = re.match(r"(A/HRC/\d+/\d+/Add\.\d+)", row["source"]).group(1)
            assert g.value(_response(s), DCTERMS.source) == Literal(row["source"])
            assert g.value(_response(s), HRES.sourceDocument) == ID[f"document/{_slug(addendum)}"]
            assert g.value(s, HRES.sourceDocument) == ID[f"document/{_slug(addendum.rsplit('/', 1)[0])}"]
    symbols = {str(o) for o in g.objects(None, HRES.unSymbol)}
    assert symbols == {"A/HRC/25/5/Add.1", "A/HRC/25/5", "A/HRC/40/6/Add.1", "A/HRC/40/6"}
    assert real.report.counts["position sources without a document symbol"] == 0


def _themes_of(g, s: URIRef) -> tuple[set[str], set[str], int]:
    """(UHRI theme notations, SDG numbers, number of affected-person groups) the graph gives a recommendation."""
    themes = set(g.objects(s, HRES.theme))
    notations = {str(g.value(t, SKOS.notation)) for t in themes if str(t).startswith(str(VOCAB["uhri-theme/"]))}
    sdgs = {str(t).rsplit("/", 1)[1] for t in themes if str(t).startswith(str(VOCAB["sdg/"]))}
    affected = [t for t in themes if str(t).startswith(str(VOCAB["affected-persons/"]))]
    return notations, sdgs, len(affected)


def _raw_themes(row: dict) -> tuple[set[str], set[str], int]:
    """The same, read from the themes cell and the theme heading above the row."""
    notations = {m.group(1) for line in row["lines"] if (m := re.match(r"([A-H]\d+|S)\s+\D", line))}
    sdgs = {str(int(m.group(1))) for line in row["lines"] if (m := re.match(r"S(\d+)\s+SDG", line))}
    after = row["lines"][row["lines"].index("Affected persons:") + 1 :] if "Affected persons:" in row["lines"] else []
    affected = {line.lstrip("- ").lower() for line in after if line.startswith("-")}
    return notations, sdgs, len(affected)


@pytest.mark.real_data
def test_real_themes_sdgs_and_affected_persons(real, raw):
    g = real.graph
    for r in raw.values():
        for row in _sample(r["rows"]):
            assert _themes_of(g, _rec(r["session"], row["paragraph"])) == _raw_themes(row), row["paragraph"]
    s = _rec(31, "28.212")
    assert {VOCAB["sdg/16"], VOCAB["uhri-theme/acceptance-of-international-norms"]} <= set(g.objects(s, HRES.theme))
    assert (VOCAB["sdg/16"], SKOS.prefLabel, Literal("SDG 16: Peace, justice and strong institutions", lang="en")) in g
    assert (VOCAB["uhri-theme/sustainable-development-goal-implementation"], SKOS.notation, Literal("S")) in g
    schemes = Counter(str(o).rsplit("/", 1)[1] for o in g.objects(None, SKOS.inScheme))
    assert set(schemes) == {"uhri-theme", "affected-persons", "sdg"}
    assert schemes["sdg"] == len({s for r in raw.values() for row in r["rows"] for s in _raw_themes(row)[1]})


@pytest.mark.real_data
def test_real_everything_resolved_typed_and_labelled(real):
    g = real.graph
    assert dict(real.report.unresolved) == {}
    assert real.report.counts["recommendations without a recommending State"] == 0
    assert set(g.subjects(RDF.type, None)) == set(g.subjects(RDFS.label, None))
    assert real.report.counts["assessment cells empty"] == 598  # the assessment column is empty: no assessment
    assert not set(g.subjects(RDF.type, HRES.ImplementationAssessment))


def _single(row: dict) -> bool:
    """A row that holds one recommendation: no '(State);' followed by more text."""
    return not re.search(r"\)\s*;\s*\S", row["text"])


@pytest.mark.real_data
def test_real_links_to_upr_info_count(real, raw):
    g = real.graph
    linked = Counter(
        str(g.value(s, HRES.inCycleOf)).rsplit("/", 1)[1] for s, _ in g.subject_objects(HRES.sameRecommendationAs)
    )
    assert (
        linked == {"2": sum(map(_single, raw["2"]["rows"]))} == {"2": 238}
    )  # cycle 3 (session 31) is not in the export
    counts = real.report.counts
    assert counts["UPR Info: rows holding several recommendations (not linked)"] == 252 - 238
    assert counts["UPR Info: rows of a review the export lacks"] == 346
    assert counts["UPR Info: rows not found"] == 0
    assert len(set(g.objects(None, HRES.sameRecommendationAs))) == 238  # one record per row


@pytest.fixture(scope="module")
def upr_info_2018_records(real, state_resolver, data_root):
    """Type, text and response status in graph upr-info-2018 of the records the matrices link to."""
    targets = set(real.graph.objects(None, HRES.sameRecommendationAs))
    ctx = ImportContext(states=state_resolver, report=ImportReport("upr-info-2018"), data_root=data_root)
    found: dict[URIRef, dict] = {t: {} for t in targets}
    responses = {URIRef(f"{t}/response/upr-info"): t for t in targets}
    for s, p, o in upr_info_2018.SOURCE.read(data_root / upr_info_2018.SOURCE.default_path, ctx):
        if s in found and p in (RDF.type, HRES.text):
            found[s][p] = o
        elif s in responses and p == HRES.responseStatus:
            found[responses[s]]["status"] = o
    return found


@pytest.mark.real_data
@pytest.mark.slow
def test_real_links_are_records_of_graph_upr_info_2018(real, upr_info_2018_records):
    g = real.graph
    assert all(r.get(RDF.type) == HRES.Recommendation for r in upr_info_2018_records.values())
    assert all(str(t).startswith(str(ID["recommendation/upr-info/"])) for t in upr_info_2018_records)  # 2015 IRIs
    for s, target in g.subject_objects(HRES.sameRecommendationAs):
        record = upr_info_2018_records[target]
        assert record["status"] == g.value(_response(s), HRES.responseStatus)
        states = r"(\s*\((?:[^()]|\([^()]*\))*\))+\s*;?\s*$"  # '(Mongolia);', '(Bolivia (Plurinational State of));'
        ours = re.sub(states, "", str(g.value(s, HRES.text)))
        letters = [re.sub(r"[^a-z0-9]", "", t.lower()) for t in (ours, str(record[HRES.text]))]
        assert SequenceMatcher(None, *letters).ratio() >= 0.9, (s, record[HRES.text])
    assert g.value(_rec(17, "186.28"), HRES.sameRecommendationAs) is not None


@pytest.mark.real_data
def test_real_source_pickles_and_needs_the_upr_info_exports():
    assert SOURCE.needs == ("upr-info-2018", "upr-info")
    assert pickle.loads(pickle.dumps(SOURCE)).id == "upr-matrices-china"


@pytest.mark.real_data
def test_real_slovenia_unchanged_in_counts(state_resolver, data_root):
    """The generic reader gives Slovenia's graph what it gave before China (counts of 2026-12-07)."""
    g = run_real(slovenia.SOURCE, state_resolver, data_root).graph
    assert len(g) == 15887
    predicates = Counter(str(p).rsplit("#", 1)[-1].rsplit("/", 1)[-1] for p in g.predicates(None, None))
    assert predicates == {
        "type": 1438,
        "label": 1438,
        "unSymbol": 6,
        "source": 632,
        "respondent": 632,
        "respondsTo": 632,
        "responseStatus": 632,
        "sourceDocument": 1264,
        "addressedTo": 632,
        "inCycleOf": 632,
        "issuedBy": 632,
        "madeInReview": 632,
        "paragraphNumber": 632,
        "recommendingActor": 665,
        "text": 632,
        "theme": 3718,
        "year": 632,
        "inSession": 3,
        "ofMechanism": 3,
        "reviewOf": 3,
        "inScheme": 162,
        "prefLabel": 165,
        "notation": 67,
        "altLabel": 3,
    }
    assert (None, HRES.sameRecommendationAs, None) not in g
    assert len(set(g.subjects(RDF.type, HRES.Recommendation))) == 632


# --- fixtures: matrices written here, the UPR Info rows of upr-info-export-2018/ -------------------------------

_HEADER = ("Recommendation", "Position", "Full list of themes", "Assessment/comments on level of implementation")
_POSITION = "\nSource of position: A/HRC/27/12/Add.1 - Para. {}."
_SESSION_18 = [
    "Theme: A12 Acceptance of international norms",
    # a near text of France's record, before the row with its very text: it must not take that record
    ("101.7. Ratify the Optional Protocol to the Convention against Torture soon (France);", "Noted"),
    ("101.1. Ratify the Optional Protocol to the Convention against Torture (France);", "Supported"),
    ("101.2. Streng then the national human rights institution (Peru);", "Supported"),
    ("101.3. Adopt a comprehensive law against the discrimination of all persons (Spain);", "Supported"),
    ("101.4. Take measures to protect journalists (Norway) (Sweden);", "Supported"),
    (
        "101.5. Ratify the Second Optional Protocol to the ICCPR (Italy); Consider abolishing the death penalty "
        "in military law (Ireland);",
        "Supported",
    ),
    "Theme: S Sustainable Development Goal implementation",
    ("101.6 . Improve prison conditions (Germany);", "Supported"),
]
_THEMES = (
    "A12 Acceptance of international norms\nS16 SDG 16 - peace, justice and strong institutions\n"
    "S04 SDG 4 \u00a0- education\nAffected persons:\n- general\n- persons deprived of their liberty"
)


def _matrix(path, heading: str | None, rows: list, *, where: str = "header"):
    """A DOCX matrix in OHCHR's layout: the review named in the page header (or the body), one table."""
    import docx

    document = docx.Document()
    if heading and where == "header":
        document.sections[0].header.paragraphs[0].text = f"{heading}\t\t\tThematic list of recommendations"
    elif heading:
        document.add_paragraph(heading)
    table = document.add_table(rows=0, cols=4)
    for item in [_HEADER, *rows]:
        row = table.add_row()
        if isinstance(item, str):  # a theme heading: the four cells merged
            row.cells[0].merge(row.cells[3]).text = item
            continue
        if len(item) == 2:
            number = re.match(r"\d+\.\d+", item[0]).group()
            item = (item[0] + _POSITION.format(number), item[1], _THEMES, "\n")
        for cell, text in zip(row.cells, item):
            cell.text = text
    document.save(str(path))
    return path


@pytest.fixture()
def fixture_folder(tmp_path):
    _matrix(tmp_path / "chile_2014.docx", "UPR of Chile (2nd Cycle – 18th session)", _SESSION_18)
    _matrix(
        tmp_path / "chile_2019.docx",
        "UPR of Chile (3rd Cycle - 32nd Session)",
        [("125.1 Ratify the Optional Protocol to the Convention against Torture (France);", "Supported")],
    )
    return tmp_path


@pytest.fixture()
def fixture_run(fixture_folder, state_resolver):
    return run_importer(SOURCE, fixture_folder, state_resolver, source_paths={"upr-info-2018": EXPORT})


@pytest.fixture()
def export_iris(state_resolver) -> dict[tuple[str, str], URIRef]:
    """(recommending State, text) -> the IRI of the fixture export's record of Chile (no 2015 export: its own IRI)."""
    ctx = ImportContext(states=state_resolver, report=ImportReport("upr-info-2018"))
    return {(r.from_name, r.text): r.iri for r in upr_info.iter_records(EXPORT, ctx) if r.sur_name == "Chile"}


@pytest.mark.real_data
def test_fixture_review_read_from_each_file(fixture_run):
    g = fixture_run.graph
    assert set(g.subjects(RDF.type, HRES.Review)) == {ID["review/upr/18/CHL"], ID["review/upr/32/CHL"]}
    assert g.value(_rec(18, "101.1", "chl"), HRES.inCycleOf) == ID["mechanism/upr/cycle/2"]
    assert g.value(_rec(32, "125.1", "chl"), HRES.inCycleOf) == ID["mechanism/upr/cycle/3"]
    assert g.value(_rec(32, "125.1", "chl"), HRES.year) == Literal("2019", datatype=XSD.gYear)
    assert fixture_run.report.counts["recommendations"] == 8


@pytest.mark.real_data
def test_fixture_cycle_2_paragraphs_sources_and_themes(fixture_run):
    g = fixture_run.graph
    s = _rec(18, "101.6", "chl")  # '101.6 . Improve …'
    assert g.value(s, HRES.text) == Literal("Improve prison conditions (Germany);", lang="en")
    assert g.value(s, HRES.paragraphNumber) == Literal("101.6")
    assert g.value(_response(s), HRES.sourceDocument) == ID["document/a-hrc-27-12-add-1"]
    assert g.value(s, HRES.sourceDocument) == ID["document/a-hrc-27-12"]
    themes = set(g.objects(s, HRES.theme))
    assert {VOCAB["sdg/16"], VOCAB["sdg/4"], VOCAB["uhri-theme/acceptance-of-international-norms"]} <= themes
    assert VOCAB["uhri-theme/sustainable-development-goal-implementation"] in themes  # the theme heading
    assert (VOCAB["sdg/4"], SKOS.prefLabel, Literal("SDG 4: Education", lang="en")) in g
    assert len([t for t in themes if "affected-persons" in str(t)]) == 2


@pytest.mark.real_data
def test_fixture_links(fixture_run, export_iris):
    g = fixture_run.graph

    def links(paragraph: str) -> set:
        return set(g.objects(_rec(18, paragraph, "chl"), HRES.sameRecommendationAs))

    assert links("101.1") == {export_iris["France", "Ratify the Optional Protocol to the Convention against Torture"]}
    assert links("101.2") == {export_iris["Peru", "Strengthen the national human rights institution"]}
    assert links("101.3") == {export_iris["Spain", "Adopt a comprehensive law against discrimination of all persons"]}
    assert links("101.4") == {
        export_iris["Norway", "Take measures to protect journalists"],
        export_iris["Sweden", "Take measures to protect journalists"],
    }
    assert links("101.5") == links("101.6") == links("101.7") == set()
    assert not set(g.objects(_rec(32, "125.1", "chl"), HRES.sameRecommendationAs))
    counts = fixture_run.report.counts
    assert {k: v for k, v in counts.items() if k.startswith("UPR Info")} == {
        "UPR Info: rows linked (same text)": 2,
        "UPR Info: rows linked (same text once spaces are removed)": 1,
        "UPR Info: rows linked (similar text)": 1,
        "UPR Info: rows not found": 2,
        "UPR Info: rows holding several recommendations (not linked)": 1,
        "UPR Info: rows of a review the export lacks": 1,
        "UPR Info: linked records whose response differs": 1,  # 101.2: Supported here, Noted in the export
    }
    assert "4 rows linked" in fixture_run.report.notes[-1]


@pytest.mark.real_data
def test_fixture_without_the_export_nothing_is_linked(fixture_folder, state_resolver):
    run = run_importer(SOURCE, fixture_folder, state_resolver)
    assert (None, HRES.sameRecommendationAs, None) not in run.graph
    assert any("was not found" in note for note in run.report.notes)
    assert run.report.counts["recommendations"] == 8


@pytest.mark.real_data
def test_fixture_heading_in_the_body(tmp_path, state_resolver):
    path = _matrix(tmp_path / "m.docx", "UPR of Chile (2nd Cycle – 18th Session)", _SESSION_18[:3], where="body")
    g = run_importer(SOURCE, path, state_resolver).graph
    assert set(g.subjects(RDF.type, HRES.Review)) == {ID["review/upr/18/CHL"]}


@pytest.mark.real_data
def test_fixture_no_heading_is_an_error(tmp_path, state_resolver):
    path = _matrix(tmp_path / "m.docx", None, _SESSION_18[:3])
    with pytest.raises(SourceFormatError) as error:
        run_importer(SOURCE, path, state_resolver)
    assert error.value.path == path and "UPR of <State>" in error.value.problem
    assert "page header" in error.value.hint


@pytest.mark.real_data
def test_fixture_session_outside_its_cycle_is_an_error(tmp_path, state_resolver):
    path = _matrix(tmp_path / "m.docx", "UPR of Chile (3rd Cycle – 18th Session)", _SESSION_18[:3])
    with pytest.raises(SourceFormatError) as error:
        run_importer(SOURCE, path, state_resolver)
    assert error.value.path == path and error.value.line == 3 and error.value.column == "wg_session"
