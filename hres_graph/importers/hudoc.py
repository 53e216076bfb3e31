"""European Court of Human Rights judgments (HUDOC export): Slovakia and Switzerland, 2011-2021.

Upstream: a HUDOC CSV export (UTF-8; columns `Document Title`, `Application Number` (";"-separated),
`Document Type` (HEJUD English, HFJUD French, HJUDGER German translation with an English conclusion),
`Originating Body`, `Date` (dd/mm/yyyy), `Conclusion` (";"-separated items, ";" also inside brackets)).

One judgment can be two or three rows (one per language). A judgment is the lead (first) application
number plus the date; its rows are merged, and the English conclusion is read when there is one
(HEJUD, then HJUDGER, then the French HFJUD). Output (graph `echr-judgments`):
- hres:Decision `id/finding/echr/<lead application slug>`, `/2`, `/3` for later judgments in the same
  application (a Grand Chamber judgment after the Chamber's), with hres:issuedBy `mechanism/ecthr`,
  hres:concernsState (the respondent(s) in the title: "v. SLOVAKIA", "c. SUISSE", "SLOVAKIA AND
  UKRAINE"), hres:issuedDate, dcterms:identifier per application number, rdfs:label "<title> (<date>)".
- hres:outcome: violation if an item is "Violation of ...", else no-violation if one is "No violation
  of ...", else other.
- hres:concernsProvision `instrument/echr/art/<n>` or `instrument/echr-p1/art/<n>` for each article a
  (no-)violation item names ("Article 14+8", "Art. 5-1", "Article 1 of Protocol No. 1", "P1-1"); those
  articles get only a type, hres:partOf and a label (the instruments are reference data). Articles of
  other protocols (No. 7) have no canonical instrument key: counted and noted, not linked.
Conclusion items that are neither (no-)violations nor a known procedural or just-satisfaction item
are reported as notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Iterator

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from ..errors import SourceFormatError
from ..namespaces import HRES, ID, concept, mechanism, state
from .base import ImportContext, Row, Source, Triple, date_literal, read_csv, slug

COLUMNS = ("Document Title", "Application Number", "Document Type", "Date", "Conclusion")
LANGUAGE_PREFERENCE = {"HEJUD": 0, "HJUDGER": 1, "HFJUD": 2}  # English conclusion first
PROTOCOLS = {"1": ("echr-p1", "ECHR Protocol No. 1")}  # protocols with a canonical key

_FINDING = re.compile(
    r"^(?P<kind>No violation|Non-violation|Violation)\s+(?:of|de)\s+"
    r"(?:(?:Article|Art\.|l['’]article|l['’]art\.)\s*)?(?P<arts>P?\d+(?:[-+]P?\d+|-[a-z])*)"
    r"(?:\s+(?:of Protocol No\.|du Protocole n°)\s*(?P<protocol>\d+))?",
    re.I,
)
_OTHER_ITEMS = re.compile(
    r"^(?:\(Art\. |Remainder inadmissible|Partiellement irrecevable|Preliminary objection|Exception|"
    r"Non-pecuniary|Pecuniary|Damage|Dommage|Préjudice|Just satisfaction|Satisfaction|Respondent State|"
    r"Struck out|Radiation|Costs|Frais)",
    re.I,
)
_RESPONDENT = re.compile(r"\s(?:v\.|c\.)\s+(?P<resp>.+)$")


@dataclass
class _Judgment:
    key: str  # lead application slug
    day: date
    rows: list[Row] = field(default_factory=list)
    applications: set[str] = field(default_factory=set)


def read_hudoc(path: Path, ctx: ImportContext) -> Iterator[Triple]:
    files = [path] if path.is_file() else sorted(path.glob("*.csv"))
    if not files:
        raise SourceFormatError(
            path,
            "no HUDOC export (*.csv) found",
            hint="point the 'echr-judgments' source at the hudoc-echr-svk-che folder",
        )
    judgments: dict[tuple[str, date], _Judgment] = {}  # judgments are few: grouped in memory
    for file in files:
        for row in ctx.progress(read_csv(file, required=COLUMNS), file.name):
            ctx.report.count("rows")
            apps = [a.strip() for a in row["Application Number"].split(";") if a.strip()]
            bad = [a for a in apps if not re.fullmatch(r"\d+/\d{2}", a)]
            if not apps or bad:
                raise row.error(
                    f"application number {(bad or [''])[0]!r} is not of the form 12345/67", column="Application Number"
                )
            if row["Document Type"] not in LANGUAGE_PREFERENCE:
                raise row.error(
                    f"unknown document type {row['Document Type']!r}; expected {', '.join(LANGUAGE_PREFERENCE)}",
                    column="Document Type",
                )
            try:
                day = datetime.strptime(row["Date"].strip(), "%d/%m/%Y").date()
            except ValueError:
                raise row.error(
                    f"date {row['Date']!r} is not a dd/mm/yyyy date",
                    column="Date",
                    hint="HUDOC exports write dates as 14/10/2021",
                ) from None
            judgment = judgments.setdefault((slug(apps[0]), day), _Judgment(slug(apps[0]), day))
            judgment.rows.append(row)
            judgment.applications.update(apps)
    seen_articles: set[URIRef] = set()
    order: dict[str, int] = {}
    for (key, day), judgment in sorted(judgments.items()):
        order[key] = order.get(key, 0) + 1
        iri = ID[f"finding/echr/{key}" + (f"/{order[key]}" if order[key] > 1 else "")]
        yield from _judgment(iri, judgment, ctx, seen_articles)
    ctx.report.count("judgments", len(judgments))
    ctx.report.count("applications", len({a for j in judgments.values() for a in j.applications}))
    ctx.report.count("application-fields", len({r["Application Number"] for j in judgments.values() for r in j.rows}))


def _judgment(iri: URIRef, judgment: _Judgment, ctx: ImportContext, seen: set[URIRef]) -> Iterator[Triple]:
    row = min(judgment.rows, key=lambda r: (LANGUAGE_PREFERENCE[r["Document Type"]], r.line))
    title = re.sub(r"\s+-\s+\[German Translation\].*$", "", row["Document Title"]).strip()
    lang = "fr" if row["Document Type"] == "HFJUD" else "en"
    yield iri, RDF.type, HRES.Decision
    yield iri, RDFS.label, Literal(f"{title} ({judgment.day.isoformat()})", lang=lang)
    yield iri, HRES.issuedBy, mechanism("ecthr")
    yield iri, HRES.issuedDate, date_literal(judgment.day)
    for app in sorted(judgment.applications):
        yield iri, DCTERMS.identifier, Literal(app)
    yield from _respondents(iri, title, row, ctx)
    kinds, provisions = _conclusion(row, ctx)
    outcome = "violation" if "violation" in kinds else "no-violation" if "no-violation" in kinds else "other"
    ctx.report.count(f"outcome:{outcome}")
    yield iri, HRES.outcome, concept("decision-outcome", outcome)
    for key, number, label in provisions:
        article = ID[f"instrument/{key}/art/{number}"]
        yield iri, HRES.concernsProvision, article
        if article not in seen:
            seen.add(article)
            yield article, RDF.type, HRES.Article
            yield article, HRES.partOf, ID[f"instrument/{key}"]
            yield article, RDFS.label, Literal(f"{label} art. {number}", lang="en")


def _respondents(iri: URIRef, title: str, row: Row, ctx: ImportContext) -> Iterator[Triple]:
    bare = re.sub(r"\s*(\(No\. \d+\)|\(n° \d+\)|\[Extracts\]|\[Extraits\])", "", title).strip()
    m = _RESPONDENT.search(bare)
    if not m:
        raise row.error(
            f"no respondent State in the title {title!r}",
            column="Document Title",
            hint="expected '... v. SLOVAKIA' or '... c. SUISSE'",
        )
    for name in re.split(r"\s+(?:AND|ET)\s+", m.group("resp")):
        iso3 = ctx.state(name, row.where)
        if iso3:
            yield iri, HRES.concernsState, state(iso3)


def _split_items(conclusion: str) -> list[str]:
    """Split on ';' outside brackets (HUDOC also uses ';' inside them)."""
    items, depth, current = [], 0, []
    for ch in conclusion:
        depth += (ch == "(") - (ch == ")" and depth > 0)
        if ch == ";" and depth == 0:
            items.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
    items.append("".join(current).strip())
    return [item for item in items if item]


def _conclusion(row: Row, ctx: ImportContext) -> tuple[set[str], list[tuple[str, str, str]]]:
    kinds: set[str] = set()
    provisions: list[tuple[str, str, str]] = []
    for item in _split_items(row["Conclusion"]):
        m = _FINDING.match(item)
        if not m:
            if not _OTHER_ITEMS.match(item):
                ctx.report.count("conclusion-items:unparsed")
                ctx.report.note(f"{row.where}: conclusion item not understood: {item[:100]!r}")
            continue
        kinds.add("violation" if m.group("kind").lower() == "violation" else "no-violation")
        parts = m.group("arts").split("+")
        if m.group("protocol") and len(parts) > 1:  # "Article 14+1 of Protocol No. 1": which one?
            ctx.report.count("conclusion-items:unparsed")
            ctx.report.note(f"{row.where}: cannot tell which article is of the Protocol in {item[:100]!r}")
            continue
        for part in parts:
            p = re.fullmatch(r"P(\d+)-(\d+)(?:-.*)?", part) or re.fullmatch(r"()(\d+)(?:-.*)?", part)
            if p is None:
                ctx.report.count("conclusion-items:unparsed")
                ctx.report.note(f"{row.where}: article {part!r} not understood in {item[:100]!r}")
                continue
            protocol = p.group(1) or m.group("protocol") or ""
            if protocol and protocol not in PROTOCOLS:
                ctx.report.count("provisions:protocol-without-key")
                ctx.report.note(
                    f"{row.where}: Article {p.group(2)} of Protocol No. {protocol} has no canonical "
                    "instrument key; not linked"
                )
                continue
            key, label = PROTOCOLS[protocol] if protocol else ("echr", "ECHR")
            if (key, p.group(2), label) not in provisions:
                provisions.append((key, p.group(2), label))
    return kinds, provisions


SOURCE = Source(
    id="echr-judgments",
    title="European Court of Human Rights judgments against Slovakia and Switzerland, 2011-2021 (HUDOC export)",
    read=read_hudoc,
    default_path="raw/hudoc-echr-svk-che",
    license="HUDOC case-law metadata of the Council of Europe (public); the repository has no licence file",
    upstream="https://github.com/alohacocoa/Empirical-Analysis-of-Human-Rights-Law/blob/"
    "4f4e714cc61479695d57d4ea22e44462e9905a6b/hudoc.csv",
)
