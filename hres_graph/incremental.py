"""Replace one named graph of the current store, atomically: `hres import SOURCE PATH` and
`hres import --validate`.

The current store is copied (a RocksDB checkpoint: hard links, so it is quick), the copy is
changed, its provenance rewritten, and `current` is swapped to it only on success. Importers are
deterministic, so re-running the same import gives the same graph: imports are idempotent.
"""
from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from .build import (RECORDS_FILE, BuildResult, SourceSummary, _LazyResolver, _load_source, selected_sources,
                    write_meta)
from .config import Settings
from .namespaces import GRAPH
from .provenance import GraphRecord
from .store import OxigraphStore, current_store_path, swap_current

Loader = Callable[[OxigraphStore], tuple[GraphRecord, SourceSummary]]


def replace_graph(settings: Settings, load: Loader) -> BuildResult:
    """Copy the current store, let `load` write one graph into the copy (it drops the old graph
    first), rewrite the provenance, and make the copy current. On any error nothing changes."""
    t0 = time.perf_counter()
    started = datetime.now(timezone.utc)
    current = current_store_path(settings)
    stores = current.parent
    name = started.strftime("%Y%m%dT%H%M%S%fZ")
    partial = stores / f"{name}.partial"
    store = None
    try:
        OxigraphStore(current, read_only=True).backup(partial)
        store = OxigraphStore(partial, read_only=False)
        records = [GraphRecord.from_dict(r) for r in json.loads((current / RECORDS_FILE).read_text("utf-8"))]
        record, summary = load(store)
        records = [r for r in records if r.graph != record.graph] + [record]
        version = write_meta(store, partial, records, started)
        store.close()
        partial.rename(stores / name)
    except BaseException:
        if store is not None:
            store.close()  # close RocksDB first, or it writes into the directory as it is removed
        shutil.rmtree(partial, ignore_errors=True)
        raise
    swap_current(settings, stores / name)
    return BuildResult(stores / name, version, time.perf_counter() - t0, [summary])


def import_source(settings: Settings, source_id: str, path: Path) -> BuildResult:
    source = selected_sources(settings, [source_id])[0]
    settings.source_paths[source_id] = path

    def load(store: OxigraphStore):
        store.drop_graph(str(GRAPH[source.id]))
        return _load_source(store, settings, source, _LazyResolver(settings), progress=False)

    return replace_graph(settings, load)
