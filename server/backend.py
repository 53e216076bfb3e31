"""What the app serves from: the store opened read-only in this process (resources, dumps, service
description, VoID) and the pool of query worker processes. `init_app` attaches it, flaskr-style.

The store is `settings.current_store` (the last successful `hres build`) unless STORE_PATH names a
directory. When a new build moves `current`, the next request after RELOAD_CHECK_S notices it and
switches: this process reopens the store, the workers are replaced as they come back idle.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pyoxigraph as ox
from flask import Flask, current_app

from hres_graph.config import Settings
from hres_graph.store.oxigraph import current_store_path

from .pool import WorkerPool
from .worker import META, dataset_version

VOID_TRIPLES = ox.NamedNode("http://rdfs.org/ns/void#triples")


class Backend:
    def __init__(self, config, settings: Settings):
        self.follow_link = not config["STORE_PATH"]
        self.link = settings.current_store
        self.path = (Path(config["STORE_PATH"]) if config["STORE_PATH"] else current_store_path(settings)).resolve()
        self.reload_every = float(config["RELOAD_CHECK_S"])
        self._lock = threading.Lock()
        self._checked = time.monotonic()
        self._open(self.path)
        self.update_enabled = bool(config["UPDATE_TOKEN"])
        if self.update_enabled:
            # Writes never touch the served store: the single writable worker owns a copy.
            sandbox = Path(config["UPDATE_STORE"] or settings.var_dir / "update-sandbox")
            if not sandbox.exists():
                sandbox.parent.mkdir(parents=True, exist_ok=True)
                self.store.backup(str(sandbox))
            self.pool = WorkerPool(
                str(sandbox),
                size=1,
                writable=True,
                allow_remote=tuple(config["ALLOW_REMOTE"]),
                memory_bytes=int(config["WORKER_MEMORY"]),
            )
        else:  # with HRES_BACKEND=sparql the workers query the external store the build published to
            remote = settings.sparql_query_url if settings.backend == "sparql" else None
            self.pool = WorkerPool(
                str(self.path),
                size=int(config["QUERY_WORKERS"]),
                remote=remote,
                long_after=float(config["LONG_QUERY_AFTER"]),
                long_limit=int(config["LONG_QUERIES"]),
                allow_remote=tuple(config["ALLOW_REMOTE"]),
                memory_bytes=int(config["WORKER_MEMORY"]),
            )

    def _open(self, path: Path) -> None:
        self.store = ox.Store.read_only(str(path))
        self.version = dataset_version(self.store)
        self._graph_triples: dict[str, int] | None = None

    def maybe_reload(self) -> None:
        """Follow `current` to a newer build (checked at most every RELOAD_CHECK_S seconds)."""
        now = time.monotonic()
        if not self.follow_link or now - self._checked < self.reload_every:
            return
        self._checked = now
        target = self.link.resolve()
        if target == self.path or not target.is_dir():
            return
        with self._lock:
            self._open(target)
            self.path = target
            if not self.update_enabled:
                self.pool.reload(str(target))

    def graph_triples(self) -> dict[str, int]:
        """Named graph IRI -> triple count, from the build's provenance (graph/meta), else counted."""
        if self._graph_triples is None:
            counts = {}
            for graph in self.store.named_graphs():
                if not isinstance(graph, ox.NamedNode):
                    continue
                recorded = next(self.store.quads_for_pattern(graph, VOID_TRIPLES, None, META), None)
                counts[graph.value] = (
                    int(recorded.object.value)
                    if recorded
                    else sum(1 for _ in self.store.quads_for_pattern(None, None, None, graph))
                )
            self._graph_triples = dict(sorted(counts.items()))
        return self._graph_triples

    def close(self) -> None:
        self.pool.close()


def init_app(app: Flask, settings: Settings) -> Backend:
    backend = Backend(app.config, settings)
    app.extensions["hres"] = backend
    app.before_request(backend.maybe_reload)
    return backend


def get_backend() -> Backend:
    return current_app.extensions["hres"]
