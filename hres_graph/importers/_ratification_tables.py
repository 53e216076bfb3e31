"""Ratification status tables of several sources, and where two of them disagree.

A Table is what one source says about one instrument as of one date: the States it lists and the acts it records
for them (mode -> exact date, year, or None when the source gives no date). Two tables disagree on an act
when both list the State and record that kind of act, and
- both have the act with dates that differ at the precision both give (an exact date against a year compares
  the years), or
- one has the act and the other does not, and time does not explain it: an act the older table lacks is no
  disagreement when it is dated after the older table's date (a later ratification), and cannot be judged
  when its date is not known precisely enough (a year equal to the older table's, or no date): counted apart.

Where sources disagree, a State's current status follows the newest table that lists it
(queries/derived/current-participation.rq).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Iterator

from rdflib.namespace import SKOS

from ._ohchr_sheet import Sheet
from ._participation import KINDS, When, participation
from .base import ImportContext, text_literal
from .ratification_wpdl import FILES, NOTATIONS, statuses

MODES_OF_AN_OPTIONAL_PROTOCOL = ("consent",)  # the sheets date only consent to the protocol (communications column)


@dataclass
class Table:
    source: str  # how messages name it: "the OHCHR sheet of 2020-09-16"
    key: str
    as_of: date
    modes: tuple[str, ...]  # the kinds of act it records
    states: set[str] = field(default_factory=set)
    acts: dict[tuple[str, str], When] = field(default_factory=dict)  # (ISO3, mode) -> date | year | None
    signatures_of_parties: bool = True  # the wpdl table records no signature for a State party


@dataclass(frozen=True)
class Disagreement:
    iso3: str
    key: str
    mode: str
    problem: str
    newer: Table
    mine: When | bool  # my act's date, or False when my table does not have the act
    theirs: When | bool


_ABSENT = False


def ohchr_tables(sheet: Sheet, resolve: Callable[[str], str | None]) -> list[Table]:
    """The sheet's table for its treaty and, when its communications column dates consent to an optional
    protocol, a table for the protocol (consent only). `resolve(name)` gives the ISO3 or None."""
    source = f"the OHCHR sheet of {sheet.as_of.isoformat()}"
    main = Table(source, sheet.key, sheet.as_of, sheet.modes)
    protocol = Table(source, sheet.op_key, sheet.as_of, MODES_OF_AN_OPTIONAL_PROTOCOL) if sheet.op_key else None
    for row in sheet.rows:
        iso3 = resolve(row.name)
        if iso3 is None:
            continue
        main.states.add(iso3)
        main.acts.update({(iso3, mode): when for mode, when in row.acts.items()})
        if protocol:
            protocol.states.add(iso3)
            if "communications" in row.acts:
                protocol.acts[(iso3, "consent")] = row.acts["communications"]
    return [main, protocol] if protocol else [main]


def wpdl_tables(folder: Path, keys: set[str], resolver, as_of: date) -> list[Table]:
    """The wpdl table of each instrument key that has a file in the folder (year precision, no signature dates)."""
    tables = []
    for suffix, (key, _) in FILES.items():
        file = folder / f"hr_status_{suffix}.csv"
        if key not in keys or not file.exists():
            continue
        table = Table("the wpdl table of mid-2022", key, as_of, ("signature", "consent"), signatures_of_parties=False)
        for st in statuses(file, resolver):
            if st.iso3 is None:
                continue
            table.states.add(st.iso3)
            if st.status == "state party":
                table.acts[(st.iso3, "consent")] = st.year
            elif st.status == "signatory state":
                table.acts[(st.iso3, "signature")] = None
        tables.append(table)
    return tables


def compare(mine: Table, other: Table) -> Iterator[Disagreement | str]:
    """Each Disagreement between two tables of one instrument; also yields "later" for an act the older table
    lacks because it came after, and "undecidable" when the date cannot tell."""
    assert mine.key == other.key
    newer = mine if mine.as_of >= other.as_of else other
    older = other if newer is mine else mine
    for iso3 in sorted(mine.states & other.states):
        for mode in (m for m in mine.modes if m in other.modes):
            a = mine.acts.get((iso3, mode), _ABSENT)
            b = other.acts.get((iso3, mode), _ABSENT)
            if mode == "signature" and _signature_not_recorded(iso3, mine, other):
                continue
            if a is _ABSENT and b is _ABSENT:
                continue
            if a is not _ABSENT and b is not _ABSENT:
                if not _same_date(a, b):
                    yield Disagreement(
                        iso3, mine.key, mode, f"{_says(mine, mode, a)}, {_says(other, mode, b)}", newer, a, b
                    )
                continue
            present, when = (mine, a) if a is not _ABSENT else (other, b)
            if present is newer:
                if _after(when, older.as_of):
                    yield "later"
                    continue
                if _maybe_after(when, older.as_of):
                    yield "undecidable"
                    continue
            yield Disagreement(iso3, mine.key, mode, f"{_says(mine, mode, a)}, {_says(other, mode, b)}", newer, a, b)


def _signature_not_recorded(iso3: str, *tables: Table) -> bool:
    return any(not t.signatures_of_parties and (iso3, "consent") in t.acts for t in tables)


def _same_date(a: When, b: When) -> bool:
    if a is None or b is None:
        return True
    year = lambda w: w if isinstance(w, int) else w.year  # noqa: E731
    if isinstance(a, date) and isinstance(b, date):
        return a == b
    return year(a) == year(b)


def _after(when: When, day: date) -> bool:
    return (isinstance(when, date) and when > day) or (isinstance(when, int) and when > day.year)


def _maybe_after(when: When, day: date) -> bool:
    return when is None or (isinstance(when, int) and when == day.year)


def _says(table: Table, mode: str, when: When | bool) -> str:
    what = KINDS[mode][1]
    if when is _ABSENT:
        return f"{table.source} has no {what}"
    if when is None:
        return f"{table.source} has {what} (no date)"
    return f"{table.source} dates {what} {when.isoformat() if isinstance(when, date) else when}"


def report(ctx: ImportContext, mine: Table, other: Table) -> Iterator[tuple]:
    """Compare two tables: each disagreement becomes a report note, counts and a skos:note (in the importing
    source's graph) on the act this source states, or on the other source's act when this one has none."""
    for found in compare(mine, other):
        if isinstance(found, str):
            ctx.report.count(f"{found}-acts")
            continue
        name = NOTATIONS[found.key]
        ctx.report.note(
            f"disagreement: {found.iso3} {name} {found.mode}: {found.problem} (the newer is {found.newer.source})"
        )
        ctx.report.count("disagreements")
        ctx.report.count(f"disagreements:{found.key}")
        when = found.mine if found.mine is not _ABSENT else found.theirs
        yield (
            participation(found.iso3, found.key, found.mode, when),
            SKOS.note,
            text_literal(
                f"Sources disagree: {found.problem}. Both statements are kept, each in its own graph; the State's "
                f"current status follows the newest source that lists it (hres:currentParticipation)."
            ),
        )
