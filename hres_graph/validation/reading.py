"""Reading contributed files (RDF or a CSV template) safely, into one rdflib graph with each node's file.

Oxigraph's parsers read the RDF and never fetch anything; a remote JSON-LD `@context`, external XML
entities and entity bombs are refused as bad input. Call this in a validation child (child_main.py):
it parses untrusted input in the calling process.
"""

from __future__ import annotations

import logging
import re
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from ..errors import SourceFormatError
from ..namespaces import bind_prefixes
from ..terms import from_ox
from .input_limits import MAX_FILE_BYTES, MAX_NESTING, check_nesting, read_bounded, require_regular
from .report import merge_locations
from .xml_entities import check_dtd

FORMATS_BY_SUFFIX = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
}
_NESTING_SYNTAX = {ox.RdfFormat.JSON_LD: "json", ox.RdfFormat.RDF_XML: "xml"}  # others: Turtle's brackets


@dataclass
class Loaded:
    """Contributed files read into one graph, with where each node came from."""

    graph: Graph
    locations: dict[Node, list[str]]
    sources: list[str]


def load_files(paths: list[Path], *, max_file_bytes: int = MAX_FILE_BYTES, max_nesting: int = MAX_NESTING) -> Loaded:
    """Read every file (RDF or CSV template) into one graph; SourceFormatError on bad input.

    This parses untrusted input in the calling process: call it in a validation child
    (hres_graph.validation.child_main), not in the web server or a long-lived command."""
    graphs, locations = [], []
    for path in paths:  # before anything opens them: a FIFO or a device is refused, not read
        require_regular(path, max_file_bytes)
    with quiet_rdflib():
        for path in paths:
            if path.suffix.lower() == ".csv" or _looks_like_csv(path):
                from .contrib_csv import read_contribution

                contribution = read_contribution(path)
                graphs.append(contribution.graph)
                locations.append(contribution.locations)
            else:
                part = read_rdf(path, max_file_bytes=max_file_bytes, max_nesting=max_nesting)
                graphs.append(part)
                locations.append({s: [path.name] for s in set(part.subjects())})
    graph = graphs[0] if len(graphs) == 1 else bind_prefixes(Graph())
    if len(graphs) > 1:
        for part in graphs:
            graph += part
    return Loaded(graph, merge_locations(*locations), [p.name for p in paths])


def read_rdf(path: Path, *, max_file_bytes: int = MAX_FILE_BYTES, max_nesting: int = MAX_NESTING) -> Graph:
    """Parse one RDF file with no network or file access beyond the file itself."""
    data = read_bounded(path, max_file_bytes)
    rdf_format = FORMATS_BY_SUFFIX.get(path.suffix.lower()) or _sniff(path, data)
    if rdf_format == ox.RdfFormat.RDF_XML:
        check_dtd(path, data)  # external entities, parameter entities, entity bombs
    check_nesting(path, data, _NESTING_SYNTAX.get(rdf_format, "turtle"), max_nesting)
    graph = bind_prefixes(Graph())
    try:
        for quad in ox.parse(data, rdf_format, base_iri=path.resolve().as_uri()):
            graph.add((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))
    except SyntaxError as exc:
        problem = exc.msg or str(exc)
        hint = "fix the syntax at that place; nothing was validated"
        if "LoadDocumentCallback" in problem or "remote context" in problem.lower():
            problem = "the JSON-LD refers to a remote @context; remote contexts are refused and never fetched"
            hint = "put the context in the document itself (an object as the value of @context)"
        line, column = exc.lineno, exc.offset
        if line is None and rdf_format == ox.RdfFormat.RDF_XML:
            line, column = _xml_position(data)
        raise SourceFormatError(
            path, f"{rdf_format.name} syntax error: {_strip_position(problem)}", line=line, column=column, hint=hint
        ) from None
    except (ValueError, TypeError) as exc:
        raise SourceFormatError(path, f"{rdf_format.name}: {exc}") from None
    return graph


def _xml_position(data: bytes) -> tuple[int | None, int | None]:
    """Where an XML well-formedness error is (Oxigraph's RDF/XML errors carry no position). Expat
    resolves no external entity unless asked to, and external ones were refused before parsing."""
    from xml.parsers import expat

    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        return exc.lineno, exc.offset + 1
    return None, None


def _sniff(path: Path, data: bytes) -> ox.RdfFormat:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"<?xml", b"<rdf:RDF", b"<!DOCTYPE")):
        return ox.RdfFormat.RDF_XML
    if head.startswith((b"{", b"[")):
        return ox.RdfFormat.JSON_LD
    if re.search(rb"^\s*(@prefix|@base|PREFIX|BASE)\b", head, re.M) or head.startswith((b"<", b"_:", b"#")):
        return ox.RdfFormat.TRIG  # TriG reads Turtle and N-Triples too
    raise SourceFormatError(
        path,
        "cannot tell the file's format from its name or its first bytes",
        hint="name it .ttl, .nt, .nq, .trig, .jsonld, .rdf or .csv (a contribution template)",
    )


def _looks_like_csv(path: Path) -> bool:
    if path.suffix.lower() in FORMATS_BY_SUFFIX:
        return False
    from .contrib_csv import detect_template

    return detect_template(path) is not None


def _strip_position(message: str) -> str:
    return re.sub(r"^Parser error at line \d+ column \d+: ", "", message)


@contextmanager
def quiet_rdflib():
    """rdflib logs a traceback for every ill-typed literal (e.g. "2024-13-01"^^xsd:date); the shapes
    report those, so the log is noise here."""
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)
