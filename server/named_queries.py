"""Blueprint `named_queries`: the query catalogue of queries/ as a REST API.

GET /api/queries               the catalogue (JSON): title, description, typed parameters, examples, view
GET /api/queries/<name>?k=v    run one: SPARQL JSON, CSV or TSV (Accept or ?format=json|csv|tsv)

Parameters are bound as typed RDF terms by hres_graph.queries (never pasted into the query text)
and the query runs in a worker process like any other, under the same timeout and row cap.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, request

from hres_graph.errors import HresError
from hres_graph.queries import catalogue, named_query

from . import negotiation
from .errors import BadRequest, NotAcceptable
from .sparql import execute, limits

bp = Blueprint("named_queries", __name__)

_OFFERS = (negotiation.JSON, negotiation.CSV, negotiation.TSV)


@bp.route("/api/queries")
def listing():
    entries = [q.to_dict() for q in catalogue().values()]
    return Response(json.dumps(entries, ensure_ascii=False), content_type="application/json")


@bp.route("/api/queries/<name>")
def run(name: str):
    args = request.args.to_dict()
    requested = args.pop("format", None)
    try:
        query = named_query(name)
    except HresError as exc:
        abort(404, str(exc))
    try:
        bindings = query.bindings_text(args)
    except HresError as exc:
        raise BadRequest(str(exc)) from None
    choice = negotiation.choose(_OFFERS, request.headers.get("Accept"), requested)
    if choice is None:
        raise NotAcceptable(f"a named query answers as {negotiation.describe_offers(_OFFERS)}")
    job = {
        "op": "query",
        "text": query.text,
        "format": choice[0].key,
        "row_cap": limits().row_cap,
        "byte_cap": limits().max_answer_bytes,
        "bindings": bindings,
        "columns": list(query.columns),
        "has_from": False,
    }
    return execute(job, query.text, limits().query_timeout, choice)
