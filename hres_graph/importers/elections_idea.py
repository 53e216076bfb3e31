"""The most recent parliamentary election of each country with its turnout (International IDEA, to December 2024).

Upstream: jolyphil/polpart-wise-2024-25-data `data_raw/idea/idea_parliamentary_turnout.xls`, an export of
IDEA's Voter Turnout Database (Parliamentary, "Most recent election"). One sheet: a title row, the header
`Country, ISO2, ISO3, Date, Parliamentary>Voter Turnout` and one row per country or territory; the date
is text written with U+2011 non-breaking hyphens and the turnout a percentage.

Why some choices:
- xlrd 2 refuses the file ("Workbook corruption": its compound-document directory repeats a sector);
  the sheet itself is intact, so it is opened with `ignore_workbook_corruption=True`.
- 125 of the 202 dates are 1 January (Germany "2021-01-01" for 26 September 2021): the export gives the
  year only for them. Such a row states `hres:year`; to find the election it is, the year is resolved to
  the one date ParlGov (then ElectionGuide) has for that State's parliamentary election in that year.
  A year with none or several (two rounds) stays a year-level election.
- An election ElectionGuide or ParlGov also has is stated on the same IRI (`_election_keys`).
- Rows without an ISO3 code (Kosovo, the two Yugoslavias) keep a slug of the name, as ElectionGuide does
  for places that are not States, and have no hres:electionIn.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import xlrd
from rdflib import Literal
from rdflib.namespace import RDF, RDFS, XSD

from ..errors import SourceFormatError
from ..namespaces import HRES, state
from . import elections, elections_parlgov
from ._election_keys import (
    PARLIAMENT_SLUG,
    Catalogue,
    election_iri,
    electionguide_catalogue,
    other_source_path,
)
from .base import ImportContext, Source, Triple, date_literal, parse_date, read_csv, slug, text_literal, year_literal

FILE = "idea_parliamentary_turnout.xls"
HEADER = ("Country", "ISO2", "ISO3", "Date", "Parliamentary>Voter Turnout")
HYPHENS = str.maketrans({"\u2011": "-", "\u2010": "-", "\u2013": "-"})
NO_VALUE = frozenset({"", "-"})  # the export writes "-" where IDEA has no turnout figure
_ISO3 = re.compile(r"[A-Z]{3}")


@dataclass
class IdeaRow:
    """One country's row: where it is, its place, its date (or year) and turnout."""

    line: int
    country: str
    iso3: str  # "" when the row has none
    when: str  # YYYY-MM-DD, or YYYY for a date given as 1 January
    turnout: float | None


def read_idea(path: Path, ctx: ImportContext) -> Iterator[Triple]:
    """Stream hres:Election triples, one per country row, merged with ElectionGuide and ParlGov."""
    file = path / FILE if path.is_dir() else path
    catalogue = electionguide_catalogue(ctx, elections.SOURCE)
    parlgov = parlgov_dates(ctx)
    for row in ctx.progress(read_rows(file), "idea turnout"):
        ctx.report.count("rows")
        iri = _iri(row, catalogue, parlgov, ctx)
        yield from _triples(iri, row)
    _note(ctx)


def read_rows(file: Path) -> Iterator[IdeaRow]:
    """The country rows under the header, checked."""
    sheet = _sheet(file)
    header_line = _header_line(sheet, file)
    for index in range(header_line, sheet.nrows):
        values = [_text(cell) for cell in sheet.row(index)]
        if not any(values):
            continue
        yield _row(file, index + 1, values, sheet.cell(index, 4))


def _sheet(file: Path):
    try:
        book = xlrd.open_workbook(str(file), logfile=io.StringIO(), ignore_workbook_corruption=True)
        return book.sheet_by_index(0)
    except Exception as exc:  # xlrd raises many types for a damaged file (XLRDError, struct.error, ...)
        raise SourceFormatError(
            file,
            f"not a readable .xls workbook ({type(exc).__name__}: {exc})",
            hint="export again from IDEA's Voter Turnout Database as .xls",
        ) from exc


def _header_line(sheet, file: Path) -> int:
    """The 1-based line of the header row (the export puts a title above it)."""
    for index in range(min(sheet.nrows, 5)):
        if tuple(_text(c) for c in sheet.row(index)[: len(HEADER)]) == HEADER:
            return index + 1
    raise SourceFormatError(
        file,
        f"no header row {', '.join(HEADER)} in the first five rows",
        line=1,
        hint="is this IDEA's parliamentary voter-turnout export (one row per country)?",
    )


def _row(file: Path, line: int, values: list[str], turnout_cell) -> IdeaRow:
    country, _, iso3, raw_date = values[:4]
    if not country:
        raise SourceFormatError(file, "the country is empty", line=line, column="Country")
    if iso3 and not _ISO3.fullmatch(iso3):
        raise SourceFormatError(file, f"ISO3 {iso3!r} is not a three-letter code", line=line, column="ISO3")
    text = raw_date.translate(HYPHENS)
    day = parse_date(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
    if day is None:
        raise SourceFormatError(
            file, f"cannot read the date {raw_date!r}", line=line, column="Date", hint="expected YYYY-MM-DD"
        )
    when = f"{day.year:04d}" if (day.month, day.day) == (1, 1) else day.isoformat()
    return IdeaRow(line, country, iso3, when, _turnout(file, line, turnout_cell))


def _turnout(file: Path, line: int, cell) -> float | None:
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if cell.ctype == xlrd.XL_CELL_TEXT and _text(cell) in NO_VALUE:
        return None
    if cell.ctype != xlrd.XL_CELL_NUMBER or not 0 <= cell.value <= 100:
        raise SourceFormatError(
            file,
            f"turnout {cell.value!r} is not a percentage",
            line=line,
            column="Parliamentary>Voter Turnout",
            hint='a number from 0 to 100, or "-" or an empty cell for none',
        )
    return float(cell.value)


def _text(cell) -> str:
    return " ".join(str(cell.value).split()) if cell.ctype == xlrd.XL_CELL_TEXT else ""


def parlgov_dates(ctx: ImportContext) -> dict[str, set[str]]:
    """ISO3 -> the dates of ParlGov's parliamentary elections, to resolve a year-only row; empty (and a note)
    when ParlGov's files are not there."""
    folder = other_source_path(ctx, elections_parlgov.SOURCE)
    dates: dict[str, set[str]] = defaultdict(set)
    if folder is None:
        ctx.report.note("the elections-parlgov files were not found: years are resolved with ElectionGuide only")
        return dates
    countries = elections_parlgov.read_countries(folder / elections_parlgov.COUNTRY_FILE)
    rows = read_csv(folder / elections_parlgov.ELECTION_FILE, required=elections_parlgov.ELECTION_COLUMNS)
    for row in rows:
        election = elections_parlgov.parlgov_election(row, countries)
        if election is not None and election.code == elections_parlgov.PARLIAMENT:
            dates[election.iso3].add(election.date)
    return dates


def _iri(row: IdeaRow, catalogue: Catalogue, parlgov: dict[str, set[str]], ctx: ImportContext):
    """The election's IRI: ElectionGuide's when it has it, else the shared rule's (see the docstring)."""
    if not row.iso3:
        ctx.report.count("places without an ISO3 code")
        return election_iri(slug(row.country), row.when, PARLIAMENT_SLUG)
    when = row.when
    if len(when) == 4:
        when = _resolve_year(row, catalogue, parlgov, ctx)
    found = catalogue.candidates(row.iso3, when)
    if len(found) == 1:
        ctx.report.count("matched with ElectionGuide")
        return found[0].iri
    if found:
        ctx.report.count("several ElectionGuide candidates (new)")
    else:
        ctx.report.count("not in ElectionGuide (new)")
    return catalogue.new_iri(row.iso3, when)


def _resolve_year(row: IdeaRow, catalogue: Catalogue, parlgov: dict[str, set[str]], ctx: ImportContext) -> str:
    """The one date ParlGov, else ElectionGuide, has for the State's parliamentary election in the year."""
    in_parlgov = sorted(d for d in parlgov.get(row.iso3, ()) if d.startswith(row.when))
    if len(in_parlgov) == 1:
        ctx.report.count("year-only: date from ParlGov")
        return in_parlgov[0]
    in_electionguide = catalogue.years(row.iso3, row.when)
    if not in_parlgov and len(in_electionguide) == 1:
        ctx.report.count("year-only: date from ElectionGuide")
        return in_electionguide[0]
    ctx.report.count("year-only: not resolved (" + ("several dates" if in_electionguide else "no date") + ")")
    if in_electionguide:
        ctx.report.note(f"{row.iso3} {row.when} (line {row.line}): several dates {', '.join(in_electionguide)}")
    return row.when


def _triples(iri, row: IdeaRow) -> Iterator[Triple]:
    yield iri, RDF.type, HRES.Election
    yield iri, RDFS.label, text_literal(f"Parliamentary election — {row.country}, {row.when}")
    if row.iso3:
        yield iri, HRES.electionIn, state(row.iso3)
    if len(row.when) == 4:
        yield iri, HRES.year, year_literal(int(row.when))
    else:
        yield iri, HRES.electionDate, date_literal(parse_date(row.when))
    yield iri, HRES.electionType, Literal("parliamentary")
    if row.turnout is not None:
        yield iri, HRES.turnout, Literal(repr(row.turnout), datatype=XSD.decimal)


def _note(ctx: ImportContext) -> None:
    c = ctx.report.counts
    ctx.report.note(
        f"{c['matched with ElectionGuide']:,} of {c['rows']:,} elections are ElectionGuide's (one resource, "
        f"stated by both graphs), {c['not in ElectionGuide (new)'] + c['several ElectionGuide candidates (new)']:,} "
        f"are not; of the dates given as 1 January (year only), {c['year-only: date from ParlGov']:,} were "
        f"resolved with ParlGov and {c['year-only: date from ElectionGuide']:,} with ElectionGuide"
    )


SOURCE = Source(
    id="elections-idea",
    title="Most recent parliamentary election and turnout per country (International IDEA Voter Turnout "
    "Database export of December 2024, via jolyphil/polpart-wise-2024-25-data)",
    read=read_idea,
    default_path="raw/idea-turnout-2024",
    license="Repository MIT (author's code); IDEA's terms for the exported data are not stated in the "
    "repository: check IDEA's terms of use before redistribution",
    upstream="https://github.com/jolyphil/polpart-wise-2024-25-data/blob/3f24650a493bee85ade574c27c1b0d6e143638b8/"
    "data_raw/idea/idea_parliamentary_turnout.xls",
    needs=("elections", "elections-parlgov"),
)

__all__ = ["SOURCE", "read_idea", "read_rows", "parlgov_dates", "IdeaRow", "HEADER"]
