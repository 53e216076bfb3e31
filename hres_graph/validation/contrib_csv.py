"""The CSV templates for contributions (shapes/templates/) -> an rdflib Graph, with row numbers.

Design notes: hres_graph/validation/README.md, "contrib_csv.py".
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD
from rdflib.term import Node

from ..config import PROJECT_ROOT
from ..errors import SourceFormatError
from ..importers.base import Row, parse_date, read_csv, slug
from ..namespaces import HRES, ID, bind_prefixes, concept, instrument, organisation, state

TEMPLATES_DIR = PROJECT_ROOT / "shapes" / "templates"

ASSESSMENT_COLUMNS = ("assessment_date", "implementation_status", "assessor", "evidence", "assessment_source_url")
TEMPLATES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # name: (required columns, optional columns)
    "eom-recommendations": (
        ("source_id", "rec_key", "organisation", "country", "election_date", "recommendation"),
        (
            "report_date",
            "language",
            "priority",
            "electoral_process_part",
            "rights",
            "instrument",
            "source_url",
            *ASSESSMENT_COLUMNS,
        ),
    ),
    "assessments": (
        ("source_id", "recommendation", "assessment_date", "implementation_status", "assessor"),
        ("evidence", "assessment_source_url"),
    ),
}

# Labels contributors use for the implementation-status scheme (ontology/vocab/implementation-status.ttl),
# including ODIHR's and UPR Info's scales, which the scheme maps with skos:exactMatch.
STATUS_ALIASES = {
    "fully": "fully-implemented",
    "implemented": "fully-implemented",
    "mostly": "mostly-implemented",
    "partially": "partially-implemented",
    "not": "not-implemented",
    "not-started": "not-implemented",
    "reported": "reported-implemented",
    "unknown": "no-information",
    "no-info": "no-information",
}
PRIORITY = {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False, "": None}
_YEAR = re.compile(r"^\d{4}$")
_ISO3 = re.compile(r"^[A-Za-z]{3}$")


@dataclass
class Contribution:
    """A converted file: its triples and, for each node it describes, the lines it came from."""

    graph: Graph
    template: str
    locations: dict[Node, list[str]] = field(default_factory=dict)

    def locate(self, node: Node, row: Row) -> None:
        places = self.locations.setdefault(node, [])
        if row.where not in places:
            places.append(row.where)


def _header(path: Path) -> list[str] | None:
    try:  # the first line only (CR, LF or CRLF ends it): a bad byte further down is read_csv's to report
        with open(path, "rb") as handle:
            first = re.split(rb"\r\n|\r|\n", handle.read(65536), maxsplit=1)[0].decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    return [h.strip().strip('"').strip() for h in first.split(",")]


def detect_template(path: Path) -> str | None:
    """The template whose columns the file's header has, or None."""
    header = set(_header(path) or ())
    for name, (required, optional) in TEMPLATES.items():
        if set(required) <= header <= set(required) | set(optional):
            return name
    return None


def read_contribution(path: Path) -> Contribution:
    """Convert a CSV file made from one of the templates."""
    name = detect_template(path)
    if name is None:
        header = set(_header(path) or ())
        closest = max(TEMPLATES, key=lambda n: len(header & set(TEMPLATES[n][0] + TEMPLATES[n][1])))
        required, optional = TEMPLATES[closest]
        missing = [c for c in required if c not in header]
        unknown = sorted(header - set(required) - set(optional))
        detail = "; ".join(
            part
            for part in (
                f"missing {', '.join(missing)}" if missing else "",
                f"unknown {', '.join(unknown)}" if unknown else "",
            )
            if part
        )
        raise SourceFormatError(
            path,
            f"the header matches no contribution template (closest: {closest}.csv: {detail})",
            line=1,
            hint="start from a file in shapes/templates/; shapes/templates/README.md documents every column",
        )
    contribution = Contribution(bind_prefixes(Graph()), name)
    rows = read_csv(path, encoding="utf-8-sig", required=TEMPLATES[name][0])
    (_eom_recommendations if name == "eom-recommendations" else _assessments)(rows, contribution)
    return contribution


# --- template (a): election-observation recommendations and their follow-up ------------------


def _eom_recommendations(rows, out: Contribution) -> None:
    g = out.graph
    first_row: dict[URIRef, tuple[int, str]] = {}
    assessments: dict[URIRef, int] = defaultdict(int)
    for row in rows:
        source = _key(row, "source_id", slug)
        org = _key(row, "organisation", lambda v: _segment(v.lower()))
        country = _key(row, "country", lambda v: _segment(v.upper() if _ISO3.match(v) else v))
        when, when_term = _date_or_year(row["election_date"].strip())
        if not when:
            raise row.error(
                "election_date is empty",
                column="election_date",
                hint="the election day YYYY-MM-DD (or the year) names the mission and the election",
            )
        rec = ID[f"recommendation/{source}/{_key(row, 'rec_key', _segment)}"]
        election = ID[f"election/{country}/{_segment(when)}"]
        mission = ID[f"mission/{org}/{country}/{_segment(when)}"]

        g.add((election, RDF.type, HRES.Election))
        g.add((election, HRES.electionIn, state(country)))
        g.add((election, HRES.electionDate if when_term.datatype == XSD.date else HRES.year, when_term))
        g.add((mission, RDF.type, HRES.ObservationMission))
        g.add((mission, HRES.deployedBy, organisation(org)))
        g.add((mission, HRES.observes, election))
        report_date = row["report_date"].strip()
        if report_date:
            g.add((mission, HRES.reportDate, _date(report_date)))
        for node in (election, mission):
            out.locate(node, row)

        text = " ".join(row["recommendation"].split())
        fingerprint = (
            text,
            row["report_date"].strip(),
            row["electoral_process_part"].strip(),
            row["rights"].strip(),
            row["instrument"].strip(),
            row["priority"].strip(),
        )
        if rec in first_row:
            line, seen = first_row[rec]
            if seen != fingerprint:
                raise row.error(
                    f"rec_key {row['rec_key'].strip()!r} was used on line {line} for a recommendation "
                    "with other values",
                    column="rec_key",
                    hint="repeat a recommendation's row only to add an assessment, with the same "
                    "recommendation columns; otherwise give it another rec_key",
                )
        else:
            first_row[rec] = (row.line, fingerprint)
            g.add((rec, RDF.type, HRES.Recommendation))
            if text:
                g.add((rec, HRES.text, _text(row, text)))
            g.add((rec, HRES.issuedBy, organisation(org)))
            g.add((rec, HRES.addressedTo, state(country)))
            g.add((rec, HRES.madeByMission, mission))
            if report_date:  # a mission's recommendations are issued in its final report
                g.add((rec, HRES.issuedDate, _date(report_date)))
            _priority(row, rec, g)
            for part in _list(row["electoral_process_part"]):
                g.add((rec, HRES.electoralProcessPart, concept("electoral-process-part", slug(part))))
            for right in _list(row["rights"]):
                g.add((rec, HRES.concernsRight, concept("rights", slug(right))))
            for key in _list(row["instrument"]):
                g.add((rec, HRES.concernsInstrument, instrument(_segment(key.lower()))))
            _source(row, "source_url", rec, g)
        out.locate(rec, row)

        if any(row[c].strip() for c in ASSESSMENT_COLUMNS):
            assessments[rec] += 1
            n = assessments[rec]
            _assessment(row, rec, URIRef(f"{rec}/assessment/{source}{'' if n == 1 else f'-{n}'}"), out)


# --- template (b): assessments of recommendations already in the graph ------------------------


def _assessments(rows, out: Contribution) -> None:
    count: dict[URIRef, int] = defaultdict(int)
    for row in rows:
        source = _key(row, "source_id", slug)
        rec = _recommendation_iri(row)
        count[rec] += 1
        n = count[rec]
        _assessment(row, rec, URIRef(f"{rec}/assessment/{source}{'' if n == 1 else f'-{n}'}"), out)


def _recommendation_iri(row: Row) -> URIRef:
    value = row["recommendation"].strip()
    if not value:
        raise row.error(
            "recommendation is empty",
            column="recommendation",
            hint="give the IRI of the assessed recommendation, e.g. "
            "https://w3id.org/hres/id/recommendation/upr-info/5f3a9c01d2e4",
        )
    if re.search(r"\s", value):
        raise row.error(f"recommendation {value!r} contains spaces; it must be an IRI", column="recommendation")
    if value.startswith(("http://", "https://")):
        return _iri(row, "recommendation", value)
    return _iri(row, "recommendation", str(ID[f"recommendation/{value.removeprefix('recommendation/')}"]))


def _assessment(row: Row, rec: URIRef, node: URIRef, out: Contribution) -> None:
    g = out.graph
    g.add((node, RDF.type, HRES.ImplementationAssessment))
    g.add((node, HRES.assesses, rec))
    when = row["assessment_date"].strip()
    if when:
        g.add((node, HRES.assessmentDate, _date(when)))
    status = slug(row["implementation_status"])
    if status:
        g.add((node, HRES.implementationStatus, concept("implementation-status", STATUS_ALIASES.get(status, status))))
    assessor = row["assessor"].strip()
    if assessor:
        g.add((node, HRES.assessor, _actor(row, assessor)))
    evidence = " ".join(row["evidence"].split())
    if evidence:
        g.add((node, HRES.evidence, Literal(evidence)))
    _source(row, "assessment_source_url", node, g)
    out.locate(node, row)


# --- cells ----------------------------------------------------------------------------------


def _key(row: Row, column: str, normalise) -> str:
    value = row[column].strip()
    if not value or not normalise(value):
        raise row.error(
            f"{column} is empty",
            column=column,
            hint="this column names the row's resources; see shapes/templates/README.md",
        )
    return normalise(value)


def _segment(value: str) -> str:
    """A cell as one IRI path segment: kept as typed when already valid, percent-encoded otherwise."""
    return quote(value.strip(), safe="-._~")


def _date_or_year(value: str) -> tuple[str, Literal | None]:
    """('2022-08-09', xsd:date) or ('2022', xsd:gYear); an unreadable value is kept for the shapes to flag."""
    if not value:
        return "", None
    if _YEAR.match(value):
        return value, Literal(value, datatype=XSD.gYear)
    literal = _date(value)
    return str(literal), literal


def _date(value: str) -> Literal:
    parsed = parse_date(value)
    text = parsed.isoformat() if parsed else value.strip()
    return Literal(text, datatype=XSD.date, normalize=False)


def _list(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


def _priority(row: Row, rec: URIRef, g: Graph) -> None:
    value = row["priority"].strip().lower()
    if value not in PRIORITY:
        raise row.error(
            f"priority {row['priority']!r} is not yes or no",
            column="priority",
            hint="write yes for a priority recommendation, no or nothing otherwise",
        )
    if PRIORITY[value] is not None:
        g.add((rec, HRES.priority, Literal(PRIORITY[value])))


def _iri(row: Row, column: str, value: str) -> URIRef:
    """`value` as an IRI, checked by Oxigraph's IRI parser: `<`, `>`, `{`, `}`, quotes and the like
    make it unreadable (they would also break the queries that look it up in the store)."""
    try:
        ox.NamedNode(value)
    except ValueError as exc:
        raise row.error(
            f"{column} {value!r} is not a valid IRI ({exc})",
            column=column,
            hint='write the IRI as the graph has it; characters such as < > { } " | ^ ` \\ must be percent-encoded',
        ) from None
    return URIRef(value)


def _text(row: Row, text: str) -> Literal:
    language = row["language"].strip() or "en"
    try:
        return Literal(text, lang=language)
    except ValueError:
        raise row.error(
            f"language {language!r} is not a language tag",
            column="language",
            hint="write a BCP 47 tag such as en, fr, es or pt-BR",
        ) from None


def _actor(row: Row, value: str) -> URIRef:
    if value.startswith(("http://", "https://")) and not re.search(r"\s", value):
        return _iri(row, "assessor", value)
    if re.fullmatch(r"[A-Z]{3}", value):
        return state(value)
    return organisation(_segment(value.lower()))


def _source(row: Row, column: str, node: URIRef, g: Graph) -> None:
    value = row[column].strip()
    if value:
        is_url = value.startswith(("http://", "https://")) and not re.search(r"\s", value)
        g.add((node, DCTERMS.source, _iri(row, column, value) if is_url else Literal(value)))


__all__ = ["Contribution", "TEMPLATES", "TEMPLATES_DIR", "detect_template", "read_contribution"]
