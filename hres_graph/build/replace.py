"""Replace one named graph of the current store, atomically: `hres import SOURCE PATH` and
`hres import --validate`.

Design notes: hres_graph/build/README.md, "replace.py".
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from ..config import Settings
from ..errors import HresError
from ..namespaces import GRAPH
from ..store.oxigraph import OxigraphStore, current_store_path, remove_partial_stores, staged_store, swap_current
from .derive import derive
from .links import link
from .pipeline import RECORDS_FILE, BuildResult, SourceSummary, load_source, selected_sources, write_meta
from .provenance import GraphRecord
from .sources import LazyResolver

Loader = Callable[[OxigraphStore], tuple[GraphRecord, SourceSummary]]

MAX_SHRINK = 0.5  # refuse an import that removes more than this share of the source's triples


class ImportWouldShrink(HresError):
    """The new file would remove more of a source's triples than MAX_SHRINK allows (exit code 2)."""


def replace_graph(settings: Settings, load: Loader) -> BuildResult:
    """Copy the current store, let `load` write one graph into the copy (it drops the old graph
    first), rewrite the provenance, and make the copy current. On any error nothing changes."""
    t0 = time.perf_counter()
    started = datetime.now(timezone.utc)
    current = current_store_path(settings)
    remove_partial_stores(settings)
    with staged_store(settings, started, copy_of=current) as staged:
        records = [GraphRecord.from_dict(r) for r in json.loads((current / RECORDS_FILE).read_text("utf-8"))]
        record, summary = load(staged.store)
        derived = derive(staged.store)  # the replaced graph may add or remove members of defined classes
        linked, _ = link(staged.store)  # ... and texts that repeat or echo others
        records = [r for r in records if r.graph not in (record.graph, derived.graph, linked.graph)]
        records += [record, derived, linked]
        version = write_meta(staged.store, staged.folder, records, started)
    swap_current(settings, staged.final)
    return BuildResult(staged.final, version, time.perf_counter() - t0, [summary])


def import_source(settings: Settings, source_id: str, path: Path, *, force: bool = False) -> BuildResult:
    """Replace the source's graph with what its importer reads from `path`; refuse (ImportWouldShrink)
    when that removes more than MAX_SHRINK of its triples, unless `force`."""
    source = selected_sources(settings, [source_id])[0]
    settings.source_paths[source_id] = path
    graph = str(GRAPH[source.id])

    def load(store: OxigraphStore):
        before = store.count(graph)
        store.drop_graph(graph)
        record, summary = load_source(store, settings, source, LazyResolver(settings), progress=False)
        if not force:
            check_shrink(f"graph/{source.id}", before, record.triples)
        return record, summary

    return replace_graph(settings, load)


def check_shrink(graph_name: str, before: int, after: int, max_shrink: float = MAX_SHRINK) -> None:
    """Raise ImportWouldShrink when going from `before` to `after` triples loses more than `max_shrink`."""
    if before and before - after > max_shrink * before:
        change = round(100 * (before - after) / before)
        raise ImportWouldShrink(
            f"{graph_name} would go from {before:,} to {after:,} triples (\u2212{change} %; more than "
            f"{100 * max_shrink:.0f} % fewer is refused); nothing was changed",
            hint="check the file (a header-only or truncated file empties a source), or pass --force to import it",
        )
