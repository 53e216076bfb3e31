"""`hres validate FILE…` and `hres import --validate`: check contributed files against the shapes.

Design notes: hres_graph/validation/README.md, "contributions.py".
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

import click
from rdflib import Graph

from ..errors import ConfigError
from .child import ChildLimits, validate_in_child
from .reading import Loaded, quiet_rdflib
from .report import Report

_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


def validate_files(
    paths: list[Path],
    *,
    include_store: bool = False,
    settings=None,
    allow_warnings: bool = False,
    shapes: Path | None = None,
    limits: ChildLimits | None = None,
) -> Report:
    """Read the files and validate them together (one report, grouped by focus node), in a child."""
    return validate_in_child(
        paths,
        limits=limits or limits_from_env(),
        allow_warnings=allow_warnings,
        store_context=_store_context(settings) if include_store else None,
        shapes=shapes,
    ).report


def validate_loaded(
    loaded: Loaded, *, context: Graph | None = None, allow_warnings: bool = False, shapes: Path | None = None
) -> Report:
    """Validate files already read (in the validation child); `context`: facts read from the store."""
    from .shacl import load_shapes, validate

    with quiet_rdflib():
        return validate(
            loaded.graph,
            shapes=load_shapes(shapes) if shapes else None,
            context=context,
            allow_warnings=allow_warnings,
            locations=loaded.locations,
            sources=loaded.sources,
        )


def _store_context(settings):
    """Reads, in this process, the store facts the child asks for (the child never opens the store)."""
    from ..config import Settings
    from .shacl import read_store_context

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
    result: object  # hres_graph.build.pipeline.BuildResult


def contrib_graph(name: str) -> str:
    from ..namespaces import GRAPH

    return str(GRAPH[f"contrib-{name}"])


def import_validated(
    settings,
    path: Path,
    name: str | None = None,
    *,
    lang: str = "en",
    fmt: str = "text",
    allow_warnings: bool = False,
    echo=click.echo,
) -> ImportOutcome:
    """Load a contributed file into its own named graph `graph/contrib-<name>`, only if it conforms.

    The file is read and validated in a validation child (hres_graph.validation.child), with the current
    store as context; its triples come back from the child as data. If it does not conform, the report is
    printed and DoesNotConform (exit code 1) is raised: the store is not touched. Otherwise the
    graph is replaced atomically (a copy of the store is changed, then swapped in) and re-importing
    the same file gives the same graph.
    """
    from .shacl import DoesNotConform

    name = name or re.sub(r"[^a-z0-9-]+", "-", Path(path).stem.lower()).strip("-")
    if not _NAME.match(name or ""):
        raise ConfigError(
            f"contribution name {name!r} is not a slug",
            hint="use lower-case letters, digits and '-', e.g. nhri-ken-2024",
        )
    outcome = validate_in_child(
        [Path(path)],
        limits=limits_from_env(),
        allow_warnings=allow_warnings,
        store_context=_store_context(settings),
        want_graph=True,
    )
    report = outcome.report
    echo(report.render(fmt, lang), nl=False)
    if not report.conforms:
        raise DoesNotConform(
            f"{path}: does not conform to the HRES shapes ({report.violations} violations, "
            f"{report.warnings} warnings); nothing was imported",
            hint="fix the data as the report says and run the import again"
            + ("" if allow_warnings or report.violations else ", or accept the warnings with --allow-warnings"),
        )
    result = import_graph(
        settings,
        outcome.graph,
        contrib_graph(name),
        [Path(path)],
        title=f"Contributed dataset {name} ({Path(path).name})",
    )
    return ImportOutcome(report, contrib_graph(name), result)


def import_graph(settings, graph: Graph, graph_iri: str, files: list[Path], *, title: str):
    """Replace one named graph of the current store with `graph`, atomically (as hres import does)."""
    from ..build.pipeline import SourceSummary
    from ..build.provenance import GraphRecord, file_records
    from ..build.replace import replace_graph
    from ..terms import named_node, quad

    def load(store):
        t0 = time.perf_counter()
        store.drop_graph(graph_iri)
        target = named_node(graph_iri)
        store.add_quads(quad(s, p, o, target) for s, p, o in graph)
        record = GraphRecord(
            graph_iri,
            title,
            [f for path in files for f in file_records(path, path.parent)],
            importer="hres_graph.validation.contributions/contribution",
            triples=store.count(graph_iri),
            seconds=time.perf_counter() - t0,
        )
        summary = SourceSummary(graph_iri.rsplit("/", 1)[-1], graph_iri, record.triples, round(record.seconds, 2))
        return record, summary

    return replace_graph(settings, load)
