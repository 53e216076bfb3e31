"""National mechanisms for implementation, reporting and follow-up (NMIRF), 83 States (URG annex, via CeHDI).

Upstream: CeHDI-Foundation/UPR_Maternal-Health_Public, `data/` (hand-transcribed from Annex 2 of the
Universal Rights Group report on NMIRFs). `path` is that folder or one NMIRF_status-format file.
- `NMIRF_status.csv` (UTF-8 with BOM): `State`, `ISO-3166-1` (alpha-3; the names are not reliable, e.g.
  "RoK"), `UN Regional Group` (AG, APG, EEG, GRULAC, WEOG), `State classification in report`, participation
  scores `Parliament` ... `Relevant State agencies` (-1..3), `Weighted participation score` (their sum / 3),
  practice scores `Integration SDGs` ... `Coordination responsibility` (-1..2), `Total X Points`.
- `NMIRF_Y.csv`: `State`, `ISO-3166-1`, institutionalisation scores `Est. law` ... `Dedicated focal
  points/staff`, `Total Y Points`.
- `upr_sessions.csv`: `session`, `year`. Not imported (session years are reference data): checked against the
  years the UPR Info and OHCHR-matrices PROVENANCE files state, disagreements reported.

Output: `id/followup/<ISO3>` hres:FollowUpMechanism, hres:followUpMechanismOf the State, dcterms:type a
concept of the scheme `vocab/nmirf-classification` (emitted here), hres:score = Total X Points. The component
scores, the weighted participation score and the Y scores have no ontology terms: they are kept as skos:note
text ("Parliament: 3; Judiciary: 0; ...") so nothing is invented. The regional group is cross-checked against
the states source, not restated.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Iterator

from rdflib import Literal
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from ..errors import SourceFormatError
from ..namespaces import HRES, ID, VOCAB, concept, state
from ._blocks import regional_groups
from .base import ImportContext, Row, Source, read_csv, slug, text_literal
from .states import state_label

PARTICIPATION = ("Parliament", "Judiciary", "CSOs", "Statistics", "NHRI", "Business", "Relevant State agencies")
PRACTICE = (
    "Integration SDGs",
    "Clustering",
    "Centralised repository/ tracking database",
    "Implementation monitoring",
    "Human rights impact indicators",
    "Holistic approach",
    "Coordination responsibility",
)
WEIGHTED, TOTAL_X, TOTAL_Y = "Weighted participation score", "Total X Points", "Total Y Points"
INSTITUTION = (
    "Est. law",
    "Permanent",
    "Regularity of meetings",
    "Secretariat",
    "Budget",
    "Dedicated focal points/staff",
)
STATUS_COLUMNS = (
    "State",
    "ISO-3166-1",
    "UN Regional Group",
    "State classification in report",
    *PARTICIPATION,
    WEIGHTED,
    *PRACTICE,
    TOTAL_X,
)
GROUP_CODES = {"AG": "african", "APG": "asia-pacific", "EEG": "eastern-european", "GRULAC": "grulac", "WEOG": "weog"}
SCHEME = VOCAB["nmirf-classification"]
CLASSIFICATION_LABELS = {"NMIRF": "National mechanism for implementation, reporting and follow-up (NMIRF)"}
# UPR session -> year as stated in upr-info-terman/PROVENANCE.md (sessions 1-20, "the UN calendar") and
# ohchr-upr-matrices-slovenia/PROVENANCE.md (sessions 20, 34, 48).
KNOWN_SESSION_YEARS = {
    **{s: 2008 for s in (1, 2, 3)},
    **{s: 2009 for s in (4, 5, 6)},
    **{s: 2010 for s in (7, 8, 9)},
    **{s: 2011 for s in (10, 11, 12)},
    13: 2012,
    14: 2012,
    15: 2013,
    16: 2013,
    17: 2013,
    18: 2014,
    19: 2014,
    20: 2014,
    34: 2019,
    48: 2025,
}
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def followup(iso3: str):
    return ID[f"followup/{iso3}"]


def read_nmirf(path: Path, ctx: ImportContext) -> Iterator[tuple]:
    folder = path.parent if path.is_file() else path
    status_file = path if path.is_file() else path / "NMIRF_status.csv"
    if not status_file.exists():
        raise SourceFormatError(
            status_file, "file not found", hint="point the 'nmirf' source at the nmirf-urg-cehdi folder"
        )
    y_scores = _y_scores(folder / "NMIRF_Y.csv") if not path.is_file() else {}
    groups = _groups(ctx)
    classifications: dict[str, str] = {}
    done: set[str] = set()
    for row in ctx.progress(read_csv(status_file, required=STATUS_COLUMNS), status_file.name):
        iso3 = ctx.state(row["ISO-3166-1"], f"{row.where} (column ISO-3166-1)")
        if iso3 is None:
            ctx.report.count("unresolved-rows")
            continue
        if iso3 in done:
            raise row.error(f"{iso3} is listed twice", column="ISO-3166-1", hint="remove the duplicate row")
        done.add(iso3)
        _check_name(row, iso3, ctx)
        _check_group(row, iso3, groups, ctx)
        scores = {c: _score(row, c) for c in (*PARTICIPATION, WEIGHTED, *PRACTICE, TOTAL_X)}
        _check_totals(row, iso3, scores, ctx)
        text = " ".join(row["State classification in report"].split())
        if not text:
            raise row.error("no classification", column="State classification in report")
        classifications.setdefault(slug(text), text)
        ctx.report.count(f"classification:{slug(text)}")
        ctx.report.count("followup-mechanisms")
        f = followup(iso3)
        name = state_label(ctx.states.codes[iso3]) if iso3 in ctx.states.codes else row["State"]
        yield f, RDF.type, HRES.FollowUpMechanism
        yield (
            f,
            RDFS.label,
            Literal(f"{name}: national mechanism for implementation, reporting and follow-up", lang="en"),
        )
        yield f, HRES.followUpMechanismOf, state(iso3)
        yield f, DCTERMS.type, concept("nmirf-classification", slug(text))
        if scores[TOTAL_X] is not None:
            yield f, HRES.score, Literal(scores[TOTAL_X], datatype=XSD.decimal)
        yield (
            f,
            SKOS.note,
            text_literal("URG annex 2, participation scores: " + _listing(scores, (*PARTICIPATION, WEIGHTED))),
        )
        yield f, SKOS.note, text_literal("URG annex 2, practice scores: " + _listing(scores, (*PRACTICE, TOTAL_X)))
        if iso3 in y_scores:
            yield (
                f,
                SKOS.note,
                text_literal(
                    "URG annex 2, institutionalisation scores: " + _listing(y_scores[iso3], (*INSTITUTION, TOTAL_Y))
                ),
            )
            ctx.report.count("with-y-scores")
    for iso3 in sorted(set(y_scores) - done):
        ctx.report.note(f"NMIRF_Y.csv has {iso3}, which NMIRF_status.csv does not: its Y scores are not imported")
    yield from _scheme(classifications)
    if not path.is_file() and (folder / "upr_sessions.csv").exists():
        _check_sessions(folder / "upr_sessions.csv", ctx)


def _scheme(classifications: dict[str, str]) -> Iterator[tuple]:
    yield SCHEME, RDF.type, SKOS.ConceptScheme
    yield (
        SCHEME,
        RDFS.label,
        Literal(
            "Classification of national mechanisms for implementation, reporting and "
            "follow-up (Universal Rights Group)",
            lang="en",
        ),
    )
    for key, text in sorted(classifications.items()):
        c = concept("nmirf-classification", key)
        label = Literal(CLASSIFICATION_LABELS.get(text, text), lang="en")
        yield c, RDF.type, SKOS.Concept
        yield c, SKOS.inScheme, SCHEME
        yield c, SKOS.prefLabel, label
        yield c, RDFS.label, label
        yield c, SKOS.notation, Literal(text)


def _score(row: Row, column: str) -> Decimal | None:
    value = row[column].strip()
    if not value:
        return None  # not scored in the annex
    if not _NUMBER.fullmatch(value):
        raise row.error(
            f"column {column!r} has {value!r}; expected a number such as -1, 2 or 3.33",
            column=column,
            hint="fix the score in the row",
        )
    return Decimal(value)


def _listing(scores: dict, columns) -> str:
    return "; ".join(f"{c}: {'not scored' if scores.get(c) is None else scores[c]}" for c in columns)


def _check_totals(row: Row, iso3: str, scores: dict, ctx: ImportContext) -> None:
    zero = Decimal(0)
    weighted = sum((scores[c] or zero for c in PARTICIPATION), zero) / 3
    if scores[WEIGHTED] is not None and abs(weighted - scores[WEIGHTED]) > Decimal("0.01"):
        ctx.report.note(
            f"{row.where}: {iso3} weighted participation score {scores[WEIGHTED]} is not the sum of "
            f"its components / 3 ({weighted:.2f})"
        )
        ctx.report.count("score-mismatches")
    total = (scores[WEIGHTED] or zero) + sum((scores[c] or zero for c in PRACTICE), zero)
    if scores[TOTAL_X] is not None and abs(total - scores[TOTAL_X]) > Decimal("0.01"):
        ctx.report.note(
            f"{row.where}: {iso3} {TOTAL_X} {scores[TOTAL_X]} is not the weighted score plus the "
            f"practice scores ({total})"
        )
        ctx.report.count("score-mismatches")


def _check_name(row: Row, iso3: str, ctx: ImportContext) -> None:
    by_name = ctx.states.resolve(row["State"])
    if by_name != iso3:  # the code decides; the name is only checked
        ctx.report.note(
            f"{row.where}: name {row['State']!r} "
            + (f"is {by_name}" if by_name else "does not resolve")
            + f"; using the code {iso3}"
        )
        ctx.report.count("name-not-matching-code")


def _groups(ctx: ImportContext) -> dict[str, str] | None:
    folder = ctx.source_paths.get("states") or (ctx.data_root / "raw" / "internacia-states" if ctx.data_root else None)
    if folder is None or not (folder / "intblocks").is_dir():
        ctx.report.note("internacia-states not found: regional groups are not cross-checked")
        return None
    return regional_groups(folder / "intblocks")


def _check_group(row: Row, iso3: str, groups: dict[str, str] | None, ctx: ImportContext) -> None:
    code = row["UN Regional Group"].strip()
    if code not in GROUP_CODES:
        raise row.error(
            f"column 'UN Regional Group' has {code!r}; expected one of {', '.join(GROUP_CODES)}",
            column="UN Regional Group",
        )
    ctx.report.count(f"group:{code}")
    iso2 = ctx.states.codes.get(iso3, {}).get("code")
    if groups is not None and groups.get(iso2) != GROUP_CODES[code]:
        ctx.report.note(
            f"{row.where}: {iso3} is in group {code} here but {groups.get(iso2) or 'no group'} in the states source"
        )
        ctx.report.count("group-disagreements")


def _y_scores(file: Path) -> dict[str, dict]:
    if not file.exists():
        return {}
    table = {}
    for row in read_csv(file, required=("State", "ISO-3166-1", *INSTITUTION, TOTAL_Y)):
        scores = {c: _score(row, c) for c in (*INSTITUTION, TOTAL_Y)}
        table[row["ISO-3166-1"].strip().upper()] = scores
    return table


def _check_sessions(file: Path, ctx: ImportContext) -> None:
    previous = (0, 0)
    for row in read_csv(file, required=("session", "year")):
        session, year = row["session"].strip(), row["year"].strip()
        if not session.isdigit() or not re.fullmatch(r"(19|20)\d\d", year):
            bad = "session" if not session.isdigit() else "year"
            raise row.error(
                f"column {bad!r} has {row[bad]!r}; expected a whole number"
                + (" (a four-digit year)" if bad == "year" else ""),
                column=bad,
            )
        n, y = int(session), int(year)
        if n != previous[0] + 1 or y < previous[1]:
            ctx.report.note(
                f"{row.where}: session {n} ({y}) is out of order after session {previous[0]} ({previous[1]})"
            )
            ctx.report.count("session-order-problems")
        previous = (n, y)
        ctx.report.count("upr-sessions")
        if n in KNOWN_SESSION_YEARS:
            ctx.report.count("session-years-checked")
            if KNOWN_SESSION_YEARS[n] != y:
                ctx.report.note(
                    f"{row.where}: upr_sessions.csv dates session {n} to {y}; the UPR Info / OHCHR "
                    f"PROVENANCE files say {KNOWN_SESSION_YEARS[n]}"
                )
                ctx.report.count("session-year-disagreements")
    ctx.report.note(
        f"upr_sessions.csv: {ctx.report.counts['upr-sessions']} sessions; "
        f"{ctx.report.counts['session-years-checked']} checked against the PROVENANCE years, "
        f"{ctx.report.counts['session-year-disagreements']} disagreements; no session triples emitted"
    )


SOURCE = Source(
    id="nmirf",
    title="National mechanisms for implementation, reporting and follow-up, 83 States (URG annex via CeHDI)",
    read=read_nmirf,
    default_path="raw/nmirf-urg-cehdi",
    license="No licence stated; Universal Rights Group data, transcribed by CeHDI (attribute both)",
    upstream="https://github.com/CeHDI-Foundation/UPR_Maternal-Health_Public",
    needs=("states",),
)
