"""Serve the app for the browser tests the way `hres serve` does (waitress, query workers), wiring in the
UI blueprint, the named-query API and the richer entity pages when server/app.py does not (yet) do it.

    python tests/ui/serve_ui.py VAR_DIR PORT [QUERY_TIMEOUT]

Once server/app.py registers `ui.bp` (and resources.describe renders ui/entity.html) `wire` changes nothing.
"""
from __future__ import annotations

import importlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def wire(app) -> list[str]:
    """What server/app.py and server/resources.py are asked to do (see the UI report); returns what was added."""
    added = []
    try:
        named = importlib.import_module("server.named_queries")
    except ImportError:
        named = None
    if not any(rule.rule.startswith("/api/queries") for rule in app.url_map.iter_rules()):
        app.register_blueprint(named.bp if named is not None else stand_in_api())
        added.append("named_queries" if named is not None else "a stand-in /api/queries")
    if "ui" not in app.blueprints:
        from server import ui

        app.register_blueprint(ui.bp)
        app.view_functions["resources.index"] = app.view_functions["ui.query_page"]  # `/` is the query page
        added.append("ui")
    from server import entity_views, resources

    source = Path(resources.__file__).read_text(encoding="utf-8")
    if "entity_context" not in source:
        original = resources._html

        def _html(template: str, **context):
            if template == "resources/resource.html":
                context.update(entity_views.entity_context(context["iri"], context["about"]))
                template = "ui/entity.html"
            return original(template, **context)

        resources._html = _html
        added.append("entity pages")
        app.extensions["hres.ui_test_undo"] = lambda: setattr(resources, "_html", original)
    return added


def stand_in_api():
    """Only while server/named_queries.py does not exist: GET /api/queries and /api/queries/<name>?k=v
    (SPARQL JSON) from hres_graph.queries, as the named-query blueprint is specified to answer them."""
    import json

    import pyoxigraph as ox
    from flask import Blueprint, Response, abort, request

    from hres_graph.errors import HresError
    from hres_graph.queries import catalogue, named_query
    from server.backend import get_backend

    bp = Blueprint("named_queries_stand_in", __name__)

    @bp.route("/api/queries")
    def listing():
        return Response(json.dumps([q.to_dict() for q in catalogue().values()]), content_type="application/json")

    @bp.route("/api/queries/<name>")
    def run(name):
        try:
            query = named_query(name)
            bindings = query.bind(dict(request.args))
        except HresError as exc:
            abort(400, str(exc))
        result = get_backend().store.query(query.text, substitutions=bindings, use_default_graph_as_union=True)
        body = json.loads(result.serialize(format=ox.QueryResultsFormat.JSON))
        body["head"]["vars"] = list(query.columns)
        return Response(json.dumps(body), content_type="application/sparql-results+json")

    return bp


def main() -> None:
    from waitress import serve

    from hres_graph.config import Settings
    from server import create_app

    var_dir, port = Path(sys.argv[1]), int(sys.argv[2])
    timeout = float(sys.argv[3]) if len(sys.argv) > 3 else 10.0
    app = create_app({"QUERY_TIMEOUT": timeout, "QUERY_WORKERS": 2}, settings=Settings(var_dir=var_dir))
    added = wire(app)
    print(f"serving {var_dir} on 127.0.0.1:{port}; wired in here: {', '.join(added) or 'nothing'}", file=sys.stderr,
          flush=True)
    try:
        serve(app, host="127.0.0.1", port=port, threads=8, ident="hres-graph")
    finally:
        app.extensions["hres"].close()


if __name__ == "__main__":
    main()
