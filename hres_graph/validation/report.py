"""Validation reports: Result and Report, grouped by focus node, rendered as text, JSON or Turtle.

A Report holds the SHACL results whose focus node is in the contributed data (the context the
validation mixed in, such as the reference data, is never reported on). Messages are kept per
language (`en`, `fr`, `es`) and rendered in the requested one, falling back to English. The
Turtle rendering (and `to_rdf`'s JSON-LD and N-Triples) is the standard SHACL validation report
(sh:ValidationReport / sh:result), so other SHACL tools can read it.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Node

from ..namespaces import PREFIXES, bind_prefixes

SHAPES = Namespace("https://w3id.org/hres/shapes/")
SHAPE_ID = re.compile(r"^https://w3id\.org/hres/shapes/(([A-Z]{3})-(\d{2}))-[a-z0-9-]+$")
LANGUAGES = ("en", "fr", "es")
FORMATS = ("text", "json", "turtle")
RDF_FORMATS = ("turtle", "json-ld", "nt")  # rdflib serializer names
_SEVERITY_ORDER = {SH.Violation: 0, SH.Warning: 1, SH.Info: 2}


@dataclass(frozen=True)
class Result:
    """One SHACL validation result."""

    focus_node: Node
    severity: URIRef
    source_shape: Node
    component: URIRef | None = None
    path: Node | None = None
    value: Node | None = None
    messages: Mapping[str, str] = field(default_factory=dict)  # language -> text ("" when untagged)
    path_triples: tuple = ()  # the shapes-graph triples describing a complex (blank-node) path

    @property
    def path_text(self) -> str | None:
        """The path as a reader wants it: hres:text, or hres:issuedDate | hres:year for an alternative."""
        if self.path is None:
            return None
        if not isinstance(self.path, BNode):
            return _show(self.path)
        graph = Graph()
        for t in self.path_triples:
            graph.add(t)
        return _path_text(graph, self.path)

    @property
    def shape_name(self) -> str:
        """`REC-02-recommendation-has-text` for our shapes, the IRI otherwise."""
        text = str(self.source_shape)
        return text[len(str(SHAPES)) :] if SHAPE_ID.match(text) else text

    @property
    def shape_id(self) -> str | None:
        """`REC-02` for our shapes, None for others."""
        match = SHAPE_ID.match(str(self.source_shape))
        return match.group(1) if match else None

    @property
    def severity_name(self) -> str:
        return str(self.severity).rsplit("#", 1)[-1]

    def message(self, lang: str = "en") -> str:
        for key in (lang, "en", ""):
            if key in self.messages:
                return self.messages[key]
        return next(iter(self.messages.values()), "")

    def key(self) -> tuple:
        return (self.source_shape, self.path, self.value)


@dataclass
class Report:
    """The outcome of one validation: results on the contributed focus nodes only."""

    results: list[Result]
    allow_warnings: bool = False
    locations: Mapping[Node, list[str]] = field(default_factory=dict)  # focus node -> "file.csv:7", ...
    focus_nodes: int = 0  # how many contributed nodes were checked
    seconds: float = 0.0
    sources: list[str] = field(default_factory=list)  # the files validated

    @property
    def violations(self) -> int:
        return sum(1 for r in self.results if r.severity == SH.Violation)

    @property
    def warnings(self) -> int:
        return sum(1 for r in self.results if r.severity == SH.Warning)

    @property
    def conforms(self) -> bool:
        """No violation, and no warning either unless warnings are allowed (pySHACL's allow_warnings)."""
        blocking = (SH.Violation,) if self.allow_warnings else (SH.Violation, SH.Warning)
        return not any(r.severity in blocking for r in self.results)

    def by_focus_node(self) -> list[tuple[Node, list[Result]]]:
        """Results grouped by focus node (in a stable order), each result shown once."""
        groups: dict[Node, dict[tuple, Result]] = {}
        for r in self.results:
            groups.setdefault(r.focus_node, {}).setdefault(r.key(), r)

        def order(item):
            node, _ = item
            where = self.locations.get(node) or [""]
            return (_location_key(where[0]), str(node))

        return [
            (
                node,
                sorted(
                    found.values(),
                    key=lambda r: (_SEVERITY_ORDER.get(r.severity, 9), r.shape_name, str(r.path), str(r.value)),
                ),
            )
            for node, found in sorted(groups.items(), key=order)
        ]

    def summary(self) -> str:
        verdict = "conforms" if self.conforms else "does not conform"
        counts = f"{_plural(self.violations, 'violation')}, {_plural(self.warnings, 'warning')}"
        return f"{verdict}: {counts} on {_plural(self.focus_nodes, 'focus node')} checked ({self.seconds:.2f} s)"

    def render(self, fmt: str = "text", lang: str = "en") -> str:
        if fmt == "text":
            return to_text(self, lang)
        if fmt == "json":
            return to_json(self, lang)
        if fmt == "turtle":
            return to_turtle(self, lang)
        raise ValueError(f"unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}")


# --- renderers ----------------------------------------------------------------------------------


def to_text(report: Report, lang: str = "en") -> str:
    names = ", ".join(report.sources) if report.sources else "data"
    lines = [f"{names}: {report.summary()}"]
    for node, results in report.by_focus_node():
        where = report.locations.get(node)
        lines.append("")
        lines.append(_show(node) + (f"  ({', '.join(where)})" if where else ""))
        for r in results:
            lines.append(f"  {r.severity_name.upper():9} {r.shape_name}")
            if r.path is not None:
                lines.append(f"    path:  {r.path_text}")
            if r.value is not None and r.value != r.focus_node:
                lines.append(f"    value: {_show(r.value)}")
            lines.append(
                textwrap.fill(
                    r.message(lang),
                    width=100,
                    initial_indent="    ",
                    subsequent_indent="    ",
                    break_on_hyphens=False,
                    break_long_words=False,
                )
            )
    return "\n".join(lines) + "\n"


def to_json(report: Report, lang: str = "en") -> str:
    doc = {
        "conforms": report.conforms,
        "violations": report.violations,
        "warnings": report.warnings,
        "focusNodesChecked": report.focus_nodes,
        "seconds": round(report.seconds, 3),
        "files": report.sources,
        "lang": lang,
        "focusNodes": [
            {
                "focusNode": _json_term(node),
                "where": list(report.locations.get(node, [])),
                "results": [
                    {
                        "shape": str(r.source_shape),
                        "id": r.shape_id,
                        "severity": r.severity_name,
                        "path": r.path_text if isinstance(r.path, BNode) else _json_term(r.path),
                        "value": _json_term(r.value),
                        "message": r.message(lang),
                    }
                    for r in results
                ],
            }
            for node, results in report.by_focus_node()
        ],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def to_turtle(report: Report, lang: str = "en") -> str:
    """The standard SHACL validation report, messages in `lang` (English when missing)."""
    return report_graph(report, lang).serialize(format="turtle")


def to_rdf(report: Report, rdf_format: str, lang: str = "en") -> str:
    """The standard SHACL validation report in one of RDF_FORMATS (`turtle`, `json-ld`, `nt`)."""
    if rdf_format not in RDF_FORMATS:
        raise ValueError(f"unknown RDF format {rdf_format!r}; choose one of {', '.join(RDF_FORMATS)}")
    return report_graph(report, lang).serialize(format=rdf_format)


def report_graph(report: Report, lang: str = "en") -> Graph:
    """The sh:ValidationReport as a graph (one sh:result per result, messages in `lang`)."""
    graph = Graph()
    bind_prefixes(graph)
    graph.bind("sh", SH)
    graph.bind("shapes", SHAPES)
    root = BNode()
    graph.add((root, RDF.type, SH.ValidationReport))
    graph.add((root, SH.conforms, Literal(report.conforms)))
    for r in report.results:
        node = BNode()
        graph.add((root, SH.result, node))
        graph.add((node, RDF.type, SH.ValidationResult))
        graph.add((node, SH.focusNode, r.focus_node))
        graph.add((node, SH.resultSeverity, r.severity))
        graph.add((node, SH.sourceShape, r.source_shape))
        if r.component is not None:
            graph.add((node, SH.sourceConstraintComponent, r.component))
        if r.path is not None:
            graph.add((node, SH.resultPath, r.path))
            for t in r.path_triples:
                graph.add(t)
        if r.value is not None:
            graph.add((node, SH.value, r.value))
        text = r.message(lang)
        if text:
            chosen = lang if lang in r.messages else ("en" if "en" in r.messages else None)
            graph.add((node, SH.resultMessage, Literal(text, lang=chosen)))
    return graph


# --- helpers ------------------------------------------------------------------------------------

_COMPACT = sorted(((iri, prefix) for prefix, iri in PREFIXES.items()), key=lambda x: -len(x[0]))
_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def _show(term: Node | None) -> str:
    """A term as a reader wants it: prefixed names for vocabulary terms, <IRI> for data, literals as N3."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        text = str(term)
        for iri, prefix in _COMPACT:
            if text.startswith(iri) and _LOCAL.match(text[len(iri) :]) and prefix not in ("hresid", "vocab", "graph"):
                return f"{prefix}:{text[len(iri) :]}"
        return f"<{text}>"
    if isinstance(term, Literal):
        if term.datatype is not None and term.datatype != XSD.string:
            return f'"{term}"^^{_show(term.datatype)}'
        return f'"{term}"@{term.language}' if term.language else f'"{term}"'
    return f"_:{term}"


def _path_text(graph: Graph, path: Node) -> str:
    if not isinstance(path, BNode):
        return _show(path)
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return " | ".join(_path_text(graph, p) for p in graph.items(alternatives))
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + _path_text(graph, inverse)
    for key, mark in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        inner = graph.value(path, key)
        if inner is not None:
            return f"({_path_text(graph, inner)}){mark}"
    if graph.value(path, RDF.first) is not None:
        return " / ".join(_path_text(graph, p) for p in graph.items(path))
    return "(path)"


def _json_term(term: Node | None):
    if term is None:
        return None
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _location_key(where: str) -> tuple:
    name, _, line = where.rpartition(":")
    return (name, int(line)) if line.isdigit() else (where, 0)


def merge_locations(*maps: Mapping[Node, Iterable[str]]) -> dict[Node, list[str]]:
    merged: dict[Node, list[str]] = {}
    for mapping in maps:
        for node, places in mapping.items():
            merged.setdefault(node, [])
            merged[node].extend(p for p in places if p not in merged[node])
    return merged
