"""Open world, stated (issue 17, item 1): states-not-party and instruments-not-ratified read "not party" only
where a ratification source covering the instrument lists the State (hres:RatificationStatusTable,
hres:listsState), say "unknown" where no source covers it, and "not applicable" for a regional instrument and
a State that is no member of the organisation that adopted it (hres:memberOf; the African Union's members are
reference data, ontology/reference/au-members.ttl).

First on a small hand-written store (the rules one by one, with graph/derived computed by the build's own
queries/derived/current-participation.rq), then on the real build against the raw files read in plain Python.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDFS, XSD

from hres_graph.queries import catalogue
from tests import named_queries_expected as expected

ROOT = Path(__file__).resolve().parent.parent
ID = "https://w3id.org/hres/id/"
HRES = "https://w3id.org/hres/ontology#"
AU_FILE = ROOT / "ontology" / "reference" / "au-members.ttl"
CURRENT_PARTICIPATION = ROOT / "queries" / "derived" / "current-participation.rq"


def plain(term):
    """None when unbound, a bool for an xsd:boolean, else the text."""
    if isinstance(term, Literal) and term.datatype == XSD.boolean:
        return term.toPython()
    return None if term is None else str(term)


def run_named(store, name: str, **params) -> list[dict]:
    """The rows of a named query as dicts of plain values, as NamedQuery.run gives them (its declared columns)."""
    result = catalogue()[name].run(store, {k: str(v) for k, v in params.items()})
    return [{var: plain(value) for var, value in zip(result.variables, row)} for row in result.rows]


def statuses(rows: list[dict]) -> dict[str, str]:
    """State IRI -> status, failing when a State has two statuses."""
    out = {}
    for row in rows:
        assert out.setdefault(row["state"], row["status"]) == row["status"], row
    return out


def iso3(rows_or_map) -> dict[str, str]:
    items = rows_or_map.items() if isinstance(rows_or_map, dict) else statuses(rows_or_map).items()
    return {state.rsplit("/", 1)[1]: status for state, status in items}


# --- the rules on a hand-written store ------------------------------------------------------------------

TRIG = """
@prefix hres: <https://w3id.org/hres/ontology#> .
@prefix id: <https://w3id.org/hres/id/> .
@prefix graph: <https://w3id.org/hres/graph/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

graph:states {
  id:state\\/AAA a hres:State ; hres:unMember true ; rdfs:label "Aland"@en ; hres:memberOf id:org\\/club .
  id:state\\/BBB a hres:State ; hres:unMember true ; rdfs:label "Borduria"@en ; hres:memberOf id:org\\/club .
  id:state\\/CCC a hres:State ; hres:unMember true ; rdfs:label "Carpania"@en .
  id:state\\/DDD a hres:State ; hres:unMember true ; rdfs:label "Deltora"@en ; hres:memberOf id:org\\/club .
  id:state\\/EEE a hres:State ; hres:unMember true ; rdfs:label "Elbonia"@en .
}

graph:reference {
  id:instrument\\/iccpr a hres:Treaty ; rdfs:label "International Covenant on Civil and Political Rights"@en ;
      skos:notation "ICCPR" .
  id:instrument\\/regional a hres:Treaty , hres:RegionalInstrument ; rdfs:label "Club Charter"@en ;
      skos:notation "CC" ; hres:adoptedBy id:org\\/club .
  id:instrument\\/oldregional a hres:Treaty , hres:RegionalInstrument ; rdfs:label "Old Charter"@en ;
      skos:notation "OC" ; hres:adoptedBy id:org\\/gone .
  id:org\\/club a hres:IntergovernmentalOrganisation ; rdfs:label "Club"@en .
  id:org\\/gone a hres:IntergovernmentalOrganisation ; rdfs:label "Gone"@en .
}

# the older source lists AAA, BBB, DDD: BBB a party, DDD a signatory
graph:old {
  id:status-table\\/old\\/iccpr a hres:RatificationStatusTable ; hres:tableOf id:instrument\\/iccpr ;
      hres:statusDate "2020-01-01"^^xsd:date ; hres:recordsKind hres:ConsentToBeBound , hres:Signature ;
      hres:listsState id:state\\/AAA , id:state\\/BBB , id:state\\/DDD .
  id:participation\\/BBB\\/iccpr\\/consent\\/2010 a hres:ConsentToBeBound ; hres:participant id:state\\/BBB ;
      hres:instrument id:instrument\\/iccpr .
  id:participation\\/DDD\\/iccpr\\/signature a hres:Signature ; hres:participant id:state\\/DDD ;
      hres:instrument id:instrument\\/iccpr .
  id:status-table\\/old\\/regional a hres:RatificationStatusTable ; hres:tableOf id:instrument\\/regional ;
      hres:statusDate "2020-01-01"^^xsd:date ; hres:recordsKind hres:ConsentToBeBound ;
      hres:listsState id:state\\/AAA , id:state\\/BBB .
  id:participation\\/BBB\\/regional\\/consent a hres:ConsentToBeBound ; hres:participant id:state\\/BBB ;
      hres:instrument id:instrument\\/regional .
}

# the newer source lists AAA (now a party) and EEE (no act); CCC is in no table: unknown
graph:new {
  id:status-table\\/new\\/iccpr a hres:RatificationStatusTable ; hres:tableOf id:instrument\\/iccpr ;
      hres:statusDate "2024-01-01"^^xsd:date ; hres:recordsKind hres:ConsentToBeBound , hres:Signature ;
      hres:listsState id:state\\/AAA , id:state\\/EEE .
  id:participation\\/AAA\\/iccpr\\/consent\\/2023 a hres:ConsentToBeBound ; hres:participant id:state\\/AAA ;
      hres:instrument id:instrument\\/iccpr .
}
"""

ALL_STATES = {"AAA", "BBB", "CCC", "DDD", "EEE"}


@pytest.fixture(scope="module")
def small_store(tmp_path_factory):
    from hres_graph.store.oxigraph import OxigraphStore

    store = OxigraphStore(tmp_path_factory.mktemp("open-world") / "store", read_only=False)
    store._store.load(TRIG.encode(), ox.RdfFormat.TRIG)
    derived = ox.NamedNode("https://w3id.org/hres/graph/derived")
    triples = list(
        store.native_query(CURRENT_PARTICIPATION.read_text(encoding="utf-8"), use_default_graph_as_union=True)
    )
    assert triples, "current-participation.rq derived nothing"
    store.add_quads(ox.Quad(t.subject, t.predicate, t.object, derived) for t in triples)
    return store


def test_not_party_only_where_a_covering_source_lists_the_state(small_store):
    rows = run_named(small_store, "states-not-party", instrument=f"{ID}instrument/iccpr")
    # AAA and BBB are parties (AAA by the newer table); DDD signed only; EEE listed with no act; CCC in no table
    assert iso3(rows) == {"DDD": "signed only", "EEE": "not party", "CCC": "unknown"}
    signed = {r["state"].rsplit("/", 1)[1]: r["signed"] for r in rows}
    assert signed == {"DDD": True, "EEE": False, "CCC": None}  # nothing says whether CCC signed
    # the gaps first, the unknown last
    assert [r["state"].rsplit("/", 1)[1] for r in rows][-1] == "CCC"
    rows = run_named(small_store, "states-not-party", instrument=f"{ID}instrument/iccpr", include_unknown="false")
    assert iso3(rows) == {"DDD": "signed only", "EEE": "not party"}
    rows = run_named(small_store, "states-not-party", instrument=f"{ID}instrument/iccpr", every_state="true")
    assert iso3(rows) == {
        "AAA": "party",
        "BBB": "party",
        "CCC": "unknown",
        "DDD": "signed only",
        "EEE": "not party",
    }


def test_a_regional_instrument_does_not_apply_to_non_members(small_store):
    rows = run_named(small_store, "states-not-party", instrument=f"{ID}instrument/regional", every_state="true")
    # club members: AAA (listed, no act), BBB (party), DDD (in no table); CCC and EEE are not members
    assert iso3(rows) == {
        "AAA": "not party",
        "BBB": "party",
        "DDD": "unknown",
        "CCC": "not applicable",
        "EEE": "not applicable",
    }
    rows = run_named(small_store, "states-not-party", instrument=f"{ID}instrument/regional")
    assert iso3(rows) == {"AAA": "not party", "DDD": "unknown"}


def test_an_organisation_without_known_members_makes_nothing_inapplicable(small_store):
    rows = run_named(small_store, "states-not-party", instrument=f"{ID}instrument/oldregional", every_state="true")
    assert iso3(rows) == dict.fromkeys(ALL_STATES, "unknown")


def test_instruments_not_ratified_says_unknown_where_no_source_lists_the_state(small_store):
    rows = run_named(small_store, "instruments-not-ratified")
    iccpr = {r["state"].rsplit("/", 1)[1]: r["status"] for r in rows if r["instrument"] == f"{ID}instrument/iccpr"}
    assert iccpr == {"CCC": "unknown", "DDD": "signed", "EEE": "no action"}
    # the other 17 instruments: no table at all, so unknown for every State
    assert {r["status"] for r in rows if r["instrument"] != f"{ID}instrument/iccpr"} == {"unknown"}
    rows = run_named(small_store, "instruments-not-ratified", state=f"{ID}state/CCC", include_unknown="false")
    assert rows == []
    rows = run_named(small_store, "instruments-not-ratified", include_unknown="false")
    assert {(r["state"].rsplit("/", 1)[1], r["status"]) for r in rows} == {("DDD", "signed"), ("EEE", "no action")}


# --- the African Union's members (reference data) -----------------------------------------------------


def au_members() -> set[str]:
    g = Graph().parse(AU_FILE, format="turtle")
    au = URIRef(f"{ID}org/au")
    members = set()
    for s, p, o in g:
        if s == au:
            assert p in (DCTERMS.source, RDFS.comment), p
            continue
        assert (str(p), o) == (f"{HRES}memberOf", au), (s, p, o)
        assert str(s).startswith(f"{ID}state/"), s
        members.add(str(s).rsplit("/", 1)[1])
    assert g.value(au, DCTERMS.source) is not None
    return members


def test_au_members_are_the_african_un_members(data_root):
    """The 54 African UN members (the UN African Group in internacia-db): the AU's 55 but the Sahrawi Republic."""
    members = au_members()
    s = expected.states(data_root)
    african = {code for code, groups in s.groups.items() if "african" in groups}
    assert len(members) == 54 and "MAR" in members
    assert members == african
    assert members <= s.un_members


# --- on the real build --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def store(real_settings):
    from hres_graph.store.oxigraph import open_store

    return open_store(real_settings)


@lru_cache(maxsize=2)
def listed(data_root: Path) -> dict[str, set[str]]:
    """Instrument slug -> the States some ratification table lists (every table records consent): the wpdl files
    and the OHCHR sheets of 2020 and 2023-2026, read in plain Python."""
    from tests.importers.ratification_raw import sheet_acts, wpdl_acts

    s = expected.states(data_root)

    def resolve(text: str) -> str | None:
        return s.iso3.get(text.strip()) or s.resolve(text)

    out = defaultdict(set)
    _, wpdl = wpdl_acts(data_root / "raw" / "ratification-status-wpdl", resolve)
    for slug, codes in wpdl.items():
        out[slug] |= codes
    for folder in ("ohchr-ratification-9-core-2020", "ohchr-ratification-exports"):
        _, _, sheets, _ = sheet_acts(data_root / "raw" / folder, resolve)
        for slug, codes in sheets.items():
            out[slug] |= codes
    return dict(out)


def coe_members(data_root: Path) -> set[str]:
    """internacia-db's Council of Europe block, without the Russian Federation (expelled in March 2022: the
    block still lists it, PROVENANCE.md)."""
    s = expected.states(data_root)
    doc = yaml.safe_load((data_root / "raw" / "internacia-states" / "intblocks" / "political_COE.yaml").read_text())
    return {s.iso3[item["id"]] for item in doc["includes"] if item.get("type", "country") == "country"} - {"RUS"}


def expected_statuses(data_root: Path, slug: str, members: set[str] | None) -> dict[str, str]:
    """Every UN member's status for the instrument, from the raw files: members None for a UN instrument."""
    r = expected.ratification(data_root)
    covered = listed(data_root).get(slug, set())
    out = {}
    for code in expected.states(data_root).un_members:
        if (code, slug) in r.consent:
            out[code] = "party"
        elif members is not None and code not in members:
            out[code] = "not applicable"
        elif code not in covered:
            out[code] = "unknown"
        else:
            out[code] = "signed only" if (code, slug) in r.signed else "not party"
    return out


@pytest.mark.real_data
@pytest.mark.slow
def test_acdeg_no_source_covers_it_so_africa_is_unknown_and_the_rest_not_applicable(store, data_root):
    acdeg = f"{ID}instrument/acdeg"
    assert "acdeg" not in listed(data_root)
    default = iso3(run_named(store, "states-not-party", instrument=acdeg))
    for code in ("GHA", "NGA", "ZAF"):
        assert default[code] == "unknown"
    assert "not party" not in default.values() and "FRA" not in default
    assert run_named(store, "states-not-party", instrument=acdeg, include_unknown="false") == []
    every = iso3(run_named(store, "states-not-party", instrument=acdeg, every_state="true"))
    assert every["FRA"] == "not applicable"
    assert every == expected_statuses(data_root, "acdeg", au_members())


@pytest.mark.real_data
@pytest.mark.slow
def test_echr_protocol_1_council_of_europe_unknown_kenya_not_applicable(store, data_root):
    p1 = f"{ID}instrument/echr-p1"
    every = iso3(run_named(store, "states-not-party", instrument=p1, every_state="true"))
    assert (every["FRA"], every["DEU"], every["SVN"], every["KEN"]) == (
        "unknown",
        "unknown",
        "unknown",
        "not applicable",
    )
    assert every == expected_statuses(data_root, "echr-p1", coe_members(data_root))
    default = iso3(run_named(store, "states-not-party", instrument=p1))
    assert set(default.values()) == {"unknown"} and "KEN" not in default


@pytest.mark.real_data
@pytest.mark.slow
@pytest.mark.parametrize("slug", ["iccpr", "acdeg"])
def test_not_party_is_what_the_raw_files_say(store, data_root, slug):
    rows = run_named(store, "states-not-party", instrument=f"{ID}instrument/{slug}")
    got = iso3(rows)
    members = au_members() if slug == "acdeg" else None
    want = {
        c: s for c, s in expected_statuses(data_root, slug, members).items() if s not in ("party", "not applicable")
    }
    assert got == want
    if slug == "iccpr":
        # every UN member is listed by a source covering the ICCPR: none unknown, and the not-party list is the raw one
        assert expected.states(data_root).un_members <= listed(data_root)["iccpr"]
        assert "unknown" not in got.values()
        parties = {c for c, s in expected.ratification(data_root).consent if s == "iccpr"}
        assert set(got) == expected.states(data_root).un_members - parties
        assert {c for c, s in got.items() if s == "not party"}


@pytest.mark.real_data
@pytest.mark.slow
def test_instruments_not_ratified_has_no_unknown_where_every_state_is_listed(store, data_root):
    rows = run_named(store, "instruments-not-ratified")
    covered = listed(data_root)
    un = expected.states(data_root).un_members
    for row in rows:
        slug, code = row["instrument"].rsplit("/", 1)[1], row["state"].rsplit("/", 1)[1]
        assert (row["status"] == "unknown") == (code not in covered.get(slug, set())), row
    assert all(un <= covered[slug] for slug in expected.WPDL_FILES.values())
    assert "unknown" not in {r["status"] for r in rows}
