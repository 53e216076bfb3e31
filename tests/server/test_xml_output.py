"""Every XML answer is well-formed (issue 14, item 11), checked with a real XML parser (expat).

A literal may hold characters XML 1.0 cannot carry, even as a character reference (C0 controls but
tab, LF and CR; U+FFFE; U+FFFF). Such an answer is refused in SPARQL XML and RDF/XML with 406
naming the formats that carry it; every other format carries it unchanged."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest

NOT_XML = {"U+0001": "\\u0001", "U+0008": "\\u0008", "U+001F": "\\u001F", "U+FFFE": "\\uFFFE", "U+FFFF": "\\uFFFF"}
FINE = "tab\\there, a line\\nbreak, <&>\"' and ünïcødé 😀"
RDF = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


def select(escaped: str) -> str:
    return f'SELECT ?x ?y WHERE {{ BIND("a{escaped}b" AS ?x) BIND(STRDT("c{escaped}", <urn:t>) AS ?y) }}'


def construct(escaped: str) -> str:
    return f'CONSTRUCT {{ <urn:s> <urn:p> "a{escaped}b" , "c{escaped}"@en }} WHERE {{}}'


@pytest.mark.parametrize("escaped", NOT_XML.values(), ids=NOT_XML.keys())
def test_sparql_xml_refuses_what_xml_cannot_carry_and_names_the_other_formats(client, escaped):
    response = client.get("/sparql", query_string={"query": select(escaped), "format": "xml"})
    assert response.status_code == 406, response.data
    assert b"application/sparql-results+json" in response.data and b"text/csv" in response.data
    value = "a" + escaped.encode().decode("unicode_escape") + "b"
    answer = json.loads(client.get("/sparql", query_string={"query": select(escaped), "format": "json"}).data)
    assert answer["results"]["bindings"][0]["x"]["value"] == value
    table = client.get("/sparql", query_string={"query": select(escaped), "format": "csv"}).data.decode()
    assert list(csv.reader(io.StringIO(table)))[1][0] == value
    tsv = client.get("/sparql", query_string={"query": select(escaped), "format": "tsv"})
    assert tsv.status_code == 200


@pytest.mark.parametrize("escaped", NOT_XML.values(), ids=NOT_XML.keys())
def test_rdf_xml_refuses_what_xml_cannot_carry_and_the_other_rdf_formats_carry_it(client, escaped):
    response = client.get("/sparql", query_string={"query": construct(escaped), "format": "rdfxml"})
    assert response.status_code == 406, response.data
    assert b"text/turtle" in response.data
    value = "a" + escaped.encode().decode("unicode_escape") + "b"
    for fmt, rdf in RDF.items():
        if fmt == "rdfxml":
            continue
        answer = client.get("/sparql", query_string={"query": construct(escaped), "format": fmt})
        assert answer.status_code == 200, fmt
        assert value in {t.object.value for t in ox.parse(answer.data, rdf)}, fmt


def test_every_xml_answer_parses(client):
    """SPARQL XML for SELECT and ASK, RDF/XML for CONSTRUCT and DESCRIBE, with every character
    XML can carry, including the ones that need escaping."""
    queries = {
        "xml": [
            select(FINE.replace('"', '\\"')),
            "ASK { }",
            "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 50",
            'SELECT ?x WHERE { BIND(STRLANG("x", "en") AS ?x) }',
        ],
        "rdfxml": [
            construct(FINE.replace('"', '\\"')),
            "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 50",
            "DESCRIBE ?s WHERE { ?s ?p ?o } LIMIT 3",
        ],
    }
    for fmt, texts in queries.items():
        for text in texts:
            response = client.get("/sparql", query_string={"query": text, "format": fmt})
            assert response.status_code == 200, (text, response.data)
            ET.fromstring(response.data)
    answer = client.get("/sparql", query_string={"query": select(FINE.replace('"', '\\"')), "format": "xml"})
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    literal = ET.fromstring(answer.data).find(".//r:binding[@name='x']/r:literal", ns).text
    assert literal == "a" + FINE.replace("\\t", "\t").replace("\\n", "\n") + "b"


def test_the_row_capped_xml_answer_parses(client):
    from .conftest import ROW_CAP

    text = "SELECT ?i WHERE { VALUES ?i { %s } }" % " ".join(str(i) for i in range(ROW_CAP + 5))
    response = client.get("/sparql", query_string={"query": text, "format": "xml"})
    root = ET.fromstring(response.data)
    assert len(root.findall(".//{http://www.w3.org/2005/sparql-results#}result")) == ROW_CAP
    assert f"row-cap={ROW_CAP}".encode() in response.data
