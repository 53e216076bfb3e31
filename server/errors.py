"""The status taxonomy, and the ONE error handler that renders every error response.

| status | class / cause                                                                     |
|--------|-----------------------------------------------------------------------------------|
| 400    | `QuerySyntaxError` (with line, column and a caret), `Refused` (SERVICE, LOAD,      |
|        | FROM outside the store, an update sent as a query), `BadRequest` (protocol misuse) |
|        | A worker's 400 that is not a syntax error (its sandbox denied SERVICE / LOAD, or   |
|        | rdflib's check refused a target) is `BadRequest` too.                              |
| 401    | `Unauthorized`: /update without the right bearer token                           |
| 403    | `Forbidden`: updates while they are disabled                                       |
| 404    | no such resource, graph or dump                                                    |
| 405    | method not allowed (PUT, DELETE, GET on /update)                                   |
| 406    | `NotAcceptable`: nothing in Accept can be produced, or the answer holds a character |
|        | the chosen XML format cannot carry (the message names the formats that can)        |
| 413    | request body (or a /validate upload) or query string larger than MAX_REQUEST_BYTES; |
|        | `TooLarge`: a query or update text larger than MAX_QUERY_BYTES                     |
| 415    | `UnsupportedMediaType`: a POST in a media type or charset the route does not take  |
| 422    | `Unprocessable`: the engine could not evaluate a well-formed query, or the query    |
|        | needed more memory than WORKER_MEMORY (its worker died and was replaced)           |
| 502    | an allow-listed SERVICE call failed                                                |
| 503    | `Unavailable`: every worker busy for QUEUE_TIMEOUT, or a worker died (Retry-After) |
| 504    | `QueryTimeout`: the query ran past QUERY_TIMEOUT and its worker was killed         |

A query never gets a 500: the worker classifies every engine error. A 500 means a bug here.
Bodies are text/plain, or application/json when the client's Accept prefers a JSON type.
"""

from __future__ import annotations

import json
import logging
import re

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from .negotiation import parse_accept

log = logging.getLogger(__name__)


class EndpointError(Exception):
    status = 400
    title = "Bad Request"

    def __init__(self, message: str, *, headers: dict | None = None, **details):
        super().__init__(message)
        self.message, self.headers, self.details = message, headers or {}, details


class BadRequest(EndpointError):
    pass


class Refused(EndpointError):
    title = "Refused"


class QuerySyntaxError(EndpointError):
    title = "SPARQL Syntax Error"

    @classmethod
    def from_engine(cls, message: str, text: str) -> "QuerySyntaxError":
        """Oxigraph says 'error at 3:17: expected …'; add line/column and the offending line."""
        if len(message) > 400:  # Oxigraph may list every token it expected
            message = message[:400] + " …"
        match = re.search(r"at (\d+):(\d+)", message)
        if not match:
            return cls(message)
        line, column = int(match.group(1)), int(match.group(2))
        lines = text.splitlines() or [""]
        source = lines[line - 1] if 0 < line <= len(lines) else ""
        caret = f"\n  {source}\n  {' ' * max(column - 1, 0)}^" if source else ""
        return cls(f"{message} (line {line}, column {column}){caret}", line=line, column=column)


class Unauthorized(EndpointError):
    status, title = 401, "Unauthorized"


class Forbidden(EndpointError):
    status, title = 403, "Forbidden"


class NotAcceptable(EndpointError):
    status, title = 406, "Not Acceptable"


class TooLarge(EndpointError):
    status, title = 413, "Content Too Large"


class UnsupportedMediaType(EndpointError):
    status, title = 415, "Unsupported Media Type"


class Unprocessable(EndpointError):
    status, title = 422, "Unprocessable Content"


class BadGateway(EndpointError):
    status, title = 502, "Bad Gateway"


class Unavailable(EndpointError):
    status, title = 503, "Service Unavailable"


class QueryTimeout(EndpointError):
    status, title = 504, "Query Timeout"


BY_STATUS = {c.status: c for c in (BadRequest, NotAcceptable, Unprocessable, BadGateway, Unavailable)}


def from_worker(status: int, message: str, text: str) -> EndpointError:
    """An ('error', status, message) answer from a query worker, as an exception."""
    if status == 400 and message.startswith("SPARQL syntax error"):
        return QuerySyntaxError.from_engine(message, text)
    return BY_STATUS.get(status, Unprocessable)(message)


def render(status: int, title: str, message: str, headers: dict | None = None, **details) -> Response:
    ranges = parse_accept(request.headers.get("Accept"))
    json_q = max((r.q for r in ranges if r.subtype.endswith("json")), default=0.0)
    if json_q > 0 and json_q >= max((r.q for r in ranges if r.specificity("text/plain") >= 0), default=0.0):
        body = json.dumps(
            {"error": {"status": status, "title": title, "message": message, **details}}, ensure_ascii=False
        )
        response = Response(body, status, content_type="application/json")
    else:
        response = Response(f"{status} {title}: {message}\n", status, content_type="text/plain; charset=utf-8")
    response.headers.update(headers or {})
    return response


def register(app: Flask) -> None:
    @app.errorhandler(Exception)
    def handle(exc: Exception):
        if isinstance(exc, EndpointError):
            return render(exc.status, exc.title, exc.message, exc.headers, **exc.details)
        if isinstance(exc, HTTPException):
            if exc.code is not None and exc.code < 400:  # redirects raised by routing
                return exc.get_response()
            headers = {k: v for k, v in exc.get_response().headers.items() if k in ("Allow", "Retry-After")}
            return render(exc.code or 500, exc.name, exc.description or exc.name, headers)
        log.exception("unhandled error on %s %s", request.method, request.path)
        return render(500, "Internal Server Error", "a bug in the server; it has been logged")
