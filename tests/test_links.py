"""The machine-made links of graph/links (hres_graph/build/links.py), their scoring method (hres_graph/build/similarity.py) and
the named query follow-up/recommendation-timeline.

The method is checked on hand-written texts whose scores are worked out in the comments. The links of the real
build are then recomputed from the raw files (the UPR Info export, the curated observer missions), read with
tests/named_queries_expected.py's readers: plain Python, no SPARQL, none of the project's importers; only the
score function is the project's, itself tested first.
"""

from __future__ import annotations

import csv
import hashlib
import html
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from hres_graph.build import links
from hres_graph.build.similarity import METHOD, name_stems, set_cosine, similarity, tokens
from hres_graph.queries import named_query
from tests import named_queries_expected as expected
from tests import upr_exports_expected as exports
from tests.test_named_queries import plain

ID = expected.ID


def real(test):
    """Needs the real build (marks real_data and slow)."""
    return pytest.mark.slow(pytest.mark.real_data(test))


# --- the method, on texts scored by hand -----------------------------------------------------------


def test_trailing_state_groups_go_and_acronyms_stay():
    # '(Netherlands)' and '(Iran (Islamic Republic of))' are names: dropped; '(CRPD)' is an acronym: kept
    assert tokens("Ratify the CRPD (Netherlands);") == ["ratify", "crpd"]
    assert tokens("Ratify the CRPD (Iran (Islamic Republic of)) (Cuba, Ghana and the Netherlands);") == [
        "ratify",
        "crpd",
    ]
    assert tokens("Ratify the Convention on the Rights of Persons with Disabilities (CRPD)") == [
        "ratify",
        "conven",
        "rights",
        "person",
        "disabi",
        "crpd",
    ]
    # 'OP-CAT' -> 'op' (too short) and 'cat'
    assert tokens("Ratify the Optional Protocol (OP-CAT)") == ["ratify", "option", "protoc", "cat"]
    # a group inside the text is content, only trailing groups are peeled
    assert tokens("Invite the Special Rapporteur (torture) promptly") == [
        "invite",
        "specia",
        "rappor",
        "tortur",
        "prompt",
    ]


def test_stop_words_short_words_and_stems():
    # 'consider', 'the', 'to', 'of', 'ensure', 'that', 'all', 'are' go; words cut to 6 letters
    assert tokens("Consider to ratify the Convention") == ["ratify", "conven"]
    assert tokens("Ensure that all detainees are treated humanely") == ["detain", "treate", "humane"]
    assert tokens("Ratification, ratified, RATIFY!") == ["ratifi", "ratifi", "ratify"]
    # every word starting 'elect' is one token; 'law' (3 letters) stays, 'an' (2) goes
    assert tokens("Elections, electoral and elected: an electorate law") == ["elect"] * 4 + ["law"]
    assert tokens("Côte d'Ivoire") == ["cote", "divoir"]


def test_scores_computed_by_hand():
    # {ratify, conven, rights, person, disabi} and {ratify, crpd}: 1 / sqrt(5 * 2)
    assert similarity(
        "Ratify the Convention on the Rights of Persons with Disabilities (Netherlands);",
        "Consider ratifying the CRPD (Iran (Islamic Republic of));",
    ) == pytest.approx(1 / math.sqrt(10))
    # {hold, free, fair, elect} and {reform, elect, law}: 1 / sqrt(4 * 3)
    assert similarity("Hold free and fair elections", "Reform the electoral law") == pytest.approx(1 / math.sqrt(12))
    # the same stems whatever the recommending States and the function words: 1
    assert similarity("Ratify the CRPD (Canada);", "Continue to ratify CRPD (Brazil, Chile)") == 1.0
    assert similarity("Ratify CAT", "Abolish the death penalty") == 0.0


def test_names_passed_by_the_caller_are_dropped():
    kenya = name_stems("Kenya", "Republic of Kenya")
    assert kenya == {"kenya", "republ"}
    # with Kenya's name: {reform, elect, law} twice -> 1; without: {kenya, reform, elect, law} and the same
    # set less 'kenya' -> 3 / sqrt(4 * 3)
    a, b = "Kenya should reform its electoral law", "Reform the electoral law of the Republic"
    assert similarity(a, b, kenya) == 1.0
    assert similarity(a, b) == pytest.approx(3 / math.sqrt(4 * 4))  # 'republ' counts too without the names


def test_empty_sets_score_zero():
    assert similarity("", "Ratify the CRPD") == 0.0
    assert similarity("the and of to (Canada)", "Ratify the CRPD") == 0.0
    assert similarity("Kenya", "Kenya", name_stems("Kenya")) == 0.0
    assert set_cosine(frozenset(), frozenset()) == 0.0


WORDS = st.lists(
    st.sampled_from(
        [
            "ratify",
            "CRPD",
            "the",
            "elections",
            "electoral",
            "torture",
            "Kenya",
            "of",
            "women",
            "(Canada)",
            "free",
            "media",
            "journalists",
            "law",
            "Côte",
        ]
    ),
    max_size=12,
).map(" ".join)


@given(WORDS, WORDS)
def test_similarity_is_symmetric_and_bounded(a, b):
    score = similarity(a, b)
    assert score == similarity(b, a) and 0.0 <= score <= 1.0


@given(WORDS)
def test_identical_texts_score_one_unless_empty(a):
    if tokens(a):
        assert math.isclose(similarity(a, a), 1.0)
    else:
        assert similarity(a, a) == 0.0


# --- the raw files: UPR Info records with their IRIs, the States' names, observer items ----------------


@dataclass(frozen=True)
class Rec:
    iri: str
    row: expected.UprRow


def upr_info_iri(session: str, sur: str, sender: str, text: str) -> str:
    """The IRI policy of UPR Info records (ontology/README.md): SHA-1 of session, State under review, recommending
    State and text as written in the export, 12 hex digits."""
    return hashlib.sha1("\x1f".join((session, sur, sender, text)).encode("utf-8")).hexdigest()[:12]


@lru_cache(maxsize=2)
def export_records(data_root: Path) -> dict[tuple, Rec]:
    """(file, line) -> the UPR Info exports' recommendations there, with their IRIs (an identical row: key-2, -3...):
    every 2015 record, and the 2018 rows that are not one of them."""
    rows = {r.key: r for r in expected.recommendations(data_root)}
    out, seen = {}, defaultdict(int)
    for path in sorted((data_root / "raw" / "upr-info-terman" / "upr-info-export").glob("*.csv")):
        with open(path, encoding="mac_roman", newline="") as handle:
            for number, row in enumerate(csv.DictReader(handle), 2):
                if row["Response"].strip() == "Voluntary Pledge":
                    continue
                key = upr_info_iri(
                    row["Session"].strip(), row["To"].strip(), html.unescape(row["From"]).strip(), row["Text"]
                )
                seen[key] += 1
                suffix = f"-{seen[key]}" if seen[key] > 1 else ""
                out[(path.name, number)] = Rec(f"{ID}recommendation/upr-info/{key}{suffix}", rows[(path.name, number)])
    # the 2018 export's records that are no 2015 record (the others are the same resources, compared once)
    resolve = expected.states(data_root).resolve
    matching = exports.match(data_root, resolve)
    for i, r in enumerate(exports.rows_2018(data_root)):
        if i not in matching.matched:
            row = expected.UprRow(
                r.line,
                r.file,
                resolve(r.sur),
                None if r.sender == "(Unknown)" else resolve(r.sender),
                r.text,
                r.response,
                r.action,
                r.issues,
                int(r.session),
            )
            out[(r.file, r.line)] = Rec(r.iri, row)
    return out


# The UN names the States importer gives the two observer States instead of internacia's.
UN_NAMES = {
    "VAT": ("Holy See", "Saint-Siège", "Santa Sede"),
    "PSE": ("State of Palestine", "État de Palestine", "Estado de Palestina"),
}


@lru_cache(maxsize=2)
def state_name_stems(data_root: Path) -> dict[str, frozenset[str]]:
    """ISO3 -> the stems of the State's names (internacia's name, official name, English, French and Spanish
    names; the UN names of two observers): what a text says about its State whatever its content."""
    out = {}
    for path in sorted((data_root / "raw" / "internacia-states" / "countries").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        names = [doc["name"], doc.get("official_name"), *UN_NAMES.get(doc["iso3code"], ())]
        names += [n.get("name") for n in doc.get("other_names") or () if n.get("id") in ("en", "fr", "es")]
        out[doc["iso3code"]] = name_stems(*(n for n in names if n))
    return out


@lru_cache(maxsize=None)
def stems(text: str, state: str, data_root: Path) -> frozenset[str]:
    return frozenset(tokens(text, state_name_stems(data_root).get(state, frozenset())))


def score(a: str, b: str, state: str, data_root: Path) -> float:
    """similarity(a, b, the State's names), from cached stem sets (similarity() is tested above to be this)."""
    return round(set_cosine(stems(a, state, data_root), stems(b, state, data_root)), 4)


@lru_cache(maxsize=2)
def expected_repeats(data_root: Path) -> dict[tuple[str, str], float]:
    """(later IRI, earlier IRI) -> score: the same State under review, the same recommending State, a later cycle,
    score >= 0.50."""
    blocks: dict[tuple, list[Rec]] = defaultdict(list)
    for rec in export_records(data_root).values():
        if rec.row.sur and rec.row.recommender:
            blocks[(rec.row.sur, rec.row.recommender)].append(rec)
    out = {}
    for (sur, _), block in blocks.items():
        for later in block:
            for earlier in block:
                if earlier.row.cycle < later.row.cycle:
                    s = score(later.row.text, earlier.row.text, sur, data_root)
                    if s >= links.REPEAT_THRESHOLD:
                        out[(later.iri, earlier.iri)] = s
    return out


def observer_year(data_root: Path) -> dict[str, str]:
    """mission key -> the date of the election it observed as the graph has it: the day, else the year."""
    with open(data_root / "curated" / "eom-missions" / "missions.csv", encoding="utf-8", newline="") as handle:
        return {
            row["mission_key"]: row["election_date"] if len(row["election_date"]) == 10 else row["election_date"][:4]
            for row in csv.DictReader(handle)
        }


@lru_cache(maxsize=2)
def expected_echoes(data_root: Path) -> dict[tuple[str, str], tuple[float, str]]:
    """(UPR Info IRI, observer item's text) -> (score, the election's date): a recommendation to the State of the
    same year as the observed election or later, score >= 0.30."""
    dates = observer_year(data_root)
    by_state: dict[str, list[Rec]] = defaultdict(list)
    for rec in export_records(data_root).values():
        if rec.row.sur:
            by_state[rec.row.sur].append(rec)
    out = {}
    for item in expected.observer_items(data_root):
        when = dates[item.mission]
        text = " ".join(item.text.split())
        for rec in by_state.get(item.state, ()):
            if rec.row.year >= int(when[:4]):
                s = score(rec.row.text, text, item.state, data_root)
                if s >= links.ECHO_THRESHOLD:
                    out[(rec.iri, text)] = (s, when)
    return out


# --- the real build's graph/links -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def store(real_settings):
    from hres_graph.store.oxigraph import open_store

    return open_store(real_settings)


@dataclass(frozen=True)
class StoredLink:
    kind: str
    source: str
    target: str
    node: str
    score: float
    threshold: float
    method: str


@pytest.fixture(scope="module")
def stored(store) -> list[StoredLink]:
    rows = store.query("""SELECT ?kind ?s ?t ?link ?score ?threshold ?method WHERE { GRAPH graph:links {
        VALUES (?plain ?qualified ?kind) { (hres:repeats hres:qualifiedRepeat "repeats")
                                           (hres:echoes hres:qualifiedEcho "echoes") }
        ?s ?plain ?t ; ?qualified ?link . ?link hres:linkedItem ?t ; hres:similarityScore ?score ;
           hres:similarityThreshold ?threshold ; hres:similarityMethod ?method } }""").rows
    return [
        StoredLink(str(k), str(s), str(t), str(n), float(sc.toPython()), float(th.toPython()), str(m))
        for k, s, t, n, sc, th, m in rows
    ]


def upr_info(iri: str) -> bool:
    return iri.startswith(f"{ID}recommendation/upr-info/")


@real
def test_repeats_between_upr_info_records_are_those_of_the_raw_export(stored, data_root):
    """Every pair of the export's records that the rule links, and no other, with the same score."""
    got = {
        (l.source, l.target): l.score
        for l in stored
        if l.kind == "repeats" and upr_info(l.source) and upr_info(l.target)
    }
    want = expected_repeats(data_root)
    assert set(got) == set(want), (sorted(set(want) - set(got))[:5], sorted(set(got) - set(want))[:5])
    assert got == want
    assert len(got) > 500  # 579 on this data


@real
def test_repeats_of_other_records_are_of_records_the_export_lacks(store, stored):
    """The other repeats link a record the UPR Info export does not hold: an OHCHR matrix row (Slovenia cycles 2-4,
    China cycles 2-3; the export stops at session 20) or a working-group-report row that the build could not match to its UPR Info
    record (so it is a record of its own, module doc of links.py). Each still follows the rule: same State,
    a shared recommending State, a later cycle."""
    others = [l for l in stored if l.kind == "repeats" and not (upr_info(l.source) and upr_info(l.target))]
    assert others  # 89 on this data
    facts = {}
    for l in others:
        for iri in (l.source, l.target):
            if iri not in facts:
                facts[iri] = facts_of(store, iri)
        assert re.search(r"/recommendation/(upr-info|upr-wg|upr-\d+-[a-z]{3})/", l.source + " " + l.target), l
        (later_state, later_cycle, later_actors, later_copy), (state, cycle, actors, copy) = (
            facts[l.source],
            facts[l.target],
        )
        assert later_state == state and later_cycle > cycle and later_actors & actors, l
        assert not later_copy and not copy, f"{l}: a working-group copy of a UPR Info record was compared"


def facts_of(store, iri: str) -> tuple[str, int, set[str], bool]:
    """(State, cycle, recommending States, whether its own source calls it a copy of another record)."""
    rows = store.query(f"""SELECT ?state ?n ?actor ?twin WHERE {{
        <{iri}> hres:addressedTo ?state ; hres:inCycleOf/hres:cycleNumber ?n ; hres:recommendingActor ?actor .
        OPTIONAL {{ GRAPH ?g {{ <{iri}> hres:sameRecommendationAs ?twin }} GRAPH ?g {{ <{iri}> hres:text ?t }} }} }}""").rows
    assert rows, iri
    return str(rows[0][0]), int(rows[0][1]), {str(r[2]) for r in rows}, any(r[3] is not None for r in rows)


@real
def test_echoes_are_those_of_the_raw_files(store, stored, data_root):
    texts = {
        str(i): str(t)
        for i, t in store.query(
            "SELECT ?i ?t WHERE { GRAPH graph:links { ?l hres:linkedItem ?i } ?i hres:text ?t }"
        ).rows
    }
    got = {(l.source, texts[l.target]): l.score for l in stored if l.kind == "echoes"}
    assert all(upr_info(source) for source, _ in got)  # no other UPR source echoes an observer on this data
    want = {key: s for key, (s, _) in expected_echoes(data_root).items()}
    assert got == want and len(got) >= 5  # 10 on this data


@real
def test_every_link_is_qualified_once_with_score_method_and_threshold(store, stored):
    plain_links = store.query("""SELECT ?s ?p ?t WHERE { GRAPH graph:links {
        ?s ?p ?t FILTER(?p IN (hres:repeats, hres:echoes)) } }""").rows
    assert {(str(p).rsplit("#", 1)[1], str(s), str(t)) for s, p, t in plain_links} == {
        (l.kind, l.source, l.target) for l in stored
    }
    assert len(stored) == len(plain_links) == len({l.node for l in stored})  # one score, one threshold each
    nodes = store.query("""SELECT ?link (COUNT(*) AS ?n) WHERE { GRAPH graph:links { ?link a hres:SimilarityLink ;
        ?p ?o FILTER(?p != rdf:type) } } GROUP BY ?link""").rows
    assert {str(n): int(c) for n, c in nodes} == {l.node: 4 for l in stored}  # linkedItem, score, method, threshold
    assert {l.method for l in stored} == {f"{ID}method/{METHOD}"}
    thresholds = {"repeats": links.REPEAT_THRESHOLD, "echoes": links.ECHO_THRESHOLD}
    for l in stored:
        assert l.threshold == thresholds[l.kind] and l.threshold <= l.score <= 1.0, l
    assert {l.kind for l in stored} == {"repeats", "echoes"}


@real
def test_links_are_in_graph_links_only(store):
    rows = store.query("""SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o
        FILTER(?p IN (hres:repeats, hres:echoes, hres:qualifiedRepeat, hres:qualifiedEcho, hres:linkedItem,
                      hres:similarityScore, hres:similarityMethod, hres:similarityThreshold)) } } GROUP BY ?g""").rows
    assert [str(g) for g, _ in rows] == [links.LINKS_GRAPH]


@real
def test_scores_are_reproduced_from_the_items_texts(store, stored):
    """similarity() of the two items' hres:text with the names of the later recommendation's State dropped."""
    rows = store.query("""SELECT ?s ?t ?state ?a ?b WHERE {
        GRAPH graph:links { ?s ?p ?t FILTER(?p IN (hres:repeats, hres:echoes)) }
        ?s hres:addressedTo ?state ; hres:text ?a . ?t hres:text ?b }""").rows
    names = links.state_names(store)
    got = {(str(s), str(t)): round(similarity(str(a), str(b), names[str(state)]), 4) for s, t, state, a, b in rows}
    assert got == {(l.source, l.target): l.score for l in stored}


@real
def test_recomputing_on_the_same_store_gives_the_same_links(store, stored):
    """find_links over the built store (graph/links left aside) gives the stored links, their IRIs included."""
    again = set(links.link_triples(links.find_links(store)))
    got = {(str(s), str(t)) for s, p, t in again if str(p).endswith(("#repeats", "#echoes"))}
    assert got == {(l.source, l.target) for l in stored}
    nodes = {str(o) for s, p, o in again if str(p).endswith(("#qualifiedRepeat", "#qualifiedEcho"))}
    assert nodes == {l.node for l in stored}


# --- the named query: the follow-up timeline of one recommendation ------------------------------------------

RESPONSE = {"Accepted": "supported", "Noted": "noted"}
WG_STATUS = {
    "support": "supported",
    "implemented": "supported",
    "implement": "supported",
    "consider": "pending",
    "reject": "rejected",
    "noted": "noted",
}  # PROVENANCE's decisions; 'unknown' has no response


def wg_decisions(data_root: Path, row: expected.UprRow) -> list[tuple[int, str]]:
    """(report year, decision) of the working-group-report rows recording this UPR Info row: the same State under
    review, a report of the review's year or the next, the same recommending State, the same words or a token
    Jaccard >= 0.8 (the matching rule of named_queries_expected.reported_implemented, for every decision)."""
    s = expected.states(data_root)
    key = expected.words(row.text)
    out = []
    for path in sorted((data_root / "raw" / "upr-info-terman" / "wg-report-parse").glob("*.csv")):
        for line in expected._wg_lines(path):
            if s.resolve(line["to"]) != row.sur or int(line["year"]) not in (row.year, row.year + 1):
                continue
            text = re.sub(r"^\s*\d+(\.+\d+)*\.?[\s,.]*", "", " ".join(line["text"].split()))
            body, named = expected._trailing_states(text, s.resolve)
            sender = s.resolve(" ".join(line["from"].split()).strip(" ;,.")) or (named[:1] or [None])[0]
            words = expected.words(body)
            if sender == row.recommender and (
                words == key or expected.jaccard(set(words.split()), set(key.split())) >= 0.8
            ):
                out.append((int(line["year"]), line["decision"].strip().lower()))
    return out


def expected_timeline(data_root: Path, iri: str) -> list[tuple]:
    """(date, event, actor, status, item, score, machineMade) rows, from the raw files; the item is the review,
    the other recommendation, or an observer item's text (None for the responses' and assessments' own IRIs)."""
    rec = next(r for r in export_records(data_root).values() if r.iri == iri)
    row, sur = rec.row, expected.state_iri(rec.row.sur)
    status = f"{expected.VOCAB}response-status/"
    review = f"{ID}review/upr/{row.session}/{row.sur}"
    out = [
        (str(row.year), "recommended in review", expected.state_iri(row.recommender), None, review, None, False),
        (str(row.year), "response", sur, status + RESPONSE[row.response], None, None, False),
    ]
    for year, decision in wg_decisions(data_root, row):
        if decision in WG_STATUS:
            out.append((str(year), "response", sur, status + WG_STATUS[decision], None, None, False))
        if decision == "implemented":
            out.append(
                (
                    str(year),
                    "assessment",
                    sur,
                    f"{expected.VOCAB}implementation-status/reported-implemented",
                    None,
                    None,
                    False,
                )
            )
    by_iri = {r.iri: r.row for r in export_records(data_root).values()}
    for (later, earlier), s in expected_repeats(data_root).items():
        if later == iri:
            other = by_iri[earlier]
            out.append(
                (
                    str(other.year),
                    "repeats earlier recommendation",
                    expected.state_iri(other.recommender),
                    None,
                    earlier,
                    s,
                    True,
                )
            )
        if earlier == iri:
            other = by_iri[later]
            out.append(
                (
                    str(other.year),
                    "repeated by later recommendation",
                    expected.state_iri(other.recommender),
                    None,
                    later,
                    s,
                    True,
                )
            )
    for (source, text), (s, when) in expected_echoes(data_root).items():
        if source == iri:
            out.append((when, "echoes observer item", None, None, text, s, True))
    return sorted(out, key=repr)


@pytest.fixture(scope="module")
def timeline(store):
    def run(iri: str, machine_made: str = "true") -> list[tuple]:
        result = named_query("recommendation-timeline").run(
            store, {"recommendation": iri, "machine_made": machine_made}
        )
        rows = [dict(zip(result.variables, map(plain, row))) for row in result.rows]
        assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)  # in date order
        return rows

    return run


EXAMPLES = ["upr-info/10d4d707d287", "upr-info/e112a8899e8a"]


@pytest.mark.parametrize("example", EXAMPLES)
@real
def test_timeline_rows_are_those_of_the_raw_files(timeline, data_root, example):
    iri = f"{ID}recommendation/{example}"
    rows = timeline(iri)

    # an observer's item is deployed by an organisation, not a State: its actor is checked by its kind
    def item(r):
        return (
            r["itemText"]
            if r["event"].startswith("echoes")
            else None
            if r["event"] in ("response", "assessment")
            else r["item"]
        )

    got = sorted(
        (
            (
                r["date"],
                r["event"],
                None if r["event"].startswith("echoes") else r["actor"],
                r["status"],
                item(r),
                r["score"],
                r["machineMade"],
            )
            for r in rows
        ),
        key=repr,
    )
    assert got == expected_timeline(data_root, iri)
    assert all(r["actor"].startswith(f"{ID}org/") for r in rows if r["event"].startswith("echoes"))
    assert any(r["machineMade"] for r in rows)


def test_timeline_examples_show_the_links_the_brief_names():
    """The query's own examples are the two tested above."""
    examples = [e["recommendation"] for e in named_query("recommendation-timeline").examples]
    assert examples == [f"hresid:recommendation/{e}" for e in EXAMPLES]


@pytest.mark.parametrize("example", EXAMPLES + ["upr-info/908ebbc8aeaf"])
@real
def test_machine_made_false_removes_exactly_the_link_rows(timeline, example):
    iri = f"{ID}recommendation/{example}"
    every, without = timeline(iri), timeline(iri, "false")
    key = lambda r: repr(sorted(r.items()))  # noqa: E731
    assert sorted(map(key, without)) == sorted(key(r) for r in every if not r["machineMade"])
    assert len(without) < len(every)
    assert all(r["score"] is None and r["machineMade"] is False for r in without)


@real
def test_timeline_of_a_working_group_record_is_its_upr_info_records(store, timeline):
    """Any source's record of the recommendation gives the same history (hres:sameRecommendationAs either way),
    but for the 'recommended in review' row, which is the record's own."""
    (wg,) = {
        str(s)
        for (s,) in store.query(f"""SELECT ?s WHERE {{
        ?s hres:sameRecommendationAs <{ID}recommendation/upr-info/10d4d707d287> }}""").rows
    }

    def rest(rows):
        return sorted(repr(sorted(r.items())) for r in rows if r["event"] != "recommended in review")

    assert rest(timeline(wg)) == rest(timeline(f"{ID}recommendation/upr-info/10d4d707d287"))
