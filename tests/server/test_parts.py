"""The server's parts on their own: the SPARQL lexer, Accept negotiation, configuration checks."""

from __future__ import annotations

import pytest

from hres_graph.errors import ConfigError
from server import lexer, negotiation

PREFIXES = {"ex": "http://example.org/"}


@pytest.mark.parametrize(
    "text, services",
    [
        ("SELECT * WHERE { SERVICE <http://a/> { ?s ?p ?o } }", ["http://a/"]),
        ("select * { service silent ex:e { } }", ["http://example.org/e"]),
        ("SELECT * { SERVICE ?endpoint { } }", ["?endpoint"]),
        ("SELECT * { ?s ?p ?o . FILTER(?o<?b)SERVICE<http://z/>{} }", ["http://z/"]),
        ("SELECT * { ?s ?p 1.SERVICE <http://n/> {} }", ["http://n/"]),
        ('SELECT * { ?s ?p "SERVICE <http://x/> {}" }', []),
        ("SELECT * { ?s ?p '''a\n SERVICE <http://x/> {} ''' }", []),
        ("SELECT * { ?s ?p <http://x/SERVICE> } # SERVICE <http://y/> {}", []),
        ("SELECT * { ?s ex:SERVICE ?service . ?s ?p 'x'@service }", []),
        (r"SELECT * { SERVICE <http://a/\u0062/> {} }", ["http://a/b/"]),
    ],
)
def test_lexer_finds_service_only_where_it_is_a_keyword(text, services):
    assert [s for s, _ in lexer.analyse(text, PREFIXES).services] == services


@pytest.mark.parametrize(
    "text, form",
    [
        ("PREFIX ex: <http://e/> BASE <http://b/> SELECT * {}", "select"),
        ("# comment\nASK {}", "ask"),
        ("construct where { ?s ?p ?o }", "construct"),
        ("DESCRIBE <http://x/>", "describe"),
        ("PREFIX ex: <http://e/> INSERT DATA { <a:s> <a:p> 1 }", "update"),
        ("WITH <http://g/> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "update"),
        ("LOAD <http://x/>", "update"),
        ("SELEC * {}", None),
    ],
)
def test_lexer_query_form(text, form):
    assert lexer.analyse(text).form == form


def test_lexer_from_with_using_and_load():
    a = lexer.analyse("PREFIX ex: <http://example.org/> SELECT * FROM ex:g FROM NAMED <h> {}", base="http://b/")
    assert (a.from_default, a.from_named) == (["http://example.org/g"], ["http://b/h"])
    u = lexer.analyse(
        "WITH <http://g/> DELETE { ?a ?b ?c } WHERE { ?a ?b ?c } ; LOAD SILENT <http://l/> ; "
        "DELETE WHERE { ?x ?y ?z } ; INSERT DATA { <a:x> <a:y> 1 }"
    )
    assert u.has_with and not u.has_using and [x for x, _ in u.loads] == ["http://l/"]
    assert len(u.where_offsets) == 1  # DELETE WHERE and INSERT DATA take no USING


def test_inject_using_before_each_where():
    a = lexer.analyse(
        "INSERT { GRAPH <o> { ?s a <C> } } WHERE { ?s a <B> } ;\n"
        "DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }"
    )
    text = lexer.inject_using(a, ["http://d1/"], ["http://d2/"])
    assert text.count("USING <http://d1/> USING NAMED <http://d2/> WHERE") == 2


def test_position_is_one_based():
    a = lexer.analyse("SELECT *\nWHERE { SERVICE <http://a/> {} }")
    assert a.position(a.services[0][1]) == (2, 9)


@pytest.mark.parametrize(
    "accept, offers, expected",
    [
        (None, negotiation.RESULTS, ("json", "application/sparql-results+json")),
        ("*/*", negotiation.GRAPH, ("turtle", "text/turtle")),
        ("text/*", negotiation.RESULTS, ("csv", "text/csv")),
        ("application/xml", negotiation.RESULTS, ("xml", "application/xml")),
        ("application/json", negotiation.GRAPH, ("jsonld", "application/json")),
        ("text/html, */*;q=0.1", negotiation.GRAPH, ("turtle", "text/turtle")),
        ("text/turtle;q=0.3, application/rdf+xml;q=0.3", negotiation.GRAPH, ("turtle", "text/turtle")),
        ("*/*;q=0.5, application/n-triples;q=0.5", negotiation.GRAPH, ("ntriples", "application/n-triples")),
        ("application/sparql-results+json;q=0, */*", negotiation.RESULTS, ("xml", "application/sparql-results+xml")),
        ("image/png", negotiation.RESULTS, None),
        ("text/csv;q=abc", negotiation.RESULTS, None),
    ],
)
def test_negotiation(accept, offers, expected):
    choice = negotiation.choose(offers, accept)
    assert (choice and (choice[0].key, choice[1])) == expected


def test_negotiation_format_parameter():
    assert negotiation.choose(negotiation.RESULTS, "text/csv", "tsv")[0].key == "tsv"
    assert negotiation.choose(negotiation.RESULTS, None, "text/turtle") is None


@pytest.mark.parametrize(
    "config, setting",
    [
        ({"QUERY_TIMEOUT": -1}, "HRES_QUERY_TIMEOUT"),
        ({"QUERY_TIMEOUT": "soon"}, "HRES_QUERY_TIMEOUT"),
        ({"QUERY_WORKERS": 1.5}, "HRES_QUERY_WORKERS"),
        ({"QUERY_WORKERS": 0}, "HRES_QUERY_WORKERS"),
        ({"ROW_CAP": True}, "HRES_ROW_CAP"),
        ({"MAX_REQUEST_BYTES": 0}, "HRES_MAX_REQUEST_BYTES"),
        ({"ALLOW_REMOTE": ["not-an-iri"]}, "HRES_ALLOW_REMOTE"),
        ({"UPDATE_TOKEN": "short"}, "HRES_UPDATE_TOKEN"),
    ],
)
def test_invalid_settings_fail_at_start_up_naming_the_setting(settings, config, setting):
    from server import create_app

    with pytest.raises(ConfigError, match=setting):
        create_app(config, settings=settings)


def test_environment_layer(settings, monkeypatch):
    from server import create_app

    monkeypatch.setenv("HRES_QUERY_TIMEOUT", "abc")
    with pytest.raises(ConfigError, match="HRES_QUERY_TIMEOUT must be a positive number of seconds"):
        create_app(settings=settings)
    monkeypatch.setenv("HRES_QUERY_TIMEOUT", "3")
    monkeypatch.setenv("HRES_ALLOW_REMOTE", "https://query.wikidata.org/ https://dbpedia.org/")
    app = create_app({"QUERY_WORKERS": 1}, settings=settings)  # the mapping wins over the environment
    try:
        assert app.config["QUERY_TIMEOUT"] == 3.0 and app.config["QUERY_WORKERS"] == 1
        assert app.config["ALLOW_REMOTE"] == ["https://query.wikidata.org/", "https://dbpedia.org/"]
    finally:
        app.extensions["hres"].close()


def test_missing_store_is_a_clear_error(tmp_path):
    from hres_graph.config import Settings
    from hres_graph.errors import StoreError
    from server import create_app

    with pytest.raises(StoreError, match="no store has been built"):
        create_app(settings=Settings(var_dir=tmp_path))


# --- outbound.py: the check used where the workers have network (ALLOW_REMOTE, external store) ------


def test_rdflib_check_finds_or_refuses_every_service_spelling():
    """With network, no SERVICE spelling gets past rdflib's parse to a target that is not allowed:
    each either does not parse (refused) or names the listener's IRI, which check() refuses."""
    from server import outbound

    from .test_outbound import all_queries, all_updates

    port = 9  # nothing listens: these are only parsed
    texts = [(t, False) for t in all_queries(port)] + [(t, True) for t in all_updates(port)]
    reached = []
    for text, update in texts:
        try:
            found = outbound.targets(text, update=update, base="https://w3id.org/hres/", prefixes=PREFIXES)
            outbound.check(found, ("http://allowed.example/",))
        except outbound.OutboundRefused:
            continue
        if any(f"127.0.0.1:{port}" in g for g in found.graphs) and not (found.services or found.loads):
            continue  # USING / WITH only: graphs of the store, checked by the worker (never fetched)
        reached.append(text)
    assert reached == []


def test_rdflib_check_reads_targets_through_prefixes_base_and_nesting():
    from server import outbound

    found = outbound.targets(
        "PREFIX e: <http://a.example/> BASE <http://b.example/x/> SELECT * FROM e:g FROM NAMED <h> WHERE { "
        "OPTIONAL { SERVICE SILENT e:s { ?s ?p ?o } } FILTER EXISTS { SERVICE ?v {} } "
        "{ SELECT * { SERVICE <../y> {} } } }",
        update=False,
        base=None,
        prefixes={},
    )
    assert sorted(found.services) == ["?v", "http://a.example/s", "http://b.example/y"]
    assert sorted(found.graphs) == ["http://a.example/g", "http://b.example/x/h"]  # FROM, FROM NAMED
    update = outbound.targets(
        "PREFIX e: <http://a.example/> LOAD SILENT e:d INTO GRAPH <g> ; WITH e:w DELETE "
        "{ ?s ?p ?o } USING e:u WHERE { ?s ?p ?o }",
        update=True,
        base="http://b/",
        prefixes={},
    )
    assert update.loads == ["http://a.example/d"] and sorted(update.graphs) == [
        "http://a.example/u",
        "http://a.example/w",
    ]
    outbound.check(outbound.Targets(services=["http://allowed.example/sparql"]), ("http://allowed.example/",))
    with pytest.raises(outbound.OutboundRefused, match="variable endpoint"):
        outbound.check(found, ("http://a.example/", "http://b.example/"))
