"""importers.ratification_wpdl: party / signatory / no action per instrument, as participation events."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date

import pytest
from rdflib import Literal
from rdflib.namespace import RDF, RDFS, SKOS

from hres_graph.errors import SourceFormatError
from hres_graph.importers._participation import participation, status_table
from hres_graph.importers.base import date_literal, year_literal
from hres_graph.importers.ratification_wpdl import SOURCE
from hres_graph.importers.state_names import StateResolver
from hres_graph.namespaces import HRES, instrument, state

from .helpers import SOURCES, run_importer, run_real

FIXTURES = SOURCES

# PROVENANCE.md: state party / signatory state / no action per instrument.
EXPECTED = {
    "iccpr": (174, 6, 13),
    "icescr": (171, 4, 18),
    "icerd": (181, 3, 9),
    "cedaw": (187, 2, 4),
    "cat": (171, 4, 18),
    "crc": (192, 1, 0),
    "icmw": (57, 11, 125),
    "cped": (68, 43, 82),
    "crpd": (181, 8, 4),
    "iccpr-op1": (116, 4, 73),
    "iccpr-op2": (89, 0, 104),
    "icescr-op": (26, 23, 144),
    "cedaw-op": (113, 11, 69),
    "crc-opac": (170, 8, 15),
    "crc-opsc": (176, 7, 10),
    "crc-opic": (46, 15, 132),
    "opcat": (89, 13, 91),
    "crpd-op": (97, 24, 72),
}


@pytest.fixture(scope="module")
def real(data_root, state_resolver):
    return run_real(SOURCE, state_resolver, data_root)


@pytest.mark.real_data
def test_counts_per_instrument(real):
    g, report = real.graph, real.report
    for key, (parties, signatories, no_action) in EXPECTED.items():
        events = set(g.subjects(HRES.instrument, instrument(key)))
        consent = {e for e in events if (e, RDF.type, HRES.ConsentToBeBound) in g}
        signature = {e for e in events if (e, RDF.type, HRES.Signature) in g}
        assert (len(consent), len(signature)) == (parties, signatories), key
        assert report.counts[f"{key}:no-action"] == no_action, key
        assert len(consent) + len(signature) + no_action == 193, key
    types = Counter(g.objects(None, RDF.type))
    assert types == {HRES.ConsentToBeBound: 2304, HRES.Signature: 187, HRES.RatificationStatusTable: 18}
    assert report.counts["no-action"] == 983


@pytest.mark.real_data
def test_states_resolve(real):
    g, report = real.graph, real.report
    assert dict(report.unresolved) == {}  # every name resolves (after the COD alias)
    assert report.counts["resolved-by-name"] == 19  # iso2 "TP" (East Timor) in 18 files, "S" (South Sudan) once
    assert report.counts["non-un-rows"] == 1  # Montserrat, listed instead of Gabon in hr_status_op_crc_ic.csv
    assert any("hr_status_op_crc_ic.csv has no row for GAB" in n for n in report.notes)
    participants = set(g.objects(None, HRES.participant))
    assert len(participants) == 193
    assert state("TLS") in participants and state("SSD") in participants


@pytest.mark.real_data
def test_known_events(real):
    g = real.graph
    svn = participation("SVN", "iccpr", "consent", 1992)  # the year is part of the IRI: a year-only statement
    assert str(svn).endswith("/participation/SVN/iccpr/consent/1992")
    assert (svn, RDF.type, HRES.ConsentToBeBound) in g
    assert (svn, HRES.participant, state("SVN")) in g and (svn, HRES.instrument, instrument("iccpr")) in g
    assert (svn, HRES.year, year_literal(1992)) in g
    assert (svn, RDFS.label, Literal("Slovenia: ICCPR, consent to be bound (1992)", lang="en")) in g
    usa = participation("USA", "icescr", "signature")  # signed 1977, never ratified
    assert (usa, RDF.type, HRES.Signature) in g and not set(g.objects(usa, HRES.year))
    # The only UN member not party to the CRC: a signatory.
    assert (participation("USA", "crc", "signature"), RDF.type, HRES.Signature) in g
    assert not {
        e
        for e in g.subjects(HRES.participant, state("USA"))
        if (e, HRES.instrument, instrument("crc")) in g and (e, RDF.type, HRES.ConsentToBeBound) in g
    }
    jam = participation("JAM", "iccpr-op1", "consent", 1975)
    assert Literal("Note in the source table: Denounced the OP 1997", lang="en") in set(g.objects(jam, SKOS.note))


@pytest.mark.real_data
def test_flag_conflicts_are_reported(real):
    g, report = real.graph, real.report
    assert report.counts["flag-conflicts"] == 11
    zwe = participation("ZWE", "cedaw-op", "consent")  # status says party; flags 0/0/0 and no year: no year in the IRI
    assert (zwe, RDF.type, HRES.ConsentToBeBound) in g
    assert not set(g.objects(zwe, HRES.year))
    assert any("no year" in str(n) for n in g.objects(zwe, SKOS.note))


@pytest.mark.real_data
def test_status_tables_list_every_row(real, data_root):
    """One table per file, as of 2022-06-13, listing as many States as the file has rows (all resolve)."""
    g = real.graph
    folder = data_root / SOURCE.default_path
    for file in sorted(folder.glob("hr_status_*.csv")):
        with open(file, encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        key = {
            "op_cedaw": "cedaw-op",
            "op_crpd": "crpd-op",
            "op_crc_ac": "crc-opac",
            "op_crc_sc": "crc-opsc",
            "op_crc_ic": "crc-opic",
            "iccpr_op1": "iccpr-op1",
            "iccpr_op2": "iccpr-op2",
            "icescr_op": "icescr-op",
        }.get(file.stem[10:], file.stem[10:])
        table = status_table(SOURCE.id, key)
        assert len(set(g.objects(table, HRES.listsState))) == len(rows) == 193, key
        assert (table, HRES.tableOf, instrument(key)) in g
        assert (table, HRES.statusDate, date_literal(date(2022, 6, 13))) in g
        assert set(g.objects(table, HRES.recordsKind)) == {HRES.Signature, HRES.ConsentToBeBound}


@pytest.mark.real_data
def test_deterministic(real, data_root, state_resolver):
    assert run_real(SOURCE, state_resolver, data_root).triples == real.triples


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_resolver():
    return StateResolver.from_internacia(FIXTURES / "states" / "countries")


def test_fixture_file(fixture_resolver):
    imported = run_importer(SOURCE, FIXTURES / SOURCE.id / "hr_status_iccpr.csv", fixture_resolver)
    g, report = imported.graph, imported.report
    assert (participation("SVN", "iccpr", "consent", 1992), HRES.year, year_literal(1992)) in g
    notes = set(g.objects(participation("SVN", "iccpr", "consent", 1992), SKOS.note))
    assert notes == {Literal("Note in the source table: Signed as a predecessor, then succeeded", lang="en")}
    arm = participation("ARM", "iccpr", "consent", 1993)
    assert (arm, RDF.type, HRES.ConsentToBeBound) in g and not set(g.objects(arm, SKOS.note))  # a name-fixing note
    assert (participation("GNB", "iccpr", "signature"), RDF.type, HRES.Signature) in g
    assert dict(report.unresolved) == {"Atlantis": ["hr_status_iccpr.csv:5"]}
    assert report.counts["unresolved-rows"] == 1
    assert report.counts["non-un-rows"] == 2  # Hong Kong; Holy See
    vat = participation("VAT", "iccpr", "consent", 2001)  # iso2 "XQ" unknown: resolved by name
    assert report.counts["resolved-by-name"] == 1 and (vat, HRES.year, year_literal(2001)) in g
    assert report.counts["flag-conflicts"] == 1 and set(g.objects(vat, SKOS.note))


def test_bad_year_names_line_and_column(fixture_resolver):
    with pytest.raises(SourceFormatError) as info:
        run_importer(SOURCE, FIXTURES / SOURCE.id / "bad-year", fixture_resolver)
    err = info.value
    assert (err.path.name, err.line, err.column) == ("hr_status_cat.csv", 3, "year ratification or accession")
    assert "'19x3'" in str(err)


def test_unknown_instrument_file(fixture_resolver):
    with pytest.raises(SourceFormatError, match="cannot tell the instrument"):
        run_importer(SOURCE, FIXTURES / SOURCE.id / "unknown-instrument", fixture_resolver)
