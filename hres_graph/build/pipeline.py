"""Build the graph: ontology + vocabularies + reference data + every configured source.

Store layout is decided here and only here: one named graph per source (`graph/<source-id>`),
the ontology, vocabularies and reference data in their own graphs, and a `graph/meta` graph
with the provenance of each. The build writes a new store directory and swaps the `current`
symlink only when everything has loaded: a failed or killed build leaves the previous store
intact and queryable.
"""

from __future__ import annotations

import json
import sys
import time
from contextlib import ExitStack, closing
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph as ox

from .. import __version__, importers
from ..config import PROJECT_ROOT, Settings
from ..errors import ConfigError, SourceFormatError
from ..importers import ImportReport, Source
from ..namespaces import GRAPH
from ..store.oxigraph import OxigraphStore, remove_partial_stores, staged_store, swap_current
from ..terms import named_node, to_ox
from . import links
from .derive import derive
from .lanes import ChildTask, SourceLane, lane_sources
from .provenance import META_GRAPH, GraphRecord, dataset_version, describe, file_records
from .sources import LazyResolver, open_source

RECORDS_FILE = "graphs.json"  # provenance records of the store's graphs, read back by `hres import`

# Hand-edited RDF shipped with the project: (graph id, title, folder, glob)
BUILTIN = (
    ("ontology", "HRES ontology", PROJECT_ROOT / "ontology", "hres.ttl"),
    ("vocab", "HRES controlled vocabularies (SKOS)", PROJECT_ROOT / "ontology" / "vocab", "*.ttl"),
    (
        "reference",
        "HRES reference data: instruments, provisions, mechanisms, HRES initiative",
        PROJECT_ROOT / "ontology" / "reference",
        "*.ttl",
    ),
)


@dataclass
class SourceSummary:
    id: str
    graph: str
    triples: int
    seconds: float
    counts: dict = field(default_factory=dict)
    unresolved: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)


@dataclass
class BuildResult:
    store: Path
    version: str
    seconds: float
    sources: list[SourceSummary]

    def to_json(self) -> str:
        return json.dumps(
            {
                "store": str(self.store),
                "version": self.version,
                "seconds": round(self.seconds, 2),
                "sources": [asdict(s) for s in self.sources],
            },
            indent=2,
            default=str,
        )


def selected_sources(settings: Settings, only: list[str] | None = None) -> list[Source]:
    wanted = only or settings.sources
    if wanted is None:
        return list(importers.IMPORTERS.values())
    unknown = [s for s in wanted if s not in importers.IMPORTERS]
    if unknown:
        raise ConfigError(f"unknown source(s) {', '.join(unknown)}; choose from {', '.join(importers.IMPORTERS)}")
    return [importers.IMPORTERS[s] for s in importers.IMPORTERS if s in wanted]  # registry order: states first


def build(
    settings: Settings,
    *,
    only: list[str] | None = None,
    sources: list[Source] | None = None,
    progress: bool = False,
    log=lambda msg: print(msg, file=sys.stderr),
) -> BuildResult:
    """Build every selected source (`only` = source ids; `sources` = Source objects, e.g. a test's)."""
    started = datetime.now(timezone.utc)
    t0 = time.perf_counter()
    sources = selected_sources(settings, only) if sources is None else sources
    remove_partial_stores(settings)
    with staged_store(settings, started) as staged:
        store = staged.store
        records, summaries = [], []
        steps = len(BUILTIN) + len(sources)
        for i, (graph_id, title, folder, pattern) in enumerate(BUILTIN, 1):
            records.append(_load_builtin(store, graph_id, title, folder, pattern))
            log(f"[{i}/{steps}] {graph_id}: {records[-1].triples:,} triples")
        resolver = LazyResolver(settings)
        with ExitStack() as lanes_open:
            lanes = {}
            for k, source in enumerate(lane_sources(sources)):  # converted in child processes (lanes.py)
                lanes[source.id] = lanes_open.enter_context(
                    closing(SourceLane(settings, source, _beside(staged.folder, "lane"), stream=k == 0))
                )
                log(f"  {source.id}: importing in a second process")
            # lanes written to a file are loaded last: the build loads the other sources while their children
            # convert (in registry order it waited for them, then loaded the rest alone)
            waited = [s for s in sources if s.id in lanes and not lanes[s.id].stream]
            loaded = {}
            for i, source in enumerate([s for s in sources if s not in waited] + waited, len(BUILTIN) + 1):
                if source.id in lanes:
                    loaded[source.id] = _load_from_lane(store, settings, lanes[source.id])
                else:
                    loaded[source.id] = load_source(store, settings, source, resolver, progress)
                record = loaded[source.id][0]
                log(f"[{i}/{steps}] {source.id}: {record.triples:,} triples in {record.seconds:.1f} s")
            for source in sources:  # the records in registry order, whatever the loading order
                records.append(loaded[source.id][0])
                summaries.append(loaded[source.id][1])
        # graph/links: the items read here, compared in a child while graph/derived is computed here (a child
        # reading a checkpoint of the store took 110 s instead of 43: RocksDB read-only, fresh from bulk loads)
        linking_started = time.perf_counter()
        items = (links.upr_items(store), links.observer_items(store), links.state_names(store))
        with closing(ChildTask(links.compare, items, "hres links")) as linking:
            del items  # pickled to the child by now: the build need not hold them during derive
            records.append(derive(store))
            log(f"[derived] {records[-1].triples:,} triples in {records[-1].seconds:.1f} s")
            linked, kinds = links.write_links(store, linking.result(), linking_started)
        records.append(linked)
        log(
            f"[links] {kinds['repeats']:,} repeats, {kinds['echoes']:,} echoes ({linked.triples:,} triples) "
            f"in {linked.seconds:.1f} s"
        )
        version = write_meta(store, staged.folder, records, started)
        result = BuildResult(staged.final, version, time.perf_counter() - t0, summaries)
        (staged.folder / "build-report.json").write_text(result.to_json(), encoding="utf-8")
    swap_current(settings, staged.final)
    return result


def _beside(staged: Path, what: str) -> Path:
    """A scratch folder beside the staged store, removed by the next build if this one is killed."""
    return staged.with_name(f"{staged.stem}.{what}.partial")


def write_meta(store: OxigraphStore, folder: Path, records: list[GraphRecord], started: datetime) -> str:
    """(Re)write the provenance graph from the records, keep the records beside the store, flush."""
    version = dataset_version(__version__, records)
    store.drop_graph(META_GRAPH)
    meta = named_node(META_GRAPH)
    store.add_quads(
        ox.Quad(to_ox(s), to_ox(p), to_ox(o), meta)
        for s, p, o in describe(records, version, started, datetime.now(timezone.utc))
    )
    store.flush()
    (folder / RECORDS_FILE).write_text(json.dumps([r.to_dict() for r in records], indent=1), encoding="utf-8")
    return version


def _load_builtin(store: OxigraphStore, graph_id: str, title: str, folder: Path, pattern: str) -> GraphRecord:
    t0 = time.perf_counter()
    graph = str(GRAPH[graph_id])
    files = sorted(folder.glob(pattern))
    if not files:
        raise ConfigError(f"no {pattern} files in {folder}", hint="is this a complete checkout?")
    for path in files:
        try:
            store.load_file(path, ox.RdfFormat.TURTLE, graph)
        except SyntaxError as exc:
            raise SourceFormatError(
                path,
                exc.msg,
                line=exc.lineno,
                column=exc.offset,
                hint="fix the Turtle; the previous store is still the current one",
            ) from None
    record = GraphRecord(graph, title, file_records(folder, folder.parent.parent, (pattern,)), importer="builtin")
    record.triples = store.count(graph)
    record.seconds = time.perf_counter() - t0
    return record


def load_source(
    store: OxigraphStore, settings: Settings, source: Source, resolver, progress: bool
) -> tuple[GraphRecord, SourceSummary]:
    t0 = time.perf_counter()
    path, report, triples = open_source(settings, source, resolver, progress)
    graph_node = named_node(str(GRAPH[source.id]))
    store.add_quads(ox.Quad(s, p, o, graph_node) for s, p, o in triples)
    return _source_record(store, source, path, report, time.perf_counter() - t0, settings)


def _load_from_lane(store: OxigraphStore, settings: Settings, lane: SourceLane) -> tuple[GraphRecord, SourceSummary]:
    def load(db: OxigraphStore, nq) -> None:
        # parsed here and added in batches: Oxigraph's bulk_load of the file took the build's peak from
        # 347 to 822 MiB on the real data
        db.add_quads(ox.parse(nq, format=ox.RdfFormat.N_QUADS))

    path, report = lane.load_into(store, load)
    return _source_record(store, lane.source, path, report, time.perf_counter() - lane.started, settings)


def _source_record(
    store: OxigraphStore, source: Source, path: Path, report: ImportReport, seconds: float, settings: Settings
) -> tuple[GraphRecord, SourceSummary]:
    graph = str(GRAPH[source.id])
    triples = store.count(graph)  # stored triples: a source may state one fact twice
    record = GraphRecord(
        graph,
        source.title,
        file_records(path, settings.data_root),
        importer=f"hres_graph.importers/{source.id}@{source.version}",
        license=source.license,
        upstream=source.upstream,
        triples=triples,
        seconds=seconds,
    )
    summary = SourceSummary(
        source.id, graph, triples, round(seconds, 2), dict(report.counts), dict(report.unresolved), report.notes
    )
    return record, summary
