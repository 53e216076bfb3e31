"""Blueprint `ui`: the query page at `/`, the validation page at `/validate`, and the UI's static files.

- `/` — a SPARQL editor (CodeMirror 6 from npm, bundled into static/vendor/ at install time; without it
  the page keeps a plain textarea), the named queries of `queries/` (from `GET /api/queries`), results
  as a sortable, paged table whose IRIs link to their pages, charts (Vega-Lite) per the named query's
  `#+ view:`, downloads, a permalink, and the row cap / timeout shown. The page's script is static/ui.js:
  it talks to `/sparql` and `/api/queries/<name>` like any other client.
- `/validate` — the form to upload a contributed file (RDF or a CSV template of shapes/templates/). The
  POST it sends is answered by server/validation_api.py, the same route programs use: the SHACL report
  grouped by focus node, with downloads (text, JSON, Turtle).
- `/ui/queries/<name>.rq` — a named query's text (the catalogue entries of /api/queries carry no text).

Interface labels are English, French or Spanish (server/ui_labels.py). No CDN: every asset is served here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
from flask import Blueprint, Response, abort, current_app, has_request_context, render_template, request, url_for

from hres_graph.errors import HresError
from hres_graph.namespaces import BASE, PREFIXES

from .backend import get_backend
from .ui_labels import LANGUAGES, current_language, js_labels, translator

bp = Blueprint("ui", __name__, static_folder="static", static_url_path="/ui/static")

STATIC = Path(__file__).with_name("static")
ONTOLOGY_GRAPH = ox.NamedNode(BASE + "graph/ontology")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
TERM_KINDS = {
    "http://www.w3.org/2002/07/owl#Class": "class",
    "http://www.w3.org/2002/07/owl#ObjectProperty": "property",
    "http://www.w3.org/2002/07/owl#DatatypeProperty": "property",
    "http://www.w3.org/2002/07/owl#AnnotationProperty": "property",
}
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
DEFINITION = "http://www.w3.org/2004/02/skos/core#definition"
_terms_cache: dict[str, list[dict]] = {}


@bp.app_context_processor
def inject_language():
    """`t(key)`, `lang` and `languages` in every template (the entity pages use them too)."""
    if not has_request_context():
        return {}
    lang = current_language()
    return {"t": translator(lang), "lang": lang, "languages": LANGUAGES, "vendor_ready": vendor_ready()}


@bp.after_app_request
def remember_language(response):
    chosen = request.args.get("lang")
    if chosen in LANGUAGES and response.mimetype == "text/html":
        response.set_cookie("hres_lang", chosen, max_age=365 * 24 * 3600, samesite="Lax")
    return response


def vendor_ready() -> bool:
    return (STATIC / "vendor" / "editor.js").is_file() and (STATIC / "vendor" / "charts.js").is_file()


def ontology_terms() -> list[dict]:
    """Classes and properties of the ontology graph, for completion (cached per dataset version)."""
    backend = get_backend()
    if backend.version in _terms_cache:
        return _terms_cache[backend.version]
    store, terms = backend.store, []
    for kind_iri, kind in TERM_KINDS.items():
        for quad in store.quads_for_pattern(None, RDF_TYPE, ox.NamedNode(kind_iri), ONTOLOGY_GRAPH):
            iri = quad.subject
            if not isinstance(iri, ox.NamedNode):
                continue
            name = next(
                (
                    f"{p}:{iri.value[len(ns) :]}"
                    for p, ns in PREFIXES.items()
                    if iri.value.startswith(ns) and re.fullmatch(r"[\w-]+", iri.value[len(ns) :])
                ),
                None,
            )
            if name is None:
                continue
            about = list(store.quads_for_pattern(iri, None, None, ONTOLOGY_GRAPH))
            terms.append(
                {"name": name, "kind": kind, "label": _english(about, LABEL), "definition": _english(about, DEFINITION)}
            )
    terms = sorted({t["name"]: t for t in terms}.values(), key=lambda t: t["name"])
    _terms_cache.clear()
    _terms_cache[backend.version] = terms
    return terms


def _english(quads, predicate: str) -> str:
    values = [q.object for q in quads if q.predicate.value == predicate and isinstance(q.object, ox.Literal)]
    chosen = [v for v in values if (v.language or "en").startswith("en")] or values
    return chosen[0].value if chosen else ""


def _page(template: str, status: int = 200, **context) -> Response:
    return Response(
        render_template(template, version=get_backend().version, **context),
        status,
        content_type="text/html; charset=utf-8",
    )


@bp.route("/")
def query_page():
    limits = current_app.extensions["hres.limits"]
    lang = current_language()
    config = {
        "sparql": url_for("sparql.query"),
        "catalogue": request.script_root + "/api/queries",
        "queryText": request.script_root + "/ui/queries/",
        "charts": url_for("ui.static", filename="vendor/charts.js"),
        "base": BASE,
        "local": request.script_root + "/",
        "prefixes": PREFIXES,
        "rowCap": limits.row_cap,
        "timeout": limits.query_timeout,
        "labels": js_labels(lang),
        "lang": lang,
    }
    error = permalink_error()
    return _page(
        "ui/query.html",
        400 if error else 200,
        config=config,
        terms=ontology_terms(),
        limits=limits,
        graphs=get_backend().graph_triples(),
        error=error,
    )


RESERVED = {"query", "name", "run", "view", "lang", "chart"}  # the page's own arguments (RESERVED in ui.js)


def permalink_error() -> str | None:
    """What is wrong with a permalink's named-query parameters (`/?name=…&state=…`), checked as the API
    checks them: the page then answers 400 and says so where the results would be."""
    from hres_graph.queries import named_query

    from .errors import BadRequest, EndpointError
    from .named_queries import checked_bindings

    name = request.args.get("name")
    if not name:
        return None
    try:
        query = named_query(name)
    except HresError as exc:
        return str(exc)
    try:
        checked_bindings(query, {k: v for k, v in request.args.items() if k not in RESERVED})
    except BadRequest as exc:
        return exc.message
    except EndpointError:  # the check could not run (workers busy, timed out): the page's own run will say
        return None
    return None


@bp.route("/ui/queries/<name>.rq")
def query_text(name: str):
    try:
        from hres_graph.queries import named_query
    except ImportError:  # the named-query catalogue is not in this version
        abort(404, "this server has no named queries")
    try:
        query = named_query(name)
    except HresError as exc:
        abort(404, str(exc))
    return Response(query.text, content_type="application/sparql-query; charset=utf-8")


@bp.route("/validate", methods=["GET"])
def validate_page():
    """The upload form; `POST /validate` (server/validation_api.py) answers it with the report."""
    from .validation_api import Options, page

    return page(Options.from_request())


@bp.app_template_filter("term")
def show_term(term) -> str:
    """A report term as a reader wants it: a prefixed name for vocabulary terms, <IRI>, or the literal."""
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return ""
    if isinstance(term, URIRef):
        for prefix, ns in PREFIXES.items():
            local = str(term)[len(ns) :]
            if str(term).startswith(ns) and prefix not in ("hresid", "graph") and re.fullmatch(r"[\w-]+", local):
                return f"{prefix}:{local}"
        return f"<{term}>"
    if isinstance(term, Literal):
        return f'"{term}"' + (f"@{term.language}" if term.language else "")
    return f"_:{term}" if isinstance(term, BNode) else str(term)
