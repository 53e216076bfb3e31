"""Dereferenceable IRIs, the ontology, VoID and dumps."""

from __future__ import annotations

import pytest
from rdflib import BNode, Dataset, Graph, Namespace, URIRef

from .conftest import FIXTURE, VERSION

HRES = Namespace("https://w3id.org/hres/ontology#")
VOID = Namespace("http://rdfs.org/ns/void#")
RDFS_LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
REC1 = URIRef("https://w3id.org/hres/id/rec/1")
FRA = URIRef("https://w3id.org/hres/id/state/FRA")
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.mark.parametrize(
    "accept, fmt",
    [
        ("text/turtle", "turtle"),
        ("application/ld+json", "json-ld"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_id_dereferences_by_accept(client, accept, fmt):
    response = client.get("/id/rec/1", headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == accept
    assert "Accept" in response.headers["Vary"]
    graph = Graph().parse(data=response.data, format=fmt)
    assert (REC1, HRES.addressedTo, FRA) in graph
    theme = graph.value(REC1, HRES.theme)
    assert isinstance(theme, BNode) and graph.value(theme, RDFS_LABEL) is not None  # blank nodes included


def test_description_includes_incoming_links(client):
    graph = Graph().parse(data=client.get("/id/state/FRA", headers={"Accept": "text/turtle"}).data, format="turtle")
    assert (REC1, HRES.addressedTo, FRA) in graph
    assert (FRA, RDFS_LABEL, None) in graph


def test_default_is_turtle_and_browsers_get_html(client):
    assert client.get("/id/rec/1").mimetype == "text/turtle"
    assert client.get("/id/rec/1", headers={"Accept": "*/*"}).mimetype == "text/turtle"
    page = client.get("/id/state/FRA", headers={"Accept": BROWSER})
    assert page.mimetype == "text/html"
    html = page.data.decode()
    assert "<h1>France</h1>" in html
    assert 'href="/id/rec/1"' in html  # incoming link, as a local link
    assert 'href="/ontology#State"' in html  # type, linked to the ontology page
    assert "cdn" not in html.lower()


def test_links_are_only_made_to_http_iris(app):
    from server.resources import local_link

    with app.test_request_context("/"):
        assert local_link("https://w3id.org/hres/id/state/FRA") == "/id/state/FRA"
        assert local_link("http://www.wikidata.org/entity/Q142") == "http://www.wikidata.org/entity/Q142"
        assert local_link("javascript:alert(1)") == "#"


def test_vocab_and_graph_iris_dereference(client):
    response = client.get("/graph/upr-info", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = Graph().parse(data=response.data, format="turtle")
    assert (URIRef("https://w3id.org/hres/graph/upr-info"), VOID.triples, None) in graph


def test_unknown_iri_is_404(client):
    for path in ("/id/nothing/here", "/vocab/none", "/graph/none"):
        response = client.get(path, headers={"Accept": "text/turtle"})
        assert response.status_code == 404 and response.headers["Content-Type"]
        assert response.headers["HRES-Dataset-Version"] == VERSION


def test_resource_406(client):
    assert client.get("/id/rec/1", headers={"Accept": "image/png"}).status_code == 406


def test_ontology_is_served(client):
    turtle = client.get("/ontology", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=turtle.data, format="turtle")
    assert (HRES.Recommendation, RDFS_LABEL, None) in graph
    page = client.get("/ontology", headers={"Accept": BROWSER}).data.decode()
    assert 'id="Recommendation"' in page and "A recommendation one actor addresses to a State." in page


def test_void(client):
    for path in ("/void", "/.well-known/void"):
        response = client.get(path, headers={"Accept": "text/turtle"})
        assert response.status_code == 200 and response.mimetype == "text/turtle"
    graph = Graph().parse(data=response.data, format="turtle")
    dataset = URIRef("https://w3id.org/hres/dataset")
    assert graph.value(dataset, VOID.sparqlEndpoint) == URIRef("http://localhost/sparql")
    assert graph.value(dataset, URIRef("http://purl.org/dc/terms/hasVersion")).toPython() == VERSION
    assert (dataset, VOID.dataDump, URIRef("http://localhost/dumps/all.nq")) in graph


def test_whole_dump_streams_every_quad(client):
    expected = Dataset().parse(FIXTURE, format="trig")
    for ext, fmt in (("nq", "nquads"), ("trig", "trig")):
        response = client.get(f"/dumps/all.{ext}")
        assert response.status_code == 200 and response.is_streamed
        dump = Dataset().parse(data=response.data, format=fmt)
        assert len(dump) == len(expected) == 53
    assert response.headers["ETag"] == f'"{VERSION}/all.trig"'


def test_one_graph_dump(client):
    response = client.get("/dumps/upr-info.ttl")
    assert response.mimetype == "text/turtle"
    graph = Graph().parse(data=response.data, format="turtle")
    assert (REC1, HRES.addressedTo, FRA) in graph and (FRA, RDFS_LABEL, None) not in graph
    assert client.get("/dumps/upr-info.nt").mimetype == "application/n-triples"


def test_dump_errors_and_etag(client):
    assert client.get("/dumps/all.ttl").status_code == 404  # several graphs: dataset formats only
    assert client.get("/dumps/nothing.nq").status_code == 404
    assert client.get("/dumps/upr-info.xyz").status_code == 404
    etag = client.get("/dumps/upr-info.nq").headers["ETag"]
    assert client.get("/dumps/upr-info.nq", headers={"If-None-Match": etag}).status_code == 304


def test_index_pages(client):
    for path in ("/", "/dumps/"):
        response = client.get(path)
        assert response.status_code == 200 and response.mimetype == "text/html"
        assert b"upr-info" in response.data
