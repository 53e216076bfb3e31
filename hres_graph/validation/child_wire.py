"""What crosses the pipe between a validation child and its parent: JSON, never pickle.

The child handles untrusted input. Should a parser bug ever hand control of it to a file, the
parent must still only read data from it: unpickling would run whatever the child sent. So the
report, the errors and the graph (for `hres import --validate`) are encoded here as plain JSON,
with RDF terms as small lists: ["i", iri], ["b", id], ["l", lexical, language, datatype].
"""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from ..errors import ConfigError, HresError, SourceFormatError, StoreError
from .report import Report, Result

_ERRORS = {cls.__name__: cls for cls in (HresError, ConfigError, StoreError)}


def dumps(message) -> bytes:
    return json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode()


def loads(data: bytes):
    return json.loads(data)


# --- terms ------------------------------------------------------------------------------------------


def term(node: Node | None):
    if node is None:
        return None
    if isinstance(node, URIRef):
        return ["i", str(node)]
    if isinstance(node, BNode):
        return ["b", str(node)]
    if isinstance(node, Literal):
        return ["l", str(node), node.language, str(node.datatype) if node.datatype else None]
    raise TypeError(f"not an RDF term: {node!r}")


def node(encoded) -> Node | None:
    if encoded is None:
        return None
    kind, value = encoded[0], str(encoded[1])
    if kind == "i":
        return URIRef(value)
    if kind == "b":
        return BNode(value)
    if kind == "l":
        language, datatype = encoded[2], encoded[3]
        return Literal(
            value, lang=language, datatype=URIRef(datatype) if datatype and not language else None, normalize=False
        )
    raise ValueError(f"unknown term kind {kind!r}")


def triples(graph) -> list:
    return [[term(s), term(p), term(o)] for s, p, o in graph]


def triples_from(encoded) -> list[tuple]:
    return [(node(s), node(p), node(o)) for s, p, o in encoded]


# --- reports ----------------------------------------------------------------------------------------


def report(value: Report) -> dict:
    return {
        "results": [
            [
                term(r.focus_node),
                term(r.severity),
                term(r.source_shape),
                term(r.component),
                term(r.path),
                term(r.value),
                dict(r.messages),
                triples(r.path_triples),
            ]
            for r in value.results
        ],
        "allow_warnings": value.allow_warnings,
        "locations": [[term(n), list(places)] for n, places in value.locations.items()],
        "focus_nodes": value.focus_nodes,
        "seconds": value.seconds,
        "sources": list(value.sources),
    }


def report_from(encoded: dict) -> Report:
    results = [
        Result(
            node(f),
            node(sev),
            node(shape),
            node(comp),
            node(path),
            node(val),
            {str(k): str(v) for k, v in messages.items()},
            tuple(triples_from(path_triples)),
        )
        for f, sev, shape, comp, path, val, messages, path_triples in encoded["results"]
    ]
    return Report(
        results,
        allow_warnings=bool(encoded["allow_warnings"]),
        locations={node(n): [str(p) for p in places] for n, places in encoded["locations"]},
        focus_nodes=int(encoded["focus_nodes"]),
        seconds=float(encoded["seconds"]),
        sources=[str(s) for s in encoded["sources"]],
    )


# --- errors -----------------------------------------------------------------------------------------


def error(exc: HresError) -> dict:
    if isinstance(exc, SourceFormatError):
        return {
            "kind": "SourceFormatError",
            "path": str(exc.path),
            "problem": exc.problem,
            "line": exc.line,
            "column": exc.column,
            "hint": exc.hint,
        }
    kind = type(exc).__name__ if type(exc).__name__ in _ERRORS else "HresError"
    return {"kind": kind, "problem": exc.problem, "hint": exc.hint, "exit_code": exc.exit_code}


def error_from(encoded: dict) -> HresError:
    if encoded["kind"] == "SourceFormatError":
        return SourceFormatError(
            Path(encoded["path"]),
            str(encoded["problem"]),
            line=encoded["line"],
            column=encoded["column"],
            hint=encoded["hint"],
        )
    exc = _ERRORS.get(encoded["kind"], HresError)(str(encoded["problem"]), hint=encoded["hint"])
    if isinstance(encoded.get("exit_code"), int) and type(exc) is HresError:
        exc.exit_code = encoded["exit_code"]
    return exc


__all__ = ["dumps", "loads", "term", "node", "triples", "triples_from", "report", "report_from", "error", "error_from"]
