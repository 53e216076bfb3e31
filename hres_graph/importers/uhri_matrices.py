"""OHCHR UPR "thematic list of recommendations" matrices (UHRI format): any State, any cycle.

One reader (`MatrixReader`) serves every matrices source; a source is a folder of one State's matrices
(`upr-matrices-slovenia`; `upr-matrices-china` in uhri_matrices_china). The State under review, the
cycle and the Working Group session come from each row: the flat CSV's columns, or the page header
every DOCX matrix prints ("UPR of China (2nd Cycle – 17th session)", see _uhri_docx); a session that
is not in the cycle named beside it is refused.

A source may have a flat CSV that stands for its DOCX files (`csv_name`; Slovenia's
`slovenia_upr_matrices_flat.csv`: UTF-8, one row per table row of the three DOCX matrices) with columns
`cycle, wg_session, state_under_review, source_file, theme_heading, paragraph, recommendation_text,
source_of_position, position, col3_header, col3_raw, col4_header, col4_raw`; without one, or when a
single .docx file is given, the DOCX matrices themselves are read (python-docx, see _uhri_docx; both give
the same records). Recommending States are read from the parentheses that end each recommendation
("… (France) (Lithuania);", "… (Portugal, Slovakia);"). Themes, affected persons / groups of persons and
SDGs become concepts of three schemes (uhri-theme, affected-persons, sdg); the older matrices code SDGs as
themes ("S16 SDG 16 - peace, justice and strong institutions"), read as SDGs.
The assessment column of cycles 2-3 is empty: nothing is emitted for it (counted).

A source may link its rows to the UPR Info export of 2018 (`link_upr_info`, see UprInfoLinks): a row that
holds one recommendation is hres:sameRecommendationAs the export's record of it (a joint recommendation: the
record of each of its States, as upr_wg_reports links), under the IRI graph upr-info-2018 states. A row
that holds several recommendations under one paragraph number (OHCHR's clusters) is not linked:
sameRecommendationAs is transitive, and would make the cluster's different recommendations one. The
Slovenia source does not link (its graph is unchanged).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Iterator

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from ..errors import SourceFormatError
from ..namespaces import HRES, ID, concept, state
from . import upr_common as upr
from .base import ImportContext, ImportReport, Row, Source, Triple, read_csv, slug, text_literal

SOURCE_ID = "upr-matrices-slovenia"
CSV_NAME = "slovenia_upr_matrices_flat.csv"
COLUMNS = (
    "cycle",
    "wg_session",
    "state_under_review",
    "theme_heading",
    "paragraph",
    "recommendation_text",
    "source_of_position",
    "position",
    "col3_header",
    "col3_raw",
    "col4_header",
    "col4_raw",
)
POSITIONS = {"supported": "supported", "noted": "noted", "partially supported": "partially-supported"}
_SYMBOL = re.compile(
    r"^\s*(?P<symbol>[A-Z]+/[A-Z0-9.]+(?:/[A-Za-z0-9.]+)*?)\s*(?:,.*?)?"
    r"(?:\s*-\s*Para\.?\s*(?P<para>\d+(?:\.\d+)*)\.?)?\s*\w*$"  # 'Para. 3', 'Para. 186.28.' (cycle 2)
)
_SUBLISTS = {"sdgs": "sdg", "affected persons": "affected", "groups of persons": "affected"}
_SDG_THEME = re.compile(r"S\d{1,2}\s+(SDG\s*\d{1,2}\b.*)$")  # 'S16 SDG 16 - peace, justice and …'
_GROUP_THEME = re.compile(r"(?P<code>S)\s+(?P<name>[A-Z].*)$")  # 'S Sustainable Development Goal implementation'
FUZZY = 0.9  # similarity (difflib ratio, spaces ignored) from which two texts of one review and State are one


def _records(path: Path, csv_name: str | None) -> Iterator[Row]:
    """Rows of the flat CSV, or of the DOCX matrices when there is no CSV (or a .docx is given)."""
    if path.is_file() and path.suffix.lower() != ".docx":
        yield from read_csv(path, required=COLUMNS)
        return
    if path.is_dir() and csv_name and (path / csv_name).is_file():
        yield from read_csv(path / csv_name, required=COLUMNS)
        return
    from ._uhri_docx import docx_records

    files = [path] if path.is_file() else sorted(path.glob("*.docx"))
    if not files:
        wanted = f"neither {csv_name} nor *.docx matrices" if csv_name else "no *.docx matrices"
        raise SourceFormatError(path, f"{wanted} found", hint="point at the folder of the OHCHR matrices (DOCX)")
    for file in files:
        for number, values in docx_records(file):
            yield Row(file, number, values)


def _theme_line(line: str, out: dict[str, list[str]]) -> None:
    """A line of the themes list: an SDG when the matrix codes it as a theme ('S16 SDG 16 - …'), else a theme."""
    match = _SDG_THEME.match(line)
    if match:
        out["sdg"].append(match.group(1))
    else:
        out["theme"].append(line)


def _lists(rec: Row) -> dict[str, list[str]]:
    """Split the themes cell (and an SDG fourth column) into themes, affected persons and SDGs."""
    out: dict[str, list[str]] = {"theme": [], "affected": [], "sdg": []}
    if rec["theme_heading"]:
        _theme_line(rec["theme_heading"], out)
    current = "theme"
    for line in rec["col3_raw"].splitlines():
        line = line.strip()
        head = line.rstrip(": ").lower()
        if line.endswith(":") and head in _SUBLISTS:
            current = _SUBLISTS[head]
        elif line.lstrip("- "):
            value = line.lstrip("- ").strip()
            if current == "theme":
                _theme_line(value, out)
            else:
                out[current].append(value)
    if "sdg" in rec["col4_header"].lower():
        out["sdg"] += [line.lstrip("- ").strip() for line in rec["col4_raw"].splitlines() if line.lstrip("- ")]
    return {k: list(dict.fromkeys(v)) for k, v in out.items()}


def _theme(schemes: upr.Schemes, text: str) -> tuple[URIRef, list[Triple]]:
    """A UHRI theme; a theme group coded by its letter alone ('S Sustainable …') keeps the letter as notation."""
    match = _GROUP_THEME.match(text)
    if match:
        return schemes.concept("uhri-theme", slug(match["name"]), match["name"], match["code"])
    return schemes.theme(text)


def _recommenders(text: str, rec: Row, ctx: ImportContext) -> list[str]:
    """States in the parentheses that end each ';'-separated recommendation of the cell."""
    codes: list[str] = []
    for segment in upr.split_top_level(text, ";"):
        rest, groups = upr.peel_states(segment, ctx.states.resolve)
        for group in reversed(groups):
            codes += [ctx.states.resolve(n) for n in group]
        if not groups and rest.endswith(")"):
            inner = rest[rest.rfind("(") + 1 : -1]
            if not re.search(r"\d|^[A-Z-]+$", inner):  # '(2009–2014)', '(ICRMW)' are not States
                ctx.state(inner, rec.where)
    return list(dict.fromkeys(c for c in codes if c))


def _document(symbol: str, seen: set[URIRef]) -> tuple[URIRef, list[Triple]]:
    doc = ID[f"document/{slug(symbol)}"]
    if doc in seen:
        return doc, []
    seen.add(doc)
    return doc, [
        (doc, RDF.type, HRES.Document),
        (doc, RDFS.label, Literal(symbol, lang="en")),
        (doc, HRES.unSymbol, Literal(symbol)),
    ]


def _session(rec: Row) -> int:
    """The row's Working Group session, checked against its cycle (a shifted column would disagree)."""
    session = int(rec["wg_session"]) if rec["wg_session"].strip().isdigit() else 0
    if not 1 <= session <= 99 or rec["cycle"].strip() != str(upr.cycle_of(session)):
        raise rec.error(
            f"session {rec['wg_session']!r} / cycle {rec['cycle']!r} is not a UPR session of that cycle",
            "wg_session",
            "a shifted column?",
        )
    return session


def _position(rec: Row) -> str:
    position = rec["position"].strip()
    if position.lower() not in POSITIONS:
        raise rec.error(f"unknown position {position!r}", "position", "allowed values: Supported, Noted")
    return position


def _paragraph(rec: Row) -> tuple[str, str]:
    """(paragraph number, the text after it): '186.28. Continue …' -> ('186.28', 'Continue …')."""
    paragraph = rec["paragraph"].strip()
    text = rec["recommendation_text"].strip()
    if not paragraph or not text.startswith(paragraph):
        raise rec.error(f"paragraph {paragraph!r} does not begin the recommendation text", "paragraph")
    rest = text[len(paragraph) :].strip()
    return paragraph, rest.lstrip(". ")  # "186.132. .Inform", "186.228 . Continue" (cycle 2 of China)


@dataclass
class _Seen:
    """What one import has already described once: concepts, reviews, documents."""

    schemes: upr.Schemes = field(default_factory=upr.Schemes)
    reviews: set[URIRef] = field(default_factory=set)
    documents: set[URIRef] = field(default_factory=set)


@dataclass(frozen=True)
class MatrixReader:
    """The `read` of a matrices source. A class, not a closure, so a Source still pickles into the
    build's child processes. `source_id` names the responses (`<recommendation>/response/<source_id>`);
    `csv_name` is a flat CSV that stands for the folder's DOCX files, if the source has one."""

    source_id: str
    csv_name: str | None = None
    link_upr_info: bool = False

    def __call__(self, path: Path, ctx: ImportContext) -> Iterator[Triple]:
        rows = list(_records(path, self.csv_name))  # a few hundred per State: the reviews are known first
        links = UprInfoLinks.load(ctx, rows) if self.link_upr_info else None
        seen = _Seen()
        for rec in ctx.progress(rows, self.source_id):
            yield from self._row(rec, ctx, seen, links)
        if ctx.report.counts["assessment cells filled (not imported)"]:
            ctx.report.note("some assessment cells are filled; this importer does not read assessments yet")
        if links is not None:
            links.note(ctx.report)

    def _row(self, rec: Row, ctx: ImportContext, seen: _Seen, links: UprInfoLinks | None) -> Iterator[Triple]:
        session, position = _session(rec), _position(rec)
        sur_name = rec["state_under_review"].strip()
        sur = ctx.state(sur_name, rec.where)
        if sur is None:
            ctx.report.count("rows skipped: State under review unresolved")
            return
        paragraph, text = _paragraph(rec)
        # any source holding the UN paragraph number can mint the same IRI; lower case per the IRI policy
        s = ID[f"recommendation/upr-{session}-{sur.lower()}/{paragraph}"]
        review = upr.review_iri(session, sur)
        if review not in seen.reviews:
            seen.reviews.add(review)
            yield from upr.review_triples(session, sur, sur_name)
        yield from _recommendation(s, rec, ctx, seen, (session, sur, sur_name, paragraph, text))
        if links is not None:
            yield from links.link(s, rec, position, ctx.report)
        yield from self._response(s, rec, seen, (session, sur, sur_name, paragraph, position), ctx.report)

    def _response(self, s: URIRef, rec: Row, seen: _Seen, about: tuple, report: ImportReport) -> Iterator[Triple]:
        """The State's position, and the documents: the addendum that gives it, the report that prints it."""
        session, sur, sur_name, paragraph, position = about
        r = URIRef(f"{s}/response/{self.source_id}")
        yield r, RDF.type, HRES.Response
        label = f"Position of {sur_name} on recommendation {paragraph} (session {session}): {position.lower()}"
        yield r, RDFS.label, Literal(label, lang="en")
        yield r, HRES.respondsTo, s
        yield r, HRES.responseStatus, concept("response-status", POSITIONS[position.lower()])
        yield r, HRES.respondent, state(sur)
        source = rec["source_of_position"].strip()
        match = _SYMBOL.match(source)
        if match:
            doc, triples = _document(match["symbol"], seen.documents)
            yield from triples
            yield r, HRES.sourceDocument, doc
            report_doc, triples = _document(re.sub(r"/Add\.\d+$", "", match["symbol"]), seen.documents)
            yield from triples  # the working-group report the recommendation is printed in
            yield s, HRES.sourceDocument, report_doc
        elif source:
            report.count("position sources without a document symbol")
        if source:
            yield r, DCTERMS.source, Literal(source)


def _recommendation(s: URIRef, rec: Row, ctx: ImportContext, seen: _Seen, about: tuple) -> Iterator[Triple]:
    """The recommendation: text, paragraph number, review, recommending States, themes."""
    session, sur, sur_name, paragraph, text = about
    report = ctx.report
    report.count("recommendations")
    report.count(f"cycle {rec['cycle'].strip()} {rec['position'].strip().lower()}")
    yield s, RDF.type, HRES.Recommendation
    yield s, RDFS.label, Literal(f"UPR recommendation {paragraph} to {sur_name} (session {session})", lang="en")
    yield s, HRES.text, text_literal(text)
    yield s, HRES.paragraphNumber, Literal(paragraph)
    yield s, HRES.addressedTo, state(sur)
    for p, o in upr.review_context(session, sur):
        yield s, p, o
    actors = _recommenders(rec["recommendation_text"].strip(), rec, ctx)
    report.count("recommending-State links", len(actors))
    if not actors:
        report.count("recommendations without a recommending State")
    for iso3 in actors:
        yield s, HRES.recommendingActor, state(iso3)
    lists = _lists(rec)
    found = [_theme(seen.schemes, t) for t in lists["theme"]] + [seen.schemes.affected(t) for t in lists["affected"]]
    found += list(filter(None, map(seen.schemes.sdg, lists["sdg"])))
    for iri, triples in found:
        yield from triples
        yield s, HRES.theme, iri
    if rec["col4_header"].lower().startswith("assessment"):
        filled = bool(rec["col4_raw"].strip())
        report.count("assessment cells filled (not imported)" if filled else "assessment cells empty")


# --- the same recommendation in the UPR Info export of 2018 ------------------------------------


def split_recommendations(text: str, resolve) -> list[tuple[str, list[str]]]:
    """The recommendations of one cell, each (text without its States, ISO codes of its States):
    'Ratify ICCPR (Albania); Ratify ICCPR and CPED (Chile);' -> two. A ';' inside one recommendation's
    text (no States before it) does not end it."""
    out: list[tuple[str, list[str]]] = []
    pending: list[str] = []
    for segment in upr.split_top_level(text, ";"):
        rest, groups = upr.peel_states(segment, resolve)
        pending.append(rest)
        if groups:
            codes = [resolve(n) for group in reversed(groups) for n in group]
            out.append(("; ".join(pending), list(dict.fromkeys(c for c in codes if c))))
            pending = []
    if pending and out:  # text after the last States: part of the last recommendation
        out[-1] = ("; ".join([out[-1][0], *pending]), out[-1][1])
    elif pending:
        out.append(("; ".join(pending), []))
    return out


def _review(rec: Row, ctx: ImportContext) -> tuple[int, str] | None:
    """(session, State under review) of a row, None when either is unreadable (the row is refused later)."""
    iso3 = ctx.states.resolve(rec["state_under_review"].strip())
    return (int(rec["wg_session"]), iso3) if iso3 and rec["wg_session"].strip().isdigit() else None


def _existing(*candidates: Path | None) -> Path | None:
    return next((Path(c) for c in candidates if c and Path(c).exists()), None)


def _similarity(a: str, b: str) -> float:
    """How alike two normalised texts are, spaces ignored: the DOCX splits words ('provid ing', 'program me')."""
    return SequenceMatcher(None, a.replace(" ", ""), b.replace(" ", ""), autojunk=False).ratio()


# how a row found its record, best first (the report's count keys)
_SAME, _UNSPACED, _SIMILAR = "same text", "same text once spaces are removed", "similar text"
_KINDS = (_SAME, _UNSPACED, _SIMILAR)


class UprInfoLinks:
    """Which UPR Info 2018 export record(s) each matrix row holds, under the IRI graph upr-info-2018 states:
    the 2015 export's IRI where upr_info_2018 matched the record to it, else the 2018 export's own.

    Candidates share the session, the State under review and the recommending State. Each record is taken
    once: first by every row whose normalised text is the same (or the same once spaces are removed), then
    by the rest with the most similar text (difflib ratio >= FUZZY), so a near text never takes the record
    an identical one needs."""

    def __init__(self, records: list, rows: list[Row], ctx: ImportContext):
        self.covered = {(r.session, r.sur) for r in records}  # the reviews the export holds
        self.statuses = {r.iri: r.status for r in records}
        self.blocks: dict[tuple[int, str, str], list[tuple[URIRef, str]]] = {}
        for rec in records:
            for iso3 in rec.recommenders:
                self.blocks.setdefault((rec.session, rec.sur, iso3), []).append((rec.iri, upr.norm_text(rec.text)))
        self.outcome: dict[str, str] = {}  # row (file:line) -> what happened
        self.found: dict[str, list[tuple[URIRef, str]]] = {}  # row -> (record, how found)
        self._done: set[tuple[str, str]] = set()  # (row, recommending State) that has its record
        wanted = list(self._wanted(rows, ctx))
        self._assign(wanted, exact=True)
        self._assign(wanted, exact=False)

    @classmethod
    def load(cls, ctx: ImportContext, rows: list[Row]) -> UprInfoLinks | None:
        """The export's records of the rows' reviews, or None (noted) when the 2018 export is not found."""
        from . import upr_info, upr_info_2018

        root = Path(ctx.data_root) if ctx.data_root else None
        later = _existing(
            ctx.source_paths.get(upr_info_2018.SOURCE.id), root and root / upr_info_2018.SOURCE.default_path
        )
        if later is None:
            ctx.report.note("the UPR Info export of 2018 (source upr-info-2018) was not found: no row is linked")
            return None
        earlier = _existing(ctx.source_paths.get(upr_info.SOURCE.id), root and root / upr_info.SOURCE.default_path)
        quiet = ImportContext(states=ctx.states, report=ImportReport("upr-info (for linking)"), data_root=root)
        reviews = {_review(rec, ctx) for rec in rows}

        def of_reviews(path: Path):
            return (r for r in upr_info.iter_records(path, quiet, reviews) if not r.pledge)

        records = list(of_reviews(later))
        if earlier is not None:
            _as_upr_info_2018(records, of_reviews(earlier))
        return cls(records, rows, ctx)

    def _wanted(self, rows: list[Row], ctx: ImportContext) -> Iterator[tuple[str, tuple[int, str, str], str]]:
        """(row, block, normalised text) for each recommending State of each row that holds one recommendation."""
        for rec in rows:
            review = _review(rec, ctx)
            if review not in self.covered:
                self.outcome[rec.where] = "rows of a review the export lacks"
                continue
            recommendations = split_recommendations(_paragraph(rec)[1], ctx.states.resolve)
            if len(recommendations) != 1:
                self.outcome[rec.where] = "rows holding several recommendations (not linked)"
                continue
            body, codes = recommendations[0]
            self.outcome[rec.where] = "rows not found"
            for iso3 in codes:
                yield rec.where, (*review, iso3), upr.norm_text(body)

    def _assign(self, wanted: list, *, exact: bool) -> None:
        """Give each (row, State) still without a record the block's first record of the same text (`exact`),
        else its most similar one."""
        for where, key, norm in wanted:
            if (where, key[2]) in self._done:
                continue
            block = self.blocks.get(key, [])
            chosen = _same(block, norm) if exact else _closest(block, norm)
            if chosen is not None:
                candidate, kind = chosen
                block.remove(candidate)
                self._done.add((where, key[2]))
                self.found.setdefault(where, []).append((candidate[0], kind))
                self.outcome[where] = "rows linked"

    def link(self, s: URIRef, rec: Row, position: str, report: ImportReport) -> Iterator[Triple]:
        """hres:sameRecommendationAs from the row's recommendation to its record(s); what happened is counted."""
        found = self.found.get(rec.where, [])
        kinds = [kind for _, kind in found]
        outcome = self.outcome[rec.where]
        report.count(f"UPR Info: {outcome}" + (f" ({min(kinds, key=_KINDS.index)})" if kinds else ""))
        for iri, _ in found:
            if self.statuses[iri] != POSITIONS[position.lower()]:
                report.count("UPR Info: linked records whose response differs")
            yield s, HRES.sameRecommendationAs, iri

    def note(self, report: ImportReport) -> None:
        """One line for a person: how many rows found their UPR Info record, and why the others did not."""
        c = report.counts
        linked = [c[f"UPR Info: rows linked ({kind})"] for kind in _KINDS]
        report.note(
            f"UPR Info export of 2018: {sum(linked):,} rows linked with hres:sameRecommendationAs ({linked[0]:,} "
            f"with the same text once normalised, {linked[1]:,} once spaces are removed too, {linked[2]:,} with a "
            f"similar text); {c['UPR Info: rows not found']:,} not found; "
            f"{c['UPR Info: rows holding several recommendations (not linked)']:,} rows holding several "
            "recommendations under one paragraph number, not linked; "
            f"{c['UPR Info: rows of a review the export lacks']:,} rows of reviews the export lacks (it ends at "
            f"session 27); linked records with another response: {c['UPR Info: linked records whose response differs']:,}"
        )


def _same(block: list, norm: str) -> tuple[tuple[URIRef, str], str] | None:
    """The block's first record with the same normalised text, else the same once spaces are removed."""
    for candidate in block:
        if candidate[1] == norm:
            return candidate, _SAME
    for candidate in block:
        if candidate[1].replace(" ", "") == norm.replace(" ", ""):
            return candidate, _UNSPACED
    return None


def _closest(block: list, norm: str) -> tuple[tuple[URIRef, str], str] | None:
    """The block's most similar record (the first of equally similar ones), if similar enough."""
    scored = [(_similarity(norm, c[1]), -i) for i, c in enumerate(block)]
    best = max((sc for sc in scored if sc[0] >= FUZZY), default=None)
    return (block[-best[1]], _SIMILAR) if best else None


def _as_upr_info_2018(records: list, earlier) -> None:
    """Give each 2018 record the IRI graph upr-info-2018 states: the 2015 record's where upr_info_2018
    matches one (same key: session, States, normalised text; one to one, in order)."""
    from ._upr_match import ExportMatch

    with ExportMatch(earlier) as table:
        for rec in records:
            found = table.match(rec) if table.covers(rec) else None
            if found is not None:
                rec.iri = found.iri


read_uhri_matrices = MatrixReader(SOURCE_ID, CSV_NAME)

SOURCE = Source(
    id=SOURCE_ID,
    title="OHCHR UPR thematic lists of recommendations (matrices), Slovenia, cycles 2-4",
    read=read_uhri_matrices,
    default_path="raw/ohchr-upr-matrices-slovenia",
    license="UN/OHCHR material under the United Nations terms of use (copied from a GitHub repository without LICENSE)",
    upstream="https://github.com/Tony33344/slovenia-human-rights-tracker (docs/*cycleunoriginal/); "
    "https://www.ohchr.org/en/hr-bodies/upr/si-index",
)
