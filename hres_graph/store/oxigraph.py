"""The store behind one interface: embedded Oxigraph on disk (default) or any SPARQL 1.1 server.

Query code calls `open_store(settings).query(...)` and never imports a backend. Builds write a new
Oxigraph directory and swap the `current` symlink only on success (see build/pipeline.py), so readers
always see a complete store and a failed build leaves the previous one in place.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pyoxigraph as ox

from ..config import Settings
from ..errors import QueryError, StoreError
from ..namespaces import PREFIXES
from ..terms import from_ox, named_node
from .results import QueryResult

_BATCH = 100_000  # quads per bulk_extend call: big enough to be fast, small enough to bound memory


class OxigraphStore:
    """An on-disk Oxigraph store. Open read-only for serving (many processes may share it)."""

    backend = "oxigraph"

    def __init__(self, path: Path, *, read_only: bool = True):
        self.path = Path(path)
        try:
            self._store = ox.Store.read_only(str(self.path)) if read_only else ox.Store(str(self.path))
        except OSError as exc:
            hint = "run `hres build` first" if read_only else "is another build running on this directory?"
            raise StoreError(f"cannot open the store at {self.path}: {exc}", hint=hint) from exc

    # --- reading ---------------------------------------------------------------------------
    def query(
        self,
        sparql: str,
        *,
        default_graph_uris: list[str] | None = None,
        named_graph_uris: list[str] | None = None,
        substitutions: dict | None = None,
    ) -> QueryResult:
        """Run a SPARQL query. The default graph is the union of all named graphs unless the
        protocol's default-graph-uri / named-graph-uri (or FROM / FROM NAMED) say otherwise."""
        kwargs: dict = {"prefixes": PREFIXES}
        if default_graph_uris:
            kwargs["default_graph"] = [named_node(g) for g in default_graph_uris]
        if named_graph_uris:
            kwargs["named_graphs"] = [named_node(g) for g in named_graph_uris]
        if not default_graph_uris and not named_graph_uris:
            kwargs["use_default_graph_as_union"] = True
        if substitutions:
            kwargs["substitutions"] = substitutions
        try:
            answer = self._store.query(sparql, **kwargs)
        except SyntaxError as exc:
            raise syntax_error(sparql, exc) from None
        except OSError as exc:
            raise QueryError(f"the query failed: {exc}") from exc
        return _to_result(answer)

    def native_query(self, sparql: str, **kwargs):
        """The raw pyoxigraph answer, for callers that serialise with Oxigraph's own writers."""
        return self._store.query(sparql, **kwargs)

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def count(self, graph: str) -> int:
        answer = self._store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        return int(next(iter(answer))["n"].value)

    def triple_counts(self) -> dict[str, int]:
        answer = self._store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return {row["g"].value: int(row["n"].value) for row in answer}

    def quads(self, graph: str):
        return self._store.quads_for_pattern(None, None, None, named_node(graph))

    def quads_for_pattern(self, subject=None, predicate=None, obj=None):
        """The quads of every graph that match the pyoxigraph terms given (None = any): one index scan."""
        return self._store.quads_for_pattern(subject, predicate, obj, None)

    def dump(self, output, rdf_format: ox.RdfFormat, graph: str | None = None) -> None:
        kwargs = {"from_graph": named_node(graph)} if graph else {}
        if graph is None and not rdf_format.supports_datasets:
            raise QueryError(f"{rdf_format.name} holds one graph; choose a graph or a dataset format (N-Quads, TriG)")
        self._store.dump(
            output, rdf_format, prefixes=PREFIXES if rdf_format.name in ("Turtle", "TriG") else None, **kwargs
        )

    # --- writing (builds and imports only) ------------------------------------------------
    def add_quads(self, quads: Iterable[ox.Quad]) -> int:
        """Bulk-load quads in bounded batches; returns how many were given."""
        n = 0
        batch: list[ox.Quad] = []
        for q in quads:
            batch.append(q)
            if len(batch) >= _BATCH:
                self._store.bulk_extend(batch)
                n += len(batch)
                batch = []
        if batch:
            self._store.bulk_extend(batch)
            n += len(batch)
        return n

    def load_file(self, path: Path, rdf_format: ox.RdfFormat, graph: str) -> None:
        self._store.bulk_load(path=str(path), format=rdf_format, to_graph=named_node(graph))

    def drop_graph(self, graph: str) -> None:
        self._store.remove_graph(named_node(graph))

    def backup(self, target: Path) -> None:
        """A consistent copy (hard links where possible), used to import into a copy and swap."""
        self._store.backup(str(target))

    def close(self) -> None:
        """Release RocksDB now: tracebacks keep this wrapper alive, but not the store inside it."""
        self._store = None

    def flush(self) -> None:
        self._store.flush()
        self._store.optimize()


_POSITION = re.compile(r"^error at (\d+):(\d+): (.*)$", re.S)


def syntax_error(sparql: str, exc: SyntaxError) -> QueryError:
    """Oxigraph's parse error as 'line L, column C', the line itself with a caret, and a short
    list of what was expected (Oxigraph lists every character class it would accept)."""
    match = _POSITION.match(str(exc.msg))
    if not match:
        return QueryError(f"SPARQL syntax error: {exc.msg}")
    line, column, detail = int(match.group(1)), int(match.group(2)), " ".join(match.group(3).split())
    if len(detail) > 160:
        detail = detail[:160].rsplit(",", 1)[0] + ", …"
    lines = sparql.splitlines() or [""]
    shown = lines[line - 1] if 0 < line <= len(lines) else ""
    error = QueryError(
        f"SPARQL syntax error at line {line}, column {column}: {detail}\n  {shown}\n  {' ' * (column - 1)}^"
    )
    error.line, error.column = line, column
    return error


def _to_result(answer) -> QueryResult:
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult("ask", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        variables = [v.value for v in answer.variables]
        rows = [tuple(from_ox(solution[v]) for v in variables) for solution in answer]
        return QueryResult("select", variables=variables, rows=rows)
    from rdflib import Graph

    graph = Graph()
    for t in answer:
        graph.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
    return QueryResult("graph", graph=graph)


def current_store_path(settings: Settings) -> Path:
    link = settings.current_store
    if not link.exists():
        raise StoreError(f"no store has been built yet in {settings.var_dir}", hint="run `hres build`")
    return link.resolve()


def open_store(settings: Settings, *, read_only: bool = True):
    """The configured store: the last successful Oxigraph build, or an external SPARQL server."""
    if settings.backend == "sparql":
        from .sparql import SparqlStore

        return SparqlStore.from_settings(settings)
    return OxigraphStore(current_store_path(settings), read_only=read_only)


@dataclass
class Staged:
    store: OxigraphStore
    folder: Path  # where the store is being written (NAME.partial)
    final: Path  # where it will be once the block has succeeded


def remove_partial_stores(settings: Settings) -> None:
    """A build or import killed half-way leaves a *.partial directory; it was never current, so drop it."""
    for leftover in (settings.var_dir / "stores").glob("*.partial"):
        shutil.rmtree(leftover, ignore_errors=True)


@contextmanager
def staged_store(settings: Settings, started: datetime, *, copy_of: Path | None = None):
    """A new store under var/stores, written as NAME.partial (optionally starting as a copy of
    another store) and renamed to NAME when the block succeeds; removed on any error. The caller
    swaps `current` to `staged.final` afterwards."""
    stores = settings.var_dir / "stores"
    stores.mkdir(parents=True, exist_ok=True)
    name = started.strftime("%Y%m%dT%H%M%S%fZ")
    staged = None
    partial = stores / f"{name}.partial"
    try:
        if copy_of is not None:
            OxigraphStore(copy_of, read_only=True).backup(partial)  # a RocksDB checkpoint: hard links
        staged = Staged(OxigraphStore(partial, read_only=False), partial, stores / name)
        yield staged
        staged.store.close()  # before the directory is renamed
        partial.rename(staged.final)
    except BaseException as exc:
        if staged is not None:
            try:
                staged.store.close()  # close RocksDB first, or it writes into the directory as it is removed
            except OSError:
                pass  # the disk that failed the write may fail the final flush too
        shutil.rmtree(partial, ignore_errors=True)
        if isinstance(exc, OSError):  # RocksDB's "No space left on device", a read-only disk…
            raise StoreError(
                f"cannot write the new store in {stores}: {exc}",
                hint="free disk space there (or set HRES_VAR_DIR to a larger disk) and run "
                "the command again; the current store is unchanged",
            ) from exc
        raise


def swap_current(settings: Settings, new_store: Path) -> None:
    """Point `current` at a finished store atomically (rename of a symlink), then prune old stores."""
    link = settings.current_store
    tmp = link.with_name(f".current-{os.getpid()}")
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(new_store.relative_to(settings.var_dir))
    os.replace(tmp, link)
    _prune(settings, keep=new_store)


def _prune(settings: Settings, keep: Path) -> None:
    # a *.partial directory is no store (a killed import's leftover, or a build running now): it must
    # not take the place of the previous store kept for rollback
    stores = sorted(
        (p for p in (settings.var_dir / "stores").iterdir() if p.is_dir() and p.suffix != ".partial"),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    survivors = {keep}
    for path in stores:
        if len(survivors) >= settings.keep_stores:
            break
        survivors.add(path)
    for path in stores:
        if path not in survivors:
            _rmtree(path)


def _rmtree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
