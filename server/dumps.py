"""Blueprint `dumps`: the whole graph and each named graph, at stable URLs, sent from files.

- `/dumps/all.nq`, `/dumps/all.trig`: every named graph (the dataset).
- `/dumps/<graph-id>.nt|.ttl|.nq|.trig`: the named graph `https://w3id.org/hres/graph/<graph-id>`.

Each dump is written once per dataset version (dump_files.py) and sent through the WSGI server's
file wrapper, so no request thread waits on a slow client. The ETag is the dataset version, so a
client can re-download only after a new build; a single byte range resumes a broken download.
A HEAD answers from the file's size, or without Content-Length before the file exists, and never
writes anything.

Licences: a dump that holds a named graph whose licence in graph/meta (dcterms:license, in words or as an
IRI) is non-commercial says so in `HRES-Noncommercial-Graphs` (the graph ids, space-separated: every such
graph for `all.*`, the graph itself for its own dump), with `Link: </void>; rel="describedby"` to the VoID
that names each graph's licence.
"""

from __future__ import annotations

import os
import re
from functools import partial
from pathlib import Path

import pyoxigraph as ox
from flask import Blueprint, Response, abort, current_app, request

from hres_graph.namespaces import BASE, PREFIXES

from .backend import get_backend
from .dump_files import DumpFiles
from .errors import Unavailable
from .worker import META

bp = Blueprint("dumps", __name__, url_prefix="/dumps")

FORMATS = {  # extension -> (RDF format, media type)
    "nq": (ox.RdfFormat.N_QUADS, "application/n-quads"),
    "trig": (ox.RdfFormat.TRIG, "application/trig"),
    "nt": (ox.RdfFormat.N_TRIPLES, "application/n-triples"),
    "ttl": (ox.RdfFormat.TURTLE, "text/turtle; charset=utf-8"),
}
CHUNK = 1 << 16
DCTERMS_LICENSE = ox.NamedNode("http://purl.org/dc/terms/license")
# "PolyForm-Noncommercial-1.0.0", ".../licenses/noncommercial/1.0.0/", "CC BY-NC-SA 4.0", "non-commercial"
NONCOMMERCIAL = re.compile(r"(?i:non-?commercial)|\bNC\b")
GRAPH_ID = re.compile(r"[A-Za-z0-9._~-]+")


@bp.record_once
def _attach_files(state) -> None:
    state.app.extensions["hres.dump_files"] = DumpFiles(Path(state.app.config["DUMP_DIR"]))


def write_dump(store: ox.Store, rdf_format: ox.RdfFormat, graph: ox.NamedNode | None, path: Path) -> None:
    kwargs = {"from_graph": graph} if graph is not None else {}
    prefixes = PREFIXES if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
    store.dump(str(path), rdf_format, prefixes=prefixes, **kwargs)


def send(path: Path, media_type: str, etag: str) -> Response:
    """The file, or the one byte range asked for (206), through the server's file wrapper."""
    file = open(path, "rb")
    size = os.fstat(file.fileno()).st_size
    start, stop, status = 0, size, 200
    ranges = request.range if request.if_range.etag in (None, etag) and request.if_range.date is None else None
    if ranges is not None and len(ranges.ranges) == 1:  # several ranges: the whole file instead
        span = ranges.range_for_length(size)
        if span is None:
            file.close()
            return Response(status=416, headers={"Content-Range": f"bytes */{size}", "ETag": f'"{etag}"'})
        (start, stop), status = span, 206
    file.seek(start)
    response = Response(
        file_body(request.environ, file, stop - start), status=status, content_type=media_type, direct_passthrough=True
    )  # so waitress sees its own wrapper
    response.content_length = stop - start
    if status == 206:
        response.headers["Content-Range"] = f"bytes {start}-{stop - 1}/{size}"
    return response


def file_body(environ, file, length: int):
    """The server's file wrapper (waitress sends the file from its I/O loop, no thread, at most the
    Content-Length); without one (the test client), chunks read here, and the file closed at the end."""
    if "wsgi.file_wrapper" in environ:
        return environ["wsgi.file_wrapper"](file, CHUNK)
    return read_chunks(file, length)


def read_chunks(file, length: int):
    with file:
        while length > 0:
            chunk = file.read(min(CHUNK, length))
            if not chunk:
                return
            length -= len(chunk)
            yield chunk


def head(path: Path, media_type: str) -> Response:
    if path.is_file():
        response = Response(content_type=media_type)
        response.content_length = path.stat().st_size
        return response
    # Not written yet: the size is unknown (an iterator, so no "Content-Length: 0" is added), and
    # a HEAD does not start the writing.
    return Response(iter(()), content_type=media_type)


def noncommercial_graphs(store: ox.Store) -> list[str]:
    """Ids of the named graphs whose licence in graph/meta is non-commercial, sorted."""
    prefix = BASE + "graph/"
    found = set()
    for quad in store.quads_for_pattern(None, DCTERMS_LICENSE, None, META):
        graph_id = quad.subject.value[len(prefix) :] if quad.subject.value.startswith(prefix) else ""
        if GRAPH_ID.fullmatch(graph_id) and NONCOMMERCIAL.search(quad.object.value):
            found.add(graph_id)
    return sorted(found)


def licence_headers(response: Response, store: ox.Store, name: str) -> None:
    graphs = [g for g in noncommercial_graphs(store) if name in ("all", g)]
    if graphs:
        response.headers["HRES-Noncommercial-Graphs"] = " ".join(graphs)
        response.headers["Link"] = f'<{request.script_root}/void>; rel="describedby"'  # not from the Host header


@bp.route("/<name>.<ext>")
def dump(name: str, ext: str):
    if ext not in FORMATS:
        abort(404, f"no dump format .{ext}; choose one of {', '.join('.' + e for e in FORMATS)}")
    rdf_format, media_type = FORMATS[ext]
    backend = get_backend()
    if name == "all":
        if not rdf_format.supports_datasets:
            abort(404, "the whole graph has several named graphs: use /dumps/all.nq or /dumps/all.trig")
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
    files: DumpFiles = current_app.extensions["hres.dump_files"]
    target = files.path(backend.version, backend.path, f"{name}.{ext}")
    if request.method == "HEAD":
        response = head(target, media_type)
    else:
        path = files.get(target, partial(write_dump, backend.store, rdf_format, graph))
        if path is None:
            raise Unavailable(
                f"the dump {name}.{ext} of this version is being written; try again shortly",
                headers={"Retry-After": f"{files.wait_s:.0f}"},
            )
        response = send(path, media_type, etag)
    response.set_etag(etag)
    response.headers["Accept-Ranges"] = "bytes"
    response.headers["Content-Disposition"] = f'inline; filename="hres-{name}.{ext}"'
    licence_headers(response, backend.store, name)
    return response


@bp.route("/")
def index():
    from flask import render_template

    backend = get_backend()
    graphs = {
        iri[len(BASE + "graph/") :]: n for iri, n in backend.graph_triples().items() if iri.startswith(BASE + "graph/")
    }
    return Response(
        render_template("resources/dumps.html", graphs=graphs, version=backend.version, formats=FORMATS),
        content_type="text/html; charset=utf-8",
    )
