"""UN treaty-body General Comments, special-procedures reports and decisions on individual communications.

Upstream: UNHRD (Szoszkiewicz & Kowalska), two JSON arrays of records (PROVENANCE):
- `gc_sp_documents.json`: `type` "gc" (General Comments/Recommendations) or "sp" (special-procedures
  reports); `docId`, `name`, `signature` (UN symbol), `committee`, `year`, `adoptionDate` (free text),
  `link`; GCs also `articles` ("Art. 14", "Art. 19(Freedomofopinion)") and `jointWith`; reports `mandate`.
- `jurisprudence_documents.json` (`type` "jur"): `docId`, `signature`, `committee`, `country`,
  `outcome`, `articlesCited`, `adoptionDate` ("26 Jul 2019"), `link`.
The path is the folder or one such file (records are dispatched on `type`).

Output (graph `un-documents`):
- GC -> hres:GeneralComment `id/instrument/gc-<body>-<n>` (n from the committee's own symbol for joint
  GCs, "-add-1" for an addendum; CAT-OP = the SPT, `gc-spt-1`), hres:adoptedBy each committee,
  rdfs:label, hres:unSymbol, hres:adoptionDate (else hres:year), dcterms:source, hres:interprets
  `id/instrument/<treaty>/art/<n>`. CCPR GC 25 is reference data's `hrc-gc-25`: only what reference
  data lacks is added (dcterms:source, articles other than 25).
- report -> hres:Document `id/document/<slug of symbol>`, hres:issuedBy the mandate when it is one of
  the contract's special procedures, else dcterms:creator "<mandate as given>".
- decision -> hres:Decision `id/finding/un-decision/<docId>`, hres:issuedBy the committee,
  hres:concernsState, hres:issuedDate (from `adoptionDate`; `year` is the year the communication was
  registered, not decided, so it is not used), hres:outcome (OUTCOMES), hres:concernsProvision the
  articles cited whose instrument is certain (_citations.py), hres:unSymbol, dcterms:source.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from ..errors import SourceFormatError
from ..namespaces import HRES, ID, concept, mechanism, state
from . import _citations
from ._general_comments import BODIES, general_comment
from ._json_records import iter_json_array, record_error
from .base import ImportContext, Source, Triple, date_literal, parse_date, slug, year_literal

FILES = ("gc_sp_documents.json", "jurisprudence_documents.json")

ARTICLES = {  # articles per treaty (unhrd-treaty-texts), to reject impossible citations
    "iccpr": 53,
    "icescr": 31,
    "icerd": 25,
    "cedaw": 30,
    "cat": 33,
    "opcat": 37,
    "crc": 54,
    "icmw": 93,
    "crpd": 50,
    "cped": 45,
}
MANDATES = {  # slug of the `committee` field of a report -> contract special-procedure slug
    "sr-freedom-of-expression": "sr-expression",
    "sr-freedom-of-peaceful-assembly-and-of-association": "sr-assembly-association",
    "sr-human-rights-defenders": "sr-human-rights-defenders",
    "sr-independence-of-judges-and-lawyers": "sr-independence-judges-lawyers",
    "sr-minority-issues": "sr-minority-issues",
    "wg-discrimination-against-women-and-girls": "wg-discrimination-women",
}
OUTCOMES = {  # upstream `outcome` -> vocab/decision-outcome
    "violation_found": "violation",
    "merits_no_violation": "no-violation",
    "inadmissible": "inadmissible",
    "discontinued": "discontinued",
    "other": "other",
    "views": "other",  # views adopted, outcome not classified upstream
    "decision": "other",  # a decision, kind not classified upstream
}
REFERENCE_GCS = {("ccpr", "25"): ("hrc-gc-25", {"iccpr/art/25"})}  # key, interprets already in reference data
_GC_NUMBER = re.compile(r"(?:General\s+(?:Comment|Recommendation)|\bG[CR])\s*(?:No\.?\s*)?0*(\d+)", re.I)


def source_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    files = [path / name for name in FILES if (path / name).exists()]
    if not files:
        raise SourceFormatError(
            path,
            f"neither {' nor '.join(FILES)} found",
            hint="point the 'un-documents' source at the unhrd-documents-metadata folder",
        )
    return files


def read_treaty_body_documents(path: Path, ctx: ImportContext) -> Iterator[Triple]:
    handlers = {"gc": _general_comment, "sp": _report, "jur": _decision}
    for file in source_files(path):
        for index, (line, rec) in enumerate(ctx.progress(iter_json_array(file), file.name)):
            kind = rec.get("type") if isinstance(rec, dict) else None
            if kind not in handlers:
                raise record_error(
                    file,
                    line,
                    index,
                    f"expected an object with 'type' gc, sp or jur, found {str(rec)[:60]!r}",
                    hint="is this a UNHRD documents.json file?",
                )
            rec = _Record(file, line, index, rec)
            yield from handlers[kind](rec, ctx)
    for outcome, n in sorted((k[8:], v) for k, v in ctx.report.counts.items() if k.startswith("outcome:")):
        ctx.report.note(f"decisions with outcome {outcome}: {n}")


class _Record:
    """One JSON record with its file, line and position, for error messages."""

    def __init__(self, path: Path, line: int, index: int, values: dict):
        self.path, self.line, self.index, self.values = path, line, index, values

    def get(self, key: str) -> str:
        value = self.values.get(key)
        return "" if value is None else str(value).strip()

    def need(self, key: str) -> str:
        value = self.get(key)
        if not value:
            raise self.error(f"{self.values.get('type')} record without {key!r}")
        return value

    def error(self, problem: str, hint: str | None = None) -> SourceFormatError:
        return record_error(self.path, self.line, self.index, problem, hint)

    @property
    def where(self) -> str:
        return f"{self.path.name}:{self.line}"


def _body(rec: _Record, code: str) -> tuple[str, str]:
    if code not in BODIES:
        raise rec.error(
            f"unknown committee {code!r}; expected one of {', '.join(BODIES)}",
            hint="add the treaty body to BODIES in treaty_body_documents.py",
        )
    return BODIES[code]


def _dated(subject: URIRef, rec: _Record, prop: URIRef) -> Iterator[Triple]:
    day = parse_date(rec.get("adoptionDate"))
    if day:
        yield subject, prop, date_literal(day)
    elif re.fullmatch(r"\d{4}", rec.get("year")):
        yield subject, HRES.year, year_literal(int(rec.get("year")))


def _source(subject: URIRef, rec: _Record) -> Iterator[Triple]:
    link = rec.get("link")
    if link:
        if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", link):
            raise rec.error(f"'link' is not a web address: {link[:80]!r}")
        yield subject, DCTERMS.source, URIRef(link)


def _general_comment(rec: _Record, ctx: ImportContext) -> Iterator[Triple]:
    code = rec.need("committee")
    body, treaty = _body(rec, code)
    joint = {j.get("committee"): j.get("signature", "") for j in rec.values.get("jointWith") or []}
    m = re.search(r"/GC/(\d+)", joint[code]) if code in joint else _GC_NUMBER.search(rec.need("name"))
    if not m:
        raise rec.error(
            f"cannot read the General Comment number from {rec.get('name')[:80]!r}",
            hint="expected 'General Comment No. N', 'General recommendation No. N' or 'GC N'",
        )
    number = m.group(1)
    add = re.search(r"/GC/\d+/Add\.\s*(\d+)$", rec.get("signature"))
    number += f"-add-{add.group(1)}" if add else ""
    known = REFERENCE_GCS.get((body, number))
    gc = general_comment(body, number)
    ctx.report.count("general-comments")
    ctx.report.count(f"general-comments:{body}")
    if known:
        ctx.report.note(
            f"{code} GC {number} is reference data's {known[0]}: adds dcterms:source and articles; "
            f"upstream adoptionDate {rec.get('adoptionDate')!r} not used (reference data has its own)"
        )
    else:
        name = rec.need("name")
        yield gc, RDF.type, HRES.GeneralComment
        yield gc, RDFS.label, Literal(name if name.startswith(code) else f"{code} {name}", lang="en")
        for symbol in joint.values() if joint else [rec.need("signature")]:
            yield gc, HRES.unSymbol, Literal(symbol)
        for other in joint or [code]:
            yield gc, HRES.adoptedBy, mechanism(_body(rec, other)[0])
        yield from _dated(gc, rec, HRES.adoptionDate)
    yield from _source(gc, rec)
    seen = set(known[1]) if known else set()
    for cited in rec.values.get("articles") or []:
        parsed = _citations.parse_citation(str(cited))
        if parsed is None or int(parsed[0]) > ARTICLES[treaty]:
            ctx.report.count("gc-articles-unresolved")
            ctx.report.note(f"{rec.where}: {code} GC {number}: article {cited!r} not in {treaty}; not linked")
            continue
        local = f"{treaty}/art/{parsed[0]}"
        if local not in seen:
            seen.add(local)
            yield gc, HRES.interprets, ID[f"instrument/{local}"]
            ctx.report.count("gc-interprets")


def _report(rec: _Record, ctx: ImportContext) -> Iterator[Triple]:
    symbol = rec.need("signature")
    doc = ID[f"document/{slug(symbol)}"]
    yield doc, RDF.type, HRES.Document
    yield doc, RDFS.label, Literal(rec.need("name"), lang="en")
    yield doc, HRES.unSymbol, Literal(symbol)
    yield from _dated(doc, rec, HRES.reportDate)
    yield from _source(doc, rec)
    mandate = rec.need("committee")
    if slug(mandate) in MANDATES:
        yield doc, HRES.issuedBy, mechanism(MANDATES[slug(mandate)])
        ctx.report.count("reports:mandate-linked")
    else:
        yield doc, DCTERMS.creator, Literal(mandate)
        ctx.report.count("reports:mandate-literal")
    ctx.report.count("reports")


def _decision(rec: _Record, ctx: ImportContext) -> Iterator[Triple]:
    code = rec.need("committee")
    body, _ = _body(rec, code)
    decision = ID[f"finding/un-decision/{slug(rec.need('docId'))}"]
    symbol = rec.need("signature")
    raw_outcome = rec.need("outcome")
    if raw_outcome not in OUTCOMES:
        raise rec.error(
            f"unknown outcome {raw_outcome!r}; expected one of {', '.join(OUTCOMES)}",
            hint="map the new value in OUTCOMES (treaty_body_documents.py)",
        )
    yield decision, RDF.type, HRES.Decision
    m = re.search(r"/D/(\d+)/(\d{4})(?:/|$)", symbol)
    core = f"Communication No. {m.group(1)}/{m.group(2)}" if m else rec.need("name")
    country = rec.get("country")
    yield decision, RDFS.label, Literal(f"{code}, {core}" + (f" ({country})" if country else ""), lang="en")
    yield decision, HRES.issuedBy, mechanism(body)
    yield decision, HRES.unSymbol, Literal(symbol)
    yield decision, HRES.outcome, concept("decision-outcome", OUTCOMES[raw_outcome])
    ctx.report.count(f"outcome:{OUTCOMES[raw_outcome]}")
    if country:
        iso3 = ctx.state(country, rec.where)
        if iso3:
            yield decision, HRES.concernsState, state(iso3)
    else:
        ctx.report.count("decisions:no-country")
    day = parse_date(rec.get("adoptionDate"))
    if day:
        yield decision, HRES.issuedDate, date_literal(day)
        ctx.report.count("decisions:dated")
    elif rec.get("adoptionDate"):
        raise rec.error(f"'adoptionDate' {rec.get('adoptionDate')!r} is not a date", hint="expected e.g. '26 Jul 2019'")
    yield from _source(decision, rec)
    linked = set()
    for cited in rec.values.get("articlesCited") or []:
        key, number, why = _citations.resolve(code, str(cited))
        ctx.report.count(f"citations:{why}")
        if key and (key, number) not in linked:
            linked.add((key, number))
            yield decision, HRES.concernsProvision, ID[f"instrument/{key}/art/{number}"]
    ctx.report.count("decisions")
    ctx.report.count(f"decisions:{body}")


SOURCE = Source(
    id="un-documents",
    title="UN treaty-body General Comments, special-procedures reports and individual-communication decisions (UNHRD)",
    read=read_treaty_body_documents,
    default_path="raw/unhrd-documents-metadata",
    license="CC BY-NC-SA 4.0 (gc_sp_documents.json, UNHRD data licence); MIT (jurisprudence_documents.json at "
    "commit f4b369d); underlying UN documents under UN terms",
    upstream="https://github.com/lszoszk/generalcomments (docs/documents.json at 048f6f5; "
    "docs/jur/documents.json at f4b369d)",
)
