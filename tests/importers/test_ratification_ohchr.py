"""importers.ratification_ohchr: exact dates on the wpdl events, and every disagreement reported."""
from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest
import xlrd
from rdflib import Graph, Literal
from rdflib.namespace import RDF, RDFS, SKOS

from hres_graph.errors import SourceFormatError
from hres_graph.importers import ratification_ohchr, ratification_wpdl
from hres_graph.importers.base import date_literal
from hres_graph.importers.ratification_ohchr import SOURCE
from hres_graph.importers.ratification_wpdl import participation
from hres_graph.namespaces import HRES, state

from .helpers import SOURCES, run_importer, run_real

FIXTURES = SOURCES / SOURCE.id

# Every disagreement with the wpdl table found in the real files (see the printed notes when this fails).
DISAGREEMENTS = {"iccpr": 4, "iccpr-op1": 5, "icescr": 4, "icescr-op": 8, "cat": 0}


@pytest.fixture(scope="module")
def real(data_root, state_resolver):
    return run_real(SOURCE, state_resolver, data_root,
                    source_paths={"ratification-wpdl": data_root / ratification_wpdl.SOURCE.default_path})


def dated(g: Graph, key: str, mode: str) -> set:
    suffix = f"/{key}/{mode}"
    return {s for s in g.subjects(HRES.eventDate, None) if str(s).endswith(suffix)}


@pytest.mark.real_data
def test_counts(real):
    g, report = real.graph, real.report
    # PROVENANCE: 173 ratification dates per file; signatures ICCPR 74, CAT 83, ICESCR 72.
    for key, signatures in (("iccpr", 74), ("cat", 83), ("icescr", 72)):
        assert len(dated(g, key, "consent")) == 173, key
        assert len(dated(g, key, "signature")) == signatures, key
        assert report.counts[f"{key}:rows"] == 197, key  # 198 rows minus the European Union
    assert len(dated(g, "iccpr-op1", "consent")) == 117  # the individual-communications column
    assert len(dated(g, "icescr-op", "consent")) == 18
    assert Counter(g.objects(None, RDF.type)) == {HRES.ConsentToBeBound: 654, HRES.Signature: 229}
    # The sheets never say ratification vs accession vs succession: no subclass is asserted.
    assert not {HRES.Ratification, HRES.Accession, HRES.Succession} & set(g.objects(None, RDF.type))
    assert report.counts["declarations-not-imported"] == 154  # CAT art. 22 / art. 20, ICESCR-OP inquiry


@pytest.mark.real_data
def test_unresolved_is_only_the_european_union(real):
    g, report = real.graph, real.report
    assert set(report.unresolved) == {"European Union"}
    assert report.counts["not-in-wpdl"] == 12  # Holy See, State of Palestine, Cook Islands, Niue x 3 files
    assert (participation("VAT", "cat", "consent"), HRES.eventDate, date_literal(date(2002, 6, 26))) in g
    assert (participation("PSE", "iccpr", "consent"), HRES.participant, state("PSE")) in g
    assert not set(g.subjects(HRES.participant, state("COK")))  # resolved, but party to none of the three


@pytest.mark.real_data
def test_disagreements(real):
    g, report = real.graph, real.report
    notes = [n for n in report.notes if n.startswith("disagreement:")]
    print("\n".join(notes))
    assert report.counts["disagreements"] == len(notes) == sum(DISAGREEMENTS.values()) == 21
    for key, n in DISAGREEMENTS.items():
        assert report.counts[f"disagreements:{key}"] == n, key
    gnq = participation("GNQ", "iccpr", "consent")  # wpdl: 1979; OHCHR: 25 September 1987
    assert (gnq, HRES.eventDate, date_literal(date(1987, 9, 25))) in g
    assert any("1979" in str(n) for n in g.objects(gnq, SKOS.note))
    tuv = participation("TUV", "iccpr", "consent")  # wpdl says party; OHCHR has no date
    assert not set(g.objects(tuv, HRES.eventDate)) and set(g.objects(tuv, SKOS.note))
    assert any("later than the wpdl" in n and "KNA ICESCR" in n for n in notes)


@pytest.mark.real_data
def test_same_events_as_wpdl(real):
    g = real.graph
    svn = participation("SVN", "iccpr", "consent")
    assert (svn, HRES.eventDate, date_literal(date(1992, 7, 6))) in g
    assert not set(g.objects(svn, RDFS.label))  # labelled in the wpdl graph
    # Events the wpdl table does not describe are labelled here.
    vat = participation("VAT", "cat", "consent")
    assert (vat, RDFS.label, Literal("Holy See: CAT, consent to be bound (2002-06-26)", lang="en")) in g
    for s in set(g.subjects(RDF.type, None)):
        assert len(set(g.objects(s, HRES.eventDate))) == 1, s


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
HEADER = ["Country", "Date of Signature (dd/mm/yyyy)", "Date of Ratification/Accession",
          "Date of acceptance of individual communications procedure"]


def test_rows_dates_and_footers():
    sheet = FakeSheet([
        [(TEXT, "Some covenant [Last Updated: 01/01/2024]"), (EMPTY, ""), (EMPTY, ""), (EMPTY, "")],
        [(TEXT, h) for h in HEADER],
        [(TEXT, "Slovenia"), (EMPTY, ""), (DATE, 33791.0), (TEXT, "16/06/1993")],  # Excel serial and text date
        [(EMPTY, ""), (EMPTY, ""), (EMPTY, ""), (EMPTY, "")],
        [(TEXT, "Source: somewhere"), (EMPTY, ""), (EMPTY, ""), (EMPTY, "")],
    ])
    rows = list(ratification_ohchr._rows(Path("x.xls"), sheet, 0, HEADER))
    assert rows == [(3, "Slovenia", None, date(1992, 7, 6), date(1993, 6, 16), 0)]


def test_bad_date_cell_names_line_and_column():
    sheet = FakeSheet([
        [(TEXT, "title"), (EMPTY, ""), (EMPTY, ""), (EMPTY, "")],
        [(TEXT, h) for h in HEADER],
        [(TEXT, "Slovenia"), (TEXT, "sometime in 1967"), (EMPTY, ""), (EMPTY, "")],
    ])
    with pytest.raises(SourceFormatError) as info:
        list(ratification_ohchr._rows(Path("x.xls"), sheet, 0, HEADER))
    assert (info.value.line, info.value.column) == (3, HEADER[1])
