"""The EOM missions importer: counts from PROVENANCE.md, IRIs, rights table, fixtures and errors."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from rdflib import Literal
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from hres_graph.errors import SourceFormatError
from hres_graph.importers import eom_missions
from hres_graph.namespaces import HRES, ID, concept, instrument, organisation, state

from .helpers import ROOT, SOURCES, run_real, to_graph

FIXTURES = SOURCES / "eom-missions"


def _contract_slugs(scheme: str) -> set[str]:
    """Concept slugs of a scheme as listed in the vocabulary table of ontology/README.md."""
    for line in (ROOT / "ontology" / "README.md").read_text(encoding="utf-8").splitlines():
        if line.startswith(f"| `{scheme}` |"):
            return set(re.findall(r"`([a-z0-9-]+)`", line.split("|")[2]))
    raise AssertionError(f"scheme {scheme} not in ontology/README.md")


@pytest.fixture(scope="module")
def real(state_resolver, data_root):
    return run_real(eom_missions.SOURCE, state_resolver, data_root)


def test_tables_match_the_contract():
    assert set(eom_missions.PROCESS_PARTS.values()) == _contract_slugs("electoral-process-part")
    assert set(eom_missions.RIGHTS_BY_PROCESS_PART) == _contract_slugs("electoral-process-part")
    rights = _contract_slugs("rights")
    assert {r for rs in eom_missions.RIGHTS_BY_PROCESS_PART.values() for r in rs} <= rights


@pytest.mark.real_data
def test_real_missions(real):
    ctx, graph = real.ctx, real.graph
    counts = ctx.report.counts
    missions = set(graph.subjects(RDF.type, HRES.ObservationMission))
    assert len(missions) == counts["missions"] == 154
    assert {k.split(":", 1)[1]: v for k, v in counts.items() if k.startswith("organization:")} == {
        "EU": 44,
        "OSCE/ODIHR": 31,
        "Carter Center": 16,
        "AU": 12,
        "Commonwealth": 12,
        "OAS": 8,
        "ECOWAS": 6,
        "SADC": 4,
        "NDI": 4,
        "IRI": 3,
        "other": 14,
    }
    deployed = Counter(str(o).rsplit("/", 1)[1] for o in graph.objects(None, HRES.deployedBy))
    assert deployed == {
        "eu": 44,
        "osce-odihr": 31,
        "carter-center": 16,
        "au": 12,
        "commonwealth": 12,
        "oas": 8,
        "ecowas": 6,
        "sadc": 4,
        "ndi": 4,
        "iri": 3,
        "pace": 6,
        "ep": 2,
        "enemo": 4,
        "ecf-sadc": 1,
        "democracy-international": 1,
    }
    types = Counter(str(o) for o in graph.objects(None, HRES.missionType))
    assert types == {"EOM": 118, "LEOM": 10, "needs assessment": 9, "follow-up": 9, "EAM": 3, "EEM": 2}
    assert counts["missions without a type"] == 3
    assert counts["missions with findings"] == 84
    assert counts["countries"] == 56
    assert len(set(graph.subjects(HRES.reportDate, None))) + counts["report dates without a day"] == 68
    assert len(set(graph.subjects(HRES.chiefObserver, None))) == 90
    assert counts["missions assessing earlier recommendations"] == 20
    # elections by decade: 15 in the 2000s, 83 in the 2010s, 56 in the 2020s (counted per mission)
    decades = Counter()
    for mission in missions:
        election = graph.value(mission, HRES.observes)
        year = graph.value(election, HRES.electionDate) or graph.value(election, HRES.year)
        decades[str(year)[:3]] += 1
    assert decades == {"200": 15, "201": 83, "202": 56}
    assert all(graph.value(s, RDFS.label) is not None for s in set(graph.subjects(RDF.type, None)))


@pytest.mark.real_data
def test_real_findings(real):
    ctx, graph = real.ctx, real.graph
    counts = ctx.report.counts
    findings = set(graph.subjects(RDF.type, HRES.Finding))
    recommendations = set(graph.subjects(RDF.type, HRES.Recommendation))
    assert len(findings) == counts["findings"] == 184
    assert len(recommendations) == counts["recommendations"] == 121
    parts = Counter(str(o).rsplit("/", 1)[1] for o in graph.objects(None, HRES.electoralProcessPart))
    assert parts == {
        "legal-framework": 41,
        "election-administration": 40,
        "voting-counting-tabulation": 38,
        "campaign": 35,
        "participation-of-women-minorities-pwd": 24,
        "media": 22,
        "results": 20,
        "voter-registration": 18,
        "campaign-finance": 15,
        "security-violence": 15,
        "complaints-and-appeals": 14,
        "civil-society-observers": 12,
        "candidate-registration": 7,
        "electoral-system": 4,
    }
    assert {k.split(":", 1)[1]: v for k, v in counts.items() if k.startswith("items of organization:")} == {
        "EU": 114,
        "OSCE/ODIHR": 85,
        "Carter Center": 51,
        "AU": 9,
        "Commonwealth": 16,
        "OAS": 9,
        "ECOWAS": 1,
        "SADC": 7,
        "NDI": 4,
        "IRI": 5,
        "other": 4,
    }
    priority = set(graph.subjects(HRES.priority, None))
    assert len(priority) == 26 and priority <= recommendations
    assert set(graph.objects(None, HRES.priority)) == {Literal(True)}  # never false for `unknown`
    missions = set(graph.subjects(RDF.type, HRES.ObservationMission))
    assert {graph.value(i, HRES.madeByMission) for i in findings | recommendations} <= missions
    assert len(set(graph.subjects(HRES.concernsState, None))) == 184
    assert len(set(graph.subjects(HRES.addressedTo, None))) == 121
    assert list(graph.subject_objects(HRES.concernsInstrument)) == [
        (next(iter(graph.subjects(HRES.concernsInstrument, None))), instrument("osce-copenhagen-1990"))
    ]
    assert counts["standards named"] == 3
    # every item concerns at least one right, through its process part
    assert {s for s in graph.subjects(HRES.concernsRight, None)} == findings | recommendations


@pytest.mark.real_data
def test_real_country_profiles(real):
    graph = real.graph

    def missions_in(iso3: str) -> set:
        return {m for m, e in graph.subject_objects(HRES.observes) if graph.value(e, HRES.electionIn) == state(iso3)}

    def items_in(iso3: str) -> int:
        return len(
            set(graph.subjects(HRES.concernsState, state(iso3))) | set(graph.subjects(HRES.addressedTo, state(iso3)))
        )

    assert len(missions_in("KEN")) == 14 and items_in("KEN") == 44
    assert len(missions_in("CIV")) == 9 and items_in("CIV") == 14


@pytest.mark.real_data
def test_real_known_resources(real):
    ctx, graph = real.ctx, real.graph
    kenya = ID["mission/eu/KEN/2022-08-09"]
    assert graph.value(kenya, HRES.deployedBy) == organisation("eu")
    assert graph.value(kenya, HRES.observes) == ID["election/KEN/2022-08-09"]
    assert graph.value(kenya, HRES.chiefObserver) == Literal("Ivan Štefanec")
    assert graph.value(kenya, HRES.reportDate) == Literal("2022-10-27", datatype=XSD.date)
    assert Literal("The final report makes 21 recommendations.", lang="en") in set(graph.objects(kenya, SKOS.note))
    assert (ID["mission/eu/KEN/2013-03-04/follow-up"], RDF.type, HRES.ObservationMission) in graph
    assert graph.value(ID["mission/pace/ARM/2018-12-09"], HRES.deployedBy) == organisation("pace")
    assert graph.value(ID["mission/democracy-international/EGY/2014-05-26"], HRES.deployedBy) == organisation(
        "democracy-international"
    )
    election = ID["election/KEN/2022-08-09"]
    assert graph.value(election, HRES.electionIn) == state("KEN")
    assert graph.value(election, HRES.electionType) == Literal("general")
    month_only = ID["election/MKD/2009-03"]
    assert graph.value(month_only, HRES.year) == Literal("2009", datatype=XSD.gYear)
    assert graph.value(month_only, HRES.electionDate) is None and "2009-03" in str(graph.value(month_only, RDFS.label))
    assert len(set(graph.subjects(RDF.type, HRES.Election))) == ctx.report.counts["elections"] == 112
    assert not ctx.report.unresolved  # every country name is a state
    # Nigeria 2023: AU, EU, NDI say general, ECOWAS presidential; both kept and reported
    assert set(graph.objects(ID["election/NGA/2023-02-25"], HRES.electionType)) == {
        Literal("general"),
        Literal("presidential"),
    }
    assert any("NGA 2023-02-25" in note for note in ctx.report.notes)


@pytest.mark.real_data
def test_real_deterministic(real, state_resolver, data_root):
    again = run_real(eom_missions.SOURCE, state_resolver, data_root).triples
    assert again == real.triples


@pytest.mark.real_data
def test_fixture_valid(import_context):
    graph = to_graph(eom_missions.read_eom_missions(FIXTURES / "valid", import_context))
    counts = import_context.report.counts
    assert counts["missions"] == 7 and counts["findings"] == 4 and counts["recommendations"] == 3
    assert counts["elections"] == 6 and counts["missions with findings"] == 5 and counts["countries"] == 5
    assert (ID["mission/eu/KEN/2013-03-04/follow-up"], HRES.observes, ID["election/KEN/2013-03-04"]) in graph
    needs = ID["mission/osce-odihr/MDA/2009/needs-assessment"]
    assert graph.value(needs, HRES.missionType) == Literal("needs assessment")
    assert graph.value(needs, DCTERMS.source) == Literal("not a web address")
    assert graph.value(ID["election/MDA/2009"], HRES.year) == Literal("2009", datatype=XSD.gYear)
    assert graph.value(ID["mission/osce-odihr/MKD/2009-03"], HRES.missionType) is None
    assert graph.value(ID["mission/democracy-international/HUN/2022-04-03"], HRES.deployedBy) == organisation(
        "democracy-international"
    )
    assert graph.value(ID["election/HUN/2022-04-03"], HRES.electionType) is None
    pace = ID["mission/pace/ARM/2018-12-09"]
    assert graph.value(pace, HRES.reportDate) is None
    assert Literal("Final report published 2019-01 (day not stated).", lang="en") in set(graph.objects(pace, SKOS.note))
    # two recommendations with one topic get two IRIs
    media = set(graph.subjects(HRES.electoralProcessPart, concept("electoral-process-part", "media")))
    assert len(media) == 2
    assert all(str(m).startswith(str(ID["recommendation/eom/"])) for m in media)
    assert {graph.value(m, HRES.priority) for m in media} == {Literal(True), None}
    women = next(
        iter(
            graph.subjects(
                HRES.electoralProcessPart, concept("electoral-process-part", "participation-of-women-minorities-pwd")
            )
        )
    )
    assert set(graph.objects(women, HRES.concernsRight)) == {
        concept("rights", r) for r in ("participation-of-women", "minorities", "persons-with-disabilities")
    }
    assert graph.value(women, HRES.addressedTo) == state("KEN")
    copenhagen = next(iter(graph.subjects(HRES.concernsInstrument, instrument("osce-copenhagen-1990"))))
    assert graph.value(copenhagen, HRES.issuedBy) == organisation("pace")
    assert graph.value(copenhagen, HRES.concernsState) == state("ARM")
    assert len(set(graph.subject_objects(HRES.concernsInstrument))) == 1  # SADC stays a note
    assert any("SADC Principles" in str(n) for n in graph.objects(None, SKOS.note))


@pytest.mark.real_data
@pytest.mark.parametrize(
    "folder, file, line, column, words",
    [
        ("unknown_org", "missions.csv", 3, "organization", "'UN' is unknown"),
        ("unresolved_key", "findings.csv", 3, "mission_key", "names no mission"),
        ("unknown_part", "findings.csv", 2, "electoral_process_part", "voting/counting/tabulation"),
        ("bad_key", "missions.csv", 2, "mission_key", "PACE"),
    ],
)
def test_fixture_errors(import_context, folder, file, line, column, words):
    with pytest.raises(SourceFormatError) as caught:
        list(eom_missions.read_eom_missions(FIXTURES / folder, import_context))
    error = caught.value
    assert error.path.name == file and error.line == line and error.column == column
    assert f"{file}:{line}" in str(error) and words in str(error)


@pytest.mark.real_data
def test_a_file_instead_of_the_folder(import_context):
    with pytest.raises(SourceFormatError, match="folder"):
        list(eom_missions.read_eom_missions(FIXTURES / "valid" / "missions.csv", import_context))
