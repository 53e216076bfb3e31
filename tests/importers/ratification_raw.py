"""The OHCHR ratification sheets and the wpdl table read with plain xlrd / csv, apart from the importers' parsers,
so that the ratification tests compare the graph with an independent reading of the raw files."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import xlrd
from rdflib import Graph
from rdflib.namespace import RDF

from hres_graph.namespaces import HRES

# File-name token -> (instrument key, optional protocol dated by the communications column), from PROVENANCE.md
SHEETS = {
    "ICERD": ("icerd", None),
    "ICCPR": ("iccpr", "iccpr-op1"),
    "ICESCR": ("icescr", "icescr-op"),
    "CEDAW": ("cedaw", "cedaw-op"),
    "CAT": ("cat", None),
    "CRC": ("crc", "crc-opic"),
    "ICRMW": ("icmw", None),
    "CRPD": ("crpd", "crpd-op"),
    "CPED": ("cped", None),
}
COLUMN_MODES = ("signature", "consent", "communications", "inquiry")
KIND_MODES = {
    HRES.Signature: "signature",
    HRES.ConsentToBeBound: "consent",
    HRES.CommunicationsProcedureAcceptance: "communications",
    HRES.InquiryProcedureAcceptance: "inquiry",
}
WPDL_KEYS = {
    "op_cedaw": "cedaw-op",
    "op_crpd": "crpd-op",
    "op_crc_ac": "crc-opac",
    "op_crc_sc": "crc-opsc",
    "op_crc_ic": "crc-opic",
    "iccpr_op1": "iccpr-op1",
    "iccpr_op2": "iccpr-op2",
    "icescr_op": "icescr-op",
}


def sheet_acts(folder: Path, resolve) -> tuple[set[tuple], dict[str, date], dict[str, set[str]], dict[str, tuple]]:
    """(ISO3, key, mode, date) of every dated cell (1945 or later) of every sheet in the folder; the stamp date of
    each key's sheet; the States each key's sheet lists; the modes each key's sheet records."""
    acts, stamps, listed, modes = set(), {}, {}, {}
    for path in sorted(folder.glob("*.xls")):
        key, protocol = SHEETS[path.name.split("_")[1]]
        book = xlrd.open_workbook(str(path))
        sheet = book.sheet_by_index(0)
        stamp = sheet.cell_value(0, 0).split("[Last Updated: ")[1][:10]
        day, month, year = stamp.split("/")
        for k in filter(None, (key, protocol)):
            stamps[k] = date(int(year), int(month), int(day))
            listed[k] = set()
        modes[key] = COLUMN_MODES[: sheet.ncols - 1]
        if protocol:
            modes[protocol] = ("consent",)
        for i in range(2, sheet.nrows):
            name = sheet.cell_value(i, 0).strip()
            if not name or name.startswith(("Definitions", "Source")) or name == "European Union":
                continue
            code = resolve(name)
            assert code, f"{path.name} row {i + 1}: {name!r} does not resolve"
            for k in filter(None, (key, protocol)):
                listed[k].add(code)
            for mode, value in zip(COLUMN_MODES, sheet.row_values(i)[1:]):
                if value == "":
                    continue
                when = xlrd.xldate_as_datetime(value, book.datemode).date()
                if when.year < 1945:
                    continue
                acts.add((code, key, mode, when))
                if mode == "communications" and protocol:
                    acts.add((code, protocol, "consent", when))
    return acts, stamps, listed, modes


def wpdl_acts(folder: Path, resolve) -> tuple[set[tuple], dict[str, set[str]]]:
    """(ISO3, key, mode, year or None) of every party and signatory row; the States each file lists."""
    acts, listed = set(), {}
    for path in sorted(folder.glob("hr_status_*.csv")):
        stem = path.stem.removeprefix("hr_status_")
        key = WPDL_KEYS.get(stem, stem)
        listed[key] = set()
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                code = resolve(row["iso2"]) or resolve(row["member"])
                listed[key].add(code)
                year = int(row["year ratification or accession"]) if row["year ratification or accession"] else None
                if row["status"] == "state party":
                    acts.add((code, key, "consent", year))
                elif row["status"] == "signatory state":
                    acts.add((code, key, "signature", None))
    return acts, listed


def graph_acts(g: Graph) -> set[tuple]:
    """(ISO3, key, mode, date) of every dated participation event of a graph."""
    out = set()
    for event, kind in g.subject_objects(RDF.type):
        if kind not in KIND_MODES:
            continue
        when = g.value(event, HRES.eventDate)
        out.add(
            (
                str(g.value(event, HRES.participant)).rsplit("/", 1)[1],
                str(g.value(event, HRES.instrument)).rsplit("/", 1)[1],
                KIND_MODES[kind],
                when.toPython() if when is not None else None,
            )
        )
    return out
