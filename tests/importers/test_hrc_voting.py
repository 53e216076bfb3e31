"""importers.hrc_voting: CHR and HRC resolutions, their roll-call votes, the keyword-matched rights, and the
non-commercial licence reaching VoID.

The real-data expectations are computed here from the raw files with csv and json alone (not the importer's
parsing), so the importer is checked against an independent reading.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from hres_graph.build.provenance import GraphRecord, describe
from hres_graph.errors import SourceFormatError
from hres_graph.importers.hrc_voting import (
    ABSTENTIONS,
    AGAINST,
    IN_FAVOUR,
    KEYWORD_MATCHED_RIGHT,
    MAIN_SPONSOR,
    RESOLUTION,
    ROLL_CALL_VOTE,
    SOURCE,
    VOTE_ON,
    VOTE_POSITION,
    VOTER,
    keyword_rights,
    read_dashboard,
    resolution,
    sponsor_names,
)
from hres_graph.importers.state_names import StateResolver, name_key
from hres_graph.namespaces import GRAPH, HRES, ID, VOCAB, state

from .helpers import SOURCES, context_for, run_importer

FIXTURE = SOURCES / "hrc-voting"
POLYFORM = URIRef("https://polyformproject.org/licenses/noncommercial/1.0.0/")
NAMES = {
    "Czechia": "CZE",
    "United Kingdom of Great Britain and Northern Ireland": "GBR",
    "Slovenia": "SVN",
    "Saudi Arabia": "SAU",
    "Egypt": "EGY",
    "Germany": "DEU",
}


def position(slug: str) -> URIRef:
    return VOCAB[f"vote-position/{slug}"]


@pytest.fixture(scope="module")
def fixture_run():
    resolver = StateResolver({name_key(n): c for n, c in NAMES.items()}, {c: {"name": n} for n, c in NAMES.items()})
    return run_importer(SOURCE, FIXTURE, resolver)


# ---- the hand-written fixture -----------------------------------------------------------------


def test_resolutions(fixture_run):
    g = fixture_run.graph
    assert set(g.subjects(RDF.type, RESOLUTION)) == {resolution(i) for i in ("101", "102", "103", "104")}
    r = resolution("101")
    assert g.value(r, RDFS.label) == Literal("Equal participation in political and public affairs", lang="en")
    assert g.value(r, DCTERMS.type) == Literal("resolution")
    assert g.value(resolution("103"), DCTERMS.type) == Literal("decision")
    assert g.value(r, HRES.unSymbol) == Literal("A/HRC/RES/90/1")
    assert g.value(r, HRES.issuedDate) == Literal("2030-03-01", datatype=XSD.date)
    assert g.value(r, HRES.issuedBy) == ID["org/hrc"]
    assert g.value(resolution("104"), HRES.issuedBy) == ID["org/chr"]
    assert (ID["org/chr"], RDF.type, HRES.Organisation) in g
    assert g.value(r, HRES.theme) == VOCAB["ohchr-subject/political-participation"]
    assert (VOCAB["ohchr-subject/political-participation"], SKOS.prefLabel, None) in g
    assert [g.value(r, p).toPython() for p in (IN_FAVOUR, AGAINST, ABSTENTIONS)] == [2, 1, 1]
    assert g.value(resolution("102"), IN_FAVOUR) is None  # no official totals published
    assert g.value(r, RDFS.seeAlso) == URIRef("https://example.org/record/101")
    assert g.value(resolution("104"), RDFS.seeAlso) is None  # "not a url"
    assert (GRAPH["hrc-voting"], DCTERMS.rights, None) in g  # the licence's required notice


def test_sponsors(fixture_run):
    g, report = fixture_run.graph, fixture_run.report
    assert set(g.objects(resolution("101"), MAIN_SPONSOR)) == {state("CZE"), state("GBR")}
    assert set(g.objects(resolution("102"), MAIN_SPONSOR)) == {state("SAU"), state("EGY")}
    assert "Nowhereland" in report.unresolved
    assert "Chile" not in report.unresolved and "except Chile" not in report.unresolved


def test_keyword_matched_rights(fixture_run):
    g = fixture_run.graph

    def rights(record_id):
        return {str(o).rsplit("/", 1)[1] for o in g.objects(resolution(record_id), KEYWORD_MATCHED_RIGHT)}

    assert rights("101") == {"take-part-in-public-affairs"}
    assert rights("102") == set()  # "Democratic Republic of the Congo" is a name, not democracy
    assert rights("103") == set()  # electing a body's own members is not an election of the rule
    assert rights("104") == {"periodic-elections", "free-expression-of-will"}


def test_votes(fixture_run):
    g, report = fixture_run.graph, fixture_run.report
    votes = set(g.subjects(RDF.type, ROLL_CALL_VOTE))
    assert len(votes) == 9 == report.counts["roll-call-votes"]  # SVN twice on 101 is one vote; XKX skipped
    vote = URIRef(f"{resolution('101')}/vote/GBR")
    assert (g.value(vote, VOTE_ON), g.value(vote, VOTER), g.value(vote, VOTE_POSITION)) == (
        resolution("101"),
        state("GBR"),
        position("no"),
    )
    positions = Counter(g.value(v, VOTE_POSITION) for v in votes if g.value(v, VOTE_ON) == resolution("101"))
    assert positions == {position("yes"): 2, position("no"): 1, position("abstain"): 1}
    assert g.value(URIRef(f"{resolution('103')}/vote/SVN"), VOTE_POSITION) == position("absent")
    assert g.value(URIRef(f"{resolution('104')}/vote/DEU"), VOTE_POSITION) == position("no-position-recorded")
    assert (state("SUN"), RDFS.label, None) in g and g.value(URIRef(f"{resolution('104')}/vote/SUN"), VOTER)
    assert not any("/vote/GER" in str(v) for v in votes)
    assert report.counts["duplicate-votes"] == 1 and "XKX" in report.unresolved
    assert report.counts["n-rollcall-mismatches"] == 1  # record 103: 4 said, 3 read
    for slug in ("yes", "no", "abstain", "absent", "no-position-recorded"):
        assert {"en", "fr", "es"} <= {o.language for o in g.objects(position(slug), SKOS.prefLabel)}


def test_every_ontology_term_used_is_declared(fixture_run):
    from rdflib import Graph
    from rdflib.namespace import OWL

    from hres_graph.quality.reasoner import ONTOLOGY_DIR

    ontology = Graph().parse(ONTOLOGY_DIR / "hres.ttl")
    declared = {
        s for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty) for s in ontology.subjects(RDF.type, kind)
    }
    used = {p for _, p, _ in fixture_run.triples} | {o for _, p, o in fixture_run.triples if p == RDF.type}
    assert {t for t in used if str(t).startswith(str(HRES))} - declared == set()


def test_sponsor_names():
    assert sponsor_names("Canada, Finland (on behalf of the European Union)") == ["Canada", "Finland"]
    assert sponsor_names("Pakistan (on behalf of the Organization of Islamic Cooperation, except Albania)") == [
        "Pakistan"
    ]
    assert sponsor_names("Pakistan on behalf of the OIC, except Albania and Tunisia") == ["Pakistan"]
    assert sponsor_names("Venezuela (Bolivarian Republic of), the Sudan") == [
        "Venezuela (Bolivarian Republic of)",
        "Sudan",
    ]


def test_keyword_rule():
    assert keyword_rights("DEMOCRACY AND HUMAN RIGHTS", "Promoting and consolidating democracy") == [
        "take-part-in-public-affairs"
    ]
    assert keyword_rights("LAO PEOPLE'S DEMOCRATIC REPUBLIC", "Situation in the Lao People's Democratic Republic") == []
    assert (
        keyword_rights("ELECTION OF MEMBERS", "Election to fill a vacancy in the membership of the Sub-Commission")
        == []
    )
    assert keyword_rights("BELARUS", "Belarus in the run-up to the 2020 presidential election") == [
        "periodic-elections"
    ]


def test_the_data_is_parsed_never_evaluated(tmp_path):
    js = tmp_path / "dashboard_data.js"
    js.write_text('window.DATA = alert("x");\n', encoding="utf-8")
    with pytest.raises(SourceFormatError, match="not JSON"):
        read_dashboard(js)
    js.write_text('fetch("x"); window.DATA = {"res": [], "votes": {}};\n', encoding="utf-8")
    with pytest.raises(SourceFormatError, match="window.DATA"):
        read_dashboard(js)


# ---- the licence reaches VoID (graph/meta) ------------------------------------------------------


def test_licence_reaches_void():
    record = GraphRecord(
        str(GRAPH["hrc-voting"]),
        SOURCE.title,
        [],
        importer="hrc-voting 1",
        license=SOURCE.license,
        upstream=SOURCE.upstream,
    )
    now = datetime.now(timezone.utc)
    meta = set(describe([record], "0+test", now, now))
    graph = GRAPH["hrc-voting"]
    assert SOURCE.license == "PolyForm-Noncommercial-1.0.0"
    assert (graph, DCTERMS.license, Literal("PolyForm-Noncommercial-1.0.0")) in meta
    assert (graph, DCTERMS.license, POLYFORM) in meta
    assert (graph, DCTERMS.source, Literal("https://github.com/lszoszk/hrc-voting")) in meta


# ---- the real data ----------------------------------------------------------------------------

SAMPLE = ("35192", "24737", "30508", "21028", "25269", "24168")  # last S-39/1; n_rollcall disagreements; CHR 1947


def raw_tables(folder: Path):
    """The raw files read with csv and json only: resolution rows, and the distinct (record, ISO3) -> code."""
    with open(folder / "resolutions.csv", encoding="utf-8", newline="") as handle:
        rows = {row["record_id"]: row for row in csv.DictReader(handle)}
    text = (folder / "dashboard_data.js").read_text(encoding="utf-8")
    data = json.loads(text[text.index("=") + 1 :].strip().rstrip(";"))
    votes = {}
    for iso3, entry in data["votes"].items():
        for index, code in zip(entry["r"], entry["v"]):
            votes[(data["res"][index]["id"], iso3)] = code
    return rows, data, votes


@pytest.fixture(scope="module")
def real(data_root, state_resolver):
    """One streaming pass over the real import, keeping only counts and the sample's values."""
    ctx = context_for(SOURCE, state_resolver, data_root=data_root)
    subjects = {resolution(i): i for i in SAMPLE}
    resolutions, votes_per, positions, totals, matched, n = set(), Counter(), {}, {}, set(), 0
    for s, p, o in SOURCE.read(data_root / SOURCE.default_path, ctx):
        n += 1
        if p == RDF.type and o == RESOLUTION:
            resolutions.add(s)
        elif p == VOTE_ON:
            votes_per[o] += 1
        elif p == VOTE_POSITION:
            voted_on = URIRef(str(s).rsplit("/vote/", 1)[0])
            if voted_on in subjects:
                positions.setdefault(subjects[voted_on], Counter())[str(o).rsplit("/", 1)[1]] += 1
        elif p in (IN_FAVOUR, AGAINST, ABSTENTIONS) and s in subjects:
            totals.setdefault(subjects[s], {})[p] = o.toPython()
        elif p == KEYWORD_MATCHED_RIGHT:
            matched.add(s)
    return {
        "resolutions": resolutions,
        "votes_per": votes_per,
        "positions": positions,
        "totals": totals,
        "matched": matched,
        "triples": n,
        "report": ctx.report,
    }


@pytest.mark.real_data
def test_real_counts(real, data_root):
    rows, data, votes = raw_tables(data_root / SOURCE.default_path)
    assert len(real["resolutions"]) == len(rows) == 6346
    with_votes = {record_id for record_id, _ in votes}
    assert len(with_votes) == 1705 == sum(1 for r in rows.values() if int(r["n_rollcall"]) > 0)
    assert set(real["votes_per"]) == {resolution(i) for i in with_votes}
    assert sum(real["votes_per"].values()) == len(votes) == 80156  # 80,158 codes, two States listed twice
    assert real["report"].counts["duplicate-votes"] == 2
    assert len(real["matched"]) == real["report"].counts["keyword-matched-resolutions"] > 100


@pytest.mark.real_data
def test_real_roll_calls_of_a_sample(real, data_root):
    rows, data, votes = raw_tables(data_root / SOURCE.default_path)
    for record_id in SAMPLE:
        raw = Counter(code for (rid, _), code in votes.items() if rid == record_id)
        assert real["votes_per"][resolution(record_id)] == sum(raw.values()), record_id
        names = {"Y": "yes", "N": "no", "A": "abstain", ".": "absent", "-": "no-position-recorded"}
        assert real["positions"][record_id] == Counter({names[c]: n for c, n in raw.items()}), record_id
    # n_rollcall agrees except where upstream counted a State twice (21028, 30508) or lost one (24737)
    assert [real["votes_per"][resolution(i)] for i in ("35192", "21028", "30508", "24737")] == [
        int(rows["35192"]["n_rollcall"]),
        int(rows["21028"]["n_rollcall"]) - 1,
        int(rows["30508"]["n_rollcall"]) - 1,
        int(rows["24737"]["n_rollcall"]) - 1,
    ]


@pytest.mark.real_data
def test_real_official_totals_of_a_sample(real, data_root):
    rows, _, _ = raw_tables(data_root / SOURCE.default_path)
    for record_id in SAMPLE:
        row = rows[record_id]
        if not row["yes"]:
            assert record_id not in real["totals"]
            continue
        assert real["totals"][record_id] == {
            IN_FAVOUR: int(row["yes"]),
            AGAINST: int(row["no"]),
            ABSTENTIONS: int(row["abstain"]),
        }, record_id
    assert real["totals"]["35192"] == {IN_FAVOUR: 25, AGAINST: 7, ABSTENTIONS: 14}  # A/HRC/RES/S-39/1


@pytest.mark.real_data
def test_real_voters_resolve(real):
    report = real["report"]
    assert report.counts["unresolved-voter-codes"] == 0
    assert report.counts["former-state-votes"] > 0  # USSR, Yugoslavia, Czechoslovakia, GDR
