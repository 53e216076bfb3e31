"""Replace one named graph of the current store, atomically: `hres import SOURCE PATH` and
`hres import --validate`.

The current store is copied (a RocksDB checkpoint: hard links, so it is quick), the copy is
changed, its provenance rewritten, and `current` is swapped to it only on success. Importers are
deterministic, so re-running the same import gives the same graph: imports are idempotent.
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from .build import (RECORDS_FILE, BuildResult, SourceSummary, _LazyResolver, _load_source, derive,
                    selected_sources, write_meta)
from .config import Settings
from .links import link
from .namespaces import GRAPH
from .provenance import GraphRecord
from .store import OxigraphStore, current_store_path, remove_partial_stores, staged_store, swap_current

Loader = Callable[[OxigraphStore], tuple[GraphRecord, SourceSummary]]


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


def import_source(settings: Settings, source_id: str, path: Path) -> BuildResult:
    source = selected_sources(settings, [source_id])[0]
    settings.source_paths[source_id] = path

    def load(store: OxigraphStore):
        store.drop_graph(str(GRAPH[source.id]))
        return _load_source(store, settings, source, _LazyResolver(settings), progress=False)

    return replace_graph(settings, load)
