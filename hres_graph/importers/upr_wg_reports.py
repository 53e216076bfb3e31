"""UPR working-group reports 2008-2014 as parsed by R. Terman: recommendations, positions, "implemented".

Upstream: rochelleterman/uprs `v.1/Data/year-csvs/*.csv` (2008data.csv … 2014data.csv, haiti2011.csv).
Columns `text` (report paragraph number + text + "(State);"), `to` (State under review, often compact
lower case: "bosniaandherzegovina"), `decision` (support, consider, reject, noted, implemented,
implement, unknown), `From` (recommending State), `year`, `notes` (the State's reply, rarely filled).
Encodings and line ends vary per file (see _wg_text).

Positions are those printed in the working-group report, before the addendum: "consider" becomes a
pending response. "implemented" (the State declared the recommendation already implemented or in process)
also becomes an ImplementationAssessment on the WG record. "implement" (71 rows, all Nicaragua 2010, the
report's accepted paragraph) is read as support only: it is a commitment, not a report of implementation.

Each record is linked to the same recommendation in the UPR Info export (source `upr-info`) with
hres:sameRecommendationAs, matching within one (State under review, review session, recommending State)
block: exact normalised text first, then token-set Jaccard >= 0.8. The report year is the review's year or
the next (reports of November-December sessions are dated the following January). The assessment assesses
the WG record only (one hres:assesses per assessment); the UPR Info record is one sameRecommendationAs away.
"""

from __future__ import annotations

import re
from contextlib import nullcontext
from pathlib import Path
from typing import Iterator

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from ..namespaces import HRES, ID, concept, state
from . import upr_common as upr
from ._wg_text import DECISIONS, NO_STATE, joint_states, read_rows, split_text
from .base import ImportContext, ImportReport, Source, Triple, csv_files, stable_key, text_literal, year_literal

STATUS = {
    "support": "supported",
    "implemented": "supported",
    "implement": "supported",
    "consider": "pending",
    "reject": "rejected",
    "noted": "noted",
    "unknown": None,
}
SOURCE_NOTE = "UPR working group report (parse by R. Terman)"
FUZZY = 0.8


class UprInfoIndex(upr.DiskTable):
    """UPR Info recommendations by (State under review, session, recommending State): IRI and normalised text,
    in an on-disk table (the texts of 300,000 recommendations took ~450 MiB in memory); the sessions of each
    review year and the States' names are bounded by the review calendar and stay in memory."""

    def __init__(self, path: Path, ctx: ImportContext):
        from .upr_info import iter_records

        super().__init__("CREATE TABLE block (sur TEXT, session INTEGER, iso3 TEXT, iri TEXT, norm TEXT)")
        quiet = ImportContext(states=ctx.states, report=ImportReport("upr-info (for linking)"), data_root=ctx.data_root)
        self.sessions: dict[tuple[str, int], set[int]] = {}
        self.names: dict[str, str] = {}  # UPR Info's spelling of each State under review, for labels

        def rows():
            for rec in iter_records(path, quiet):
                if rec.pledge or not rec.sur or rec.session not in upr.SESSION_YEAR:
                    continue
                self.names.setdefault(rec.sur, rec.sur_name)
                self.sessions.setdefault((rec.sur, upr.SESSION_YEAR[rec.session]), set()).add(rec.session)
                norm = upr.norm_text(rec.text)
                for iso3 in rec.recommenders:
                    yield rec.sur, rec.session, iso3, str(rec.iri), norm

        self.db.executemany("INSERT INTO block VALUES (?, ?, ?, ?, ?)", rows())
        self.db.execute("CREATE INDEX block_key ON block (sur, session, iso3)")  # after the rows: faster

    def candidates(self, sur: str, session: int, iso3: str) -> list[tuple[URIRef, str]]:
        """The block's (IRI, normalised text), in the export's order."""
        return [
            (URIRef(iri), norm)
            for iri, norm in self.db.execute(
                "SELECT iri, norm FROM block WHERE sur = ? AND session = ? AND iso3 = ? ORDER BY rowid",
                (sur, session, iso3),
            )
        ]

    def session(self, sur: str, year: int) -> int | None:
        """The review a report of `year` belongs to: held that year, or late the year before (the reports
        of November-December sessions are dated the following year)."""
        for y in (year, year - 1):
            found = self.sessions.get((sur, y), set())
            if len(found) == 1:
                return next(iter(found))
        return None

    def match(self, sur: str, session: int, iso3: str, text: str) -> tuple[URIRef | None, str]:
        """Same review and recommending State; exact normalised text, else the best Jaccard >= FUZZY."""
        candidates = self.candidates(sur, session, iso3)
        norm = upr.norm_text(text)
        for iri, other in candidates:
            if other == norm:
                return iri, "exact"
        tokens = set(norm.split())
        best, score = None, 0.0
        for iri, other in candidates:
            value = upr.jaccard(tokens, set(other.split()))
            if value >= FUZZY and value > score:  # the first of equally good candidates
                best, score = iri, value
        return best, ("fuzzy" if best else "none")


def _upr_info_path(path: Path, ctx: ImportContext) -> Path | None:
    candidates = [ctx.source_paths.get("upr-info")]
    if ctx.data_root:
        candidates.append(Path(ctx.data_root) / "raw/upr-info-terman/upr-info-export")
    candidates.append((path if path.is_dir() else path.parent).parent / "upr-info-export")
    return next((Path(c) for c in candidates if c and Path(c).exists()), None)


def _recommenders(row, ctx: ImportContext, groups: list[list[str]]) -> tuple[list[str], str, str]:
    """(codes, how found, name for labels): from `From` (joint 'Ecuador and Spain' split), else the text."""
    name = " ".join(row["from"].split()).strip(" ;,.")
    if name in NO_STATE or not name:
        return [], "none", "an unknown State"
    iso3 = ctx.states.resolve(name)
    if iso3:
        return [iso3], "from", name
    codes = joint_states(name, ctx.states.resolve)
    if codes:
        return codes, "joint", name
    ctx.state(name, row.where)  # not a State (a parse error such as 'moratorium'): reported as unresolved
    named = [n for n in (groups[0] if groups else []) if n not in NO_STATE and ctx.states.resolve(n)]
    return [ctx.states.resolve(n) for n in named[:1]], "text", (named[0] if named else "an unknown State")


def _state_name(iso3: str | None, raw: str, index: UprInfoIndex | None, ctx: ImportContext) -> str:
    """A readable name for labels: UPR Info's spelling, else the country file's, else the raw value."""
    if iso3 and index and iso3 in index.names:
        return index.names[iso3]
    if iso3 and iso3 in ctx.states.codes:
        return ctx.states.codes[iso3].get("name") or raw.strip()
    return raw.strip()


def read_upr_wg_reports(path: Path, ctx: ImportContext) -> Iterator[Triple]:
    report = ctx.report
    upr_path = _upr_info_path(path, ctx)
    index = UprInfoIndex(upr_path, ctx) if upr_path else None
    if index is None:
        report.note("UPR Info export not found: records are not linked (hres:sameRecommendationAs)")
    with upr.KeyCounts() as seen, upr.KeyCounts() as linked_to, index or nullcontext():
        yield from _convert(path, ctx, index, seen, linked_to)
    _summary(report)


def _convert(
    path: Path, ctx: ImportContext, index: UprInfoIndex | None, seen: upr.KeyCounts, linked_to: upr.KeyCounts
) -> Iterator[Triple]:
    """The triples of every row; `seen` counts the rows' keys, `linked_to` the UPR Info records linked."""
    report = ctx.report
    rows = (
        row
        for file in csv_files(path, hint="point at the wg-report-parse folder or one of its CSV files")
        for row in read_rows(file)
    )
    for row in ctx.progress(rows, "upr-wg-reports"):
        report.count(f"rows in {row.path.name}")
        decision = row["decision"].strip().lower()
        if decision not in DECISIONS:
            raise row.error(
                f"unknown decision {row['decision']!r}", "decision", f"allowed values: {', '.join(DECISIONS)}"
            )
        report.count(f"decision {decision}")
        if not re.fullmatch(r"(19|20)\d\d", row["year"].strip()):
            raise row.error(f"year {row['year']!r} is not a year", "year", "a shifted column?")
        year = int(row["year"])
        sur = ctx.state(row["to"].strip(), row.where)
        number, text, groups = split_text(row["text"], ctx.states.resolve)
        actors, how, from_name = _recommenders(row, ctx, groups)
        report.count(f"recommending State from {how}")
        key = stable_key(str(year), row["to"].strip(), row["from"].strip(), " ".join(row["_raw_text"].split()))
        times = seen.count(key)
        # one path segment after the source id, as the IRI policy (shapes REC-01) requires
        s = ID[f"recommendation/upr-wg/{year}-{key}" + (f"-{times}" if times > 1 else "")]
        report.count("recommendations")
        yield s, RDF.type, HRES.Recommendation
        sur_name = _state_name(sur, row["to"], index, ctx)
        yield (
            s,
            RDFS.label,
            Literal(f"Recommendation of {from_name} to {sur_name} (UPR working group report {year})", lang="en"),
        )
        yield s, HRES.text, text_literal(text)
        yield s, HRES.issuedBy, upr.UPR
        yield s, HRES.year, year_literal(year)
        if number:
            yield s, HRES.paragraphNumber, Literal(number)
        session = index.session(sur, year) if index and sur else None
        if sur:
            yield s, HRES.addressedTo, state(sur)
            if session:  # the Review and its session are described in the upr-info graph
                yield s, HRES.madeInReview, upr.review_iri(session, sur)
                yield s, HRES.inCycleOf, upr.cycle_iri(upr.cycle_of(session))
        if not session:  # say where the record comes from when no review can be named
            yield s, DCTERMS.source, Literal(SOURCE_NOTE)
        for iso3 in actors:
            yield s, HRES.recommendingActor, state(iso3)
        matches, kinds = [], set()
        if index and sur:
            report.count("in a review of the UPR Info export" if session else "review not in the UPR Info export")
            for iso3 in actors:
                iri, kind = index.match(sur, session, iso3, text) if session else (None, "none")
                if iri:
                    if linked_to.count(iri) > 1:
                        report.count("UPR Info records linked from a second WG record")
                    matches.append(iri)
                    kinds.add(kind)
                    yield s, HRES.sameRecommendationAs, iri
            report.count(f"linked {'exact' if 'exact' in kinds else 'fuzzy' if kinds else 'none'}")
            report.count(f"linked {decision} {'yes' if matches else 'no'}")
        status = STATUS[decision]
        if status is None:
            report.count("rows without a response (decision unknown)")
            continue
        r = URIRef(f"{s}/response/upr-wg")
        yield r, RDF.type, HRES.Response
        yield (
            r,
            RDFS.label,
            Literal(f"Position of {sur_name} in the UPR working group report {year}: {decision}", lang="en"),
        )
        yield r, HRES.respondsTo, s
        yield r, HRES.responseStatus, concept("response-status", status)
        if sur:
            yield r, HRES.respondent, state(sur)
        note = " ".join(row["notes"].split())
        if note:
            yield r, HRES.text, text_literal(note)
        yield r, DCTERMS.source, Literal(SOURCE_NOTE)
        if decision == "implemented":
            a = URIRef(f"{s}/assessment/upr-wg")
            report.count("implementation assessments")
            yield a, RDF.type, HRES.ImplementationAssessment
            yield (
                a,
                RDFS.label,
                Literal(
                    f"{sur_name} reported a UPR recommendation as implemented or in "
                    f"process (working group report {year})",
                    lang="en",
                ),
            )
            yield a, HRES.assesses, s  # exactly one (shapes ASM-02); the UPR Info record via sameRecommendationAs
            yield a, HRES.implementationStatus, concept("implementation-status", "reported-implemented")
            if sur:
                yield a, HRES.assessor, state(sur)
            yield a, HRES.year, year_literal(year)
            if note:
                yield a, HRES.evidence, Literal(note)
            yield a, DCTERMS.source, Literal(SOURCE_NOTE)


def _summary(report: ImportReport) -> None:
    c = report.counts
    total = c["recommendations"]
    linked = c["linked exact"] + c["linked fuzzy"]
    if total and linked:
        by_decision = ", ".join(
            f"{d} {c[f'linked {d} yes'] / (c[f'linked {d} yes'] + c[f'linked {d} no']):.1%}"
            for d in DECISIONS
            if c[f"linked {d} yes"] + c[f"linked {d} no"]
        )
        report.note(
            f"linked {linked:,} of {total:,} WG records ({linked / total:.1%}) to UPR Info records "
            f"({c['linked exact']:,} exact, {c['linked fuzzy']:,} fuzzy); by decision: {by_decision}"
        )
    if c["implementation assessments"]:
        report.note(
            "'implemented' assessments are dated by the report year only (hres:year): the report does "
            "not say when the State implemented the recommendation"
        )
    report.note(
        f"decision 'implement' ({c['decision implement']} rows) read as supported without an "
        f"implementation assessment; 'unknown' ({c['decision unknown']} rows) gets no response"
    )
    if c["recommending State from text"]:
        report.note(
            f"{c['recommending State from text']} row(s) with a non-State `From` (parse error such as "
            "'moratorium'): the recommending State was read from the text's trailing parentheses"
        )
    if c["recommending State from joint"]:
        report.note(
            f"{c['recommending State from joint']} joint recommendation(s) ('Argentina Chile', "
            "'Ecuador and Spain') split into their States"
        )


SOURCE = Source(
    id="upr-wg-reports",
    title="UPR working-group reports 2008-2014, recommendations and positions (parse by R. Terman)",
    read=read_upr_wg_reports,
    default_path="raw/upr-info-terman/wg-report-parse",
    license="No licence stated (GitHub repository without LICENSE); the reports are UN documents",
    upstream="https://github.com/rochelleterman/uprs (v.1/Data/year-csvs)",
    needs=("upr-info",),
)
