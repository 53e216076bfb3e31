"""Reading a SPARQL 1.1 Protocol request: where the operation and the dataset parameters are.

- GET: everything in the URL; `query` absent -> the service description, not an error.
- POST application/x-www-form-urlencoded: the operation in the body; dataset parameters in the
  body or the URL. The body is decoded once, strictly as UTF-8 (`+` is a space, `%2B` a plus).
- POST application/sparql-query / application/sparql-update: the body is the operation, UTF-8
  (any other declared charset -> 415, undecodable bytes -> 400); parameters in the URL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl

import pyoxigraph as ox
from flask import request
from werkzeug.exceptions import RequestEntityTooLarge

from .errors import BadRequest, Forbidden, UnsupportedMediaType

FORM = "application/x-www-form-urlencoded"
DIRECT = {"query": "application/sparql-query", "update": "application/sparql-update"}
DATASET = {"query": ("default-graph-uri", "named-graph-uri"), "update": ("using-graph-uri", "using-named-graph-uri")}


@dataclass
class Operation:
    text: str | None  # None: a GET without `query` (service description)
    params: dict[str, list[str]] = field(default_factory=dict)

    def one(self, name: str) -> str | None:
        values = self.params.get(name) or []
        if len(values) > 1:
            raise BadRequest(f"the parameter {name!r} was given {len(values)} times; give it once")
        return values[0] if values else None

    def iris(self, name: str) -> list[str]:
        values = self.params.get(name) or []
        for iri in values:  # checked by the RDF library: these IRIs are written into update text (lexer.py)
            try:
                valid = ":" in iri and str(ox.NamedNode(iri)) == f"<{iri}>"
            except ValueError:
                valid = False
            if not valid:
                raise BadRequest(f"{name}={iri!r} is not an absolute IRI")
        return values


def _pairs(raw: bytes, where: str) -> dict[str, list[str]]:
    try:
        pairs = parse_qsl(raw.decode("utf-8"), keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise BadRequest(f"the {where} is not UTF-8 once percent-decoded") from None
    params: dict[str, list[str]] = {}
    for key, value in pairs:
        params.setdefault(key, []).append(value)
    return params


def check_charset() -> None:
    charset = request.mimetype_params.get("charset")
    if charset and charset.lower().replace("-", "").replace("_", "") != "utf8":
        raise UnsupportedMediaType(f"charset={charset} is not supported; send UTF-8")


def read_body(max_bytes: int) -> bytes:
    if request.content_length is not None and request.content_length > max_bytes:
        raise RequestEntityTooLarge(f"the request body is larger than {max_bytes} bytes (MAX_REQUEST_BYTES)")
    return request.get_data(cache=True)


def read(kind: str, max_bytes: int) -> Operation:
    """The operation (`kind` is 'query' or 'update') and every parameter, or a 4xx."""
    other = "update" if kind == "query" else "query"
    if len(request.query_string) > max_bytes:
        raise RequestEntityTooLarge(
            f"the query string is longer than {max_bytes} bytes (MAX_REQUEST_BYTES); POST long queries"
        )
    url = _pairs(request.query_string, "query string")
    if request.method in ("GET", "HEAD"):
        params, texts = url, url.get(kind)
        if texts is None and kind == "query" and other not in url:
            return Operation(None, url)
    elif request.mimetype == FORM:
        check_charset()
        form = _pairs(read_body(max_bytes), "form body")
        params = {k: url.get(k, []) + form.get(k, []) for k in {*url, *form}}
        texts = params.get(kind)
    elif request.mimetype in DIRECT.values():
        if request.mimetype != DIRECT[kind]:
            raise _wrong_operation(kind)
        check_charset()
        try:
            body = read_body(max_bytes).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BadRequest(f"the body is not valid UTF-8 (byte {exc.start})") from None
        if kind in url:
            raise BadRequest(f"a {DIRECT[kind]} POST carries the {kind} in its body, not in the URL")
        params, texts = url, [body]
    else:
        given = request.mimetype or "no Content-Type"
        raise UnsupportedMediaType(f"a POST needs Content-Type {FORM} or {DIRECT[kind]} (got {given})")
    if other in params:
        raise _wrong_operation(kind)
    if not texts:
        raise BadRequest(f"no {kind}: give the {kind} parameter")
    if len(texts) > 1:
        raise BadRequest(f"{len(texts)} {kind} parameters; send one {kind} per request")
    if not texts[0].strip():
        raise BadRequest(f"the {kind} is empty")
    return Operation(texts[0], params)


def _wrong_operation(kind: str):
    if kind == "query":
        return Forbidden(
            "this endpoint is read-only: /sparql does not take updates "
            "(they go to /update, which is disabled unless the server is configured for it)"
        )
    return BadRequest("/update takes updates only; send queries to /sparql")
