"""follow-up/observer-recommendations on the real build, against an answer computed independently: the
recommendations and the later missions that assessed them from the curated eom-missions CSV files (plain
Python, no SPARQL), and the echoes read from the store's graph/links with one plain pattern.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict

import pytest

from hres_graph.queries import catalogue
from tests.test_named_queries import runner

pytestmark = [pytest.mark.real_data, pytest.mark.slow]

NAME = "observer-recommendations"
STATE = "https://w3id.org/hres/id/state/"
EU = "https://w3id.org/hres/id/org/eu"
FOLLOW_UP = {"assessed by a later mission", "echoed by UPR", "both", "none recorded"}


def _norm(text: str) -> str:
    return " ".join(text.split())


def _when(value: str) -> str:
    """An election date as the graph can state it: a day, else the year only (xsd:gYear)."""
    value = value.strip()
    return value if len(value) == 10 else value[:4]


def _organisation(mission: dict) -> str:
    org = mission["organization"].strip()
    return mission["mission_key"].split("+")[3] if org == "other" else org


def expected(data_root) -> dict[tuple, dict]:
    """(ISO3, election date, topic, text) of each observer recommendation -> its mission's key, and the later
    missions that assessed it: key -> (the mission's ISO3, election date, follow-up?, statement or None)."""
    folder = data_root / "curated" / "eom-missions"
    with open(folder / "missions.csv", encoding="utf-8", newline="") as f:
        missions = {m["mission_key"].strip(): m for m in csv.DictReader(f)}
    with open(folder / "findings.csv", encoding="utf-8", newline="") as f:
        findings = [r for r in csv.DictReader(f) if r["kind"].strip() == "recommendation"]
    answer = {}
    for row in findings:
        mission = missions[row["mission_key"].strip()]
        iso3, when = mission["country_iso3"].strip(), _when(mission["election_date"])
        assessors = {}
        for key, later in missions.items():
            if key == mission["mission_key"].strip() or _organisation(later) != _organisation(mission):
                continue
            if later["country_iso3"].strip() != iso3:
                continue
            statement = _norm(later["prior_recommendations_assessed"]) or None
            follow_up = later["mission_type"].strip() == "follow-up"
            same_election = later["election_date"].strip() == mission["election_date"].strip()
            if (follow_up and same_election) or (statement and _when(later["election_date"]) > when):
                assessors[key] = (iso3, _when(later["election_date"]), follow_up, statement)
        item = (iso3, when, _norm(row["topic"]), _norm(row["summary"]))
        assert item not in answer, item  # the key tells the recommendations apart
        answer[item] = {
            "mission": mission["mission_key"].strip(),
            "date": mission["election_date"].strip(),
            "assessors": assessors,
        }
    return answer


@pytest.fixture(scope="module")
def store(real_settings):
    from hres_graph.store.oxigraph import open_store

    return open_store(real_settings)


@pytest.fixture(scope="module")
def run(store):
    return runner(store)


@pytest.fixture(scope="module")
def echoes(store) -> dict[str, set[tuple[str, float]]]:
    """observer recommendation -> {(echoing recommendation, score)}, straight from graph/links."""
    rows = store.query(
        "SELECT ?echo ?item ?score WHERE { GRAPH <https://w3id.org/hres/graph/links> { "
        "?echo <https://w3id.org/hres/ontology#qualifiedEcho> ?link . "
        "?link <https://w3id.org/hres/ontology#linkedItem> ?item ; "
        "<https://w3id.org/hres/ontology#similarityScore> ?score } }"
    ).rows
    links = defaultdict(set)
    for echo, item, score in rows:
        links[str(item)].add((str(echo), float(str(score))))
    return links


@pytest.fixture(scope="module")
def everything(run):
    return run(NAME)


def _by_recommendation(rows: list[dict]) -> dict[str, list[dict]]:
    grouped = defaultdict(list)
    for row in rows:
        grouped[row["recommendation"]].append(row)
    return grouped


def _key(row: dict) -> tuple:
    return (row["state"].removeprefix(STATE), row["electionDate"], row["topic"], row["text"])


def test_every_recommendation_once_with_its_mission(everything, data_root):
    want = expected(data_root)
    grouped = _by_recommendation(everything)
    got = {}
    for recommendation, rows in grouped.items():
        keys = {_key(r) for r in rows}
        assert len(keys) == 1, keys
        got[keys.pop()] = recommendation
    assert set(got) == set(want)
    assert len(got) == 121
    # recommendations per mission: the raw files' count, and the mission IRI names the mission's State and date
    per_mission = Counter(r["mission"] for rows in grouped.values() for r in rows[:1])
    raw = Counter(w["mission"] for w in want.values())
    assert sorted(per_mission.values()) == sorted(raw.values())
    for item, recommendation in got.items():
        assert grouped[recommendation][0]["mission"].endswith(f"/{item[0]}/{want[item]['date']}")


def test_assessments_are_the_later_missions_of_the_raw_files(everything, data_root):
    want = expected(data_root)
    grouped = _by_recommendation(everything)
    assessed = 0
    for rows in grouped.values():
        raw = want[_key(rows[0])]["assessors"]
        got = {(r["assessedBy"], r["assessment"]) for r in rows if r["assessedBy"]}
        assert len(got) == len(raw), (rows[0]["recommendation"], got, raw)
        for iso3, when, follow_up, statement in raw.values():
            suffix = f"/{iso3}/{when}" + ("/follow-up" if follow_up else "")
            assert (
                sum(1 for by, text in got if by.endswith(suffix) and text == (statement or "no statement recorded"))
                == 1
            ), (suffix, got)
        assessed += bool(raw)
    # EU Ghana 2020 (3), Kenya 2013 (2) and Uganda 2016 (1) by their follow-up missions; Lebanon 2018 (2) by the
    # 2022 mission, whose report says none of them had been applied
    assert assessed == 8


def test_echoes_are_the_links_of_graph_links(everything, echoes):
    grouped = _by_recommendation(everything)
    for recommendation, rows in grouped.items():
        got = {(r["echoedBy"], float(r["score"])) for r in rows if r["echoedBy"]}
        assert got == echoes.get(recommendation, set()), recommendation
        assert all(r["machineMade"] for r in rows if r["echoedBy"])
        assert not any(r["machineMade"] for r in rows if not r["echoedBy"])
    assert sum(1 for r in grouped if r in echoes) == 9
    assert all(item in grouped for item in echoes if "/recommendation/eom/" in item)


def test_follow_up_says_what_was_found_and_none_recorded_otherwise(everything, data_root, echoes):
    want = expected(data_root)
    counts = Counter()
    for recommendation, rows in _by_recommendation(everything).items():
        assessed, echoed = bool(want[_key(rows[0])]["assessors"]), recommendation in echoes
        label = {
            (True, True): "both",
            (True, False): "assessed by a later mission",
            (False, True): "echoed by UPR",
            (False, False): "none recorded",
        }[assessed, echoed]
        assert {r["followUp"] for r in rows} == {label}, recommendation
        counts[label] += 1
        if label == "none recorded":  # one row, nothing claimed about it
            assert len(rows) == 1
            assert all(rows[0][c] is None for c in ("assessedBy", "assessment", "assessedDate", "echoedBy", "score"))
        else:  # one row per assessment and per echo, each carrying one of the two
            assert all(bool(r["assessedBy"]) != bool(r["echoedBy"]) for r in rows)
    assert set(counts) <= FOLLOW_UP and sum(counts.values()) == 121
    assert counts == {"none recorded": 106, "echoed by UPR": 7, "assessed by a later mission": 6, "both": 2}
    assert not any("not implemented" in str(r["followUp"]) for r in everything)


def test_assessment_dates(everything):
    dates = {r["assessedBy"].split("/id/mission/")[1]: r["assessedDate"] for r in everything if r["assessedBy"]}
    # the follow-up mission's report month, the later mission's election when it gives no report date,
    # nothing when neither is recorded
    assert dates == {
        "eu/KEN/2013-03-04/follow-up": "2016-02",
        "eu/LBN/2022-05-15": "2022-05-15",
        "eu/GHA/2020-12-07/follow-up": None,
        "eu/UGA/2016-02-18/follow-up": None,
    }


@pytest.mark.parametrize(
    "params",
    [
        {"state": STATE + "KEN"},
        {"organisation": EU},
        {"followed": "assessed"},
        {"followed": "echoed"},
        {"followed": "none"},
        {"state": STATE + "KEN", "followed": "none"},
        {"organisation": EU, "followed": "assessed"},
    ],
)
def test_parameters_select_from_the_whole_answer(run, everything, params):
    def kept(row):
        label = row["followUp"]
        return (
            ("state" not in params or row["state"] == params["state"])
            and ("organisation" not in params or row["mission"].startswith("https://w3id.org/hres/id/mission/eu/"))
            and {
                None: True,
                "assessed": label in ("assessed by a later mission", "both"),
                "echoed": label in ("echoed by UPR", "both"),
                "none": label == "none recorded",
            }[params.get("followed")]
        )

    got = run(NAME, **params)
    assert got and sorted(map(repr, got)) == sorted(repr(r) for r in everything if kept(r))


def test_without_machine_made_links_echoes_are_left_out(run, everything):
    got = run(NAME, machine_made="false")
    assert not any(r["echoedBy"] or r["machineMade"] for r in got)
    assert {r["recommendation"] for r in got} == {r["recommendation"] for r in everything}
    assert Counter(r["followUp"] for r in {r["recommendation"]: r for r in got}.values()) == {
        "none recorded": 113,
        "assessed by a later mission": 8,
    }
    assert run(NAME, machine_made="false", followed="echoed") == []


def test_examples_return_rows(run):
    for params in catalogue()[NAME].examples:
        assert run(NAME, **params), params
