"""OHCHR's "Status of ratification" sheets (indicators.ohchr.org "Underlying Data"), read into dated acts per row.

Shared by importers.ratification_ohchr (the 2023/2025 sheets) and importers.ratification_ohchr_2020 (the nine
sheets of 16 September 2020): same layout. Legacy Excel (.xls, BIFF), one sheet. Row 1: the treaty's title and
"[Last Updated: dd/mm/yyyy hh:mm:ss]"; row 2: `Country`, `Date of Signature (dd/mm/yyyy)`, `Date of
Ratification/Accession`, `Date of acceptance of individual communications procedure` and, for six treaties,
`Date of acceptance of inquiry procedure`; one row per State (Excel dates; empty = no action); a blank row and
two footer rows. The treaty comes from the title (TITLES), never from the file name.

What the columns mean (PROVENANCE.md of both folders): the individual-communications date is consent to the
optional protocol that sets up the procedure where there is one (`op_key`: ICCPR-OP1, ICESCR-OP, CEDAW-OP,
CRC-OPIC, CRPD-OP), else the declaration under the treaty's article (ICERD 14, CAT 22, ICRMW 77, CPED 31);
the inquiry date is acceptance of the inquiry procedure (CAT art. 20, ICESCR-OP art. 11, CEDAW-OP art. 8,
CRC-OPIC art. 13, CRPD-OP art. 6, CPED art. 33).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import xlrd

from ..errors import SourceFormatError
from .base import parse_date

# Start of the title -> (instrument key, key of the optional protocol the communications column is consent to).
TITLES = {
    "international convention on the elimination of all forms of racial discrimination": ("icerd", None),
    "international covenant on civil and political rights": ("iccpr", "iccpr-op1"),
    "international covenant on economic, social and cultural rights": ("icescr", "icescr-op"),
    "convention on the elimination of all forms of discrimination against women": ("cedaw", "cedaw-op"),
    "convention against torture": ("cat", None),
    "convention on the rights of the child": ("crc", "crc-opic"),
    "international convention on the protection of the rights of all migrant workers": ("icmw", None),
    "convention on the rights of persons with disabilities": ("crpd", "crpd-op"),
    "international convention for the protection of all persons from enforced disappearance": ("cped", None),
}
# Column header (start) -> mode of the act it dates (see _participation.KINDS).
COLUMNS = (
    ("Country", None),
    ("Date of Signature", "signature"),
    ("Date of Ratification", "consent"),
    ("Date of acceptance of individual communications", "communications"),
    ("Date of acceptance of inquiry", "inquiry"),
)
# No UN treaty act can be older than the UN: an earlier "date" is a damaged cell (the Bahamas' CEDAW
# communications cell of 2020 holds Excel's day 1, 1900-01-01).
EARLIEST = date(1945, 10, 24)
_FOOTERS = ("Definitions and metadata", "Source:")
_STAMP = re.compile(r"\[Last Updated:\s*(\d{2}/\d{2}/\d{4})")


@dataclass
class SheetRow:
    line: int
    name: str
    acts: dict[str, date]  # mode -> date, for the non-empty cells
    impossible: dict[str, date] = field(default_factory=dict)  # mode -> a date before EARLIEST (not an act)


@dataclass
class Sheet:
    file: Path
    key: str
    op_key: str | None
    as_of: date  # the "Last Updated" stamp
    modes: tuple[str, ...]  # the acts its columns date, in column order
    rows: list[SheetRow]


def sheet_files(path: Path, source_id: str, folder: str) -> list[Path]:
    files = [path] if path.is_file() else sorted(path.glob("*.xls"))
    if not files:
        raise SourceFormatError(
            path, "no .xls files found", hint=f"point the {source_id!r} source at the {folder} folder"
        )
    return files


def read_sheet(file: Path) -> Sheet:
    try:
        book = xlrd.open_workbook(str(file), logfile=io.StringIO())
        sheet = book.sheet_by_index(0)
    except Exception as exc:  # xlrd raises many types for a damaged file (XLRDError, struct.error, ...)
        raise SourceFormatError(
            file,
            f"not a readable .xls workbook ({type(exc).__name__}: {exc})",
            hint="re-download the export from indicators.ohchr.org; it must be a legacy .xls",
        ) from exc
    if sheet.nrows < 3 or sheet.ncols < 3:
        raise SourceFormatError(
            file,
            f"the sheet has {sheet.nrows} rows and {sheet.ncols} columns; expected a "
            "title row, a header row and one row per State",
            line=1,
        )
    key, op_key, as_of = _title(file, str(sheet.cell_value(0, 0)))
    header = [str(sheet.cell_value(1, c)).strip() for c in range(sheet.ncols)]
    modes = _modes(file, header)
    return Sheet(file, key, op_key, as_of, modes, list(_rows(file, sheet, book.datemode, header, modes)))


def _title(file: Path, cell: str) -> tuple[str, str | None, date]:
    title = re.sub(r"\s*\[Last Updated:.*", "", cell, flags=re.S).strip()
    match = next((v for t, v in TITLES.items() if title.lower().startswith(t)), None)
    if match is None:
        raise SourceFormatError(
            file,
            f"unknown instrument title {title!r}",
            line=1,
            hint="add the title to TITLES in importers/_ohchr_sheet.py",
        )
    stamp = _STAMP.search(cell)
    if stamp is None:
        raise SourceFormatError(
            file,
            f"the title {cell!r} has no '[Last Updated: dd/mm/yyyy' stamp",
            line=1,
            hint="is this an OHCHR 'Underlying Data' export? The stamp dates its statements",
        )
    return match[0], match[1], datetime.strptime(stamp.group(1), "%d/%m/%Y").date()


def _modes(file: Path, header: list[str]) -> tuple[str, ...]:
    if len(header) > len(COLUMNS):
        raise SourceFormatError(
            file,
            f"the header has {len(header)} columns; expected at most {len(COLUMNS)}",
            line=2,
            hint="is this an OHCHR 'Underlying Data' export?",
        )
    for c, (start, _) in enumerate(COLUMNS[: len(header)]):
        if not header[c].startswith(start):
            raise SourceFormatError(
                file,
                f"header cell {c + 1} is {header[c]!r}; expected it to start with {start!r}",
                line=2,
                column=c + 1,
                hint="is this an OHCHR 'Underlying Data' export?",
            )
    return tuple(mode for _, mode in COLUMNS[1 : len(header)])


def _rows(file: Path, sheet, datemode: int, header: list[str], modes: tuple[str, ...]):
    for r in range(2, sheet.nrows):
        name = str(sheet.cell_value(r, 0)).strip()
        if not name or name.startswith(_FOOTERS):
            continue
        row = SheetRow(r + 1, name, {})
        for c, mode in enumerate(modes, start=1):
            when = _date(file, sheet, r, c, datemode, header[c])
            if when is not None:
                (row.acts if when >= EARLIEST else row.impossible)[mode] = when
        yield row


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
    raise SourceFormatError(
        file,
        f"column {column!r} has {cell.value!r}; expected a date (dd/mm/yyyy) or nothing",
        line=r + 1,
        column=column,
        hint="fix the cell in the spreadsheet",
    )
