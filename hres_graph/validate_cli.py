"""`hres validate FILE…` and `hres import --validate`: check contributed files against the shapes.

Both commands read and validate in a confined child process (hres_graph.untrusted): a parser that
crashes, loops or exhausts memory on a hostile file costs that child, and is reported as bad input
(exit 2) naming the file and the signal, never as "does not conform". The child reads only regular
files of bounded size, refuses nesting deeper than MAX_NESTING before parsing
(hres_graph.input_limits), and has no network.

Reading is done by Oxigraph's parsers (Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML), which
never fetch anything: a JSON-LD document with a remote `@context`, and an RDF/XML document with
external entities or an entity bomb (hres_graph.xml_entities), are refused as bad input (exit 2)
without a request being made. The project's CSV templates (shapes/templates/) are converted by
hres_graph.contrib_csv first.

Exit codes: 0 conforms; 1 does not conform (the report says why); 2 bad input (file, line, column);
3 the store cannot be read (--with-store).
"""
from __future__ import annotations

import json
import logging
import re
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import click
import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from .errors import ConfigError, HresError, SourceFormatError
from .input_limits import MAX_FILE_BYTES, MAX_NESTING, check_nesting, read_bounded, require_regular
from .namespaces import bind_prefixes
from .report import FORMATS, LANGUAGES, Report, merge_locations
from .terms import from_ox
from .untrusted import ChildLimits, validate_in_child
from .xml_entities import check_dtd

FORMATS_BY_SUFFIX = {
    ".ttl": ox.RdfFormat.TURTLE, ".turtle": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS, ".trig": ox.RdfFormat.TRIG, ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD, ".rdf": ox.RdfFormat.RDF_XML, ".xml": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
}
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_NESTING_SYNTAX = {ox.RdfFormat.JSON_LD: "json", ox.RdfFormat.RDF_XML: "xml"}  # others: Turtle's brackets


@dataclass
class Loaded:
    """Contributed files read into one graph, with where each node came from."""

    graph: Graph
    locations: dict[Node, list[str]]
    sources: list[str]


# --- reading ------------------------------------------------------------------------------------

def load_files(paths: list[Path], *, max_file_bytes: int = MAX_FILE_BYTES, max_nesting: int = MAX_NESTING) -> Loaded:
    """Read every file (RDF or CSV template) into one graph; SourceFormatError on bad input.

    This parses untrusted input in the calling process: call it in a validation child
    (hres_graph.untrusted_child), not in the web server or a long-lived command."""
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
        raise SourceFormatError(path, f"{rdf_format.name} syntax error: {_strip_position(problem)}",
                                line=line, column=column, hint=hint) from None
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
    raise SourceFormatError(path, "cannot tell the file's format from its name or its first bytes",
                            hint="name it .ttl, .nt, .nq, .trig, .jsonld, .rdf or .csv (a contribution template)")


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


# --- validating and importing ---------------------------------------------------------------------

def validate_files(paths: list[Path], *, include_store: bool = False, settings=None, allow_warnings: bool = False,
                   shapes: Path | None = None, limits: ChildLimits | None = None) -> Report:
    """Read the files and validate them together (one report, grouped by focus node), in a child."""
    return validate_in_child(paths, limits=limits or limits_from_env(), allow_warnings=allow_warnings,
                             store_context=_store_context(settings) if include_store else None, shapes=shapes).report


def validate_loaded(loaded: Loaded, *, context: Graph | None = None, allow_warnings: bool = False,
                    shapes: Path | None = None) -> Report:
    """Validate files already read (in the validation child); `context`: facts read from the store."""
    from .validation import load_shapes, validate

    with quiet_rdflib():
        return validate(loaded.graph, shapes=load_shapes(shapes) if shapes else None, context=context,
                        allow_warnings=allow_warnings, locations=loaded.locations, sources=loaded.sources)


def _store_context(settings):
    """Reads, in this process, the store facts the child asks for (the child never opens the store)."""
    from .config import Settings
    from .validation import read_store_context

    return lambda referenced, states: read_store_context(settings or Settings(), referenced, states)


def limits_from_env() -> ChildLimits:
    """The CLI's bounds of a validation child: HRES_VALIDATE_TIMEOUT (seconds) and HRES_VALIDATE_MEMORY_MB,
    as the server reads them, with the CLI's own, larger, defaults."""
    import os

    defaults = ChildLimits()
    values = {}
    for name, default in (("TIMEOUT", defaults.timeout), ("MEMORY_MB", defaults.memory_bytes // (1024 * 1024))):
        text = os.environ.get(f"HRES_VALIDATE_{name}")
        try:
            values[name] = float(text) if text else float(default)
        except ValueError:
            values[name] = -1.0
        if not values[name] > 0:
            raise ConfigError(f"HRES_VALIDATE_{name} must be a positive number (got {text!r})")
    return ChildLimits(timeout=values["TIMEOUT"], memory_bytes=int(values["MEMORY_MB"] * 1024 * 1024))


@dataclass
class ImportOutcome:
    report: Report
    graph: str
    result: object  # hres_graph.build.BuildResult


def contrib_graph(name: str) -> str:
    from .namespaces import GRAPH

    return str(GRAPH[f"contrib-{name}"])


def import_validated(settings, path: Path, name: str | None = None, *, lang: str = "en", fmt: str = "text",
                     allow_warnings: bool = False, echo=click.echo) -> ImportOutcome:
    """Load a contributed file into its own named graph `graph/contrib-<name>`, only if it conforms.

    The file is read and validated in a validation child (hres_graph.untrusted), with the current
    store as context; its triples come back from the child as data. If it does not conform, the report is
    printed and DoesNotConform (exit code 1) is raised: the store is not touched. Otherwise the
    graph is replaced atomically (a copy of the store is changed, then swapped in) and re-importing
    the same file gives the same graph.
    """
    from .validation import DoesNotConform

    name = name or re.sub(r"[^a-z0-9-]+", "-", Path(path).stem.lower()).strip("-")
    if not _NAME.match(name or ""):
        raise ConfigError(f"contribution name {name!r} is not a slug",
                          hint="use lower-case letters, digits and '-', e.g. nhri-ken-2024")
    outcome = validate_in_child([Path(path)], limits=limits_from_env(), allow_warnings=allow_warnings,
                                store_context=_store_context(settings), want_graph=True)
    report = outcome.report
    echo(report.render(fmt, lang), nl=False)
    if not report.conforms:
        raise DoesNotConform(f"{path}: does not conform to the HRES shapes ({report.violations} violations, "
                             f"{report.warnings} warnings); nothing was imported",
                             hint="fix the data as the report says and run the import again"
                                  + ("" if allow_warnings or report.violations else
                                     ", or accept the warnings with --allow-warnings"))
    result = import_graph(settings, outcome.graph, contrib_graph(name), [Path(path)],
                          title=f"Contributed dataset {name} ({Path(path).name})")
    return ImportOutcome(report, contrib_graph(name), result)


def import_graph(settings, graph: Graph, graph_iri: str, files: list[Path], *, title: str):
    """Replace one named graph of the current store with `graph`, atomically (as hres import does)."""
    from .build import SourceSummary
    from .incremental import replace_graph
    from .provenance import GraphRecord, file_records
    from .terms import named_node, quad

    def load(store):
        t0 = time.perf_counter()
        store.drop_graph(graph_iri)
        target = named_node(graph_iri)
        store.add_quads(quad(s, p, o, target) for s, p, o in graph)
        record = GraphRecord(graph_iri, title, [f for path in files for f in file_records(path, path.parent)],
                             importer="hres_graph.validate_cli/contribution", triples=store.count(graph_iri),
                             seconds=time.perf_counter() - t0)
        summary = SourceSummary(graph_iri.rsplit("/", 1)[-1], graph_iri, record.triples, round(record.seconds, 2))
        return record, summary

    return replace_graph(settings, load)


# --- the command --------------------------------------------------------------------------------

@click.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text for people, json, or turtle (the standard SHACL validation report).")
@click.option("--lang", type=click.Choice(LANGUAGES), default="en", show_default=True, help="Language of the messages.")
@click.option("--allow-warnings", is_flag=True, help="Conform (exit 0) when there are warnings but no violations.")
@click.option("--with-store", is_flag=True,
              help="Also read context from the current store (recommendations your file assesses, ratifications).")
@click.option("--shapes", "shapes_path", type=click.Path(exists=True, path_type=Path),
              help="Shapes file or folder to use instead of shapes/.")
@click.pass_obj
def validate_command(obj, files, fmt, lang, allow_warnings, with_store, shapes_path):
    """Check contributed FILES (Turtle, N-Triples, JSON-LD, RDF/XML or a CSV template) against the shapes.

    Exit code 0 when the files conform, 1 when they do not, 2 on bad input.
    """
    try:
        settings = None
        if with_store:
            from .config import load_settings

            settings = obj() if callable(obj) else load_settings()
        report = validate_files(list(files), include_store=with_store, settings=settings,
                                allow_warnings=allow_warnings, shapes=shapes_path)
    except HresError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    click.echo(report.render(fmt, lang), nl=False)
    if fmt != "text":
        click.echo(f"{', '.join(report.sources)}: {report.summary()}", err=True)
    sys.exit(0 if report.conforms else 1)


__all__ = ["validate_command", "import_validated", "import_graph", "validate_files", "load_files", "read_rdf",
           "contrib_graph", "ImportOutcome"]
