"""Blueprint `named_queries`: the query catalogue of queries/ as a REST API.

GET /api/queries               the catalogue (JSON): title, description, typed parameters, examples, view
GET /api/queries/<name>?k=v    run one: SPARQL JSON, CSV or TSV (Accept or ?format=json|csv|tsv)

Parameters are bound as typed RDF terms by hres_graph.queries (never pasted into the query text)
and the query runs in a worker process like any other, under the same timeout and row cap. An IRI
given to a parameter declared with `class=` must name an instance of that class: otherwise 400 with the
nearest instances as suggestions (one check query in a worker first; see `checked_bindings`).
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, request

from hres_graph.errors import HresError
from hres_graph.queries import CHECK_ROWS, NamedQuery, catalogue, named_query

from . import negotiation
from .backend import get_backend
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
    bindings = checked_bindings(query, args)
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


def checked_bindings(query: NamedQuery, args: dict[str, str]) -> dict[str, str]:
    """The bindings of `args`, or BadRequest: a value of the wrong type, or an IRI that names nothing of its
    parameter's class (checked in a query worker, like the query: the same store, embedded or external)."""
    try:
        bindings = query.bindings_text(args)
        query.check_resources(args, select=_select, version=get_backend().version)
    except HresError as exc:
        raise BadRequest(str(exc)) from None
    return bindings


def _select(text: str) -> list[dict[str, str]]:
    """A SELECT of ours (no request text in it but IRIs the RDF library wrote) in a worker: rows of values."""
    job = {
        "op": "query",
        "text": text,
        "format": "json",
        "row_cap": CHECK_ROWS,
        "byte_cap": limits().max_answer_bytes,
        "has_from": False,
    }
    body = json.loads(execute(job, text, limits().query_timeout).get_data())
    return [{var: term["value"] for var, term in row.items()} for row in body["results"]["bindings"]]
