"""Query results as rows of rdflib terms, and their text forms (SPARQL 1.1 JSON, CSV, TSV, a table).

Both store backends return a QueryResult, so the CLI (and later the endpoint) format results
the same way whichever store answered.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef


@dataclass
class QueryResult:
    kind: str  # "select", "ask" or "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)  # tuples of rdflib terms (None = unbound)
    boolean: bool | None = None
    graph: Graph | None = None

    def column(self, name: str) -> list:
        index = self.variables.index(name)
        return [row[index] for row in self.rows]


def to_json(result: QueryResult) -> str:
    if result.kind == "ask":
        return json.dumps({"head": {}, "boolean": result.boolean})
    bindings = [
        {var: _json_term(value) for var, value in zip(result.variables, row) if value is not None}
        for row in result.rows
    ]
    return json.dumps({"head": {"vars": result.variables}, "results": {"bindings": bindings}}, ensure_ascii=False)


def _json_term(term) -> dict:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype is not None:
        out["datatype"] = str(term.datatype)
    return out


def to_csv(result: QueryResult) -> str:
    """SPARQL 1.1 CSV: plain lexical values, CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if result.kind == "ask":
        writer.writerow(["boolean"])
        writer.writerow(["true" if result.boolean else "false"])
        return buffer.getvalue()
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(["" if v is None else (f"_:{v}" if isinstance(v, BNode) else str(v)) for v in row])
    return buffer.getvalue()


def to_tsv(result: QueryResult) -> str:
    """SPARQL 1.1 TSV: ?var headers and terms in Turtle syntax."""
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    for row in result.rows:
        lines.append("\t".join("" if v is None else _n3(v) for v in row))
    return "\n".join(lines) + "\n"


def _n3(term) -> str:
    if isinstance(term, Literal):
        # Turtle escapes keep tabs and newlines inside values from breaking TSV rows
        return term.n3().replace("\t", "\\t").replace("\n", "\\n")
    return term.n3()


def to_table(result: QueryResult, prefixes: dict[str, str] | None = None, width: int = 60) -> str:
    """A plain-text table for a terminal, with IRIs shortened by the canonical prefixes."""
    if result.kind == "ask":
        return "yes" if result.boolean else "no"

    def show(term) -> str:
        if term is None:
            return ""
        text = str(term)
        if isinstance(term, URIRef) and prefixes:
            for prefix, iri in prefixes.items():
                if text.startswith(iri) and len(text) > len(iri):
                    text = f"{prefix}:{text[len(iri) :]}"
                    break
        text = " ".join(text.split())
        return text if len(text) <= width else text[: width - 1] + "…"

    cells = [[show(v) for v in row] for row in result.rows]
    widths = [max([len(v)] + [len(r[i]) for r in cells]) for i, v in enumerate(result.variables)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(result.variables, widths)), "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in cells]
    lines.append(f"({len(result.rows)} row{'s' if len(result.rows) != 1 else ''})")
    return "\n".join(lines)
