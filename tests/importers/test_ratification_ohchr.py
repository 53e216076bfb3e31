"""importers.ratification_ohchr: the 2023/2025 sheets' dated acts, compared with the raw files read by plain xlrd
(tests/importers/ratification_raw.py), and every disagreement with the wpdl table reported."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest
import xlrd
from rdflib import Literal
from rdflib.namespace import RDF, RDFS, SKOS

from hres_graph.errors import SourceFormatError
from hres_graph.importers import _ohchr_sheet, ratification_wpdl
from hres_graph.importers._participation import participation, status_table
from hres_graph.importers.base import date_literal
from hres_graph.importers.ratification_ohchr import SOURCE
from hres_graph.namespaces import HRES, mechanism, state

from .helpers import SOURCES, run_importer, run_real
from .ratification_raw import graph_acts, sheet_acts

FIXTURES = SOURCES / SOURCE.id

# Every disagreement with the wpdl table found in the real files (see the printed notes when this fails). ICESCR's
# three other differences (KNA, SSD 2024; AND's signature 2025) are acts after the wpdl table: not disagreements.
DISAGREEMENTS = {"iccpr": 4, "iccpr-op1": 5, "icescr": 1, "icescr-op": 8}


@pytest.fixture(scope="module")
def real(data_root, state_resolver):
    return run_real(
        SOURCE,
        state_resolver,
        data_root,
        source_paths={"ratification-wpdl": data_root / ratification_wpdl.SOURCE.default_path},
    )


@pytest.mark.real_data
def test_every_dated_act_of_the_sheets(real, data_root, state_resolver):
    g, report = real.graph, real.report
    acts = sheet_acts(data_root / SOURCE.default_path, state_resolver.resolve)[0]
    assert graph_acts(g) == acts
    counts = Counter((key, mode) for _, key, mode, _ in acts)
    # PROVENANCE: 173 ratification dates per file; signatures ICCPR 74, CAT 83, ICESCR 72.
    for key, signatures in (("iccpr", 74), ("cat", 83), ("icescr", 72)):
        assert counts[key, "consent"] == 173 and counts[key, "signature"] == signatures, key
        assert report.counts[f"{key}:rows"] == 197, key  # 198 rows minus the European Union
    assert counts["iccpr-op1", "consent"] == counts["iccpr", "communications"] == 117
    assert counts["icescr-op", "consent"] == 18
    assert (counts["cat", "communications"], counts["cat", "inquiry"], counts["icescr", "inquiry"]) == (70, 149, 5)
    # The sheets never say ratification vs accession vs succession: no subclass is asserted.
    assert not {HRES.Ratification, HRES.Accession, HRES.Succession} & set(g.objects(None, RDF.type))


@pytest.mark.real_data
def test_unresolved_is_only_the_european_union(real):
    g, report = real.graph, real.report
    assert set(report.unresolved) == {"European Union"}
    assert report.counts["not-in-wpdl"] == 20  # Holy See, State of Palestine, Cook Islands, Niue x 5 tables
    vat = participation("VAT", "cat", "consent", date(2002, 6, 26))
    assert (vat, HRES.eventDate, date_literal(date(2002, 6, 26))) in g
    assert (participation("PSE", "iccpr", "consent", date(2014, 4, 2)), HRES.participant, state("PSE")) in g
    assert not set(g.subjects(HRES.participant, state("COK")))  # resolved, but party to none of the three
    assert state("COK") in set(g.objects(status_table(SOURCE.id, "iccpr"), HRES.listsState))  # listed: known


@pytest.mark.real_data
def test_disagreements(real):
    g, report = real.graph, real.report
    notes = [n for n in report.notes if n.startswith("disagreement:")]
    print("\n".join(notes))
    assert report.counts["disagreements"] == len(notes) == sum(DISAGREEMENTS.values()) == 18
    assert report.counts["later-acts"] == 3
    for key, n in DISAGREEMENTS.items():
        assert report.counts[f"disagreements:{key}"] == n, key
    gnq = participation("GNQ", "iccpr", "consent", date(1987, 9, 25))  # wpdl: 1979; OHCHR: 25 September 1987
    assert (gnq, HRES.eventDate, date_literal(date(1987, 9, 25))) in g
    assert any("1979" in str(n) for n in g.objects(gnq, SKOS.note))
    tuv = participation("TUV", "iccpr", "consent", 1976)  # wpdl says party in 1976; OHCHR has no date
    assert not set(g.objects(tuv, HRES.eventDate)) and set(g.objects(tuv, SKOS.note))


@pytest.mark.real_data
def test_events_and_tables(real):
    g = real.graph
    svn = participation("SVN", "iccpr", "consent", date(1992, 7, 6))
    assert (svn, RDFS.label, Literal("Slovenia: ICCPR, consent to be bound (1992-07-06)", lang="en")) in g
    afg = participation("AFG", "cat", "inquiry", date(2018, 4, 17))
    assert (afg, RDF.type, HRES.InquiryProcedureAcceptance) in g
    assert (afg, HRES.competenceAccepted, mechanism("cat")) in g
    for s in set(g.subjects(HRES.participant, None)):
        assert len(set(g.objects(s, HRES.eventDate))) == 1, s
    as_of = {
        "iccpr": date(2023, 2, 21),
        "iccpr-op1": date(2023, 2, 21),
        "cat": date(2023, 2, 21),
        "icescr": date(2025, 10, 10),
        "icescr-op": date(2025, 10, 10),
    }
    assert len(set(g.subjects(RDF.type, HRES.RatificationStatusTable))) == len(as_of)
    for key, when in as_of.items():
        assert (status_table(SOURCE.id, key), HRES.statusDate, date_literal(when)) in g, key
        assert len(set(g.objects(status_table(SOURCE.id, key), HRES.listsState))) == 197, key


@pytest.mark.real_data
def test_deterministic(real, data_root, state_resolver):
    assert run_real(SOURCE, state_resolver, data_root).triples == real.triples  # wpdl found through the data root


# --- fixtures ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["truncated.xls", "not-excel.xls"])
def test_broken_workbook(name):
    with pytest.raises(SourceFormatError, match="not a readable .xls workbook") as info:
        run_importer(SOURCE, FIXTURES / name, None)
    assert info.value.path.name == name


class FakeSheet:
    """Just enough of an xlrd sheet for the row parser: rows of (ctype, value)."""

    def __init__(self, rows):
        self.rows = [[xlrd.sheet.Cell(t, v) for t, v in row] for row in rows]
        self.nrows, self.ncols = len(rows), len(rows[0])

    def cell(self, r, c):
        return self.rows[r][c]

    def cell_value(self, r, c):
        return self.rows[r][c].value


TEXT, DATE, EMPTY = xlrd.XL_CELL_TEXT, xlrd.XL_CELL_DATE, xlrd.XL_CELL_EMPTY
HEADER = [
    "Country",
    "Date of Signature (dd/mm/yyyy)",
    "Date of Ratification/Accession",
    "Date of acceptance of individual communications procedure",
]


def test_rows_dates_and_footers():
    sheet = FakeSheet(
        [
            [(TEXT, "Some covenant [Last Updated: 01/01/2024]"), (EMPTY, ""), (EMPTY, ""), (EMPTY, "")],
            [(TEXT, h) for h in HEADER],
            [(TEXT, "Slovenia"), (EMPTY, ""), (DATE, 33791.0), (TEXT, "16/06/1993")],  # Excel serial and text date
            [(EMPTY, ""), (EMPTY, ""), (EMPTY, ""), (EMPTY, "")],
            [(TEXT, "Source: somewhere"), (EMPTY, ""), (EMPTY, ""), (EMPTY, "")],
        ]
    )
    rows = list(_ohchr_sheet._rows(Path("x.xls"), sheet, 0, HEADER, ("signature", "consent", "communications")))
    assert [(r.line, r.name, r.acts) for r in rows] == [
        (3, "Slovenia", {"consent": date(1992, 7, 6), "communications": date(1993, 6, 16)})
    ]


def test_bad_date_cell_names_line_and_column():
    sheet = FakeSheet(
        [
            [(TEXT, "title"), (EMPTY, ""), (EMPTY, ""), (EMPTY, "")],
            [(TEXT, h) for h in HEADER],
            [(TEXT, "Slovenia"), (TEXT, "sometime in 1967"), (EMPTY, ""), (EMPTY, "")],
        ]
    )
    with pytest.raises(SourceFormatError) as info:
        list(_ohchr_sheet._rows(Path("x.xls"), sheet, 0, HEADER, ("signature", "consent", "communications")))
    assert (info.value.line, info.value.column) == (3, HEADER[1])


def test_title_names_the_treaty_and_the_stamp_dates_the_sheet():
    title = "Convention on the Rights of the Child [Last Updated: 16/09/2020 08:50:52]"
    assert _ohchr_sheet._title(Path("x.xls"), title) == ("crc", "crc-opic", date(2020, 9, 16))
    title = "Convention on the Rights of Persons with Disabilities [Last Updated: 10/10/2025 11:26:54]"
    assert _ohchr_sheet._title(Path("x.xls"), title) == ("crpd", "crpd-op", date(2025, 10, 10))
    with pytest.raises(SourceFormatError, match="unknown instrument title"):
        _ohchr_sheet._title(Path("x.xls"), "Convention on Cluster Munitions [Last Updated: 01/01/2020 00:00:00]")
    with pytest.raises(SourceFormatError, match="no '\\[Last Updated"):
        _ohchr_sheet._title(Path("x.xls"), "Convention against Torture")


def test_header_says_which_acts_the_columns_date():
    five = HEADER + ["Date of acceptance of inquiry procedure"]
    assert _ohchr_sheet._modes(Path("x.xls"), five) == ("signature", "consent", "communications", "inquiry")
    with pytest.raises(SourceFormatError) as info:
        _ohchr_sheet._modes(Path("x.xls"), HEADER[:3] + ["Date of reservation"])
    assert (info.value.line, info.value.column) == (2, 4)


def test_a_date_before_the_un_is_kept_apart():
    sheet = FakeSheet(
        [
            [(TEXT, "title"), (EMPTY, ""), (EMPTY, ""), (EMPTY, "")],
            [(TEXT, h) for h in HEADER],
            [(TEXT, "Bahamas"), (EMPTY, ""), (DATE, 30000.0), (DATE, 1.0)],  # Excel's day 1: 1900-01-01
        ]
    )
    (row,) = _ohchr_sheet._rows(Path("x.xls"), sheet, 0, HEADER, ("signature", "consent", "communications"))
    assert row.acts == {"consent": date(1982, 2, 18)} and row.impossible == {"communications": date(1900, 1, 1)}
