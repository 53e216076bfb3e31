"""What the importer tests share: running an importer with a fresh context, and looking at what it gave."""

from __future__ import annotations

import atexit
import hashlib
import shutil
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Callable, Iterable, Mapping

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from hres_graph.importers.base import ImportContext, ImportReport, Source
from hres_graph.importers.state_names import StateResolver, name_key
from hres_graph.namespaces import HRES

ROOT = Path(__file__).resolve().parents[2]


def _materialise_sources(committed: Path) -> Path:
    """A temporary copy of the hand-written source fixtures with their upstream file names: a fixture
    whose upstream name is also a file of ../shared/data is committed as NAME.fixture.EXT, so that no
    committed file passes for a copy of the real data."""
    copy = Path(tempfile.mkdtemp(prefix="hres-fixtures-")) / "sources"
    shutil.copytree(committed, copy)
    for path in sorted(copy.rglob("*.fixture.*")):
        path.rename(path.with_name(path.name.replace(".fixture.", ".", 1)))
    atexit.register(shutil.rmtree, copy.parent, True)
    return copy


SOURCES = _materialise_sources(ROOT / "tests" / "data" / "sources")  # small source files, one folder per source


def to_graph(triples: Iterable) -> Graph:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return graph


def context_for(
    source: Source,
    resolver: StateResolver | None,
    *,
    data_root: Path | None = None,
    source_paths: Mapping[str, Path] | None = None,
) -> ImportContext:
    """A fresh context whose report is named after the source."""
    return ImportContext(
        states=resolver, report=ImportReport(source.id), data_root=data_root, source_paths=dict(source_paths or {})
    )


def tiny_resolver(names: Mapping[str, str]) -> StateResolver:
    """A resolver that knows only the given names (name -> ISO 3166-1 alpha-3)."""
    return StateResolver({name_key(n): iso3 for n, iso3 in names.items()}, {})


@dataclass
class Imported:
    """One run of an importer: its triples in the order read, and the context (with its report)."""

    triples: list
    ctx: ImportContext

    @property
    def report(self) -> ImportReport:
        return self.ctx.report

    @cached_property
    def graph(self) -> Graph:
        return to_graph(self.triples)


def run_importer(
    source: Source,
    path: Path,
    resolver: StateResolver | None,
    *,
    data_root: Path | None = None,
    source_paths: Mapping[str, Path] | None = None,
) -> Imported:
    """Read `path` with a fresh context and list every triple (errors propagate)."""
    ctx = context_for(source, resolver, data_root=data_root, source_paths=source_paths)
    return Imported(list(source.read(path, ctx)), ctx)


def run_real(
    source: Source, resolver: StateResolver | None, data_root: Path, *, source_paths: Mapping[str, Path] | None = None
) -> Imported:
    """Run an importer on the real data: its default path under the data root, which it may also search."""
    return run_importer(
        source, data_root / source.default_path, resolver, data_root=data_root, source_paths=source_paths
    )


class ImportSummary:
    """One streaming pass over an importer's run on the real data, for imports too large to hold as a list:
    counts of types and response statuses, the typed and the labelled subjects, a digest of the triples in
    order, the time taken, and the triples of the subjects `keep` picks. Subclasses see the other triples
    in `observe`."""

    def __init__(
        self,
        source: Source,
        resolver: StateResolver | None,
        data_root: Path,
        *,
        keep: Callable[[URIRef], bool] = lambda s: False,
    ):
        ctx = context_for(source, resolver, data_root=data_root)
        self.types, self.status = Counter(), Counter()
        self.typed: set[URIRef] = set()
        self.labelled: set[URIRef] = set()
        self.kept = Graph()
        digest = hashlib.sha256()
        start = time.perf_counter()
        for s, p, o in source.read(data_root / source.default_path, ctx):
            digest.update(f"{s.n3()} {p.n3()} {o.n3()}\n".encode())
            if p == RDF.type:
                self.types[o] += 1
                self.typed.add(s)
            elif p == RDFS.label:
                self.labelled.add(s)
            elif p == HRES.responseStatus:
                self.status[o] += 1
            else:
                self.observe(s, p, o)
            if keep(s):
                self.kept.add((s, p, o))
        self.seconds = time.perf_counter() - start
        self.digest = digest.hexdigest()
        self.report = ctx.report

    def observe(self, s, p, o) -> None:
        """Called for every triple that is not a type, a label or a response status."""
