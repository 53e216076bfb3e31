"""Parliamentary and European Parliament elections of 37 EU/OECD States from ParlGov (CC0), 1900 to mid-2023.

Upstream: hdigital/parlgov-web `scripts/migrate_parlgov-db/import-data-legacy/` (the ParlGov Dataverse
release as the web application's legacy tables): `31__elections__Election.csv` (one row per election:
`type` 13 parliamentary, 1 European Parliament; `country` an id of `02__datacore__Country.csv`, whose
`name_short` is the ISO 3166-1 alpha-3 code; `date`; `early` 1 for an early election; `electorate`,
`votes_cast`, `votes_valid`) and the country table.

A parliamentary election ElectionGuide also has is stated on ElectionGuide's IRI (`_election_keys`: same
State and day, the national lower or only chamber), so one election is one resource stated by both
graphs; the others get IRIs by the same rule. European Parliament elections are per State here and
EU-wide in ElectionGuide, so none is merged: `id/election/<ISO3>/<date>/european-parliament`. Eight
European Parliament rows dated 1 January are no election ("Elections took only place later in ...":
the first delegation of a new member State, appointed from its parliament) and are not imported.
Turnout is not stated: it is `hres:votesCast / hres:electorate`, a division a query can make.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

from rdflib import Literal
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from ..namespaces import HRES, state
from . import elections
from ._election_keys import (
    EUROPEAN_PARLIAMENT_SLUG,
    Catalogue,
    election_iri,
    electionguide_catalogue,
)
from .base import ImportContext, Row, Source, Triple, date_literal, parse_date, read_csv, text_literal

ELECTION_FILE = "31__elections__Election.csv"
COUNTRY_FILE = "02__datacore__Country.csv"
ELECTION_COLUMNS = ("id", "type", "country", "date", "early", "electorate", "votes_cast", "votes_valid")
COUNTRY_COLUMNS = ("id", "name", "name_short")
PARLIAMENT, EUROPEAN_PARLIAMENT = "13", "1"  # election_type codes of 01__datacore__Code.csv
KINDS = {PARLIAMENT: "parliamentary", EUROPEAN_PARLIAMENT: "European Parliament"}
COUNT_COLUMNS = {"electorate": HRES.electorate, "votes_cast": HRES.votesCast, "votes_valid": HRES.validVotes}
_ISO3 = re.compile(r"[A-Z]{3}")


def read_parlgov(path: Path, ctx: ImportContext) -> Iterator[Triple]:
    """Stream hres:Election triples from the ParlGov folder (elections merged with ElectionGuide's)."""
    countries = read_countries(_file(path, COUNTRY_FILE))
    catalogue = electionguide_catalogue(ctx, elections.SOURCE)
    seen: dict[str, int] = {}
    for row in ctx.progress(read_csv(_file(path, ELECTION_FILE), required=ELECTION_COLUMNS), "parlgov elections"):
        ctx.report.count("rows")
        election = parlgov_election(row, countries)
        if election is None:
            ctx.report.count("European Parliament delegations dated 1 January (not elections)")
            continue
        iri = _iri(election, catalogue, ctx)
        if str(iri) in seen:
            raise row.error(
                f"a second {election.kind} election of {election.iso3} on {election.date} (first on line "
                f"{seen[str(iri)]})",
                column="date",
                hint="each State holds one election of a kind on a day; fix the date or the type",
            )
        seen[str(iri)] = row.line
        yield from _triples(iri, election, row)
    _note(ctx)


class ParlGovElection:
    """One election row, checked: ISO3, name, date, kind and its type code."""

    def __init__(self, iso3: str, name: str, date: str, code: str):
        self.iso3, self.name, self.date, self.code = iso3, name, date, code
        self.kind = KINDS[code]


def read_countries(file: Path) -> dict[str, tuple[str, str]]:
    """Country id -> (ISO3, name), from the country table."""
    countries = {}
    for row in read_csv(file, required=COUNTRY_COLUMNS):
        iso3 = row["name_short"].strip()
        if not _ISO3.fullmatch(iso3):
            raise row.error(
                f"name_short {iso3!r} is not an ISO 3166-1 alpha-3 code",
                column="name_short",
                hint="ParlGov's name_short holds the three-letter ISO code (e.g. DEU)",
            )
        countries[row["id"].strip()] = (iso3, row["name"].strip())
    return countries


def parlgov_election(row: Row, countries: dict[str, tuple[str, str]]) -> ParlGovElection | None:
    """The row's election, or None for a European Parliament delegation dated 1 January."""
    code = row["type"].strip()
    if code not in KINDS:
        raise row.error(
            f"election type {code!r} is neither {PARLIAMENT} (parliament) nor {EUROPEAN_PARLIAMENT} "
            "(European Parliament)",
            column="type",
            hint="see 01__datacore__Code.csv (election_type); add the kind to elections_parlgov.KINDS",
        )
    if row["country"].strip() not in countries:
        raise row.error(
            f"country id {row['country']!r} is not in {COUNTRY_FILE}",
            column="country",
            hint="use the country table of the same ParlGov export",
        )
    day = parse_date(row["date"]) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["date"].strip()) else None
    if day is None:
        raise row.error(f"cannot read the date {row['date']!r}", column="date", hint="expected YYYY-MM-DD")
    if code == EUROPEAN_PARLIAMENT and (day.month, day.day) == (1, 1):
        return None
    iso3, name = countries[row["country"].strip()]
    return ParlGovElection(iso3, name, day.isoformat(), code)


def _iri(election: ParlGovElection, catalogue: Catalogue, ctx: ImportContext):
    """ElectionGuide's IRI when it has this parliamentary election, else one by the shared rule."""
    if election.code == EUROPEAN_PARLIAMENT:
        ctx.report.count("European Parliament elections (new: ElectionGuide lists them EU-wide only)")
        return election_iri(election.iso3, election.date, EUROPEAN_PARLIAMENT_SLUG)
    found = catalogue.candidates(election.iso3, election.date)
    if len(found) == 1:
        ctx.report.count("parliamentary: matched with ElectionGuide")
        return found[0].iri
    if found:  # two lower chambers on one day: the rule of _election_keys cannot choose
        ctx.report.count("parliamentary: several ElectionGuide candidates (new)")
        ctx.report.note(f"{election.iso3} {election.date}: {', '.join(str(k.iri) for k in found)}")
    else:
        ctx.report.count("parliamentary: not in ElectionGuide (new)")
    return catalogue.new_iri(election.iso3, election.date)


def _triples(iri, election: ParlGovElection, row: Row) -> Iterator[Triple]:
    yield iri, RDF.type, HRES.Election
    yield iri, RDFS.label, text_literal(f"{election.kind.capitalize()} election — {election.name}, {election.date}")
    yield iri, HRES.electionIn, state(election.iso3)
    yield iri, HRES.electionDate, date_literal(parse_date(election.date))
    yield iri, HRES.electionType, Literal(election.kind)
    yield iri, DCTERMS.identifier, Literal(f"parlgov-election-{row['id'].strip()}")
    yield iri, HRES.earlyElection, Literal(_flag(row), datatype=XSD.boolean)
    for column, predicate in COUNT_COLUMNS.items():
        value = row[column].strip()
        if value:
            if not value.isdigit():
                raise row.error(f"{column} {value!r} is not a whole number", column=column, hint="digits only")
            yield iri, predicate, Literal(int(value), datatype=XSD.nonNegativeInteger)


def _flag(row: Row) -> str:
    value = row["early"].strip()
    if value not in ("0", "1"):
        raise row.error(f"early {value!r} is neither 0 nor 1", column="early", hint="1 marks an early election")
    return "true" if value == "1" else "false"


def _file(path: Path, name: str) -> Path:
    return path / name if path.is_dir() else path.parent / name


def _note(ctx: ImportContext) -> None:
    c = ctx.report.counts
    ctx.report.note(
        f"{c['parliamentary: matched with ElectionGuide']:,} parliamentary elections are ElectionGuide's (one "
        f"resource, stated by both graphs); {c['parliamentary: not in ElectionGuide (new)']:,} are not in "
        f"ElectionGuide (mostly before 1998, its first dense year); "
        f"{c['European Parliament elections (new: ElectionGuide lists them EU-wide only)']:,} European Parliament "
        "elections are per State and new"
    )


SOURCE = Source(
    id="elections-parlgov",
    title="Parliamentary and European Parliament elections of EU/OECD States (ParlGov, via hdigital/parlgov-web)",
    read=read_parlgov,
    default_path="raw/parlgov-elections",
    license="CC0 1.0 (ParlGov Dataverse data, doi:10.7910/DVN/2VZ5ZC); the repository's code is MIT",
    upstream="https://github.com/hdigital/parlgov-web/tree/5b4735ac23a54e4a6cae9eda3dbb2c2af3c3352e/scripts/"
    "migrate_parlgov-db/import-data-legacy",
    needs=("elections",),
)

__all__ = ["SOURCE", "read_parlgov", "read_countries", "parlgov_election", "ParlGovElection"]
