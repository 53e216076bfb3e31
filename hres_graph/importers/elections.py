"""National elections and referendums from IFES ElectionGuide (hgoers/election_dates_database).

Upstream: `data/election_df.csv` of github.com/hgoers/election_dates_database (a 2021 scrape of
electionguide.org), UTF-8 CSV with the columns

    date      display date: "Nov. 10, 2020", "Sept. 5, 2010", "June 8, 2023"; "None" when not set
    country   formal name of the country or territory ("Hellenic Republic", "Scotland")
    election  "Election for <body or office>" or "Referendum"
    status    Held, Confirmed, Date not confirmed, Snap, Postponed, ...

Each distinct row becomes one hres:Election at `id/election/<ISO3>/<date>/<slug of body>`; a place
that is not a state (Scotland, European Union, Kosovo...) keeps a slug of its name instead of the
ISO code, no hres:electionIn, and is reported as unresolved. Election observation missions link to
the date-level IRI `id/election/<ISO3>/<date>` (see eom_missions.py); this graph adds the body.
The IRI rule is `_election_keys.election_iri`, which the IDEA and ParlGov importers share: they state the
parliamentary elections this graph also has on this graph's IRIs.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Iterator

from rdflib import Literal
from rdflib.namespace import RDF, RDFS

from ..namespaces import HRES, state
from ._election_keys import election_iri
from .base import ImportContext, Row, Source, Triple, date_literal, read_csv, slug, text_literal, year_literal

FILE = "election_df.csv"
COLUMNS = ("date", "country", "election", "status")

# ElectionGuide prints months abbreviated with a dot ("Nov.") or in full ("June", "May"); September
# is "Sept.", which strptime's %b does not know, so it is rewritten to "Sep." first.
DATE_FORMATS = ("%b. %d, %Y", "%B %d, %Y", "%Y-%m-%d")
_MONTH_SPELLINGS = {"Sept.": "Sep."}
_YEAR = re.compile(r"\d{4}")
# The page had no date: an election without hres:electionDate, filed under `.../undated/...`.
NO_DATE_MARKERS = frozenset({"none"})

ELECTION_PREFIX = "Election for "
REFERENDUM = "Referendum"


def parse_display_date(value: str) -> date | int | None:
    """A date, a year (int) for a bare year, or None for a "no date" marker; ValueError otherwise."""
    text = value.strip()
    if text.lower() in NO_DATE_MARKERS:
        return None
    if _YEAR.fullmatch(text):
        return int(text)
    for wrong, right in _MONTH_SPELLINGS.items():
        text = text.replace(wrong, right)
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


def read_elections(path: Path, ctx: ImportContext) -> Iterator[Triple]:
    """Stream hres:Election triples from election_df.csv (or the folder holding it)."""
    file = path / FILE if path.is_dir() else path
    report = ctx.report
    # (place, when, body slug) -> (status, first line, rows so far): a few thousand short tuples.
    seen: dict[tuple[str, str, str], tuple[str, int, int]] = {}
    duplicates: list[str] = []
    told_apart: list[str] = []
    for row in ctx.progress(read_csv(file, required=COLUMNS), "elections"):
        report.count("rows")
        when, when_literal = _when(row)
        country = " ".join(row["country"].split())
        if not country:
            raise row.error(
                "the country is empty",
                column="country",
                hint="every row names the country or territory holding the election",
            )
        kind, body = _kind_and_body(row)
        iso3 = ctx.state(country, row.where)
        place = iso3 or slug(country)
        body_slug = slug(body) if body else slug(row["election"])
        status = row["status"].strip()

        key = (place, when, body_slug)
        if key in seen:
            first_status, first_line, n = seen[key]
            if status == first_status:
                report.count("duplicate rows")
                duplicates.append(f"line {row.line} repeats line {first_line}")
                continue
            # Same day, place and body but another status: two events the scrape cannot name apart.
            seen[key] = (first_status, first_line, n + 1)
            body_slug = f"{body_slug}-{n + 1}"
            report.count("same-day rows told apart")
            told_apart.append(f"line {row.line} ({status}) vs line {first_line} ({first_status})")
        else:
            seen[key] = (status, row.line, 1)

        election = election_iri(place, when, body_slug)
        report.count("elections")
        report.count(f"type:{kind}")
        yield election, RDF.type, HRES.Election
        shown = when if when != "undated" else "date not given"
        yield election, RDFS.label, text_literal(f"{row['election']} — {country}, {shown}")
        if iso3:
            yield election, HRES.electionIn, state(iso3)
        else:
            report.count("elections in places that are not states")
        if when_literal is not None:
            yield election, when_literal[0], when_literal[1]
        else:
            report.count("undated elections")
        if body:
            yield election, HRES.electedBody, Literal(body)
        yield election, HRES.electionType, Literal(kind)
        if status:
            yield election, HRES.electionStatus, Literal(status)

    if duplicates:
        report.note(
            f"{len(duplicates)} rows repeat an earlier row exactly (same date, place, election and "
            f"status) and were imported once: {'; '.join(duplicates)}. The scrape cannot tell a "
            "duplicate from two same-day votes with one title (e.g. two referendums on one day)."
        )
    if told_apart:
        report.note(
            "rows with the same date, place and election but another status were kept as separate "
            f"elections (IRI suffix -2, -3...): {'; '.join(told_apart)}"
        )
    unresolved = sorted(report.unresolved)
    if unresolved:
        report.note(
            f"{len(unresolved)} place names are not states and were imported without "
            f"hres:electionIn, under a slug of the name: {', '.join(unresolved)}"
        )


def _when(row: Row) -> tuple[str, tuple | None]:
    """IRI segment for the date, and the (predicate, literal) that states it."""
    raw = row["date"]
    try:
        value = parse_display_date(raw)
    except ValueError:
        raise row.error(
            f"cannot read the date {raw!r}",
            column="date",
            hint='expected e.g. "Nov. 10, 2020", "June 8, 2023", "2020-11-10", a bare year, '
            'or "None" for no date; fix the cell or add the format to '
            "importers/elections.py:DATE_FORMATS",
        ) from None
    if value is None:
        return "undated", None
    if isinstance(value, int):
        return f"{value:04d}", (HRES.year, year_literal(value))
    return value.isoformat(), (HRES.electionDate, date_literal(value))


def _kind_and_body(row: Row) -> tuple[str, str | None]:
    """('election', body) for "Election for <body>", ('referendum', None) for a referendum."""
    text = " ".join(row["election"].split())
    if text.startswith(ELECTION_PREFIX) and len(text) > len(ELECTION_PREFIX):
        return "election", text[len(ELECTION_PREFIX) :]
    if text.startswith(REFERENDUM):
        return "referendum", None
    raise row.error(
        f"cannot read the election {text!r}",
        column="election",
        hint='expected "Election for <body or office>" or "Referendum..."',
    )


SOURCE = Source(
    id="elections",
    title="National elections and referendums (IFES ElectionGuide, via hgoers/election_dates_database)",
    read=read_elections,
    default_path="raw/electionguide-dates",
    license="No licence stated; content scraped from IFES ElectionGuide. Cite IFES ElectionGuide and the repository.",
    upstream="https://github.com/hgoers/election_dates_database/blob/cd81a25d6d4eef2d1bfdee515631ca04a5844bc9/data/election_df.csv",
)

__all__ = ["SOURCE", "read_elections", "parse_display_date", "DATE_FORMATS", "NO_DATE_MARKERS"]
