"""The ElectionGuide elections importer: counts from PROVENANCE.md, date formats, places, duplicates, errors."""

from __future__ import annotations

from collections import Counter

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from hres_graph.errors import SourceFormatError
from hres_graph.importers import elections
from hres_graph.namespaces import HRES, ID, state

from .helpers import SOURCES, run_real, to_graph

FIXTURES = SOURCES / "elections"

# Places in the real file that are not states: sub-national units, the EU, and entities without an
# ISO 3166-1 alpha-3 code in our state data. They must stay unresolved, never be forced to a state.
NOT_STATES = {
    "Autonomous Community of Andalusia",
    "Autonomous Community of Galicia",
    "Basque Country",
    "Catalunya (Comunitat autònoma d'Espanya)",
    "Corsica",
    "European Union",
    "Northern Ireland",
    "Republic of Kosovo",
    "Republic of Somaliland",
    "Scotland",
    "Serbia and Montenegro",
    "Turkish Republic of Northern Cyprus (TRNC)",
    "Wales",
}


def _election(path: str) -> URIRef:
    return ID[f"election/{path}"]


@pytest.fixture(scope="module")
def real(state_resolver, data_root):
    return run_real(elections.SOURCE, state_resolver, data_root)


@pytest.mark.real_data
def test_real_counts(real):
    ctx, graph = real.ctx, real.graph
    counts = ctx.report.counts
    assert counts["rows"] == 2410
    assert counts["duplicate rows"] == 6  # six rows repeat an earlier row exactly
    assert counts["same-day rows told apart"] == 1  # Sudan 2011-01-09 referendum: Held and Postponed
    assert counts["elections"] == 2404
    assert counts["type:election"] == 2132 and counts["type:referendum"] == 272  # 2,137 / 273 rows
    assert counts["undated elections"] == 1
    assert counts["elections in places that are not states"] == 69
    elections_ = set(graph.subjects(RDF.type, HRES.Election))
    assert len(elections_) == 2404
    assert all(graph.value(e, RDFS.label) is not None for e in elections_)
    assert len(set(graph.subjects(HRES.electionIn, None))) == 2404 - 69
    assert len(set(graph.subjects(HRES.electionDate, None))) == 2404 - 1
    types = Counter(str(o) for o in graph.objects(None, HRES.electionType))
    assert types == {"election": 2132, "referendum": 272}
    # PROVENANCE status counts less the duplicates (4 Held, 2 Confirmed)
    statuses = Counter(str(o) for o in graph.objects(None, HRES.electionStatus))
    assert statuses == {
        "Held": 2194,
        "Confirmed": 102,
        "Date not confirmed": 46,
        "Snap": 28,
        "Postponed": 18,
        "Second Round if needed": 5,
        "Cancelled": 4,
        "Moved Up/ Snap": 3,
        "Moved up": 3,
        "Tentative": 1,
    }


@pytest.mark.real_data
def test_real_state_names(real):
    ctx, graph = real.ctx, real.graph
    assert set(ctx.report.unresolved) == NOT_STATES
    # formal names resolve: 217 of the 230 distinct names
    assert len(set(graph.objects(None, HRES.electionIn))) == 217


@pytest.mark.real_data
def test_real_known_elections(real):
    graph = real.graph
    greece = _election("GRC/2023-06-08/vouli-ton-ellinon-greek-parliament")
    assert graph.value(greece, HRES.electionIn) == state("GRC")
    assert graph.value(greece, HRES.electionDate) == Literal("2023-06-08", datatype=XSD.date)
    assert graph.value(greece, HRES.electedBody) == Literal("Vouli ton Ellinon (Greek Parliament)")
    assert graph.value(greece, HRES.electionStatus) == Literal("Date not confirmed")

    italy = _election("ITA/undated/camera-dei-deputati-italian-chamber-of-deputies")  # date "None"
    assert graph.value(italy, HRES.electionIn) == state("ITA")
    assert graph.value(italy, HRES.electionDate) is None

    assert graph.value(_election("SDN/2011-01-09/referendum"), HRES.electionStatus) == Literal("Held")
    assert graph.value(_election("SDN/2011-01-09/referendum-2"), HRES.electionStatus) == Literal("Postponed")
    assert graph.value(_election("SDN/2011-01-09/referendum"), HRES.electedBody) is None

    scotland = _election("scotland/2021-05-06/parlamaid-na-h-alba-scottish-parliament")
    assert (scotland, RDF.type, HRES.Election) in graph
    assert graph.value(scotland, HRES.electionIn) is None
    assert "Scotland" in str(graph.value(scotland, RDFS.label))


@pytest.mark.real_data
def test_real_deterministic(real, state_resolver, data_root):
    again = run_real(elections.SOURCE, state_resolver, data_root).triples
    assert again == real.triples


@pytest.mark.real_data
def test_fixture_every_date_format(import_context):
    graph = to_graph(elections.read_elections(FIXTURES / "all_formats.csv", import_context))
    counts = import_context.report.counts
    assert counts["rows"] == 11 and counts["elections"] == 10
    assert counts["duplicate rows"] == 1 and counts["same-day rows told apart"] == 1
    dates = {str(s).rsplit("/election/", 1)[1]: str(o) for s, o in graph.subject_objects(HRES.electionDate)}
    assert dates == {
        "GRC/2020-11-10/vouli-ton-ellinon-greek-parliament": "2020-11-10",  # Nov. 10, 2020
        "KEN/2010-09-05/referendum": "2010-09-05",  # Sept. 5, 2010
        "scotland/2021-05-06/parlamaid-na-h-alba-scottish-parliament": "2021-05-06",  # May 6, 2021
        "ITA/2023-06-08/camera-dei-deputati-italian-chamber-of-deputies": "2023-06-08",  # June 8, 2023
        "KEN/2020-11-10/president": "2020-11-10",  # ISO
        "SDN/2011-01-09/referendum": "2011-01-09",
        "SDN/2011-01-09/referendum-2": "2011-01-09",
        "republic-of-atlantis-the/2004-10-03/atlantean-assembly": "2004-10-03",
    }
    assert graph.value(_election("MEX/2024/president"), HRES.year) == Literal("2024", datatype=XSD.gYear)
    undated = _election("SDN/undated/president")
    assert (undated, RDF.type, HRES.Election) in graph and graph.value(undated, HRES.electionDate) is None
    assert counts["undated elections"] == 1
    assert set(import_context.report.unresolved) == {"Scotland", "Republic of Atlantis, The"}


@pytest.mark.real_data
def test_fixture_cr_line_ends(import_context):
    graph = to_graph(elections.read_elections(FIXTURES / "cr_line_ends.csv", import_context))
    bahrain = _election("BHR/2014-09-28/majlis-an-nuwab-bahraini-council-of-representatives")
    assert graph.value(bahrain, HRES.electionIn) == state("BHR")
    assert import_context.report.counts["elections"] == 2


@pytest.mark.real_data
@pytest.mark.parametrize(
    "name, line, column",
    [("bad_date.csv", 3, "date"), ("bad_election.csv", 2, "election"), ("shifted_columns.csv", 2, None)],
)
def test_fixture_errors(import_context, name, line, column):
    with pytest.raises(SourceFormatError) as caught:
        list(elections.read_elections(FIXTURES / name, import_context))
    error = caught.value
    assert error.path.name == name and error.line == line and error.column == column
    assert f"{name}:{line}" in str(error)


def test_parse_display_date():
    assert elections.parse_display_date("Sept. 5, 2010").isoformat() == "2010-09-05"
    assert elections.parse_display_date("Feb. 29, 2016").isoformat() == "2016-02-29"
    assert elections.parse_display_date("None") is None
    assert elections.parse_display_date("1998") == 1998
    for bad in ("", "Feb. 30, 2016", "10/11/2020", "Nov 10 2020"):
        with pytest.raises(ValueError):
            elections.parse_display_date(bad)
