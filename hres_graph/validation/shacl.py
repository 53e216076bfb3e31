"""Validate contributed data against the HRES shapes (shapes/*.ttl) with pySHACL.

Design notes: hres_graph/validation/README.md, "shacl.py".
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
import pyshacl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Node

from ..config import PROJECT_ROOT, Settings
from ..errors import HresError, SourceFormatError
from ..namespaces import ID
from .report import Report, Result
from .sparql_shapes import all_shapes, run_in_bulk, sparql_only_shapes

SHAPES_DIR = PROJECT_ROOT / "shapes"
ONTOLOGY_FILE = PROJECT_ROOT / "ontology" / "hres.ttl"
CONTEXT_DIRS = (PROJECT_ROOT / "ontology" / "vocab", PROJECT_ROOT / "ontology" / "reference")
_STATE_PREFIX = str(ID["state/"])
_BATCH = 400  # IRIs per VALUES block when reading context from the store


class DoesNotConform(HresError):
    """Contributed data violates the shapes (the report has been shown)."""

    exit_code = 1


def validate(
    data_graph: Graph,
    *,
    shapes: Graph | None = None,
    include_store: bool = False,
    settings: Settings | None = None,
    allow_warnings: bool = False,
    locations: Mapping[Node, list[str]] | None = None,
    sources: Iterable[str] = (),
    sparql_in_bulk: bool = True,
    context: Graph | None = None,
) -> Report:
    """Validate `data_graph`; report only results on its own subjects.

    shapes: a shapes graph (default: every shapes/*.ttl). include_store: also read context from the
    current store of `settings` (raises StoreError when no store has been built); context: those
    facts, already read (a validation child gets them from its parent). allow_warnings:
    warnings alone do not make the data non-conforming. locations: focus node -> places such as
    "file.csv:7", shown in the report. sparql_in_bulk: run each SPARQL-only shape's query once for
    all focus nodes (hres_graph.validation.sparql_shapes) instead of once per focus node inside pySHACL; the
    results are the same (tests/test_shapes.py compares both), only faster.
    """
    t0 = time.perf_counter()
    shapes = shapes if shapes is not None else load_shapes()
    combined = _PreparedQueryGraph()
    combined += reference_context()
    if context is not None:
        combined += context
    elif include_store:
        combined += store_context(settings or Settings(), data_graph)
    combined += data_graph
    contributed = set(data_graph.subjects())
    bulk = sparql_only_shapes(shapes) if sparql_in_bulk else {}
    others = [str(s) for s in all_shapes(shapes) if s not in bulk]
    results = []
    if others or not bulk:
        _, results_graph, _ = pyshacl.validate(
            combined,
            shacl_graph=shapes,
            ont_graph=ontology_graph(),
            inference="none",
            inplace=True,
            advanced=False,
            meta_shacl=False,
            allow_warnings=allow_warnings,
            use_shapes=others if bulk else None,
        )
        results = _results(results_graph, shapes, contributed)
    else:  # only SPARQL shapes: mix the class hierarchy in as pySHACL would
        combined += ontology_graph()
    if bulk:
        results += run_in_bulk(bulk, combined, contributed, ontology_graph())
    return Report(
        results,
        allow_warnings=allow_warnings,
        locations=dict(locations or {}),
        focus_nodes=len(contributed),
        seconds=time.perf_counter() - t0,
        sources=list(sources),
    )


class _PreparedQueryGraph(Graph):
    """A Graph whose query() parses each distinct SPARQL text once.

    pySHACL runs a SPARQL constraint once per focus node with the same text (the focus node is an
    initial binding); rdflib would parse it every time (tens of milliseconds each).
    """

    def query(
        self,
        query_object,
        processor="sparql",
        result="sparql",
        initNs=None,  # noqa: N803
        initBindings=None,
        use_store_provided=True,
        **kwargs,
    ):  # noqa: N803
        if isinstance(query_object, str) and not initNs:
            query_object = _prepared(query_object)
        return super().query(query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs)


@lru_cache(maxsize=512)
def _prepared(text: str):
    return prepareQuery(text)


# --- the graphs validation needs ------------------------------------------------------------------


def load_shapes(folder: Path = SHAPES_DIR) -> Graph:
    """Every *.ttl of a folder (or one file) as one shapes graph, parsed once per process."""
    return _parse_turtle(tuple(sorted(folder.glob("*.ttl"))) if folder.is_dir() else (folder,))


def ontology_graph() -> Graph:
    return _parse_turtle((ONTOLOGY_FILE,))


def reference_context() -> Graph:
    """Vocabularies and reference data, as in the `vocab` and `reference` graphs of a build."""
    return _parse_turtle(tuple(sorted(p for d in CONTEXT_DIRS for p in d.glob("*.ttl"))))


@lru_cache(maxsize=8)
def _parse_turtle(paths: tuple[Path, ...]) -> Graph:
    """Parse once; callers must not change the graph they get (validate copies it)."""
    if not paths:
        raise SourceFormatError(SHAPES_DIR, "no Turtle files found", hint="is this a complete checkout?")
    graph = Graph()
    for path in paths:
        try:
            graph.parse(path, format="turtle")
        except SyntaxError as exc:
            line = getattr(exc, "lines", None)
            raise SourceFormatError(
                path,
                f"cannot parse: {getattr(exc, '_why', exc)}",
                line=line + 1 if isinstance(line, int) else None,
                hint="fix the Turtle of this hand-edited file",
            ) from None
    return graph


def store_context(settings: Settings, data_graph: Graph) -> Graph:
    """Facts from the current store about what `data_graph` refers to (see the module docstring)."""
    return read_store_context(settings, *context_references(data_graph))


def context_references(data_graph: Graph) -> tuple[list[str], list[str]]:
    """The IRIs whose store facts a validation needs: HRES IRIs the data refers to but does not
    describe, and the states it mentions. Only IRIs that Oxigraph accepts are kept: the others can
    be in no store, and this is what keeps `<`, `>`, `{` or `}` from reaching a query's text."""
    subjects = set(data_graph.subjects())
    referenced = {
        o for o in data_graph.objects() if isinstance(o, URIRef) and str(o).startswith(str(ID)) and o not in subjects
    }
    states = {
        t for t in subjects | set(data_graph.objects()) if isinstance(t, URIRef) and str(t).startswith(_STATE_PREFIX)
    }
    return sorted(filter(_is_iri, map(str, referenced))), sorted(filter(_is_iri, map(str, states)))


def read_store_context(settings: Settings, referenced: Iterable[str], states: Iterable[str]) -> Graph:
    """Descriptions of `referenced` and the participation events of `states`, from the current store.

    The IRIs are written into the queries' VALUES blocks only as Oxigraph serialises them after
    parsing each one as an IRI (`ox.NamedNode`): a value that is not an IRI raises SourceFormatError
    before any query is built. (Substitutions would bind one term per query, and the external SPARQL
    store takes none.)
    """
    from ..store.oxigraph import open_store

    store = open_store(settings)
    context = Graph()
    try:
        for batch in _batches(referenced):
            context += store.query(f"CONSTRUCT {{ ?x ?p ?o }} WHERE {{ VALUES ?x {{ {batch} }} ?x ?p ?o }}").graph
        for batch in _batches(states):
            context += store.query(
                "CONSTRUCT { ?e a ?type ; hres:participant ?state ; hres:instrument ?i ; hres:eventDate ?d } "
                f"WHERE {{ VALUES ?state {{ {batch} }} "
                "VALUES ?type { hres:ConsentToBeBound hres:Ratification hres:Accession hres:Succession } "
                "?e hres:participant ?state ; a ?type ; hres:instrument ?i . OPTIONAL { ?e hres:eventDate ?d } }"
            ).graph
    finally:
        close = getattr(store, "close", None)
        if close:
            close()
    return context


def _is_iri(text: str) -> bool:
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True


def _batches(iris: Iterable[str]) -> Iterable[str]:
    """VALUES contents of at most _BATCH IRIs, each as Oxigraph writes the IRI it parsed."""
    terms = []
    for iri in iris:
        try:
            terms.append(str(ox.NamedNode(str(iri))))
        except ValueError as exc:
            raise SourceFormatError(
                "store context",
                f"{iri!r} is not an IRI ({exc})",
                hint='IRIs must not contain spaces or any of < > { } " ^ ` |',
            ) from None
    for start in range(0, len(terms), _BATCH):
        yield " ".join(terms[start : start + _BATCH])


# --- reading pySHACL's results -------------------------------------------------------------------


def _results(report: Graph, shapes: Graph, contributed: set[Node]) -> list[Result]:
    templates: dict[Node, list[tuple[str, re.Pattern]]] = {}
    results = []
    for root in report.subjects(RDF.type, SH.ValidationReport):
        for node in report.objects(root, SH.result):
            focus = report.value(node, SH.focusNode)
            if focus not in contributed:
                continue
            shape = report.value(node, SH.sourceShape)
            if shape not in templates:
                templates[shape] = _message_templates(shapes, shape)
            messages: dict[str, str] = {}
            for message in report.objects(node, SH.resultMessage):
                lang = (
                    message.language
                    if isinstance(message, Literal) and message.language
                    else _language_of(str(message), templates[shape])
                )
                messages.setdefault(lang, str(message))
            path = report.value(node, SH.resultPath)
            results.append(
                Result(
                    focus,
                    report.value(node, SH.resultSeverity),
                    shape,
                    report.value(node, SH.sourceConstraintComponent),
                    path,
                    report.value(node, SH.value),
                    messages,
                    _path_triples(shapes, shape) if isinstance(path, BNode) else (),
                )
            )
    return results


def _path_triples(shapes: Graph, shape: Node) -> tuple:
    """The triples of a shape's blank-node path (pySHACL reports the shapes graph's own node)."""
    path = shapes.value(shape, SH.path)
    out, todo, seen = [], [path], set()
    while todo:
        node = todo.pop()
        if not isinstance(node, BNode) or node in seen:
            continue
        seen.add(node)
        for p, o in shapes.predicate_objects(node):
            out.append((node, p, o))
            todo.append(o)
    return tuple(out)


def _message_templates(shapes: Graph, shape: Node) -> list[tuple[str, re.Pattern]]:
    """(language, pattern) per sh:message of a shape, placeholders such as {?value} matching anything.

    pySHACL fills a SPARQL constraint's placeholders and drops the language tag on the way; matching
    the filled text against the templates gives the language back.
    """
    messages = list(shapes.objects(shape, SH.message))
    for constraint in shapes.objects(shape, SH.sparql):
        messages += list(shapes.objects(constraint, SH.message))
    out = []
    for m in messages:
        if isinstance(m, Literal):
            parts = re.split(r"\{[?$]\w+\}", str(m))
            out.append((m.language or "", re.compile(".*?".join(map(re.escape, parts)), re.S)))
    return out


def _language_of(text: str, templates: list[tuple[str, re.Pattern]]) -> str:
    for lang, pattern in templates:
        if pattern.fullmatch(text):
            return lang
    return ""


def shape_index(shapes: Graph | None = None) -> dict[URIRef, dict]:
    """Our identified shapes (IRI -> severity, messages by language), for tests and documentation."""
    from .report import SHAPE_ID

    shapes = shapes if shapes is not None else load_shapes()
    index = {}
    for shape in set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape)):
        if isinstance(shape, URIRef) and SHAPE_ID.match(str(shape)):
            index[shape] = {
                "severity": shapes.value(shape, SH.severity),
                "messages": {m.language: str(m) for m in shapes.objects(shape, SH.message) if isinstance(m, Literal)},
                "targets": set(shapes.objects(shape, SH.targetClass)),
            }
    return index


__all__ = [
    "validate",
    "load_shapes",
    "ontology_graph",
    "reference_context",
    "store_context",
    "context_references",
    "read_store_context",
    "shape_index",
    "DoesNotConform",
    "SHAPES_DIR",
]
