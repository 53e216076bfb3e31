"""Blueprint `update`: SPARQL 1.1 Update at /update, OFF unless UPDATE_TOKEN is configured.

When on, a request needs `Authorization: Bearer <UPDATE_TOKEN>`. Writes go to a separate writable
copy of the store (UPDATE_STORE, made from the current build on first start), owned by a single
worker process, and /sparql then queries that copy: the served build is never opened read-write,
and nothing written here reaches the dumps or the linked-data pages. It is meant for testing and
curation sandboxes, not for the public endpoint.
"""

from __future__ import annotations

import hmac

from flask import Blueprint, current_app, request

from hres_graph.namespaces import PREFIXES

from . import lexer, protocol
from .backend import get_backend
from .errors import Forbidden, Unauthorized
from .limits import check_update
from .sparql import execute, limits

bp = Blueprint("update", __name__)


def _authorise() -> None:
    token = current_app.config["UPDATE_TOKEN"]
    if not token or not get_backend().update_enabled:
        raise Forbidden("updates are disabled: this server is read-only (set UPDATE_TOKEN to enable /update)")
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise Unauthorized(
            "/update needs 'Authorization: Bearer <token>' with the configured UPDATE_TOKEN",
            headers={"WWW-Authenticate": 'Bearer realm="hres-update"'},
        )


@bp.route("/update", methods=["POST"])
def update():
    _authorise()
    op = protocol.read("update", limits().max_request_bytes)
    limits().check_size(op.text, "update")
    analysis = lexer.analyse(op.text, PREFIXES, base=current_app.config["BASE_IRI"])
    using, using_named = op.iris("using-graph-uri"), op.iris("using-named-graph-uri")
    check_update(analysis, limits(), using, using_named)
    text = lexer.inject_using(analysis, using, using_named) if using or using_named else op.text
    job = {"op": "update", "text": text, "base_iri": current_app.config["BASE_IRI"]}
    return execute(job, text, limits().query_timeout)
