"""Run SHACL-SPARQL constraints once for all focus nodes instead of once per focus node.

Design notes: hres_graph/validation/README.md, "sparql_shapes.py".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from ..errors import SourceFormatError
from ..terms import from_ox, to_ox
from .report import Result

# Predicates a shape may carry and still be run here: descriptions, targets, severity, messages, sh:sparql.
_ALLOWED = {
    RDF.type,
    RDFS.label,
    RDFS.comment,
    SH.targetClass,
    SH.severity,
    SH.message,
    SH.sparql,
    SH.name,
    SH.description,
    SH.deactivated,
}
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
_PLACEHOLDER = re.compile(r"\{[?$](\w+)\}")
_PREFIX_NAME = re.compile(r"^([A-Za-z][\w.-]*)?$")  # SPARQL's PN_PREFIX, ASCII part (or the empty prefix)


@dataclass(frozen=True)
class SparqlShape:
    shape: URIRef
    classes: tuple[Node, ...]
    severity: URIRef
    messages: tuple[Literal, ...]
    queries: tuple[str, ...]  # SELECT texts with their PREFIX lines


def all_shapes(shapes: Graph) -> set[Node]:
    """Shapes with a target (the ones a validator starts from)."""
    return {s for target in _TARGETS for s in shapes.subjects(target, None)}


def sparql_only_shapes(shapes: Graph) -> dict[URIRef, SparqlShape]:
    """Shapes that can be run in bulk; empty when a targeted shape is a blank node (use_shapes needs IRIs)."""
    targeted = all_shapes(shapes)
    if any(isinstance(s, BNode) for s in targeted):
        return {}
    found = {}
    for shape in targeted:
        predicates = set(shapes.predicates(shape, None))
        if SH.sparql not in predicates or not predicates <= _ALLOWED:
            continue
        if shapes.value(shape, SH.deactivated) == Literal(True):
            continue
        queries = []
        for constraint in shapes.objects(shape, SH.sparql):
            if shapes.value(constraint, SH.deactivated) == Literal(True):
                continue
            queries.append(_prologue(shapes, constraint) + str(shapes.value(constraint, SH.select)))
        found[shape] = SparqlShape(
            shape,
            tuple(shapes.objects(shape, SH.targetClass)),
            shapes.value(shape, SH.severity) or SH.Violation,
            tuple(m for m in shapes.objects(shape, SH.message) if isinstance(m, Literal)),
            tuple(queries),
        )
    return found


def run_in_bulk(found: dict[URIRef, SparqlShape], data: Graph, contributed: set[Node], ontology: Graph) -> list[Result]:
    """Results of the SPARQL shapes on the contributed focus nodes of `data` (which must hold the
    class hierarchy, as pySHACL leaves it after mixing in the ontology)."""
    results = []
    store = None
    for spec in found.values():
        targets = _instances(data, ontology, spec.classes) & contributed
        if not targets:
            continue
        if store is None:
            store = _oxigraph_copy(data)
        for query in spec.queries:
            answer = store.query(query)
            variables = answer.variables
            for solution in answer:
                bindings = {v.value: from_ox(solution[v]) for v in variables if solution[v] is not None}
                focus = bindings.get("this")
                if focus not in targets:
                    continue
                value = bindings.get("value", focus)
                messages = {(m.language or ""): _fill(str(m), bindings) for m in spec.messages}
                results.append(
                    Result(
                        focus,
                        spec.severity,
                        spec.shape,
                        SH.SPARQLConstraintComponent,
                        bindings.get("path"),
                        value,
                        messages,
                    )
                )
    return results


def _oxigraph_copy(graph: Graph) -> ox.Store:
    """An in-memory Oxigraph copy: its SPARQL engine runs these queries 10-100x faster than rdflib's."""
    store = ox.Store()
    store.bulk_extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.DefaultGraph()) for s, p, o in graph)
    return store


def _instances(data: Graph, ontology: Graph, classes: tuple[Node, ...]) -> set[Node]:
    wanted = set()
    for cls in classes:
        wanted |= set(ontology.transitive_subjects(RDFS.subClassOf, cls))
    return {s for cls in wanted for s in data.subjects(RDF.type, cls)}


def _prologue(shapes: Graph, constraint: Node) -> str:
    """The PREFIX lines of a constraint's sh:declare, each checked before it becomes query text (a
    shapes file given with --shapes is the user's own, but still should not be able to add clauses)."""
    lines = []
    for prefixes in shapes.objects(constraint, SH.prefixes):
        for declaration in shapes.objects(prefixes, SH.declare):
            prefix, namespace = shapes.value(declaration, SH.prefix), shapes.value(declaration, SH.namespace)
            if prefix is None or namespace is None:
                continue
            if not _PREFIX_NAME.match(str(prefix)):
                raise SourceFormatError(
                    "shapes",
                    f"sh:prefix {str(prefix)!r} is not a SPARQL prefix name",
                    hint="use letters, digits, '-', '_' or '.', starting with a letter",
                )
            try:
                iri = ox.NamedNode(str(namespace))
            except ValueError as exc:
                raise SourceFormatError(
                    "shapes",
                    f"sh:namespace {str(namespace)!r} is not an IRI ({exc})",
                    hint="give the namespace as an absolute IRI",
                ) from None
            lines.append(f"PREFIX {prefix}: {iri}\n")  # str(NamedNode) is <iri>, as Oxigraph writes it
    return "".join(sorted(set(lines)))


def _fill(message: str, bindings: dict[str, Node]) -> str:
    def value(match: re.Match) -> str:
        term = bindings.get(match.group(1))
        return str(term) if term is not None else match.group(0)

    return _PLACEHOLDER.sub(value, message)


__all__ = ["SparqlShape", "all_shapes", "sparql_only_shapes", "run_in_bulk"]
