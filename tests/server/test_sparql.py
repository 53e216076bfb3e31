"""The /sparql blueprint through Flask's test client: operations, formats, dataset, every status."""

from __future__ import annotations

import csv
import io
import json
import socket
import threading
import time
import xml.etree.ElementTree as ET

import pytest
from rdflib import Dataset, Graph, Namespace, URIRef

from .conftest import ROW_CAP, TIMEOUT, VERSION

HRES = Namespace("https://w3id.org/hres/ontology#")
REC1 = "https://w3id.org/hres/id/rec/1"
FRA = "https://w3id.org/hres/id/state/FRA"
UPR = "https://w3id.org/hres/graph/upr-info"
REFERENCE = "https://w3id.org/hres/graph/reference"
SELECT = "SELECT ?rec ?text WHERE { ?rec hres:addressedTo <%s> ; hres:text ?text } ORDER BY ?rec" % FRA
CONSTRUCT = "CONSTRUCT { ?rec hres:addressedTo ?s } WHERE { ?rec hres:addressedTo ?s }"
SRX = "{http://www.w3.org/2005/sparql-results#}"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { %s }" % " ".join(
    "VALUES ?%s { %s }" % (v, " ".join(str(i) for i in range(40))) for v in "abcdef"
)


def get(client, query, accept=None, **params):
    return client.get("/sparql", query_string={"query": query, **params}, headers={"Accept": accept} if accept else {})


def bindings(response) -> list[dict]:
    assert response.status_code == 200, response.data
    return json.loads(response.data)["results"]["bindings"]


# --- the three ways to send a query -----------------------------------------------------------
def test_get_post_form_and_post_direct_give_the_same_answer(client):
    by_get = bindings(get(client, SELECT))
    by_form = bindings(client.post("/sparql", data={"query": SELECT}))
    by_direct = bindings(client.post("/sparql", data=SELECT.encode(), content_type="application/sparql-query"))
    assert by_get == by_form == by_direct
    assert [b["rec"]["value"] for b in by_get] == [REC1, "https://w3id.org/hres/id/rec/2"]


def test_default_graph_is_the_union_of_the_named_graphs(client):
    rows = bindings(get(client, "SELECT ?label WHERE { <%s> rdfs:label ?label ; ^hres:addressedTo ?r } LIMIT 1" % FRA))
    assert rows, "the label (graph reference) and the recommendation (graph upr-info) join in the default graph"


# --- formats -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "accept, content_type",
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv; charset=utf-8"),
        ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8"),
        (None, "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
        ("application/json", "application/json"),
    ],
)
def test_select_formats(client, accept, content_type):
    response = get(client, SELECT, accept)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    text = response.data.decode()
    if "json" in content_type:
        assert len(json.loads(text)["results"]["bindings"]) == 2
    elif "xml" in content_type:
        assert len(ET.fromstring(response.data).findall(f"{SRX}results/{SRX}result")) == 2
    elif "csv" in content_type:
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0] == ["rec", "text"] and rows[2][1].startswith('Ratify the optional protocol on "communications"')
    else:
        lines = text.splitlines()
        assert lines[0] == "?rec\t?text" and lines[1].startswith(f'<{REC1}>\t"Ensure')


@pytest.mark.parametrize(
    "accept, body",
    [
        ("application/sparql-results+json", b'{"head": {}, "boolean": true}'),
        ("application/sparql-results+xml", b"<boolean>true</boolean>"),
        ("text/csv", b"true"),
        ("text/tab-separated-values", b"true"),
    ],
)
def test_ask_formats(client, accept, body):
    response = get(client, "ASK { ?s a hres:Recommendation }", accept)
    assert response.status_code == 200 and response.mimetype == accept
    assert body in response.data


@pytest.mark.parametrize(
    "accept, rdflib_format",
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
        ("application/n-quads", "nquads"),
        ("application/trig", "trig"),
    ],
)
def test_construct_formats(client, accept, rdflib_format):
    response = get(client, CONSTRUCT, accept)
    assert response.status_code == 200 and response.mimetype == accept
    graph = (Dataset() if rdflib_format in ("nquads", "trig") else Graph()).parse(
        data=response.data, format=rdflib_format
    )
    assert (URIRef(REC1), HRES.addressedTo, URIRef(FRA)) in graph


def test_construct_and_describe_default_to_turtle(client):
    for query in (CONSTRUCT, f"DESCRIBE <{REC1}>"):
        response = get(client, query, "*/*")
        assert response.mimetype == "text/turtle"
        assert (URIRef(REC1), HRES.addressedTo, URIRef(FRA)) in Graph().parse(data=response.data, format="turtle")


def test_q_values_decide_whatever_the_order(client):
    accept = "application/sparql-results+xml;q=0.5, text/csv;q=0.9, */*;q=0.1"
    assert get(client, SELECT, accept).mimetype == "text/csv"
    assert get(client, CONSTRUCT, "text/turtle;q=0.2, application/rdf+xml").mimetype == "application/rdf+xml"


def test_format_parameter_overrides_accept(client):
    assert get(client, SELECT, "text/csv", format="tsv").mimetype == "text/tab-separated-values"


def test_nothing_acceptable_is_406(client):
    for query, accept in (
        (SELECT, "image/png"),
        (SELECT, "text/turtle"),
        (CONSTRUCT, "text/csv"),
        (SELECT, "application/sparql-results+json;q=0"),
    ):
        response = get(client, query, accept)
        assert response.status_code == 406, (query, accept)
        assert response.headers["Content-Type"].startswith("text/plain")


# --- the protocol dataset and FROM ---------------------------------------------------------------
def test_default_graph_uri_restricts_the_default_graph(client):
    query = "ASK { ?r hres:addressedTo ?s . ?s rdfs:label ?l }"
    assert b"true" in get(client, query).data
    assert b"false" in get(client, query, **{"default-graph-uri": UPR}).data
    response = client.post("/sparql", data={"query": query, "default-graph-uri": [UPR, REFERENCE]})
    assert b"true" in response.data


def test_named_graph_uri_restricts_graph_patterns(client):
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    rows = bindings(get(client, query, **{"named-graph-uri": REFERENCE}))
    assert [r["g"]["value"] for r in rows] == [REFERENCE]


def test_from_a_graph_of_the_store(client):
    assert b"false" in get(client, f"ASK FROM <{REFERENCE}> {{ ?r hres:addressedTo ?s }}").data
    assert b"true" in get(client, f"ASK FROM <{UPR}> {{ ?r hres:addressedTo ?s }}").data
    named = bindings(get(client, f"SELECT DISTINCT ?g FROM NAMED <{UPR}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"))
    assert [r["g"]["value"] for r in named] == [UPR]
    assert b"false" in get(client, f"ASK FROM NAMED <{UPR}> {{ ?r hres:addressedTo ?s }}").data  # empty default


def test_from_a_remote_graph_is_refused(client):
    response = get(client, "SELECT * FROM <http://example.org/elsewhere.ttl> WHERE { ?s ?p ?o }")
    assert response.status_code == 400
    assert b"never fetches remote data" in response.data


def test_service_is_refused_and_no_connection_is_attempted(client):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(1.0)
        port = listener.getsockname()[1]
        for query in (
            f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
            f"SELECT * WHERE {{ ?s ?p ?o . sErViCe SILENT <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
            "SELECT * WHERE { BIND(<http://x/> AS ?e) SERVICE ?e { ?s ?p ?o } }",
        ):
            response = get(client, query)
            assert response.status_code == 400, query
            assert b"SERVICE" in response.data and b"line 1, column" in response.data
        with pytest.raises(socket.timeout):
            listener.accept()


def test_service_allowed_by_the_allow_list_is_let_through(make_app):
    app = make_app(ALLOW_REMOTE=["http://127.0.0.1:9/"], QUERY_WORKERS=1)
    response = app.test_client().get(
        "/sparql", query_string={"query": "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"}
    )
    assert response.status_code == 200  # SILENT: the refused connection gives an empty answer


def test_the_word_service_inside_strings_iris_and_comments_is_fine(client):
    query = (
        'SELECT ?x WHERE { BIND("SERVICE <http://a/> {}" AS ?x) '
        "FILTER(?x != <http://e/SERVICE>) } # SERVICE <http://b/> {}"
    )
    assert get(client, query).status_code == 200


# --- limits --------------------------------------------------------------------------------------
def test_row_cap_truncates_and_says_so(client):
    values = " ".join(str(i) for i in range(40))
    query = f"SELECT ?a ?b WHERE {{ VALUES ?a {{ {values} }} VALUES ?b {{ {values} }} }}"  # 1600 rows
    response = get(client, query, "application/sparql-results+json")
    doc = json.loads(response.data)
    assert len(doc["results"]["bindings"]) == ROW_CAP
    assert doc["truncated"] is True and doc["rowCap"] == ROW_CAP
    assert response.headers["HRES-Truncated"] == f"true; row-cap={ROW_CAP}"
    xml = get(client, query, "application/sparql-results+xml")
    assert xml.headers["HRES-Truncated"] and b"truncated" in xml.data
    small = get(client, "SELECT ?a WHERE { VALUES ?a { 1 2 } }")
    assert "HRES-Truncated" not in small.headers and "truncated" not in json.loads(small.data)


def test_runaway_query_times_out_while_another_client_is_answered(client, app):
    outcome = {}

    def runaway():
        started = time.monotonic()
        outcome["status"] = get(app.test_client(), RUNAWAY).status_code
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.3)
    started = time.monotonic()
    assert bindings(get(client, SELECT))  # the second worker answers meanwhile
    assert time.monotonic() - started < 1.0
    thread.join()
    assert outcome["status"] == 504
    assert outcome["seconds"] < TIMEOUT + 1
    time.sleep(1.0)  # the killed worker has been replaced
    assert bindings(get(client, SELECT))


def test_shorter_per_request_timeout(client):
    started = time.monotonic()
    assert get(client, RUNAWAY, timeout="0.5").status_code == 504
    assert time.monotonic() - started < 1.5
    assert get(client, SELECT, timeout="soon").status_code == 400


def test_busy_pool_is_503_with_retry_after(make_app):
    app = make_app(QUERY_WORKERS=1, QUEUE_TIMEOUT=0.2, LONG_QUERIES=0)  # no long lane to move the runaway to
    thread = threading.Thread(target=lambda: get(app.test_client(), RUNAWAY))
    thread.start()
    time.sleep(0.3)
    response = get(app.test_client(), SELECT)
    thread.join()
    assert response.status_code == 503 and response.headers["Retry-After"]


def test_request_size_limit_is_413(make_app):
    app = make_app(MAX_REQUEST_BYTES=2048, QUERY_WORKERS=1)
    long_query = "SELECT * WHERE { VALUES ?x { %s } }" % " ".join(f'"{i:05d}"' for i in range(1000))
    c = app.test_client()
    assert c.post("/sparql", data={"query": long_query}).status_code == 413
    assert c.post("/sparql", data=long_query, content_type="application/sparql-query").status_code == 413
    assert get(c, long_query).status_code == 413


# --- errors --------------------------------------------------------------------------------------
def test_syntax_error_is_400_with_its_position(client):
    response = get(client, "SELECT * WHERE {\n  ?s ?p \n}", "application/sparql-results+json")
    assert response.status_code == 400 and response.mimetype == "application/json"
    error = json.loads(response.data)["error"]
    assert error["line"] == 3 and error["column"] in (1, 2)  # Oxigraph's position, passed on as is
    plain = get(client, "ASK {")
    assert plain.status_code == 400 and b"line 1, column 6" in plain.data and b"^" in plain.data


@pytest.mark.parametrize(
    "kwargs, status",
    [
        ({"method": "PUT", "data": {"query": "ASK {}"}}, 405),
        ({"method": "DELETE"}, 405),
        ({"method": "POST", "data": b"ASK {}", "content_type": "text/plain"}, 415),
        ({"method": "POST", "data": b"ASK {}"}, 415),
        (
            {
                "method": "POST",
                "data": "ASK {}".encode("utf-16"),
                "content_type": "application/sparql-query; charset=UTF-16",
            },
            415,
        ),
        ({"method": "POST", "data": b"ASK { \xff }", "content_type": "application/sparql-query"}, 400),
        (
            {"method": "POST", "data": b"query=ASK%20%7B%7D%FF", "content_type": "application/x-www-form-urlencoded"},
            400,
        ),
        ({"method": "POST", "data": {"default-graph-uri": UPR}}, 400),
        ({"method": "GET", "query_string": "query=ASK+%7B%7D&query=ASK+%7B%7D"}, 400),
        ({"method": "GET", "query_string": "query="}, 400),
        ({"method": "GET", "query_string": {"query": "ASK {}", "default-graph-uri": "not an iri"}}, 400),
        (
            {
                "method": "POST",
                "data": "ASK {}",
                "content_type": "application/sparql-query",
                "query_string": {"query": "ASK {}"},
            },
            400,
        ),
        ({"method": "GET", "query_string": {"query": "INSERT DATA { <a:s> <a:p> <a:o> }"}}, 400),
        ({"method": "GET", "query_string": {"update": "INSERT DATA { <a:s> <a:p> <a:o> }"}}, 403),
        ({"method": "POST", "data": {"update": "CLEAR ALL"}}, 403),
        ({"method": "POST", "data": b"CLEAR ALL", "content_type": "application/sparql-update"}, 403),
    ],
)
def test_protocol_errors(client, kwargs, status):
    response = client.open("/sparql", **kwargs)
    assert response.status_code == status, response.data
    assert response.headers["Content-Type"]
    assert response.headers["HRES-Dataset-Version"] == VERSION


def test_update_sent_as_a_query_writes_nothing(client):
    client.get("/sparql", query_string={"query": "INSERT DATA { GRAPH <http://e/g> { <http://e/s> <http://e/p> 1 } }"})
    assert b"false" in get(client, "ASK { GRAPH <http://e/g> { ?s ?p ?o } }").data


# --- HTTP ----------------------------------------------------------------------------------------
def test_head_has_the_get_content_type_and_no_body(client):
    response = client.head(
        "/sparql", query_string={"query": "ASK {}"}, headers={"Accept": "application/sparql-results+xml"}
    )
    assert response.status_code == 200 and response.mimetype == "application/sparql-results+xml"
    assert response.data == b""


def test_cors_and_preflight(client):
    assert get(client, "ASK {}").headers["Access-Control-Allow-Origin"] == "*"
    response = client.options(
        "/sparql",
        headers={
            "Origin": "https://client.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "content-type" in response.headers["Access-Control-Allow-Headers"].lower()
    assert "POST" in response.headers["Access-Control-Allow-Methods"]


def test_dataset_version_header_on_answers_and_errors(client):
    for response in (
        get(client, SELECT),
        get(client, "ASK {"),
        client.get("/nowhere"),
        client.get("/sparql", headers={"Accept": "text/turtle"}),
    ):
        assert response.headers["HRES-Dataset-Version"] == VERSION


# --- service description and query page ----------------------------------------------------------
def test_service_description_is_turtle_on_bare_get(client):
    for accept in ("text/turtle", "*/*", None):
        response = client.get("/sparql", headers={"Accept": accept} if accept else {})
        assert response.status_code == 200 and response.mimetype == "text/turtle", accept
    graph = Graph().parse(data=response.data, format="turtle")
    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    service = URIRef("http://localhost/sparql")
    assert (service, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), sd.Service) in graph
    assert (service, sd.feature, sd.UnionDefaultGraph) in graph
    assert (service, sd.supportedLanguage, sd.SPARQL11Query) in graph
    names = set(graph.objects(None, sd.name))
    assert URIRef(UPR) in names and URIRef(REFERENCE) in names
    assert sd.BasicFederatedQuery not in set(graph.objects(service, sd.feature))


def test_service_description_in_json_ld(client):
    response = client.get("/sparql", headers={"Accept": "application/ld+json"})
    assert response.mimetype == "application/ld+json"
    assert len(Graph().parse(data=response.data, format="json-ld")) > 20


def test_browsers_get_the_query_page(client):
    response = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert b"<textarea" in response.data and b"cdn" not in response.data.lower()
    assert b"<script src" not in response.data


def test_literal_round_trip_through_every_request_style(client):
    value = "a+b %41 & x=1; #? 100% Ünïcødé 日本語 😀"
    query = 'SELECT ?v WHERE { VALUES ?v { "%s" } }' % value
    for response in (
        get(client, query),
        client.post("/sparql", data={"query": query}),
        client.post("/sparql", data=query.encode(), content_type="application/sparql-query"),
    ):
        assert bindings(response) == [{"v": {"type": "literal", "value": value}}]
