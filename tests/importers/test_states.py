"""importers.states: states, UN membership, regional groups and blocks from internacia-db."""

from __future__ import annotations

from collections import Counter

import pytest
from rdflib import Literal
from rdflib.namespace import RDF, RDFS, SKOS

from hres_graph.errors import SourceFormatError
from hres_graph.importers.state_names import StateResolver
from hres_graph.importers.states import SOURCE
from hres_graph.namespaces import HRES, WD, concept, organisation, state

from .helpers import SOURCES, run_importer, run_real

FIXTURES = SOURCES / "states"
GROUP = "un-regional-group"


# --- real data --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real(data_root, state_resolver):
    return run_real(SOURCE, state_resolver, data_root)


@pytest.mark.real_data
def test_counts(real):
    triples, g, report = real.triples, real.graph, real.report
    assert len(triples) == len(g)  # no triple stated twice
    types = Counter(o for o in g.objects(None, RDF.type))
    assert types[HRES.State] == 197  # 193 UN members + VAT, PSE, COK, NIU
    assert types[HRES.Actor] == 55  # territories and other non-state entries
    assert types[HRES.State] + types[HRES.Actor] == 252
    assert types[HRES.IntergovernmentalOrganisation] == 15
    assert len(set(g.subjects(HRES.unMember, Literal(True)))) == 193
    assert report.counts["entities"] == 252 and report.counts["un-members"] == 193
    assert not report.unresolved


@pytest.mark.real_data
def test_regional_groups_after_corrections(real):
    g, report = real.graph, real.report
    sizes = {
        slug: len(set(g.subjects(HRES.inRegionalGroup, concept(GROUP, slug))))
        for slug in ("african", "asia-pacific", "eastern-european", "grulac", "weog")
    }
    # Upstream: Asia-Pacific 58 = 53 + Armenia, Azerbaijan, Australia, New Zealand (dropped) + Kiribati (kept).
    assert sizes == {"african": 54, "asia-pacific": 54, "eastern-european": 23, "grulac": 33, "weog": 29}
    members = set(g.subjects(HRES.unMember, Literal(True)))
    groups_of = {m: set(g.objects(m, HRES.inRegionalGroup)) for m in members}
    assert {m for m, gs in groups_of.items() if len(gs) != 1} == set()  # Kiribati included: exactly one group
    assert set(g.objects(state("ARM"), HRES.inRegionalGroup)) == {concept(GROUP, "eastern-european")}
    assert set(g.objects(state("AZE"), HRES.inRegionalGroup)) == {concept(GROUP, "eastern-european")}
    assert set(g.objects(state("AUS"), HRES.inRegionalGroup)) == {concept(GROUP, "weog")}
    assert set(g.objects(state("NZL"), HRES.inRegionalGroup)) == {concept(GROUP, "weog")}
    assert set(g.objects(state("KIR"), HRES.inRegionalGroup)) == {concept(GROUP, "asia-pacific")}
    assert set(g.objects(state("TUR"), HRES.inRegionalGroup)) == {concept(GROUP, "weog")}
    assert not set(g.objects(state("PSE"), HRES.inRegionalGroup))
    assert report.counts["group-violations"] == 0


@pytest.mark.real_data
def test_corrections_are_reported_and_queryable(real):
    g, report = real.graph, real.report
    assert report.counts["corrections"] == 12
    corrected = [n for n in report.notes if n.startswith("corrected:")]
    assert len(corrected) == 12
    assert any("GNB unMember False -> True" in n for n in corrected)
    assert (state("GNB"), HRES.unMember, Literal(True)) in g
    assert any("unMember corrected" in str(c) for c in g.objects(state("GNB"), RDFS.comment))
    assert (state("RUS"), HRES.memberOf, organisation("coe")) not in g
    assert any("expelled" in str(c) for c in g.objects(state("RUS"), RDFS.comment))
    assert (state("MLI"), HRES.memberOf, organisation("ecowas")) not in g
    assert any(n.startswith("decision: Kiribati") for n in report.notes)
    assert any("Asia-Pacific" in str(c) for c in g.objects(state("KIR"), RDFS.comment))


@pytest.mark.real_data
def test_organisation_memberships(real):
    g = real.graph
    sizes = {
        slug: len(set(g.subjects(HRES.memberOf, organisation(slug))))
        for slug in (
            "un",
            "coe",
            "ecthr-parties",
            "oas",
            "osce",
            "osce-pa",
            "eu",
            "asean",
            "oic",
            "commonwealth",
            "las",
            "oif",
            "caricom",
            "ecowas",
            "sadc",
        )
    }
    assert sizes == {
        "un": 193,
        "coe": 46,
        "ecthr-parties": 46,
        "oas": 35,
        "osce": 57,
        "osce-pa": 57,
        "eu": 27,
        "asean": 11,
        "oic": 57,
        "commonwealth": 56,
        "las": 22,
        "oif": 53,
        "caricom": 21,
        "ecowas": 12,
        "sadc": 16,
    }
    # Shared with ontology/reference/mechanisms.ttl: type and label only.
    for slug in ("un", "eu", "osce", "oas", "commonwealth", "ecowas", "sadc", "coe"):
        assert {p for p, _ in g.predicate_objects(organisation(slug))} == {RDF.type, RDFS.label}, slug
    assert (organisation("oic"), RDFS.label, Literal("Organisation of Islamic Cooperation", lang="en")) in g
    assert (organisation("oic"), SKOS.exactMatch, WD.Q47543) in g
    assert not set(g.objects(organisation("ecthr-parties"), SKOS.exactMatch))  # upstream's item is the Court


@pytest.mark.real_data
def test_known_states(real):
    g = real.graph
    svn = state("SVN")
    assert (svn, RDF.type, HRES.State) in g
    assert set(g.objects(svn, RDFS.label)) == {
        Literal("Slovenia", lang="en"),
        Literal("Slovénie", lang="fr"),
        Literal("Eslovenia", lang="es"),
    }
    assert (svn, HRES.iso3166Alpha2, Literal("SI")) in g and (svn, HRES.iso3166Alpha3, Literal("SVN")) in g
    assert (svn, HRES.m49Code, Literal("705")) in g and (svn, SKOS.exactMatch, WD.Q215) in g
    assert (svn, HRES.memberOf, organisation("eu")) in g and (svn, HRES.memberOf, organisation("coe")) in g
    assert (state("VAT"), RDF.type, HRES.State) in g
    assert (state("VAT"), RDFS.label, Literal("Holy See", lang="en")) in g
    assert (state("PSE"), RDFS.label, Literal("State of Palestine", lang="en")) in g
    assert (state("COK"), RDF.type, HRES.State) in g and (state("NIU"), RDF.type, HRES.State) in g
    assert (state("HKG"), RDF.type, HRES.Actor) in g and set(g.objects(state("HKG"), SKOS.note))
    assert (state("KSV"), RDF.type, HRES.Actor) in g
    assert not set(g.objects(state("KSV"), HRES.iso3166Alpha3))  # KSV is a World Bank code
    assert (state("PRT"), SKOS.exactMatch, WD.Q45) in g  # supplemented: no wikidata_id upstream
    assert (state("ATA"), HRES.m49Code, Literal("010")) in g


@pytest.mark.real_data
def test_every_resource_typed_and_labelled(real):
    g = real.graph
    for s in set(g.subjects(RDF.type, None)):
        assert any(lbl.language == "en" for lbl in g.objects(s, RDFS.label)), s
        assert len([lbl for lbl in g.objects(s, RDFS.label) if lbl.language == "en"]) == 1, s


@pytest.mark.real_data
def test_deterministic(real, data_root, state_resolver):
    again = run_real(SOURCE, state_resolver, data_root).triples
    assert again == real.triples


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_resolver():
    return StateResolver.from_internacia(FIXTURES / "countries")


def test_fixture_corrections(fixture_resolver):
    imported = run_importer(SOURCE, FIXTURES, fixture_resolver)
    g, report = imported.graph, imported.report
    assert set(g.objects(state("ARM"), HRES.inRegionalGroup)) == {concept(GROUP, "eastern-european")}
    assert (state("GNB"), HRES.unMember, Literal(True)) in g  # the UN block wins over the flag
    assert (state("VAT"), RDF.type, HRES.State) in g and (state("HKG"), RDF.type, HRES.Actor) in g
    assert (state("VAT"), HRES.memberOf, organisation("osce")) in g
    assert (state("VAT"), HRES.memberOf, organisation("oif")) not in g  # an observer, not a member
    assert (state("ARM"), HRES.m49Code, Literal("051")) in g  # zero-padded
    assert (state("GNB"), HRES.iso3166Alpha3, Literal("GNB")) in g
    assert report.counts["corrections"] == 2  # AM dropped from Asia-Pacific; GW unMember
    assert report.counts["un-members"] == 3 and report.counts["group-violations"] == 0


def test_single_country_file(fixture_resolver):
    g = run_importer(SOURCE, FIXTURES / "countries" / "SI.yaml", fixture_resolver).graph
    assert (state("SVN"), RDF.type, HRES.State) in g
    assert not set(g.objects(state("SVN"), HRES.inRegionalGroup))  # no block files given


def test_invalid_yaml_names_file_and_line(fixture_resolver):
    with pytest.raises(SourceFormatError) as info:
        run_importer(SOURCE, FIXTURES / "broken", fixture_resolver)
    assert info.value.path.name == "XX.yaml" and info.value.line == 7
    assert "XX.yaml:7" in str(info.value)
