"""The ParlGov elections importer: counts and figures against the raw CSV read in plain Python, the merge with
ElectionGuide (one resource per election), the derived flag of stale ElectionGuide listings, fixtures and errors."""

from __future__ import annotations

import csv
from collections import Counter
from decimal import Decimal

import pyoxigraph as ox
import pytest
from rdflib import Literal
from rdflib.namespace import RDF, XSD

from hres_graph.config import PROJECT_ROOT
from hres_graph.errors import SourceFormatError
from hres_graph.importers import elections, elections_idea, elections_parlgov
from hres_graph.namespaces import GRAPH, HRES, ID, state

from .helpers import SOURCES, run_importer, run_real, tiny_resolver

FIXTURES = SOURCES / "elections-parlgov"
FLAG_QUERY = PROJECT_ROOT / "queries" / "derived" / "election-status-contradicted.rq"


def _raw(data_root) -> tuple[list[dict], dict[str, str]]:
    """The election rows and country id -> ISO3, straight from the CSV files."""
    folder = data_root / elections_parlgov.SOURCE.default_path
    with open(folder / "02__datacore__Country.csv", encoding="utf-8", newline="") as handle:
        countries = {r["id"]: r["name_short"] for r in csv.DictReader(handle)}
    with open(folder / "31__elections__Election.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle)), countries


@pytest.fixture(scope="module")
def raw(data_root):
    return _raw(data_root)


@pytest.fixture(scope="module")
def real(state_resolver, data_root):
    return run_real(elections_parlgov.SOURCE, state_resolver, data_root)


@pytest.fixture(scope="module")
def electionguide(state_resolver, data_root):
    return run_real(elections.SOURCE, state_resolver, data_root)


@pytest.mark.real_data
def test_real_counts(real, raw):
    rows, _ = raw
    by_type = Counter(r["type"] for r in rows)
    assert len(rows) == 1028 and by_type == {"13": 845, "1": 183}  # PROVENANCE.md
    delegations = [r for r in rows if r["type"] == "1" and r["date"].endswith("-01-01")]
    assert len(delegations) == 8 and all(r["comment"].startswith("Elections took") for r in delegations)
    counts = real.report.counts
    assert counts["rows"] == 1028
    assert counts["European Parliament delegations dated 1 January (not elections)"] == 8
    graph = real.graph
    assert len(set(graph.subjects(RDF.type, HRES.Election))) == 1028 - 8
    kinds = Counter(str(o) for o in graph.objects(None, HRES.electionType))
    assert kinds == {"parliamentary": 845, "European Parliament": 183 - 8}
    early = Counter(str(o) for o in graph.objects(None, HRES.earlyElection))
    assert early["true"] == sum(r["early"] == "1" for r in rows if r not in delegations)
    for column, predicate in (
        ("electorate", HRES.electorate),
        ("votes_cast", HRES.votesCast),
        ("votes_valid", HRES.validVotes),
    ):
        assert len(list(graph.objects(None, predicate))) == sum(bool(r[column]) for r in rows)


@pytest.mark.real_data
def test_real_elections_per_country(real, raw):
    rows, countries = raw
    expected = Counter(countries[r["country"]] for r in rows if r["type"] == "13")
    graph = real.graph
    found = Counter(
        str(graph.value(e, HRES.electionIn)).rsplit("/", 1)[1]
        for e in graph.subjects(HRES.electionType, Literal("parliamentary"))
    )
    assert found == expected
    assert len(found) == 37
    assert {k: found[k] for k in ("DEU", "GBR", "JPN", "SVN", "NZL")} == {
        "DEU": 29,
        "GBR": 28,
        "JPN": 28,
        "SVN": 10,
        "NZL": 39,
    }


@pytest.mark.real_data
def test_real_figures_of_a_sample(real, raw):
    """Electorate, votes and early flag of rows read from the CSV, on the election of that State and day."""
    rows, countries = raw
    graph = real.graph
    by_key = {
        (
            str(graph.value(e, HRES.electionIn)),
            str(graph.value(e, HRES.electionDate)),
            str(graph.value(e, HRES.electionType)),
        ): e
        for e in graph.subjects(RDF.type, HRES.Election)
    }
    sample = [r for r in rows if r["type"] == "13" and r["electorate"] and r["votes_cast"]][::60]
    assert len(sample) >= 12
    for r in sample:
        election = by_key[(str(state(countries[r["country"]])), r["date"], "parliamentary")]
        assert graph.value(election, HRES.electorate) == Literal(int(r["electorate"]), datatype=XSD.nonNegativeInteger)
        assert int(graph.value(election, HRES.votesCast)) == int(r["votes_cast"])
        assert graph.value(election, HRES.earlyElection).toPython() is (r["early"] == "1")
        turnout = Decimal(r["votes_cast"]) / Decimal(r["electorate"])
        assert 0 < turnout <= 1  # the figures a query divides are the source's


@pytest.mark.real_data
def test_real_merge_with_electionguide(real, electionguide, raw):
    """227 of ParlGov's 845 parliamentary elections are ElectionGuide's: the same IRI, one Bundestag or Chamber
    row per day; the matches are checked against ElectionGuide's raw CSV (same day and country)."""
    graph = real.graph
    eg_elections = set(electionguide.graph.subjects(RDF.type, HRES.Election))
    parliamentary = set(graph.subjects(HRES.electionType, Literal("parliamentary")))
    shared = parliamentary & eg_elections
    assert len(shared) == real.report.counts["parliamentary: matched with ElectionGuide"] == 227
    assert real.report.counts["parliamentary: not in ElectionGuide (new)"] == 618
    european = set(graph.subjects(HRES.electionType, Literal("European Parliament")))
    assert not european & eg_elections
    # every shared IRI is an ElectionGuide row of that day, for neither an office nor an upper chamber
    with open(data_root_file(electionguide), encoding="utf-8", newline="") as handle:
        titles = Counter(r["election"] for r in csv.DictReader(handle))
    for election in shared:
        body = str(electionguide.graph.value(election, HRES.electedBody))
        assert titles[f"Election for {body}"] >= 1
        assert not any(word in body for word in ("President", "Senat", "Senado", "Senate", "Council of States"))
        assert graph.value(election, HRES.electionDate) == electionguide.graph.value(election, HRES.electionDate)
    assert ID["election/DEU/2017-09-24/bundestag-german-federal-diet"] in shared
    assert (
        ID[
            "election/BEL/2010-06-13/volksvertegenwoordigers-chambre-des-representants-belgian-chamber-of-representatives"
        ]
        in shared
    )
    # a new election takes ElectionGuide's slug for the State's parliament; the EP has its own
    assert ID["election/DEU/1949-08-14/bundestag-german-federal-diet"] in parliamentary
    assert ID["election/DEU/2019-05-26/european-parliament"] in european


def data_root_file(imported) -> str:
    return imported.ctx.data_root / elections.SOURCE.default_path / elections.FILE


@pytest.mark.real_data
def test_real_flag_of_stale_listings(real, electionguide, state_resolver, data_root):
    """The derived query flags the ElectionGuide listings ParlGov contradicts: six, all 'Date not confirmed'
    days on which ParlGov shows no parliamentary election of the State (it shows it days off)."""
    store = ox.Store()
    idea = run_real(elections_idea.SOURCE, state_resolver, data_root)
    for source, imported in (
        (elections.SOURCE, electionguide),
        (elections_parlgov.SOURCE, real),
        (elections_idea.SOURCE, idea),
    ):
        data = imported.graph.serialize(format="nt").encode()
        store.load(data, ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(GRAPH[source.id])))
    flagged = {
        t.subject.value.split("/election/")[1].rsplit("/", 1)[0]
        for t in store.query(FLAG_QUERY.read_text(encoding="utf-8"), use_default_graph_as_union=True)
    }
    assert flagged == {
        "BGR/2021-03-28",  # held 4 April 2021
        "CYP/2021-05-23",  # held 30 May 2021
        "CZE/2021-10-15",  # held 8-9 October 2021
        "GRC/2023-06-08",  # held 21 May and 25 June 2023
        "ISL/2021-10-23",  # held 25 September 2021
        "JPN/2021-10-22",  # held 31 October 2021
    }
    # a two-day poll (ElectionGuide 20 October 2017, ParlGov 21 October) is not a contradiction
    assert "CZE/2017-10-20" not in flagged


@pytest.mark.real_data
def test_real_deterministic(real, state_resolver, data_root):
    again = run_real(elections_parlgov.SOURCE, state_resolver, data_root)
    assert again.triples == real.triples


# ---- fixtures --------------------------------------------------------------------------------------------

RESOLVER = tiny_resolver({"Federal Republic of Germany": "DEU", "Kingdom of Belgium": "BEL"})


def _fixture(folder: str):
    paths = {"elections": FIXTURES / "good" / "election_df.csv"}
    return run_importer(elections_parlgov.SOURCE, FIXTURES / folder, RESOLVER, source_paths=paths)


def test_fixture_merge():
    imported = _fixture("good")
    graph, counts = imported.graph, imported.report.counts
    assert counts["parliamentary: matched with ElectionGuide"] == 2
    assert counts["parliamentary: not in ElectionGuide (new)"] == 2
    assert counts["European Parliament delegations dated 1 January (not elections)"] == 1
    elections_ = set(graph.subjects(RDF.type, HRES.Election))
    assert elections_ == {
        ID["election/DEU/2017-09-24/bundestag-german-federal-diet"],
        ID["election/DEU/2021-09-26/bundestag-german-federal-diet"],
        ID[
            "election/BEL/2010-06-13/volksvertegenwoordigers-chambre-des-representants-belgian-chamber-of-representatives"
        ],
        ID["election/BEL/2010-06-13/european-parliament"],
        ID["election/ROU/1992-09-27/parliament"],
    }
    belgium = ID[
        "election/BEL/2010-06-13/volksvertegenwoordigers-chambre-des-representants-belgian-chamber-of-representatives"
    ]
    assert graph.value(belgium, HRES.earlyElection) == Literal(True)
    germany_2021 = ID["election/DEU/2021-09-26/bundestag-german-federal-diet"]
    assert graph.value(germany_2021, HRES.votesCast) is None  # empty in the row
    assert graph.value(germany_2021, HRES.validVotes) == Literal(46442023, datatype=XSD.nonNegativeInteger)


def test_fixture_without_electionguide():
    imported = run_importer(elections_parlgov.SOURCE, FIXTURES / "good", RESOLVER)
    assert imported.report.counts["parliamentary: not in ElectionGuide (new)"] == 4
    assert ID["election/DEU/2017-09-24/parliament"] in set(imported.graph.subjects(RDF.type, HRES.Election))
    assert any("were not found" in note for note in imported.report.notes)


@pytest.mark.parametrize("folder, line, column", [("bad_type", 3, "type"), ("bad_early", 3, "early")])
def test_fixture_errors(folder, line, column):
    with pytest.raises(SourceFormatError) as caught:
        _fixture(folder)
    assert caught.value.line == line and caught.value.column == column
    assert "31__elections__Election.csv" in str(caught.value)
