"""The data checks of queries/qc/ (`#+ scope: data`): what the sources get wrong, on hand-written TriG.

The store is laid out as a build lays it out: the ontology in graph/ontology (its date ranges tell the
date check which properties hold dates), the build's time in graph/meta, each source in its own graph, and
hres:sameActAs materialised into graph/derived by queries/derived/same-participation-act.rq. The build
started on 2026-01-15, before the day these tests run, so a date between the two shows that the checks
take the build's day and not the clock's.
"""

from __future__ import annotations

import os
import re

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from hres_graph.config import PROJECT_ROOT
from hres_graph.quality.check import run_checks, run_data_checks
from hres_graph.quality.qc import check_scope, qc_checks, run_check

ID = "https://w3id.org/hres/id/"
GRAPH = "https://w3id.org/hres/graph/"

PREFIXES = """
@prefix hres: <https://w3id.org/hres/ontology#> .
@prefix id: <https://w3id.org/hres/id/> .
@prefix graph: <https://w3id.org/hres/graph/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
"""

META = """
graph:meta {
  <https://w3id.org/hres/dataset> prov:wasGeneratedBy <https://w3id.org/hres/id/build/test> .
  <https://w3id.org/hres/id/build/test> prov:startedAtTime "2026-01-15T23:50:00+00:00"^^xsd:dateTime ;
      prov:endedAtTime "2026-01-16T00:40:00+00:00"^^xsd:dateTime .
  graph:un-documents prov:generatedAtTime "2026-01-16T00:30:00+00:00"^^xsd:dateTime .
}
"""

DATA = """
graph:reference {
  <https://w3id.org/hres/id/session/upr/50> hres:year "2027"^^xsd:gYear ; hres:startDate "2027-05-03"^^xsd:date .
}

graph:states {
  <https://w3id.org/hres/id/state/CIV> a hres:State ; rdfs:label "Ivory Coast"@en , "Côte d'Ivoire"@fr ;
      skos:altLabel "Republic of Côte d'Ivoire"@en .
  <https://w3id.org/hres/id/state/BOL> a hres:State ; rdfs:label "Bolivia (Plurinational State of)"@en .
  <https://w3id.org/hres/id/state/TUR> a hres:State ; rdfs:label "Türkiye"@en , "Turquie"@fr .
  <https://w3id.org/hres/id/state/KEN> a hres:State ; rdfs:label "Kenya"@en .
  <https://w3id.org/hres/id/state/VEN> a hres:State ; rdfs:label "Venezuela"@en .
}

graph:un-documents {
  <https://w3id.org/hres/id/finding/un-decision/civ-2029> a hres:Decision ;
      rdfs:label "CCPR, Communication No. 3646/2019 (Côte d’Ivoire)"@en ;
      hres:concernsState <https://w3id.org/hres/id/state/CIV> ; hres:issuedDate "2029-03-14"^^xsd:date .
  <https://w3id.org/hres/id/finding/un-decision/bol-between> a hres:Decision ;
      rdfs:label "CCPR, Communication No. 2987/2017 (Bolivia (Plurinational State of))"@en ;
      hres:concernsState <https://w3id.org/hres/id/state/BOL> ; hres:issuedDate "2026-06-01"^^xsd:date .
  <https://w3id.org/hres/id/finding/un-decision/tur-build-day> a hres:Decision ;
      rdfs:label "CAT, CAT/C/70/D/3200-3207/2018 (Türkiye)"@en ;
      hres:concernsState <https://w3id.org/hres/id/state/TUR> ; hres:issuedDate "2026-01-15"^^xsd:date .
  <https://w3id.org/hres/id/finding/un-decision/tur-past> a hres:Decision ;
      rdfs:label "CAT, Communication No. 8/2005 (Türkiye)"@en ;
      hres:concernsState <https://w3id.org/hres/id/state/TUR> ; hres:issuedDate "2019-07-26"^^xsd:date .
  <https://w3id.org/hres/id/finding/un-decision/ven> a hres:Decision ;
      rdfs:label "CCPR, Communication No. 3022/2017 (Venezuela (Bolivarian Republic of))"@en ;
      hres:concernsState <https://w3id.org/hres/id/state/VEN> .
  <https://w3id.org/hres/id/document/report-2027> hres:year "2027"^^xsd:gYear .
  <https://w3id.org/hres/id/document/report-2026> hres:year "2026"^^xsd:gYear .
}

graph:elections {
  <https://w3id.org/hres/id/election/LBY/2021-12-24/president> a hres:Election ;
      hres:electionStatus "Confirmed" ; hres:electionDate "2021-12-24"^^xsd:date .
  <https://w3id.org/hres/id/election/SDN/2022-12-31/president> a hres:Election ;
      hres:electionStatus "Date not confirmed" ; hres:electionDate "2022-12-31"^^xsd:date .
  <https://w3id.org/hres/id/election/GHA/2020-12-07/ghanaian-parliament> a hres:Election ;
      hres:electionStatus "Confirmed" ; hres:electionDate "2020-12-07"^^xsd:date .
  <https://w3id.org/hres/id/election/DEU/2017-09-24/bundestag-german-federal-diet> a hres:Election ;
      hres:electionStatus "Confirmed" ; hres:electionDate "2017-09-24"^^xsd:date .
  <https://w3id.org/hres/id/election/KEN/2022-08-09/president> a hres:Election ;
      hres:electionStatus "Held" ; hres:electionDate "2022-08-09"^^xsd:date .
  <https://w3id.org/hres/id/election/BOL/2019-12-15/president> a hres:Election ;
      hres:electionStatus "Second Round if needed" ; hres:electionDate "2019-12-15"^^xsd:date .
  <https://w3id.org/hres/id/election/KEN/2027-08-10/president> a hres:Election ;
      hres:electionStatus "Confirmed" ; hres:electionDate "2027-08-10"^^xsd:date .
  <https://w3id.org/hres/id/election/MEX/2027-06-06/senado> a hres:Election ;
      hres:electionStatus "Held" ; hres:electionDate "2027-06-06"^^xsd:date .
  <https://w3id.org/hres/id/election/BGR/2021-03-28/narodno-sabranie> a hres:Election ;
      hres:electionStatus "Date not confirmed" ; hres:electionDate "2021-03-28"^^xsd:date .
  <https://w3id.org/hres/id/election/USA/2021-01-05/us-senate> a hres:Election ;
      hres:electionStatus "Confirmed" ; hres:electionDate "2021-01-05"^^xsd:date .
  <https://w3id.org/hres/id/election/PER/2028-04-09/president> a hres:Election ;
      hres:electionStatus "Confirmed" ; hres:electionDate "2028-04-09"^^xsd:date .
}

graph:results-elsewhere {
  <https://w3id.org/hres/id/election/USA/2021-01-05/us-senate> hres:votesCast "4483746"^^xsd:integer .
  <https://w3id.org/hres/id/election/PER/2028-04-09/president> hres:validVotes "17000000"^^xsd:integer .
}

graph:elections-idea {
  <https://w3id.org/hres/id/election/GHA/2020-12-07/ghanaian-parliament> a hres:Election ;
      hres:turnout "79.0"^^xsd:decimal .
  <https://w3id.org/hres/id/election/TZA/2028/parliament> a hres:Election ;
      hres:year "2028"^^xsd:gYear ; hres:turnout "50.7"^^xsd:decimal .
}

graph:elections-parlgov {
  <https://w3id.org/hres/id/election/DEU/2017-09-24/bundestag-german-federal-diet> a hres:Election ;
      hres:electionDate "2017-09-24"^^xsd:date .
}

graph:eom-missions {
  <https://w3id.org/hres/id/election/ZMB/2026-08-13> a hres:Election ; hres:electionDate "2026-08-13"^^xsd:date .
}

graph:derived {
  <https://w3id.org/hres/id/election/BGR/2021-03-28/narodno-sabranie> hres:statusContradictedBy graph:elections-parlgov .
}

graph:ratification-ohchr {
  <https://w3id.org/hres/id/status-table/ratification-ohchr/iccpr> a hres:RatificationStatusTable ;
      hres:tableOf <https://w3id.org/hres/id/instrument/iccpr> ;
      hres:recordsKind hres:ConsentToBeBound , hres:Signature ; hres:statusDate "2025-10-10"^^xsd:date ;
      hres:listsState <https://w3id.org/hres/id/state/ATG> , <https://w3id.org/hres/id/state/ARM> ,
          <https://w3id.org/hres/id/state/MEX> , <https://w3id.org/hres/id/state/AND> ,
          <https://w3id.org/hres/id/state/FIN> , <https://w3id.org/hres/id/state/SLB> .
  <https://w3id.org/hres/id/participation/ATG/iccpr/consent/1988-10-25> a hres:ConsentToBeBound ;
      hres:participant <https://w3id.org/hres/id/state/ATG> ; hres:instrument <https://w3id.org/hres/id/instrument/iccpr> ;
      hres:eventDate "1988-10-25"^^xsd:date .
  <https://w3id.org/hres/id/participation/MEX/iccpr/consent/1981-03-23> a hres:ConsentToBeBound ;
      hres:participant <https://w3id.org/hres/id/state/MEX> ; hres:instrument <https://w3id.org/hres/id/instrument/iccpr> ;
      hres:eventDate "1981-03-23"^^xsd:date .
  <https://w3id.org/hres/id/participation/AND/iccpr/signature/2002-08-05> a hres:Signature ;
      hres:participant <https://w3id.org/hres/id/state/AND> ; hres:instrument <https://w3id.org/hres/id/instrument/iccpr> ;
      hres:eventDate "2002-08-05"^^xsd:date .
  <https://w3id.org/hres/id/participation/AND/iccpr/consent/2006-09-22> a hres:ConsentToBeBound ;
      hres:participant <https://w3id.org/hres/id/state/AND> ; hres:instrument <https://w3id.org/hres/id/instrument/iccpr> ;
      hres:eventDate "2006-09-22"^^xsd:date .
  <https://w3id.org/hres/id/participation/FIN/iccpr/consent/2023-05-01> a hres:ConsentToBeBound ;
      hres:participant <https://w3id.org/hres/id/state/FIN> ; hres:instrument <https://w3id.org/hres/id/instrument/iccpr> ;
      hres:eventDate "2023-05-01"^^xsd:date .
}

graph:ratification-wpdl {
  <https://w3id.org/hres/id/status-table/ratification-wpdl/iccpr> a hres:RatificationStatusTable ;
      hres:tableOf <https://w3id.org/hres/id/instrument/iccpr> ;
      hres:recordsKind hres:ConsentToBeBound , hres:Signature ; hres:statusDate "2022-06-13"^^xsd:date ;
      hres:listsState <https://w3id.org/hres/id/state/ATG> , <https://w3id.org/hres/id/state/ARM> ,
          <https://w3id.org/hres/id/state/MEX> , <https://w3id.org/hres/id/state/AND> ,
          <https://w3id.org/hres/id/state/FIN> , <https://w3id.org/hres/id/state/SLB> .
  <https://w3id.org/hres/id/participation/ATG/iccpr/consent/1998> a hres:ConsentToBeBound ;
      hres:participant <https://w3id.org/hres/id/state/ATG> ; hres:instrument <https://w3id.org/hres/id/instrument/iccpr> ;
      hres:year "1998"^^xsd:gYear .
  <https://w3id.org/hres/id/participation/ARM/iccpr/consent/1976> a hres:ConsentToBeBound ;
      hres:participant <https://w3id.org/hres/id/state/ARM> ; hres:instrument <https://w3id.org/hres/id/instrument/iccpr> ;
      hres:year "1976"^^xsd:gYear .
  <https://w3id.org/hres/id/participation/MEX/iccpr/consent/1981> a hres:ConsentToBeBound ;
      hres:participant <https://w3id.org/hres/id/state/MEX> ; hres:instrument <https://w3id.org/hres/id/instrument/iccpr> ;
      hres:year "1981"^^xsd:gYear .
  <https://w3id.org/hres/id/participation/AND/iccpr/consent/2006> a hres:ConsentToBeBound ;
      hres:participant <https://w3id.org/hres/id/state/AND> ; hres:instrument <https://w3id.org/hres/id/instrument/iccpr> ;
      hres:year "2006"^^xsd:gYear .
  <https://w3id.org/hres/id/participation/SLB/iccpr/signature> a hres:Signature ;
      hres:participant <https://w3id.org/hres/id/state/SLB> ; hres:instrument <https://w3id.org/hres/id/instrument/iccpr> .
}
"""

# What each check must flag in META + DATA, and nothing else.
EXPECTED = {
    "date-after-build-warning": {
        # a held election in the future; IDEA lists held elections only
        ("election/MEX/2027-06-06/senado", "hres:electionDate"),
        ("election/TZA/2028/parliament", "hres:year"),
        ("election/PER/2028-04-09/president", "hres:electionDate"),  # "Confirmed", yet a vote count
        ("finding/un-decision/civ-2029", "hres:issuedDate"),
        # after the build's day, before the day the tests run: the build's day counts
        ("finding/un-decision/bol-between", "hres:issuedDate"),
        ("document/report-2027", "hres:year"),
    },
    "past-election-still-scheduled-warning": {
        ("election/LBY/2021-12-24/president", "hres:electionStatus"),
        ("election/SDN/2022-12-31/president", "hres:electionStatus"),
        ("election/BGR/2021-03-28/narodno-sabranie", "hres:electionStatus"),
    },
    "state-label-not-un-name-warning": {("state/CIV", "rdfs:label"), ("state/VEN", "rdfs:label")},
    "election-status-contradicted-warning": {("election/BGR/2021-03-28/narodno-sabranie", "hres:electionStatus")},
    "participation-sources-disagree-warning": {
        ("participation/ATG/iccpr/consent/1988-10-25", "hres:ConsentToBeBound"),
        ("participation/ATG/iccpr/consent/1998", "hres:ConsentToBeBound"),
        ("participation/ARM/iccpr/consent/1976", "hres:ConsentToBeBound"),
        ("participation/SLB/iccpr/signature", "hres:Signature"),
    },
}
DATA_CHECKS = {c.name: c for c in qc_checks("data")}
SHORT = {"hres:": "https://w3id.org/hres/ontology#", "rdfs:": "http://www.w3.org/2000/01/rdf-schema#"}


def _short(iri: str) -> str:
    if iri.startswith(ID):
        return iri[len(ID) :]
    for prefix, ns in SHORT.items():
        if iri.startswith(ns):
            return prefix + iri[len(ns) :]
    return iri


def _fill(store: ox.Store, *, meta: bool = True) -> ox.Store:
    """The ontology into graph/ontology, the TriG, then graph/derived's hres:sameActAs as the build makes it."""
    ontology = ox.NamedNode(GRAPH + "ontology")
    store.load(path=str(PROJECT_ROOT / "ontology" / "hres.ttl"), format=ox.RdfFormat.TURTLE, to_graph=ontology)
    # the ontology's own dcterms:created and dcterms:modified are later than this test's build
    for quad in list(store.quads_for_pattern(ox.NamedNode("https://w3id.org/hres/ontology"), None, None, ontology)):
        store.remove(quad)
    store.load((PREFIXES + (META if meta else "") + DATA).encode(), ox.RdfFormat.TRIG)
    same_act = (PROJECT_ROOT / "queries" / "derived" / "same-participation-act.rq").read_text(encoding="utf-8")
    derived = ox.NamedNode(GRAPH + "derived")
    for t in list(store.query(same_act, use_default_graph_as_union=True)):
        store.add(ox.Quad(t.subject, t.predicate, t.object, derived))
    return store


@pytest.fixture(scope="module")
def store():
    return _fill(ox.Store())


def _flagged(name: str, store) -> set[tuple[str, str]]:
    return {(_short(v.entity), _short(v.property)) for v in run_check(DATA_CHECKS[name], store)}


def test_the_data_checks_are_there_with_their_headers():
    assert set(EXPECTED) <= set(DATA_CHECKS)
    for check in DATA_CHECKS.values():
        assert check.header.get("severity") == "WARN", check.name
        assert check.name.endswith("-warning"), check.name
        for key in ("title", "description", "fix"):
            assert check.header.get(key), f"{check.name}: no #+ {key}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_check_flags_exactly_the_defects(name, store):
    assert _flagged(name, store) == EXPECTED[name]


def test_reference_meta_and_scheduled_elections_are_not_future_dates(store):
    flagged = {entity for entity, _ in _flagged("date-after-build-warning", store)}
    assert "session/upr/50" not in flagged  # graph/reference plans ahead
    assert "election/KEN/2027-08-10/president" not in flagged  # Confirmed, to come
    assert "election/ZMB/2026-08-13" not in flagged  # an observed election no source says was held
    assert "finding/un-decision/tur-build-day" not in flagged  # the build's own day is not after it
    assert not any(entity.startswith("https://w3id.org/hres/graph/") for entity in flagged)  # graph/meta


def test_without_meta_the_clock_decides():
    flagged = {entity for entity, _ in _flagged("date-after-build-warning", _fill(ox.Store(), meta=False))}
    assert "finding/un-decision/civ-2029" in flagged
    assert "finding/un-decision/bol-between" not in flagged  # 2026-06-01 is before the day the tests run


def test_values_say_what_the_sources_say(store):
    def values(name: str, entity: str) -> list[str]:
        return [v.value for v in run_check(DATA_CHECKS[name], store) if v.entity == ID + entity]

    assert values("date-after-build-warning", "finding/un-decision/civ-2029") == [
        "2029-03-14 is after the build date 2026-01-15 (un-documents)"
    ]
    [label] = values("state-label-not-un-name-warning", "state/CIV")
    assert '"Ivory Coast"' in label and '"Côte d’Ivoire" (1)' in label
    [nested] = values("state-label-not-un-name-warning", "state/VEN")
    assert nested.endswith('names the State "Venezuela (Bolivarian Republic of)" (1)')
    [past] = values("past-election-still-scheduled-warning", "election/LBY/2021-12-24/president")
    assert past.startswith("Confirmed for 2021-12-24, before the build date 2026-01-15")
    [ohchr] = values("participation-sources-disagree-warning", "participation/ATG/iccpr/consent/1988-10-25")
    assert ohchr == "ratification-ohchr: 1988-10-25; ratification-wpdl as of 2022-06-13: 1998"
    [arm] = values("participation-sources-disagree-warning", "participation/ARM/iccpr/consent/1976")
    assert (
        arm == "ratification-wpdl: 1976; ratification-ohchr as of 2025-10-10: none (lists the State without this act)"
    )
    [bgr] = values("election-status-contradicted-warning", "election/BGR/2021-03-28/narodno-sabranie")
    assert bgr == "elections: Date not confirmed for 2021-03-28; elections-parlgov shows no such election"


def test_a_fixed_label_is_no_longer_flagged(store):
    civ = ox.NamedNode(ID + "state/CIV")
    states = ox.NamedNode(GRAPH + "states")
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    fixed = ox.Store()
    fixed.extend(store.quads_for_pattern(None, None, None, None))
    fixed.remove(ox.Quad(civ, label, ox.Literal("Ivory Coast", language="en"), states))
    fixed.add(ox.Quad(civ, label, ox.Literal("Côte d'Ivoire", language="en"), states))
    assert _flagged("state-label-not-un-name-warning", fixed) == {("state/VEN", "rdfs:label")}


def test_data_checks_are_not_run_on_the_hand_edited_rdf():
    assert {check_scope(c) for c in qc_checks()} == {"hand-edited", "data"}
    assert not set(DATA_CHECKS) & {c.name for c in qc_checks("hand-edited")}


def test_run_data_checks_prints_each_check(store):
    lines: list[str] = []
    errors = run_data_checks(store, echo=lines.append)
    assert errors == []  # warnings only
    for name, expected in EXPECTED.items():
        assert f"warn  {name}: {len(expected)} row(s)" in lines


def test_hres_check_runs_the_data_checks_on_the_current_store(tmp_path, monkeypatch):
    folder = tmp_path / "stores" / "20260115T235000Z"
    folder.parent.mkdir()
    disk = ox.Store(str(folder))
    _fill(disk)
    disk.flush()
    del disk
    (tmp_path / "current").symlink_to(folder)
    monkeypatch.setenv("HRES_VAR_DIR", str(tmp_path))
    from hres_graph.cli import main

    result = CliRunner().invoke(main, ["check", "--no-reasoner"])
    assert result.exit_code == 0, result.output
    assert f"data checks over {folder}" in result.output
    for name, expected in EXPECTED.items():
        assert f"warn  {name}: {len(expected)} row(s)" in result.output
    assert "what to do: Look the act up in the UN Treaty Collection" in result.output


def test_hres_check_without_a_build_skips_the_data_checks(tmp_path):
    lines: list[str] = []
    from hres_graph.config import load_settings

    problems = run_checks(reasoner=False, echo=lines.append, settings=load_settings(var_dir=tmp_path))
    assert problems == []
    assert any(line.startswith("skip  data checks: no store has been built yet") for line in lines)


@pytest.mark.real_data
def test_the_build_prints_each_data_check_with_its_count(tmp_path, data_root):
    """`hres build` ends with the data checks' counts (the rows: `hres check`)."""
    import subprocess
    import sys

    from hres_graph.quality.qc import qc_checks

    env = dict(os.environ, HRES_VAR_DIR=str(tmp_path / "var"), HRES_DATA_ROOT=str(data_root))
    result = subprocess.run(
        [sys.executable, "-m", "hres_graph", "build", "--source", "states", "--no-progress"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Data checks (queries/qc" in result.stderr
    for check in qc_checks("data"):
        assert re.search(rf"^(ok  |warn|info|FAIL)  {re.escape(check.name)}: \d+ row\(s\)$", result.stderr, re.M), (
            check.name
        )


def test_check_reads_the_store_of_the_global_var_dir_option(tmp_path):
    from hres_graph.cli import main

    result = CliRunner().invoke(main, ["--var-dir", str(tmp_path / "elsewhere"), "check", "--no-reasoner"])
    assert f"skip  data checks: no store has been built yet in {tmp_path / 'elsewhere'}" in result.output
