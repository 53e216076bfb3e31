"""Blueprint `dumps`: the whole graph and each named graph, streamed, at stable URLs.

- `/dumps/all.nq`, `/dumps/all.trig`: every named graph (the dataset).
- `/dumps/<graph-id>.nt|.ttl|.nq|.trig`: the named graph `https://w3id.org/hres/graph/<graph-id>`.

Oxigraph writes the dump in a background thread into a bounded queue that the response reads,
so memory stays flat whatever the size, and a client that goes away stops the dump. The ETag is
the dataset version, so a client can re-download only after a new build.
"""
from __future__ import annotations

import logging
import queue
import threading

import pyoxigraph as ox
from flask import Blueprint, Response, abort, request

from hres_graph.namespaces import BASE, PREFIXES

from .backend import get_backend

log = logging.getLogger(__name__)
bp = Blueprint("dumps", __name__, url_prefix="/dumps")

FORMATS = {  # extension -> (RDF format, media type)
    "nq": (ox.RdfFormat.N_QUADS, "application/n-quads"),
    "trig": (ox.RdfFormat.TRIG, "application/trig"),
    "nt": (ox.RdfFormat.N_TRIPLES, "application/n-triples"),
    "ttl": (ox.RdfFormat.TURTLE, "text/turtle; charset=utf-8"),
}
CHUNK = 1 << 16


class _QueueWriter:
    """A binary file for Oxigraph's dump: buffers writes and hands 64 KiB chunks to a queue."""

    def __init__(self, chunks: queue.Queue, stop: threading.Event):
        self.chunks, self.stop, self.buffer = chunks, stop, bytearray()

    def write(self, data) -> int:
        self.buffer += data
        if len(self.buffer) >= CHUNK:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self.buffer:
            self._put(bytes(self.buffer))
            self.buffer.clear()

    def _put(self, item) -> None:
        while True:
            if self.stop.is_set():
                raise BrokenPipeError("the client went away")
            try:
                self.chunks.put(item, timeout=0.5)
                return
            except queue.Full:
                continue


def stream(store: ox.Store, rdf_format: ox.RdfFormat, graph: ox.NamedNode | None):
    chunks: queue.Queue = queue.Queue(maxsize=32)
    stop = threading.Event()
    writer = _QueueWriter(chunks, stop)

    def produce():
        try:
            kwargs = {"from_graph": graph} if graph is not None else {}
            prefixes = PREFIXES if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
            store.dump(writer, rdf_format, prefixes=prefixes, **kwargs)
            writer.flush()
            writer._put(None)
        except BrokenPipeError:  # the client went away: stop quietly
            return
        except Exception as exc:  # mid-stream: the status is sent already; end the body early
            log.error("dump of %s failed: %s", graph.value if graph else "all graphs", exc)
            writer.buffer.clear()
            try:
                writer._put(exc)
            except BrokenPipeError:
                return

    threading.Thread(target=produce, name="hres-dump", daemon=True).start()

    def body():
        try:
            while True:
                chunk = chunks.get()
                if chunk is None or isinstance(chunk, Exception):
                    return
                yield chunk
        finally:
            stop.set()

    return body()


@bp.route("/<name>.<ext>")
def dump(name: str, ext: str):
    if ext not in FORMATS:
        abort(404, f"no dump format .{ext}; choose one of {', '.join('.' + e for e in FORMATS)}")
    rdf_format, media_type = FORMATS[ext]
    backend = get_backend()
    if name == "all":
        if not rdf_format.supports_datasets:
            abort(404, f"the whole graph has several named graphs: use /dumps/all.nq or /dumps/all.trig")
        graph = None
    else:
        try:
            graph = ox.NamedNode(BASE + "graph/" + name)
        except ValueError:  # the decoded name makes no IRI (a space, NUL…): no graph has it
            abort(404, f"{name!r} names no graph; the graphs are listed at /dumps/")
        if not backend.store.contains_named_graph(graph):
            abort(404, f"no named graph {graph.value}; the graphs are listed at /dumps/")
    etag = f"{backend.version}/{name}.{ext}"
    if etag in request.if_none_match:
        return Response(status=304, headers={"ETag": f'"{etag}"'})
    response = Response(stream(backend.store, rdf_format, graph), content_type=media_type)
    response.set_etag(etag)
    response.headers["Content-Disposition"] = f'inline; filename="hres-{name}.{ext}"'
    return response


@bp.route("/")
def index():
    from flask import render_template

    backend = get_backend()
    graphs = {iri[len(BASE + "graph/"):]: n for iri, n in backend.graph_triples().items()
              if iri.startswith(BASE + "graph/")}
    return Response(render_template("resources/dumps.html", graphs=graphs, version=backend.version,
                                    formats=FORMATS), content_type="text/html; charset=utf-8")
