"""Blueprint `sparql`: the SPARQL 1.1 Protocol query operation at /sparql.

GET ?query=, POST form and POST application/sparql-query; default-graph-uri / named-graph-uri;
answers negotiated from Accept (negotiation.py); a bare GET gives the service description (Turtle
and the other RDF formats) or, for a browser, the query page. The query itself runs in a worker
process (pool.py) under the time limit and row cap (limits.py).
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, request

from hres_graph.namespaces import PREFIXES

from . import description, lexer, negotiation, protocol, results
from .backend import get_backend
from .errors import NotAcceptable, QueryTimeout, Unavailable, Unprocessable, from_worker
from .limits import Limits, check_query
from .pool import PoolBusy, QueryTimedOut, TooManyLong, WorkerLost

bp = Blueprint("sparql", __name__)

EXAMPLES = {
    "Classes and how many instances each has": (
        "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n) LIMIT 50"
    ),
    "Named graphs and their sizes": (
        "SELECT ?g (COUNT(*) AS ?triples) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    ),
    "Instruments and their labels": (
        "SELECT ?instrument ?label WHERE {\n  ?instrument a/rdfs:subClassOf* hres:Instrument ;\n"
        '              rdfs:label ?label .\n  FILTER(lang(?label) = "en")\n} ORDER BY ?label LIMIT 100'
    ),
}


def limits() -> Limits:
    return current_app.extensions["hres.limits"]


def execute(job: dict, text: str, timeout: float, choice: tuple | None = None) -> Response:
    """Run a job in a worker and turn its answer, or its failure, into a response."""
    pool = get_backend().pool
    try:
        answer = pool.run(job, timeout=timeout, wait=limits().queue_timeout)
    except TooManyLong:
        raise Unavailable(
            f"the {job['op']} was still running after {pool.long_after:g} s while {pool.long_limit} "
            "long-running queries were already being answered (LONG_QUERIES), so it was stopped; "
            "try again shortly",
            headers={"Retry-After": "5"},
        ) from None
    except PoolBusy:
        raise Unavailable(
            f"every query worker stayed busy for {limits().queue_timeout:g} s; try again shortly",
            headers={"Retry-After": "2"},
        ) from None
    except QueryTimedOut:
        raise QueryTimeout(
            f"the {job['op']} ran longer than {timeout:g} s and was stopped "
            "(QUERY_TIMEOUT); simplify it, add LIMIT, or ask for less"
        ) from None
    except WorkerLost as exc:
        if exc.out_of_memory:  # the same query would die again: not a 503 to retry
            raise Unprocessable(
                f"the {job['op']} needed more memory than WORKER_MEMORY "
                f"({limits().worker_memory // 2**20} MiB) allows: its worker died ({exc.cause}) "
                "and has been replaced; ask for less (LIMIT, fewer or shorter values)"
            ) from None
        raise Unavailable(
            f"the query worker died while answering ({exc.cause}); it has been replaced", headers={"Retry-After": "1"}
        ) from None
    if answer[0] == "error":
        raise from_worker(answer[1], answer[2], text)
    _, status, key, body, headers = answer
    if status == 204:
        return Response(status=204, headers=headers)
    fmt = negotiation.BY_KEY[key]
    media_type = choice[1] if choice and choice[0].key == key else None
    response = Response(body, status, content_type=fmt.content_type(media_type), headers=headers)
    response.vary.add("Accept")
    return response


@bp.route("/sparql", methods=["GET", "POST"])
def query():
    op = protocol.read("query", limits().max_request_bytes)
    if op.text is None:
        return service_description(op)
    config = current_app.config
    limits().check_size(op.text)
    analysis = lexer.analyse(op.text, PREFIXES, base=config["BASE_IRI"])
    check_query(analysis, limits())
    offers = negotiation.BY_FORM.get(analysis.form or "select")
    choice = negotiation.choose(offers, request.headers.get("Accept"), op.one("format"))
    if choice is None:
        raise NotAcceptable(
            f"a {(analysis.form or 'query').upper()} answer can be "
            f"{negotiation.describe_offers(offers)}; none of them is acceptable "
            f"(Accept: {request.headers.get('Accept')!r})"
        )
    default_graphs, named_graphs = op.iris("default-graph-uri"), op.iris("named-graph-uri")
    job = {
        "op": "query",
        "text": op.text,
        "format": choice[0].key,
        "row_cap": limits().row_cap,
        "byte_cap": limits().max_answer_bytes,
        "default_graphs": default_graphs,
        "named_graphs": named_graphs,
        "base_iri": config["BASE_IRI"],
        "has_from": bool(analysis.from_default or analysis.from_named),
        "from_iris": analysis.from_default + analysis.from_named,
        "allow_remote": limits().allow_remote,
    }
    return execute(job, op.text, limits().timeout_for(op.one("timeout")), choice)


def service_description(op: protocol.Operation) -> Response:
    offers = (*negotiation.DOCUMENT, negotiation.HTML)
    choice = negotiation.choose(offers, request.headers.get("Accept"), op.one("format"))
    if choice is None:
        raise NotAcceptable(f"the service description is available as {negotiation.describe_offers(offers)}")
    backend = get_backend()
    if choice[0] is negotiation.HTML:
        return Response(
            render_template(
                "sparql/ui.html",
                examples=EXAMPLES,
                version=backend.version,
                limits=limits(),
                query=EXAMPLES["Named graphs and their sizes"],
            ),
            content_type="text/html; charset=utf-8",
        )
    update = request.url_root + "update" if backend.update_enabled else None
    triples = description.service_description(
        request.base_url, backend.graph_triples(), federated=bool(limits().allow_remote), update_endpoint=update
    )
    response = Response(results.write_rdf(triples, choice[0].rdf), content_type=choice[0].content_type(choice[1]))
    response.vary.add("Accept")
    return response
