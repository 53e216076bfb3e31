"""The IDEA turnout importer: counts and turnout against the .xls read with xlrd in plain Python, year-only
dates, the merge with ElectionGuide and ParlGov (one resource per election), and a file that is no workbook."""

from __future__ import annotations

import csv
import io
from collections import Counter

import pytest
import xlrd
from rdflib import Literal
from rdflib.namespace import RDF, XSD

from hres_graph.errors import SourceFormatError
from hres_graph.importers import elections, elections_idea, elections_parlgov
from hres_graph.namespaces import HRES, ID, state

from .helpers import SOURCES, run_importer, run_real

FIXTURES = SOURCES / "elections-idea"


@pytest.fixture(scope="module")
def raw(data_root) -> list[list]:
    """The country rows of the sheet (under the title and header rows), dates with ASCII hyphens."""
    path = data_root / elections_idea.SOURCE.default_path / elections_idea.FILE
    book = xlrd.open_workbook(str(path), logfile=io.StringIO(), ignore_workbook_corruption=True)
    sheet = book.sheet_by_index(0)
    assert sheet.row_values(1) == list(elections_idea.HEADER)
    return [
        [v.replace("\u2011", "-") if isinstance(v, str) else v for v in sheet.row_values(i)]
        for i in range(2, sheet.nrows)
    ]


@pytest.fixture(scope="module")
def real(state_resolver, data_root):
    return run_real(elections_idea.SOURCE, state_resolver, data_root)


@pytest.fixture(scope="module")
def electionguide(state_resolver, data_root):
    return run_real(elections.SOURCE, state_resolver, data_root)


def _by_country(graph) -> dict[str, object]:
    return {str(graph.value(e, HRES.electionIn)).rsplit("/", 1)[1]: e for e in graph.subjects(HRES.electionIn, None)}


@pytest.mark.real_data
def test_real_counts(real, raw):
    assert len(raw) == 202  # PROVENANCE.md
    year_only = [r for r in raw if r[3].endswith("-01-01")]
    no_iso3 = [r for r in raw if not r[2]]
    with_turnout = [r for r in raw if isinstance(r[4], float)]
    assert (len(year_only), len(no_iso3), len(with_turnout)) == (125, 3, 201)
    # PROVENANCE.md: 113 parliamentary elections dated 2022-2024
    assert sum(r[3][:4] in ("2022", "2023", "2024") for r in raw) == 113
    graph, counts = real.graph, real.report.counts
    assert counts["rows"] == 202 and counts["places without an ISO3 code"] == 3
    assert len(set(graph.subjects(RDF.type, HRES.Election))) == 202  # one election per country row
    assert len(list(graph.objects(None, HRES.year))) == len(year_only)
    assert len(list(graph.objects(None, HRES.electionDate))) == 202 - len(year_only)
    assert len(list(graph.objects(None, HRES.turnout))) == len(with_turnout)
    assert len(set(graph.subjects(HRES.electionIn, None))) == 202 - 3


@pytest.mark.real_data
def test_real_turnout_of_a_sample(real, raw):
    """The turnout of every 15th row and of two named rows, on the election of that State."""
    by_country = _by_country(real.graph)
    sample = [r for r in raw if r[2] and isinstance(r[4], float)][::15]
    for row in sample + [r for r in raw if r[2] in ("LBR", "DEU")]:
        election = by_country[row[2]]
        assert real.graph.value(election, HRES.turnout) == Literal(repr(row[4]), datatype=XSD.decimal)
    liberia = by_country["LBR"]  # PROVENANCE.md: Liberia, LR, LBR, 2023-10-10, 78.13
    assert float(real.graph.value(liberia, HRES.turnout)) == 78.13
    assert str(real.graph.value(liberia, HRES.electionDate)) == "2023-10-10"
    assert real.graph.value(by_country["DEU"], HRES.year) == Literal("2021", datatype=XSD.gYear)


@pytest.mark.real_data
def test_real_merge_with_electionguide(real, electionguide, raw, data_root):
    """66 of IDEA's 202 elections are ElectionGuide's. Each match is checked against ElectionGuide's raw CSV
    (the State's election in IDEA's year) and ParlGov's (where it has the State, the day it gives)."""
    graph, counts = real.graph, real.report.counts
    shared = set(graph.subjects(RDF.type, HRES.Election)) & set(electionguide.graph.subjects(RDF.type, HRES.Election))
    assert len(shared) == counts["matched with ElectionGuide"] == 66
    assert counts["not in ElectionGuide (new)"] + counts["several ElectionGuide candidates (new)"] == 202 - 66 - 3
    assert counts["year-only: date from ParlGov"] == 15 and counts["year-only: date from ElectionGuide"] == 62
    idea_when = {r[2]: r[3][:4] if r[3].endswith("-01-01") else r[3] for r in raw if r[2]}
    for election in shared:
        iso3 = str(graph.value(election, HRES.electionIn)).rsplit("/", 1)[1]
        eg_day = str(electionguide.graph.value(election, HRES.electionDate))
        assert eg_day.startswith(idea_when[iso3])
        assert "President" not in str(electionguide.graph.value(election, HRES.electedBody))
    parlgov_days = _parlgov_days(data_root)
    # Norway: IDEA says 2021, ParlGov 2021-09-13, ElectionGuide lists the Storting that day (as Confirmed)
    assert ID["election/NOR/2021-09-13/storting-norwegian-parliament"] in shared
    assert "2021-09-13" in parlgov_days["NOR"]
    # Cyprus: IDEA 2021, ParlGov 2021-05-30, ElectionGuide a stale 2021-05-23: the election is ParlGov's day
    cyprus = _by_country(graph)["CYP"]
    assert cyprus == ID["election/CYP/2021-05-30/vouli-antiprosopon-cypriot-house-of-representatives"]
    assert cyprus not in shared and "2021-05-30" in parlgov_days["CYP"]


def _parlgov_days(data_root) -> dict[str, set[str]]:
    folder = data_root / elections_parlgov.SOURCE.default_path
    with open(folder / "02__datacore__Country.csv", encoding="utf-8", newline="") as handle:
        countries = {r["id"]: r["name_short"] for r in csv.DictReader(handle)}
    days: dict[str, set[str]] = {}
    with open(folder / "31__elections__Election.csv", encoding="utf-8", newline="") as handle:
        for r in csv.DictReader(handle):
            if r["type"] == "13":
                days.setdefault(countries[r["country"]], set()).add(r["date"])
    return days


@pytest.mark.real_data
def test_real_shared_with_parlgov(real, state_resolver, data_root):
    """IDEA's elections ParlGov also has are one resource: the 19 of the 37 ParlGov States whose most recent
    election (per IDEA) ParlGov lists."""
    parlgov = run_real(elections_parlgov.SOURCE, state_resolver, data_root)
    shared = set(real.graph.subjects(RDF.type, HRES.Election)) & set(parlgov.graph.subjects(RDF.type, HRES.Election))
    assert len(shared) == 19
    years = Counter(str(real.graph.value(e, HRES.year) or real.graph.value(e, HRES.electionDate))[:4] for e in shared)
    assert years == {"2020": 1, "2021": 5, "2022": 9, "2023": 4}
    assert all(real.graph.value(e, HRES.electionIn) == parlgov.graph.value(e, HRES.electionIn) for e in shared)
    # Germany 2021: in neither ElectionGuide (its rows end in 2017) nor dated by IDEA (the year only): the IRI
    # is ParlGov's day under ElectionGuide's slug for the Bundestag, the same in both graphs
    germany = ID["election/DEU/2021-09-26/bundestag-german-federal-diet"]
    assert germany in shared and real.graph.value(germany, HRES.electionIn) == state("DEU")


@pytest.mark.real_data
def test_real_deterministic(real, state_resolver, data_root):
    assert run_real(elections_idea.SOURCE, state_resolver, data_root).triples == real.triples


def test_not_a_workbook():
    with pytest.raises(SourceFormatError) as caught:
        run_importer(elections_idea.SOURCE, FIXTURES / "not_a_workbook.xls", None)
    assert "not a readable .xls workbook" in str(caught.value)
