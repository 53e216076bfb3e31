"""Bounded work (issue 14, items 7 and 8): query text tokenized in linear time and capped before
that, answers capped in bytes as well as rows, worker memory bounded."""

from __future__ import annotations

import json
import time
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest

from server import lexer

MIB = 2**20
PATHOLOGICAL = {
    "dots": ".",
    "parens": "(",
    "braces": "{",
    "closing": "}",
    "bangs": "!",
    "minus": "-",
    "less-than": "<",
    "variables": "?a",
    "hashes": "#",
    "commas": ",",
}


@pytest.mark.parametrize("unit", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_a_mebibyte_of_punctuation_is_tokenized_in_a_fraction_of_a_second(unit):
    """Each was ~1 million tokens before (1.7-2.0 s for dots, brackets, `<`, `!`)."""
    text = unit * (MIB // len(unit))
    started = time.perf_counter()
    lexer.analyse(text)
    assert time.perf_counter() - started < 0.5


def test_the_nesting_of_bracket_runs_is_still_measured():
    analysis = lexer.analyse("SELECT * WHERE " + "{" * 1500 + "}" * 1500)
    assert analysis.nesting == 1500
    assert lexer.analyse("ASK { FILTER(" + "!" * 30 + "true) }").nesting == 32
    assert lexer.analyse("SELECT * { ?o<?b)SERVICE<http://z/>{} }").services[0][0] == "http://z/"


@pytest.mark.parametrize(
    "unit",
    ['"', "'''a", '"a', "a ", "1.", "<\\u", "@a"],
    ids=["quotes", "long-strings", "open-strings", "words", "numbers", "escapes", "tags"],
)
def test_a_query_text_over_max_query_bytes_is_refused_at_once(client, unit):
    text = unit * ((MIB - 1024) // len(unit))  # under MAX_REQUEST_BYTES, over MAX_QUERY_BYTES
    started = time.perf_counter()
    response = client.post("/sparql", data=text.encode(), content_type="application/sparql-query")
    assert response.status_code == 413 and b"MAX_QUERY_BYTES" in response.data
    assert time.perf_counter() - started < 0.5


def test_a_query_under_max_query_bytes_is_answered(make_app):
    client = make_app(MAX_QUERY_BYTES=4096).test_client()
    padding = "#" + "x" * 3000 + "\n"
    assert client.get("/sparql", query_string={"query": padding + "ASK {}"}).status_code == 200
    response = client.get("/sparql", query_string={"query": padding * 2 + "ASK {}"})
    assert response.status_code == 413


# --- the byte cap ---------------------------------------------------------------------------

BYTE_CAP = 8192
LONG_ROWS = 'SELECT ?i ?x WHERE { VALUES ?i { %s } BIND(CONCAT(STR(?i), "%s") AS ?x) }' % (
    " ".join(str(i) for i in range(100)),
    "a" * 500,
)
LONG_TRIPLES = (
    'CONSTRUCT { ?s <urn:p> ?x } WHERE { VALUES ?i { %s } BIND(IRI(CONCAT("urn:s", STR(?i))) AS ?s) '
    'BIND(CONCAT(STR(?i), "%s") AS ?x) }' % (" ".join(str(i) for i in range(100)), "a" * 500)
)


@pytest.fixture(scope="module")
def capped(make_app):
    return make_app(MAX_ANSWER_BYTES=BYTE_CAP).test_client()


def test_json_answer_is_cut_at_the_byte_cap_and_says_so(capped):
    response = capped.get("/sparql", query_string={"query": LONG_ROWS, "format": "json"})
    assert response.status_code == 200
    assert response.headers["HRES-Truncated"] == f"true; byte-cap={BYTE_CAP}"
    assert len(response.data) <= BYTE_CAP
    doc = json.loads(response.data)
    assert doc["truncated"] is True and doc["byteCap"] == BYTE_CAP
    assert 5 <= len(doc["results"]["bindings"]) < 100


def test_xml_csv_and_tsv_answers_are_cut_at_the_byte_cap(capped):
    for fmt in ("xml", "csv", "tsv"):
        response = capped.get("/sparql", query_string={"query": LONG_ROWS, "format": fmt})
        assert response.status_code == 200 and len(response.data) <= BYTE_CAP, fmt
        assert response.headers["HRES-Truncated"] == f"true; byte-cap={BYTE_CAP}", fmt
    xml = capped.get("/sparql", query_string={"query": LONG_ROWS, "format": "xml"}).data
    ET.fromstring(xml)  # still well-formed
    assert f"byte-cap={BYTE_CAP}".encode() in xml


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "jsonld", "rdfxml", "nquads", "trig"])
def test_graph_answers_are_cut_at_the_byte_cap_and_still_parse(capped, fmt):
    response = capped.get("/sparql", query_string={"query": LONG_TRIPLES, "format": fmt})
    assert response.status_code == 200
    assert response.headers["HRES-Truncated"] == f"true; byte-cap={BYTE_CAP}"
    assert len(response.data) <= BYTE_CAP
    rdf = {
        "turtle": ox.RdfFormat.TURTLE,
        "ntriples": ox.RdfFormat.N_TRIPLES,
        "jsonld": ox.RdfFormat.JSON_LD,
        "rdfxml": ox.RdfFormat.RDF_XML,
        "nquads": ox.RdfFormat.N_QUADS,
        "trig": ox.RdfFormat.TRIG,
    }[fmt]
    assert 3 <= len(list(ox.parse(response.data, rdf))) < 100


def test_an_answer_under_both_caps_is_whole(capped):
    response = capped.get("/sparql", query_string={"query": "SELECT ?i WHERE { VALUES ?i { 1 2 3 } }"})
    assert "HRES-Truncated" not in response.headers and "truncated" not in json.loads(response.data)


# --- worker memory --------------------------------------------------------------------------

# Each BIND doubles a string: 2**24 x 64 bytes = 1 GiB at the end, more than the 600 MiB allowed.
DOUBLING = 'SELECT (STRLEN(?a24) AS ?n) WHERE { BIND("%s" AS ?a0) %s }' % (
    "a" * 64,
    " ".join(f"BIND(CONCAT(?a{i}, ?a{i}) AS ?a{i + 1})" for i in range(24)),
)


def test_a_memory_hungry_query_kills_only_its_worker_with_a_clear_422(make_app):
    app = make_app(
        WORKER_MEMORY=600 * MIB, QUERY_WORKERS=1, QUERY_TIMEOUT=10
    )  # a loaded CI machine must not turn it into a 504
    client = app.test_client()
    response = client.get("/sparql", query_string={"query": DOUBLING})
    assert response.status_code == 422, response.data
    assert b"WORKER_MEMORY (600 MiB)" in response.data
    assert client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}).status_code == 200
    assert app.extensions["hres"].pool.restarts >= 1


def test_the_default_worker_memory_fits_every_worker_the_pool_may_start(make_app):
    """Issue 14 item 8: 14 workers x 2 GiB could ask for 28 GiB on a 24 GiB machine. By default the
    limit is sized so that all of them, at their limit, fit in three quarters of the memory."""
    from server.pool import physical_memory

    app = make_app()
    config = app.config
    most_workers = 3 * config["QUERY_WORKERS"] + config["LONG_QUERIES"]
    assert 512 * 2**20 <= config["WORKER_MEMORY"] <= 2 * 2**30
    assert most_workers * config["WORKER_MEMORY"] <= physical_memory() * 3 // 4
    assert make_app(WORKER_MEMORY=600 * 2**20).config["WORKER_MEMORY"] == 600 * 2**20  # an explicit value stays
