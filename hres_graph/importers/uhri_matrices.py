"""OHCHR UPR "thematic list of recommendations" matrices (UHRI format): one State, several cycles.

Reads `slovenia_upr_matrices_flat.csv` (UTF-8; one row per table row of the three DOCX matrices) with
columns `cycle, wg_session, state_under_review, source_file, theme_heading, paragraph,
recommendation_text, source_of_position, position, col3_header, col3_raw, col4_header, col4_raw`; or,
when the folder has no such CSV or a single .docx file is given, the DOCX matrices themselves (python-docx,
see _uhri_docx; both give the same records). Recommending States are read from the parentheses that end
each recommendation ("… (France) (Lithuania);", "… (Portugal, Slovakia);"). Themes, affected persons /
groups of persons and SDGs become concepts of three schemes (uhri-theme, affected-persons, sdg).
The assessment column of cycles 2-3 is empty: nothing is emitted for it (counted).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from ..errors import SourceFormatError
from ..namespaces import HRES, ID, concept, state
from . import _upr_common as upr
from .base import ImportContext, Row, Source, Triple, read_csv, slug, text_literal

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
    r"(?:\s*-\s*Para\.?\s*(?P<para>\d+))?\s*\w*$"
)
_SUBLISTS = {"sdgs": "sdg", "affected persons": "affected", "groups of persons": "affected"}


def _records(path: Path) -> Iterator[Row]:
    """Rows of the flat CSV, or of the DOCX matrices when there is no CSV (or a .docx is given)."""
    if path.is_file() and path.suffix.lower() != ".docx":
        yield from read_csv(path, required=COLUMNS)
        return
    if path.is_dir() and (path / CSV_NAME).is_file():
        yield from read_csv(path / CSV_NAME, required=COLUMNS)
        return
    from ._uhri_docx import docx_records

    files = [path] if path.is_file() else sorted(path.glob("*.docx"))
    if not files:
        raise SourceFormatError(path, f"neither {CSV_NAME} nor *.docx matrices found")
    for file in files:
        for number, values in docx_records(file):
            yield Row(file, number, values)


def _lists(rec: Row) -> dict[str, list[str]]:
    """Split the themes cell (and an SDG fourth column) into themes, affected persons and SDGs."""
    out: dict[str, list[str]] = {
        "theme": [rec["theme_heading"]] if rec["theme_heading"] else [],
        "affected": [],
        "sdg": [],
    }
    current = "theme"
    for line in rec["col3_raw"].splitlines():
        line = line.strip()
        head = line.rstrip(": ").lower()
        if line.endswith(":") and head in _SUBLISTS:
            current = _SUBLISTS[head]
        elif line.lstrip("- "):
            out[current].append(line.lstrip("- ").strip())
    if "sdg" in rec["col4_header"].lower():
        out["sdg"] += [line.lstrip("- ").strip() for line in rec["col4_raw"].splitlines() if line.lstrip("- ")]
    return {k: list(dict.fromkeys(v)) for k, v in out.items()}


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


def read_uhri_matrices(path: Path, ctx: ImportContext) -> Iterator[Triple]:
    report = ctx.report
    schemes = upr.Schemes()
    reviews: set[URIRef] = set()
    documents: set[URIRef] = set()
    for rec in ctx.progress(_records(path), "upr-matrices"):
        session = int(rec["wg_session"]) if rec["wg_session"].strip().isdigit() else 0
        if not 1 <= session <= 99 or rec["cycle"].strip() != str(upr.cycle_of(session)):
            raise rec.error(
                f"session {rec['wg_session']!r} / cycle {rec['cycle']!r} is not a UPR session of that cycle",
                "wg_session",
                "a shifted column?",
            )
        position = rec["position"].strip()
        if position.lower() not in POSITIONS:
            raise rec.error(f"unknown position {position!r}", "position", "allowed values: Supported, Noted")
        sur_name = rec["state_under_review"].strip()
        sur = ctx.state(sur_name, rec.where)
        if sur is None:
            report.count("rows skipped: State under review unresolved")
            continue
        paragraph = rec["paragraph"].strip()
        text = rec["recommendation_text"].strip()
        if not paragraph or not text.startswith(paragraph):
            raise rec.error(f"paragraph {paragraph!r} does not begin the recommendation text", "paragraph")
        # any source holding the UN paragraph number can mint the same IRI; lower case per the IRI policy
        s = ID[f"recommendation/upr-{session}-{sur.lower()}/{paragraph}"]
        review = upr.review_iri(session, sur)
        if review not in reviews:
            reviews.add(review)
            yield from upr.review_triples(session, sur, sur_name)
        report.count("recommendations")
        report.count(f"cycle {rec['cycle'].strip()} {position.lower()}")
        yield s, RDF.type, HRES.Recommendation
        yield s, RDFS.label, Literal(f"UPR recommendation {paragraph} to {sur_name} (session {session})", lang="en")
        yield s, HRES.text, text_literal(text[len(paragraph) :].strip())
        yield s, HRES.paragraphNumber, Literal(paragraph)
        yield s, HRES.addressedTo, state(sur)
        for p, o in upr.review_context(session, sur):
            yield s, p, o
        actors = _recommenders(text, rec, ctx)
        report.count("recommending-State links", len(actors))
        if not actors:
            report.count("recommendations without a recommending State")
        for iso3 in actors:
            yield s, HRES.recommendingActor, state(iso3)
        lists = _lists(rec)
        found = [schemes.theme(t) for t in lists["theme"]] + [schemes.affected(t) for t in lists["affected"]]
        found += list(filter(None, map(schemes.sdg, lists["sdg"])))
        for iri, triples in found:
            yield from triples
            yield s, HRES.theme, iri
        if rec["col4_header"].lower().startswith("assessment"):
            filled = bool(rec["col4_raw"].strip())
            report.count("assessment cells filled (not imported)" if filled else "assessment cells empty")
        r = URIRef(f"{s}/response/{SOURCE_ID}")
        yield r, RDF.type, HRES.Response
        yield (
            r,
            RDFS.label,
            Literal(
                f"Position of {sur_name} on recommendation {paragraph} (session {session}): {position.lower()}",
                lang="en",
            ),
        )
        yield r, HRES.respondsTo, s
        yield r, HRES.responseStatus, concept("response-status", POSITIONS[position.lower()])
        yield r, HRES.respondent, state(sur)
        source = rec["source_of_position"].strip()
        match = _SYMBOL.match(source)
        if match:
            doc, triples = _document(match["symbol"], documents)
            yield from triples
            yield r, HRES.sourceDocument, doc
            report_doc, triples = _document(re.sub(r"/Add\.\d+$", "", match["symbol"]), documents)
            yield from triples  # the working-group report the recommendation is printed in
            yield s, HRES.sourceDocument, report_doc
        elif source:
            report.count("position sources without a document symbol")
        if source:
            yield r, DCTERMS.source, Literal(source)
    if report.counts["assessment cells filled (not imported)"]:
        report.note("some assessment cells are filled; this importer does not read assessments yet")


SOURCE = Source(
    id=SOURCE_ID,
    title="OHCHR UPR thematic lists of recommendations (matrices), Slovenia, cycles 2-4",
    read=read_uhri_matrices,
    default_path="raw/ohchr-upr-matrices-slovenia",
    license="UN/OHCHR material under the United Nations terms of use (copied from a GitHub repository without LICENSE)",
    upstream="https://github.com/Tony33344/slovenia-human-rights-tracker (docs/*cycleunoriginal/); "
    "https://www.ohchr.org/en/hr-bodies/upr/si-index",
)
