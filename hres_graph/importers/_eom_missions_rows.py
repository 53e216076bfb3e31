"""missions.csv of curated/eom-missions: reading and checking a mission row, and its triples.

Private helper of eom_missions.py (kept apart to keep each module short).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Iterator

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from ..namespaces import HRES, ID, organisation, state
from .base import ImportContext, ImportReport, Row, Triple, date_literal, read_csv, slug, text_literal, year_literal

MISSION_COLUMNS = (
    "organization",
    "mission_type",
    "country_iso3",
    "country_name",
    "election_type",
    "election_date",
    "final_report_date",
    "n_recommendations",
    "n_priority_recommendations",
    "prior_recommendations_assessed",
    "chief_observer",
    "key_topics",
    "source_url",
    "notes",
    "mission_key",
)

# organization column -> organisation slug (ontology/README.md); `other` takes its body from the key.
ORGANISATIONS: dict[str, str | None] = {
    "EU": "eu",
    "OSCE/ODIHR": "osce-odihr",
    "Carter Center": "carter-center",
    "AU": "au",
    "OAS": "oas",
    "Commonwealth": "commonwealth",
    "NDI": "ndi",
    "IRI": "iri",
    "ECOWAS": "ecowas",
    "SADC": "sadc",
    "other": None,
}
# mission_key suffix naming the body of an `other` mission -> organisation slug.
OTHER_BODIES: dict[str, str] = {
    "PACE": "pace",
    "EP": "ep",
    "ENEMO": "enemo",
    "ECF-SADC": "ecf-sadc",
    "DI": "democracy-international",
}
# mission_type -> words for labels; the last two also suffix the mission key and IRI.
MISSION_TYPES: dict[str, str] = {
    "EOM": "election observation mission",
    "LEOM": "limited election observation mission",
    "EAM": "election assessment mission",
    "EEM": "election expert mission",
    "follow-up": "follow-up mission",
    "needs assessment": "needs assessment mission",
    "": "mission",
}
KEY_TYPE_SUFFIXES = ("follow-up", "needs assessment")
ELECTION_TYPES = ("general", "presidential", "parliamentary", "local", "referendum", "runoff", "")

_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
_WEB_ADDRESS = re.compile(r"https?://[^\s<>\"{}|\\^`]+")


@dataclass
class Mission:
    key: str
    iri: URIRef
    org: str  # organisation slug
    iso3: str
    n_findings: int = 0
    row: Row | None = field(default=None, repr=False)


@dataclass
class _Election:
    iri: URIRef
    iso3: str
    when: str
    country: str
    types: set[str] = field(default_factory=set)
    lines: list[int] = field(default_factory=list)


def read_missions(file: Path, ctx: ImportContext) -> Iterator[Mission]:
    """Checked Mission records, one per row, with the row kept for the triples."""
    for row in ctx.progress(read_csv(file, required=MISSION_COLUMNS), "eom missions"):
        yield _mission(row, ctx)


def mission_triples(rows: Iterator[Mission], missions: dict[str, Mission], ctx: ImportContext) -> Iterator[Triple]:
    """Triples of each mission, then of the elections they observe (one description per election)."""
    report = ctx.report
    elections: dict[str, _Election] = {}  # about a hundred: one per country and date
    for mission in rows:
        row = mission.row
        if mission.key in missions:
            raise row.error(
                f"mission_key {mission.key!r} repeats line {missions[mission.key].row.line}",
                column="mission_key",
                hint="keys must be unique: add a suffix (see PROVENANCE.md)",
            )
        missions[mission.key] = mission
        report.count("missions")
        report.count(f"organization:{row['organization'].strip()}")
        when = _partial_date(row, "election_date", required=True)
        election = elections.get(f"{mission.iso3}/{when}")
        if election is None:
            election = elections[f"{mission.iso3}/{when}"] = _Election(
                ID[f"election/{mission.iso3}/{when}"], mission.iso3, when, row["country_name"].strip()
            )
        election.types.add(row["election_type"].strip())
        election.lines.append(row.line)
        yield from _mission_triples(mission, row, election, report)

    for election in elections.values():
        report.count("elections")
        yield from _election_triples(election)
    disagreements = [e for e in elections.values() if len(e.types - {""}) > 1]
    if disagreements:
        report.note(
            "missions disagree on the type of an election; each type is kept: "
            + "; ".join(
                f"{e.iso3} {e.when}: {', '.join(sorted(e.types - {''}))} (lines {', '.join(map(str, e.lines))})"
                for e in disagreements
            )
        )


def source_object(value: str, report: ImportReport) -> URIRef | Literal:
    """A page address as an IRI when it is a valid web address, else as text (counted)."""
    value = value.strip()
    if _WEB_ADDRESS.fullmatch(value):
        return URIRef(value)
    report.count("source addresses kept as text")
    return Literal(value)


def _mission(row: Row, ctx: ImportContext) -> Mission:
    org_name = row["organization"].strip()
    if org_name not in ORGANISATIONS:
        raise row.error(
            f"organization {org_name!r} is unknown; expected one of {', '.join(ORGANISATIONS)}",
            column="organization",
            hint="use `other` with the body's short name as key suffix, or add it to "
            "importers/_eom_missions_rows.py:ORGANISATIONS",
        )
    mission_type = row["mission_type"].strip()
    if mission_type not in MISSION_TYPES:
        raise row.error(
            f"mission_type {mission_type!r} is unknown; expected one of "
            f"{', '.join(t for t in MISSION_TYPES if t)} or empty",
            column="mission_type",
        )
    if row["election_type"].strip() not in ELECTION_TYPES:
        raise row.error(
            f"election_type {row['election_type']!r} is unknown; expected one of "
            f"{', '.join(t for t in ELECTION_TYPES if t)} or empty",
            column="election_type",
        )
    iso3 = row["country_iso3"].strip()
    if ctx.states.resolve(iso3) != iso3:
        raise row.error(
            f"country_iso3 {iso3!r} is not an ISO 3166-1 alpha-3 code of a known state", column="country_iso3"
        )
    named = ctx.state(row["country_name"], row.where)
    if named is not None and named != iso3:
        raise row.error(
            f"country_name {row['country_name']!r} is {named}, but country_iso3 says {iso3}",
            column="country_name",
            hint="correct one of the two columns",
        )

    key = row["mission_key"].strip()
    parts = key.split("+")
    if len(parts) < 3 or parts[0] != org_name or parts[1] != iso3 or parts[2] != row["election_date"].strip():
        raise row.error(
            f"mission_key {key!r} does not start with organization+country_iso3+election_date "
            f"({org_name}+{iso3}+{row['election_date'].strip()})",
            column="mission_key",
        )
    extras = parts[3:]
    org = ORGANISATIONS[org_name]
    if org is None:
        if not extras or extras[0] not in OTHER_BODIES:
            raise row.error(
                f"mission_key {key!r} of an `other` mission must end with one of {', '.join(OTHER_BODIES)}",
                column="mission_key",
                hint="add the body to importers/_eom_missions_rows.py:OTHER_BODIES",
            )
        org, extras = OTHER_BODIES[extras[0]], extras[1:]
    expected = [mission_type] if mission_type in KEY_TYPE_SUFFIXES else []
    if extras != expected:
        raise row.error(
            f"mission_key {key!r} should end with {'+' + expected[0] if expected else 'the election date'}"
            f" for mission_type {mission_type!r}",
            column="mission_key",
        )
    when = _partial_date(row, "election_date", required=True)
    suffix = f"/{slug(expected[0])}" if expected else ""
    return Mission(key, ID[f"mission/{org}/{iso3}/{when}{suffix}"], org, iso3, row=row)


def _mission_triples(mission: Mission, row: Row, election: _Election, report: ImportReport) -> Iterator[Triple]:
    m = mission.iri
    mission_type = row["mission_type"].strip()
    body = row["mission_key"].split("+")[3] if row["organization"].strip() == "other" else row["organization"].strip()
    yield m, RDF.type, HRES.ObservationMission
    yield (
        m,
        RDFS.label,
        text_literal(
            f"{body} {MISSION_TYPES[mission_type]}, "
            f"{_election_name(election.country, {row['election_type'].strip()}, election.when)}"
        ),
    )
    yield m, HRES.deployedBy, organisation(mission.org)
    yield m, HRES.observes, election.iri
    if mission_type:
        yield m, HRES.missionType, Literal(mission_type)
    else:
        report.count("missions without a type")
    if row["chief_observer"].strip():
        yield m, HRES.chiefObserver, Literal(" ".join(row["chief_observer"].split()))
    reported = _partial_date(row, "final_report_date", required=False)
    if len(reported) == 10:
        yield m, HRES.reportDate, date_literal(date.fromisoformat(reported))
    elif reported:  # xsd:date needs a day; a month or year stays readable as a note
        report.count("report dates without a day")
        yield m, SKOS.note, text_literal(f"Final report published {reported} (day not stated).")
    counts = [_count(row, c) for c in ("n_recommendations", "n_priority_recommendations")]
    if counts[0] is not None:
        extra = f", {counts[1]} of them priority recommendations" if counts[1] is not None else ""
        yield m, SKOS.note, text_literal(f"The final report makes {counts[0]} recommendations{extra}.")
    elif counts[1] is not None:
        yield m, SKOS.note, text_literal(f"The final report makes {counts[1]} priority recommendations.")
    if row["prior_recommendations_assessed"].strip():
        report.count("missions assessing earlier recommendations")
        yield m, SKOS.note, text_literal("On earlier recommendations: " + row["prior_recommendations_assessed"])
    topics = [t.strip() for t in row["key_topics"].split(";") if t.strip()]
    if topics:
        yield m, RDFS.comment, text_literal("Key topics: " + "; ".join(topics))
    if row["notes"].strip():
        yield m, SKOS.note, text_literal(row["notes"])
    if row["source_url"].strip():
        yield m, DCTERMS.source, source_object(row["source_url"], report)


def _election_triples(election: _Election) -> Iterator[Triple]:
    e = election.iri
    yield e, RDF.type, HRES.Election
    yield e, RDFS.label, text_literal(_election_name(election.country, election.types, election.when))
    yield e, HRES.electionIn, state(election.iso3)
    if len(election.when) == 10:
        yield e, HRES.electionDate, date_literal(date.fromisoformat(election.when))
    else:  # month or year only: the year as xsd:gYear, the month in the label
        yield e, HRES.year, year_literal(int(election.when[:4]))
    for kind in sorted(election.types - {""}):
        yield e, HRES.electionType, Literal(kind)


def _election_name(country: str, types: set[str], when: str) -> str:
    kinds = "/".join(sorted(types - {""}))
    noun = "referendum" if kinds == "referendum" else f"{kinds} election" if kinds else "election"
    return f"{country} {noun}, {when}"


def _partial_date(row: Row, column: str, *, required: bool) -> str:
    """yyyy-mm-dd, yyyy-mm or yyyy, checked to be a real date; '' for an empty optional cell."""
    value = row[column].strip()
    if not value and not required:
        return ""
    match = _PARTIAL_DATE.fullmatch(value)
    try:
        if match is None or (match[3] is None and match[2] is not None and not 1 <= int(match[2]) <= 12):
            raise ValueError(value)
        if match[3] is not None:
            date.fromisoformat(value)
    except ValueError:
        raise row.error(
            f"{column} {value!r} is not a date",
            column=column,
            hint="write yyyy-mm-dd, or yyyy-mm / yyyy when the day or month is not known",
        ) from None
    return value


def _count(row: Row, column: str) -> int | None:
    value = row[column].strip()
    if not value:
        return None
    if not value.isdigit():
        raise row.error(f"{column} {value!r} is not a whole number", column=column)
    return int(value)
