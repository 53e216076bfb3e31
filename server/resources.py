"""Blueprint `resources`: every IRI under https://w3id.org/hres/ dereferences here.

`GET /id/…`, `/vocab/…`, `/graph/…` answer directly (200, `Vary: Accept`, no 303) with the
resource's description: every triple about it in any graph, the blank nodes it points to, and up
to INCOMING_LINKS triples pointing at it. Turtle, JSON-LD, N-Triples or RDF/XML by Accept; HTML
for browsers. `/ontology` serves the ontology graph (HTML lists its terms, with anchors, so
`ontology#Term` IRIs land on their entry); `/void` and `/.well-known/void` the VoID description.
Lookups use the store's pattern index directly: bounded work, no query worker needed.
"""

from __future__ import annotations

from itertools import islice

import pyoxigraph as ox
from flask import Blueprint, Response, abort, current_app, render_template, request

from hres_graph.namespaces import BASE, PREFIXES

from . import description, negotiation, results
from .backend import get_backend
from .errors import NotAcceptable

bp = Blueprint("resources", __name__)

ONTOLOGY_GRAPH = ox.NamedNode(BASE + "graph/ontology")
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABELS = (
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://purl.org/dc/terms/title",
)
DEFINITIONS = ("http://www.w3.org/2004/02/skos/core#definition", "http://www.w3.org/2000/01/rdf-schema#comment")
OFFERS = (*negotiation.DOCUMENT, negotiation.HTML)


def _negotiate() -> tuple[negotiation.Format, str]:
    choice = negotiation.choose(OFFERS, request.headers.get("Accept"), request.args.get("format"))
    if choice is None:
        raise NotAcceptable(f"this resource is available as {negotiation.describe_offers(OFFERS)}")
    return choice


def _rdf_response(triples, choice) -> Response:
    response = Response(results.write_rdf(triples, choice[0].rdf), content_type=choice[0].content_type(choice[1]))
    response.vary.add("Accept")
    return response


def _html(template: str, **context) -> Response:
    response = Response(
        render_template(template, version=get_backend().version, **context), content_type="text/html; charset=utf-8"
    )
    response.vary.add("Accept")
    return response


@bp.app_template_filter("local")
def local_link(iri: str) -> str:
    """Our own IRIs link to this server (so browsing works on any host); other http(s) IRIs stay
    as they are; anything else (`javascript:`, `data:` …) is not made a link target."""
    if iri.startswith(BASE):
        return request.script_root + "/" + iri[len(BASE) :]
    return iri if iri.startswith(("http://", "https://")) else "#"


@bp.app_template_test("iri")
def is_iri(term) -> bool:
    return isinstance(term, ox.NamedNode)


@bp.app_template_filter("short")
def short_name(term) -> str:
    if isinstance(term, ox.NamedNode):
        for prefix, ns in PREFIXES.items():
            if term.value.startswith(ns) and len(term.value) > len(ns):
                return f"{prefix}:{term.value[len(ns) :]}"
        return term.value
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def _pick(quads, predicates: tuple[str, ...]) -> str | None:
    values = [q.object for q in quads if q.predicate.value in predicates and isinstance(q.object, ox.Literal)]
    chosen = [v for v in values if (v.language or "").startswith("en")] or values
    return chosen[0].value if chosen else None


def describe(iri: str):
    store, limit = get_backend().store, current_app.config["INCOMING_LINKS"]
    try:
        node = ox.NamedNode(iri)
    except ValueError:  # the decoded path is no IRI (a space, `%`, a control character…): nothing has it
        abort(404, f"{iri!r} is not a valid IRI, so nothing in the dataset has it")
    about = list(store.quads_for_pattern(node, None, None, None))
    incoming = list(islice(store.quads_for_pattern(None, None, node, None), limit + 1))
    if not about and not incoming:
        abort(404, f"nothing is known about <{iri}> in dataset version {get_backend().version}")
    choice = _negotiate()
    if choice[0] is negotiation.HTML:
        from .entity_views import entity_context

        context = dict(
            iri=iri,
            label=_pick(about, LABELS) or iri,
            definition=_pick(about, DEFINITIONS),
            types=sorted({q.object.value for q in about if q.predicate.value == RDF_TYPE}),
            about=sorted(about, key=lambda q: (q.predicate.value, str(q.object))),
            incoming=incoming[:limit],
            more_incoming=len(incoming) > limit,
        )
        context.update(entity_context(iri, about))
        return _html("ui/entity.html", **context)
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in about + incoming[:limit]]
    seen, frontier = set(), [q.object for q in about if isinstance(q.object, ox.BlankNode)]
    while frontier:  # blank nodes belong to the description (concise bounded description)
        blank = frontier.pop()
        if blank in seen:
            continue
        seen.add(blank)
        for q in store.quads_for_pattern(blank, None, None, None):
            triples.append(ox.Triple(q.subject, q.predicate, q.object))
            if isinstance(q.object, ox.BlankNode):
                frontier.append(q.object)
    return _rdf_response(list(dict.fromkeys(triples)), choice)


@bp.route("/id/<path:rest>")
def identifier(rest: str):
    return describe(BASE + "id/" + rest)


@bp.route("/vocab/<path:rest>")
def vocabulary(rest: str):
    return describe(BASE + "vocab/" + rest)


@bp.route("/graph/<path:rest>")
def graph(rest: str):
    return describe(BASE + "graph/" + rest)


@bp.route("/ontology")
def ontology():
    store = get_backend().store
    choice = _negotiate()
    quads = list(store.quads_for_pattern(None, None, None, ONTOLOGY_GRAPH))
    if not quads:
        abort(404, "the store has no ontology graph (was it built without ontology/hres.ttl?)")
    if choice[0] is not negotiation.HTML:
        return _rdf_response([ox.Triple(q.subject, q.predicate, q.object) for q in quads], choice)
    by_subject: dict = {}
    for q in quads:
        if isinstance(q.subject, ox.NamedNode):
            by_subject.setdefault(q.subject.value, []).append(q)
    terms = []
    for iri, qs in sorted(by_subject.items()):
        kinds = sorted({short_name(q.object) for q in qs if q.predicate.value == RDF_TYPE})
        if iri.startswith(PREFIXES["hres"]):
            terms.append(
                {
                    "iri": iri,
                    "anchor": iri.rsplit("#", 1)[-1],
                    "kinds": kinds,
                    "label": _pick(qs, LABELS),
                    "definition": _pick(qs, DEFINITIONS),
                }
            )
    header = by_subject.get(BASE + "ontology", [])
    return _html(
        "resources/ontology.html",
        terms=terms,
        title=_pick(header, LABELS) or "HRES ontology",
        description=_pick(header, ("http://purl.org/dc/terms/description",) + DEFINITIONS),
    )


@bp.route("/void")
@bp.route("/.well-known/void")
def void():
    choice = _negotiate()
    backend = get_backend()
    triples = description.void_description(backend.store, request.url_root, backend.graph_triples())
    if choice[0] is negotiation.HTML:  # Turtle as plain text: readable in a browser tab
        return Response(results.write_rdf(triples, ox.RdfFormat.TURTLE), content_type="text/plain; charset=utf-8")
    return _rdf_response(triples, choice)


@bp.route("/")
def index():
    backend = get_backend()
    return _html("resources/index.html", graphs=backend.graph_triples(), update=backend.update_enabled)
