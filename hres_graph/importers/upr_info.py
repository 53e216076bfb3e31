"""UPR Info Database of Recommendations: UPR recommendations, responses, issues and voluntary pledges.

Three export layouts are read; the header decides which (an unknown header is a SourceFormatError that
lists them):

* legacy (the 2015 export in rochelleterman/uprs, sessions 1-20): Mac Roman, CR line ends, columns
  `To, To-Rgrp, To-Org, Text, From, From-Rgrp, From-Org, Response, Action, Issue, Session`;
  `Response` is Accepted / Noted / Voluntary Pledge (then `From` is the State under review itself).
* export-2018 (the UPR Info database export as downloaded from upr-info.org in 2018 and since): UTF-8 with
  a BOM, semicolon-separated, columns `SuR, Rgrp, Org, Recommendation, RS, Rgrp, Org, Response, Action,
  Issue, Session` (the first Rgrp/Org are the State under review's, the second the recommending State's);
  `Response` is Supported / Noted. A row with an empty `Session` cannot be placed in a review: it is
  counted, named in a note and not imported.
* current (UPR Info / UHRI downloads, UTF-8): `Text`, `State under Review` or `Countries Concerned`,
  `Recommending State` or `Recommending Body`, `UPR Position`, `UPR Session`, and optionally `Cycle`,
  `Paragraph`, `Document Symbol`, `Themes`, `Affected Persons`, `SDGs`.

`iter_records` yields one parsed record per row (also used by upr_wg_reports for linking);
`read_upr_info` turns records into triples.
"""

from __future__ import annotations

import csv
import html
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Container, Iterator

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from ..errors import SourceFormatError
from ..namespaces import HRES, ID, concept, state
from . import upr_common as upr
from .base import ImportContext, Row, Source, Triple, csv_files, read_csv, slug, stable_key, text_literal, unique_header

LEGACY = {
    "text": "Text",
    "sur": "To",
    "from": "From",
    "position": "Response",
    "session": "Session",
    "action": "Action",
    "issues": "Issue",
    "sur_group": "To-Rgrp",
    "from_group": "From-Rgrp",
}
CURRENT = {  # logical column -> accepted header names (compared case-insensitively)
    "text": ("Text", "Recommendation"),
    "sur": ("State under Review", "Countries Concerned", "Country Concerned"),
    "from": ("Recommending State", "Recommending States", "Recommending Body"),
    "position": ("UPR Position", "Position"),
    "session": ("UPR Session", "Session"),
    "cycle": ("Cycle", "UPR Cycle"),
    "paragraph": ("Paragraph",),
    "symbol": ("Document Symbol", "Symbol"),
    "themes": ("Themes",),
    "affected": ("Affected Persons",),
    "sdgs": ("SDGs",),
}
_CURRENT_REQUIRED = ("text", "sur", "from", "position", "session")
EXPORT_2018 = {
    "text": "Recommendation",
    "sur": "SuR",
    "from": "RS",
    "position": "Response",
    "session": "Session",
    "action": "Action",
    "issues": "Issue",
    "sur_group": "Rgrp",
    "from_group": "Rgrp.1",
}
EXPORT_2018_HEADER = (
    "SuR",
    "Rgrp",
    "Org",
    "Recommendation",
    "RS",
    "Rgrp",
    "Org",
    "Response",
    "Action",
    "Issue",
    "Session",
)
LEGACY_HEADER = (
    "To",
    "To-Rgrp",
    "To-Org",
    "Text",
    "From",
    "From-Rgrp",
    "From-Org",
    "Response",
    "Action",
    "Issue",
    "Session",
)
ALLOWED_POSITIONS = {
    "legacy": "Accepted, Noted, Voluntary Pledge",
    "export-2018": "Supported, Noted",
    "current": "Supported, Accepted, Noted, Partially supported",
}
POSITIONS = {
    "accepted": "supported",
    "supported": "supported",
    "noted": "noted",
    "partially supported": "partially-supported",
    "voluntary pledge": None,
}
_UNKNOWN_FROM = "(Unknown)"


@dataclass
class Record:
    """One row of an export, resolved: what both read_upr_info and the WG linking need."""

    iri: URIRef
    pledge: bool
    where: str
    session: int
    cycle: int
    sur: str | None
    sur_name: str
    recommenders: list[str]
    from_name: str
    text: str
    status: str | None
    action: str | None = None
    issues: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    affected: list[str] = field(default_factory=list)
    sdgs: list[str] = field(default_factory=list)
    paragraph: str = ""
    symbol: str = ""
    groups: tuple[str, str] = ("", "")
    occurrence: int = 1  # 2 for the second identical row of the export, ...
    response_id: str = "upr-info"  # the response's IRI is <iri>/response/<response_id>


def _header(path: Path) -> tuple[list[str], bool, str]:
    """The header row (ASCII in every layout), whether the file starts with a UTF-8 BOM, and the delimiter."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(8192)
    except OSError as exc:
        raise SourceFormatError(path, f"cannot open file: {exc.strerror}") from exc
    bom = head.startswith(b"\xef\xbb\xbf")
    line = re.split(rb"\r\n|\r|\n", head[3 if bom else 0 :], maxsplit=1)[0].decode("latin-1")
    delimiter = ";" if line.count(";") > line.count(",") else ","
    return unique_header(h.strip() for h in next(csv.reader([line], delimiter=delimiter), [])), bom, delimiter


def _columns(path: Path, header: list[str]) -> tuple[str, dict[str, str]]:
    """('legacy' | 'export-2018' | 'current', logical column -> header name), or a SourceFormatError listing
    the layouts."""
    for layout, columns in (("legacy", LEGACY), ("export-2018", EXPORT_2018)):
        if all(columns[k] in header for k in _CURRENT_REQUIRED):
            return layout, {k: v for k, v in columns.items() if v in header}
    lower = {h.lower(): h for h in header}
    found = {k: next((lower[n.lower()] for n in names if n.lower() in lower), None) for k, names in CURRENT.items()}
    if all(found[k] for k in _CURRENT_REQUIRED):
        return "current", {k: v for k, v in found.items() if v}

    def names(keys):
        return ", ".join(" or ".join(CURRENT[k]) for k in keys)

    raise SourceFormatError(
        path,
        f"unknown header {', '.join(map(repr, header))}",
        line=1,
        hint=f"expected the legacy UPR Info export ({', '.join(LEGACY_HEADER)}), the UPR Info export of 2018 "
        f"({';'.join(EXPORT_2018_HEADER)}) or the current UPR Info/UHRI "
        f"export (required: {names(_CURRENT_REQUIRED)}; optional: "
        f"{names(k for k in CURRENT if k not in _CURRENT_REQUIRED)})",
    )


def _split(value: str, commas: bool) -> list[str]:
    parts = re.split(r"[;|\n]" + ("|," if commas else ""), value)
    return [p.strip().lstrip("-•").strip() for p in parts if p.strip().lstrip("-•").strip()]


def _session(row: Row, column: str) -> int:
    match = re.search(r"\d+", row[column])
    if not match or not 1 <= int(match.group()) <= 99:
        raise row.error(
            f"session {row[column]!r} is not a UPR Working Group session number",
            column,
            "expected an integer such as 20",
        )
    return int(match.group())


def _recommenders(value: str, row: Row, ctx: ImportContext) -> list[str]:
    """Recommending States: one name, or several separated by ';' (or ',' when every part is a State)."""
    names = _split(value, commas=False)
    if len(names) == 1 and "," in names[0] and ctx.states.resolve(names[0]) is None:
        parts = upr.split_top_level(names[0])
        if all(ctx.states.resolve(p) for p in parts):
            names = parts
    codes = [ctx.state(n, row.where) for n in names]
    return [c for c in dict.fromkeys(codes) if c]


def iter_records(path: Path, ctx: ImportContext, reviews: Container[tuple[int, str]] | None = None) -> Iterator[Record]:
    """Parse every row of the export(s) at `path` (a folder of CSVs or one CSV file), or only the rows of
    `reviews` ((session, ISO3 of the State under review)): an importer linking to a few reviews skips the
    costly part of the others' rows (a record's IRI depends on its own review's rows only)."""
    with upr.KeyCounts() as seen:
        yield from _records(path, ctx, seen, reviews)


def _records(
    path: Path, ctx: ImportContext, seen: upr.KeyCounts, reviews: Container[tuple[int, str]] | None
) -> Iterator[Record]:
    sessionless: list[str] = []
    for file in csv_files(path, hint="point at the UPR Info export folder or file"):
        header, bom, delimiter = _header(file)
        layout, col = _columns(file, header)
        # the legacy export is a classic-Mac Excel file; the later downloads are UTF-8
        encoding = "mac_roman" if layout == "legacy" and not bom else "utf-8"
        for row in read_csv(file, encoding=encoding, required=list(col.values()), delimiter=delimiter):
            position = " ".join(row[col["position"]].split())
            if position.lower() not in POSITIONS:
                raise row.error(
                    f"unknown response {position!r}", col["position"], f"allowed values: {ALLOWED_POSITIONS[layout]}"
                )
            if not row[col["session"]].strip():
                sessionless.append(row.where)
                continue
            status = POSITIONS[position.lower()]
            session = _session(row, col["session"])
            sur_name = row[col["sur"]].strip()
            sur = ctx.state(sur_name, row.where)
            if reviews is not None and (session, sur) not in reviews:
                continue
            from_name = html.unescape(row[col["from"]]).strip()  # '&#40;Unknown&#41;' -> '(Unknown)'
            pledge = status is None
            if pledge or from_name == _UNKNOWN_FROM:
                recommenders = []
            else:
                recommenders = _recommenders(from_name, row, ctx)
            text = row[col["text"]]
            key = stable_key(str(session), sur_name, *(() if pledge else (from_name,)), text)
            times = seen.count(key)
            if times > 1:  # an identical row: a real second record in the export
                key = f"{key}-{times}"
            iri = ID[f"recommendation/{'upr-info-pledge' if pledge else 'upr-info'}/{key}"]

            def cell(key: str, row: Row = row) -> str:  # an optional column's value, '' when absent
                return row[col[key]].strip() if key in col else ""

            cycle = int(cell("cycle")) if cell("cycle").isdigit() else upr.cycle_of(session)
            record = Record(
                iri,
                pledge,
                row.where,
                session,
                cycle,
                sur,
                sur_name,
                recommenders,
                from_name,
                text,
                status,
                paragraph=cell("paragraph"),
                symbol=cell("symbol"),
                occurrence=times,
            )
            if layout != "current":
                record.action = cell("action") or None
                if record.action and record.action not in {"1", "2", "3", "4", "5"}:
                    raise row.error(f"action category {record.action!r} is not 1-5", col["action"])
                record.issues = _split(cell("issues"), commas=True)
                record.groups = (cell("sur_group"), cell("from_group"))
            else:
                record.themes = _split(cell("themes"), commas=False)
                record.affected = _split(cell("affected"), commas=False)
                record.sdgs = _split(cell("sdgs"), commas=False)
            yield record
    if sessionless:
        ctx.report.count("rows without a session (not imported)", len(sessionless))
        ctx.report.note(
            f"{len(sessionless)} row(s) with an empty Session, not imported (no review to place them "
            f"in): {', '.join(sessionless[:5])}"
        )


def _name(from_name: str) -> str:
    return "an unknown State" if from_name in ("", _UNKNOWN_FROM) else from_name


# Terms stated for every row, built once: an attribute of HRES (a DefinedNamespace) or a namespace item is a
# new URIRef, checked, at each use, which was a fifth of this importer's time at 300,000 rows.
_RECOMMENDATION, _PLEDGE, _RESPONSE = HRES.Recommendation, HRES.VoluntaryPledge, HRES.Response
_TEXT, _ISSUED_BY, _IN_CYCLE, _ADDRESSED_TO = HRES.text, HRES.issuedBy, HRES.inCycleOf, HRES.addressedTo
_RECOMMENDING, _PARAGRAPH, _DOCUMENT, _ACTION = (
    HRES.recommendingActor,
    HRES.paragraphNumber,
    HRES.sourceDocument,
    HRES.actionCategory,
)
_THEME, _RESPONDS_TO, _STATUS, _RESPONDENT = HRES.theme, HRES.respondsTo, HRES.responseStatus, HRES.respondent
_SOURCE_NOTE = Literal("UPR Info database")


def _context(session: int, sur: str | None, cycle: int) -> list[tuple]:
    """(predicate, object) shared by the action items of one review, the cycle being the record's own."""
    return [(p, upr.cycle_iri(cycle) if p == _IN_CYCLE else o) for p, o in upr.review_context(session, sur)]


def read_upr_info(path: Path, ctx: ImportContext) -> Iterator[Triple]:
    yield from record_triples(iter_records(path, ctx), ctx, "upr-info")


def record_triples(records: Iterator[Record], ctx: ImportContext, label: str) -> Iterator[Triple]:
    """The triples of parsed records (`label` names the source in the progress line)."""
    from ._upr_groups import GroupCheck

    schemes = upr.Schemes()
    reviews: set[tuple[int, str]] = set()
    documents: set[URIRef] = set()
    report = ctx.report
    groups = GroupCheck(ctx)
    # terms that repeat across rows (States, concepts, a review's context), made once per value: the values
    # are bounded by the vocabularies and the review calendar, not by the number of rows
    states, contexts = cache(state), cache(_context)
    statuses, actions = cache(lambda s: concept("response-status", s)), cache(lambda a: concept("action-category", a))
    # a concept's triples come with its first mention only (Schemes), so later mentions need just its IRI
    known_concepts: dict[tuple[str, str], URIRef] = {}

    def mention(kind: str, value: str) -> Iterator[Triple]:
        iri = known_concepts.get((kind, value))
        if iri is None:
            made = getattr(schemes, kind)(value)
            if made is None:  # not an SDG number
                return
            iri, triples = made
            known_concepts[kind, value] = iri
            yield from triples
        yield s, _THEME, iri

    for rec in ctx.progress(records, label):
        s = rec.iri
        kind = "pledge" if rec.pledge else "recommendation"
        report.count(f"{kind}s")
        if rec.occurrence > 1:
            report.count(f"{kind}s identical to an earlier row (kept)")
        if rec.sur and (rec.session, rec.sur) not in reviews:
            reviews.add((rec.session, rec.sur))
            yield from upr.review_triples(rec.session, rec.sur, rec.sur_name)
        if rec.sur is None:
            report.count("state under review unresolved")
        yield s, RDF.type, _PLEDGE if rec.pledge else _RECOMMENDATION
        where = f"UPR session {rec.session}"
        label = (
            f"Voluntary pledge of {rec.sur_name} ({where})"
            if rec.pledge
            else f"Recommendation of {_name(rec.from_name)} to {rec.sur_name} ({where})"
        )
        yield s, RDFS.label, Literal(label, lang="en")
        yield s, _TEXT, text_literal(rec.text)
        for p, o in contexts(rec.session, rec.sur, rec.cycle):
            if not (rec.pledge and p == _ISSUED_BY):
                yield s, p, o
        if rec.sur:
            yield s, _ADDRESSED_TO, states(rec.sur)
            if rec.pledge:  # a pledge is issued by the State itself, not recommended to it
                yield s, _ISSUED_BY, states(rec.sur)
        for iso3 in rec.recommenders:
            yield s, _RECOMMENDING, states(iso3)
        if not rec.pledge and not rec.recommenders:
            report.count("recommendations without a recommending State")
            if rec.from_name == _UNKNOWN_FROM:
                report.count("recommending State coded (Unknown)")
        if rec.paragraph:
            yield s, _PARAGRAPH, Literal(rec.paragraph)
        if rec.symbol:
            doc = ID[f"document/{slug(rec.symbol)}"]
            yield s, _DOCUMENT, doc
            if doc not in documents:
                documents.add(doc)
                yield doc, RDF.type, HRES.Document
                yield doc, RDFS.label, Literal(rec.symbol, lang="en")
                yield doc, HRES.unSymbol, Literal(rec.symbol)
        if rec.action and not rec.pledge:  # actionCategory's domain is Recommendation
            yield s, _ACTION, actions(rec.action)
            report.count(f"action category {rec.action}")
        for kind_of_concept, values in (
            ("issue", rec.issues),
            ("theme", rec.themes),
            ("affected", rec.affected),
            ("sdg", rec.sdgs),
        ):
            for value in values:
                yield from mention(kind_of_concept, value)
        if any(t == "Elections" for t in rec.issues):
            report.count(f"{kind}s with theme elections")
        if rec.status:
            report.count(f"response {rec.status}")
            r = URIRef(f"{s}/response/{rec.response_id}")
            yield r, RDF.type, _RESPONSE
            yield (
                r,
                RDFS.label,
                Literal(
                    f"Response of {rec.sur_name} to a recommendation ({where}): {rec.status.replace('-', ' ')}",
                    lang="en",
                ),
            )
            yield r, _RESPONDS_TO, s
            yield r, _STATUS, statuses(rec.status)
            if rec.sur:
                yield r, _RESPONDENT, states(rec.sur)
            yield r, DCTERMS.source, _SOURCE_NOTE
        groups.check(rec)
    report.count("reviews", len(reviews))
    report.count("states under review", len({sur for _, sur in reviews}))
    groups.finish()
    unknown = report.counts["recommending State coded (Unknown)"]
    if unknown:
        report.note(
            f"{unknown} recommendations have the recommending State coded '(Unknown)' by UPR Info; "
            "they are imported without hres:recommendingActor"
        )


SOURCE = Source(
    id="upr-info",
    title="UPR Info Database of Recommendations (export of sessions 1-20, via rochelleterman/uprs)",
    read=read_upr_info,
    default_path="raw/upr-info-terman/upr-info-export",
    license="No licence stated (UPR Info database export in a GitHub repository without LICENSE); "
    "recommendation texts are UN documents",
    upstream="https://github.com/rochelleterman/uprs (v.2/Data/CSVs); https://www.upr-info.org/en/database",
)
