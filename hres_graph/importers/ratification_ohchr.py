"""Exact ratification and signature dates from OHCHR's "Status of ratification" exports (indicators.ohchr.org).

Upstream: legacy Excel (.xls, BIFF) files, one sheet "Underlying Data(0)". Row 1: the instrument's title and a
"[Last Updated: ...]" stamp; row 2: header `Country`, `Date of Signature (dd/mm/yyyy)`, `Date of
Ratification/Accession`, `Date of acceptance of individual communications procedure` and (CAT, ICESCR) `Date of
acceptance of inquiry procedure`; then one row per State (dates as Excel dates; empty = no action); a blank row
and two footer rows ("Definitions and metadata: ...", "Source: ..."). `path` is the folder or one .xls file;
the instrument comes from the title (TITLES), not the file name.

Output, on the same IRIs as importers.ratification_wpdl, so that one event carries both precisions:
- signature date -> `id/participation/<ISO3>/<key>/signature`, hres:Signature, hres:eventDate;
- ratification/accession date -> `.../consent`, hres:ConsentToBeBound, hres:eventDate. The sheet does not say
  whether the date is a ratification, accession or succession, so no subclass is asserted;
- the individual-communications date of the ICCPR and ICESCR sheets is the date of consent to their optional
  protocols (ICCPR-OP1, ICESCR-OP) and goes to those events. CAT's article 22 and 20 dates and ICESCR-OP's
  inquiry opt-in are declarations, which the ontology has no term for: counted, not imported.

Precision rule: an exact date wins over a year. The wpdl graph states hres:year (xsd:gYear), this graph
hres:eventDate (xsd:date) on the same event; queries should use COALESCE(?eventDate, ?year). Labels are left to
the wpdl graph for events it describes (one label per event).

Disagreements with the wpdl table (party or not, year of consent, signatory or not) are never merged silently:
each is a report note, a count (`disagreements`) and a skos:note on the event in this graph.
"""
from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path
from typing import Iterator

import xlrd
from rdflib import Literal
from rdflib.namespace import RDF, RDFS, SKOS

from ..errors import SourceFormatError
from ..namespaces import HRES, instrument, state
from .base import ImportContext, Source, date_literal, parse_date, text_literal
from .ratification_wpdl import FILES, NOTATIONS, participation, statuses
from .states import state_label

# Title of the sheet -> (instrument key, key of the instrument the individual-communications column is about).
TITLES = {
    "International Covenant on Civil and Political Rights": ("iccpr", "iccpr-op1"),
    "International Covenant on Economic, Social and Cultural Rights": ("icescr", "icescr-op"),
    "Convention against Torture": ("cat", None),
}
WPDL_SNAPSHOT = date(2022, 6, 30)  # the wpdl table is "as of mid-2022"
_FOOTERS = ("Definitions and metadata", "Source:")


def read_ohchr(path: Path, ctx: ImportContext) -> Iterator[tuple]:
    files = [path] if path.is_file() else sorted(path.glob("*.xls"))
    if not files:
        raise SourceFormatError(path, "no .xls files found",
                                hint="point the 'ratification-ohchr' source at the ohchr-ratification-exports folder")
    for file in files:
        key, op_key, rows = _sheet_rows(file)
        wpdl = _wpdl_table(ctx, (key, op_key) if op_key else (key,))
        seen = set()
        for line, name, signed, consented, op_consent, declarations in ctx.progress(rows, file.name):
            iso3 = ctx.state(name, f"{file.name}:{line}")
            if iso3 is None:
                ctx.report.count("unresolved-rows")
                continue
            seen.add(iso3)
            ctx.report.count(f"{key}:rows")
            ctx.report.count("declarations-not-imported", declarations)
            if wpdl is not None and (iso3, key) not in wpdl:
                ctx.report.count("not-in-wpdl")
            checks = [(key, "signature", signed), (key, "consent", consented)]
            if op_key:
                checks.append((op_key, "consent", op_consent))
            for k, mode, when in checks:
                yield from _event(ctx, iso3, k, mode, when, wpdl)
            yield from _compare(ctx, iso3, key, signed, consented, wpdl, f"{file.name}:{line}")
            if op_key:  # the sheet has no signature dates for the optional protocol: compare consent only
                yield from _compare(ctx, iso3, op_key, None, op_consent, wpdl, f"{file.name}:{line}", signatures=False)
        for (iso3, k) in sorted(wpdl or ()):
            if k == key and iso3 not in seen:
                ctx.report.note(f"{file.name}: no row for {iso3}, which the wpdl table lists")
                ctx.report.count("missing-in-ohchr")


def _event(ctx, iso3: str, key: str, mode: str, when: date | None, wpdl) -> Iterator[tuple]:
    if when is None:
        return
    event = participation(iso3, key, mode)
    ctx.report.count(f"{key}:{mode}-dates")
    yield event, RDF.type, HRES.Signature if mode == "signature" else HRES.ConsentToBeBound
    yield event, HRES.participant, state(iso3)
    yield event, HRES.instrument, instrument(key)
    yield event, HRES.eventDate, date_literal(when)
    wpdl_status = (wpdl or {}).get((iso3, key), (None, None))[0]
    if wpdl_status != ("state party" if mode == "consent" else "signatory state"):  # wpdl does not label it
        name = state_label(ctx.states.codes[iso3]) if iso3 in ctx.states.codes else iso3
        what = "signature" if mode == "signature" else "consent to be bound"
        yield event, RDFS.label, Literal(f"{name}: {NOTATIONS[key]}, {what} ({when.isoformat()})", lang="en")


def _compare(ctx, iso3, key, signed, consented, wpdl, where, signatures=True) -> Iterator[tuple]:
    if wpdl is None or (iso3, key) not in wpdl:
        return
    status, year = wpdl[(iso3, key)]
    name = NOTATIONS[key]
    problem = mode = None
    if consented and status != "state party":
        problem, mode = (f"OHCHR has consent to be bound on {consented.isoformat()}, the wpdl table says "
                         f"{status!r}"), "consent"
    elif consented and year and consented.year != year:
        problem, mode = f"OHCHR dates consent to be bound {consented.isoformat()}, the wpdl table {year}", "consent"
    elif not consented and status == "state party":
        problem, mode = (f"the wpdl table says state party ({year or 'no year'}), OHCHR has no ratification or "
                         f"accession date"), "consent"
    elif signatures and signed and not consented and status == "no action":
        problem, mode = f"OHCHR has a signature on {signed.isoformat()}, the wpdl table says 'no action'", "signature"
    elif signatures and not signed and not consented and status == "signatory state":
        problem, mode = "the wpdl table says signatory state, OHCHR has no signature date", "signature"
    if problem is None:
        ctx.report.count("agreements")
        return
    later = max(filter(None, (signed, consented)), default=None)
    if later and later > WPDL_SNAPSHOT:
        problem += " (the OHCHR date is later than the wpdl table's mid-2022 state)"
    ctx.report.note(f"disagreement: {where} {iso3} {name}: {problem}")
    ctx.report.count("disagreements")
    ctx.report.count(f"disagreements:{key}")
    yield participation(iso3, key, mode), SKOS.note, text_literal(
        f"Sources disagree: {problem}. Both statements are kept, each in its own graph.")


def _sheet_rows(file: Path):
    """(instrument key, optional-protocol key, iterator of parsed rows) for one export."""
    try:
        book = xlrd.open_workbook(str(file), logfile=io.StringIO())
        sheet = book.sheet_by_index(0)
    except Exception as exc:  # xlrd raises many types for a damaged file (XLRDError, struct.error, ...)
        raise SourceFormatError(file, f"not a readable .xls workbook ({type(exc).__name__}: {exc})",
                                hint="re-download the export from indicators.ohchr.org; it must be a legacy "
                                     ".xls") from exc
    if sheet.nrows < 3 or sheet.ncols < 3:
        raise SourceFormatError(file, f"the sheet has {sheet.nrows} rows and {sheet.ncols} columns; expected a "
                                "title row, a header row and one row per State", line=1)
    title = re.sub(r"\s*\[Last Updated:.*", "", str(sheet.cell_value(0, 0))).strip()
    match = next((v for t, v in TITLES.items() if title.startswith(t)), None)
    if match is None:
        raise SourceFormatError(file, f"unknown instrument title {title!r}", line=1,
                                hint="add the title to TITLES in importers/ratification_ohchr.py")
    header = [str(sheet.cell_value(1, c)).strip() for c in range(sheet.ncols)]
    expected = ("Country", "Date of Signature", "Date of Ratification")
    for c, start in enumerate(expected):
        if not header[c].startswith(start):
            raise SourceFormatError(file, f"header cell {c + 1} is {header[c]!r}; expected it to start with "
                                    f"{start!r}", line=2, column=c + 1,
                                    hint="is this an OHCHR 'Underlying Data' export?")
    return match[0], match[1], _rows(file, sheet, book.datemode, header)


def _rows(file: Path, sheet, datemode: int, header: list[str]):
    for r in range(2, sheet.nrows):
        name = str(sheet.cell_value(r, 0)).strip()
        if not name or name.startswith(_FOOTERS):
            continue
        dates = [_date(file, sheet, r, c, datemode, header[c]) for c in range(1, sheet.ncols)]
        op_consent = dates[2] if len(dates) > 2 else None
        declarations = sum(1 for d in dates[3:] if d)
        yield r + 1, name, dates[0], dates[1], op_consent, declarations


def _date(file: Path, sheet, r: int, c: int, datemode: int, column: str) -> date | None:
    cell = sheet.cell(r, c)
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK) or cell.value == "":
        return None
    if cell.ctype in (xlrd.XL_CELL_DATE, xlrd.XL_CELL_NUMBER):
        try:
            return xlrd.xldate.xldate_as_datetime(cell.value, datemode).date()
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            pass
    elif cell.ctype == xlrd.XL_CELL_TEXT and parse_date(cell.value):
        return parse_date(cell.value)
    raise SourceFormatError(file, f"column {column!r} has {cell.value!r}; expected a date (dd/mm/yyyy) or nothing",
                            line=r + 1, column=column, hint="fix the cell in the spreadsheet")


def _wpdl_table(ctx: ImportContext, keys: tuple[str, ...]) -> dict | None:
    """(ISO3, key) -> (status, year) from the wpdl files, or None when that source is not available."""
    folder = ctx.source_paths.get("ratification-wpdl")
    if folder is None and ctx.data_root is not None:
        folder = ctx.data_root / "raw" / "ratification-status-wpdl"
    if folder is None or not folder.is_dir():
        ctx.report.note("the ratification-wpdl files were not found: no cross-check, and every event is labelled here")
        return None
    suffixes = {k: s for s, (k, _) in FILES.items()}
    table = {}
    for key in keys:
        file = folder / f"hr_status_{suffixes[key]}.csv"
        if file.exists():
            for st in statuses(file, ctx.states):
                if st.iso3:
                    table[(st.iso3, key)] = (st.status, st.year)
    return table


SOURCE = Source(
    id="ratification-ohchr",
    title="Ratification and signature dates for ICCPR, ICESCR and CAT (OHCHR 'Status of ratification' exports)",
    read=read_ohchr,
    default_path="raw/ohchr-ratification-exports",
    license="UN terms of use (OHCHR data from the UN Office of Legal Affairs); no repository licence",
    upstream="https://indicators.ohchr.org/",
    needs=("ratification-wpdl",),
)
