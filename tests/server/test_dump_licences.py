"""Dumps that hold a non-commercial graph say so (HRES-Noncommercial-Graphs, and a Link to the VoID)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from hres_graph.config import Settings

from .conftest import _app

# Hand-written: two source graphs, one under a non-commercial licence (as the build states it from
# Source.license, in words and as an IRI), one under MIT.
TRIG = """
PREFIX graph: <https://w3id.org/hres/graph/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX void: <http://rdfs.org/ns/void#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>

graph:meta {
  <https://w3id.org/hres/dataset> a void:Dataset ; dcterms:hasVersion "0.0.0+licences" ;
    void:subset graph:hrc-voting, graph:states .
  graph:hrc-voting a void:Dataset ; void:triples 1 ; dcterms:license "PolyForm-Noncommercial-1.0.0",
    <https://polyformproject.org/licenses/noncommercial/1.0.0/> .
  graph:states a void:Dataset ; void:triples 1 ; dcterms:license "MIT" .
}
graph:hrc-voting { <https://w3id.org/hres/id/resolution/hrc-voting/1> rdfs:label "A resolution"@en . }
graph:states { <https://w3id.org/hres/id/state/FRA> rdfs:label "France"@en . }
"""


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("licence-var")
    store_dir = var_dir / "stores" / "licences"
    store_dir.parent.mkdir(parents=True)
    store = ox.Store(str(store_dir))
    store.load(TRIG.encode(), format=ox.RdfFormat.TRIG)
    store.flush()
    del store
    (var_dir / "current").symlink_to(store_dir.relative_to(var_dir))
    app = _app(Settings(var_dir=var_dir), QUERY_WORKERS=1)
    yield app.test_client()
    app.extensions["hres"].close()


def test_whole_dump_names_the_noncommercial_graphs(client):
    for ext in ("nq", "trig"):
        response = client.get(f"/dumps/all.{ext}")
        assert response.status_code == 200
        assert response.headers["HRES-Noncommercial-Graphs"] == "hrc-voting"
        assert response.headers["Link"] == '</void>; rel="describedby"'
        response.close()
    assert client.head("/dumps/all.nq").headers["HRES-Noncommercial-Graphs"] == "hrc-voting"


def test_a_graph_dump_says_so_only_for_its_own_graph(client):
    own = client.get("/dumps/hrc-voting.ttl")
    assert own.headers["HRES-Noncommercial-Graphs"] == "hrc-voting"
    own.close()
    other = client.get("/dumps/states.ttl")
    assert other.status_code == 200 and "HRES-Noncommercial-Graphs" not in other.headers
    other.close()


def test_noncommercial_licences_are_recognised():
    from server.dumps import NONCOMMERCIAL

    for licence in (
        "PolyForm-Noncommercial-1.0.0",
        "https://polyformproject.org/licenses/noncommercial/1.0.0/",
        "CC BY-NC-SA 4.0 (gc_sp_documents.json, UNHRD data licence)",
        "research only, non-commercial",
    ):
        assert NONCOMMERCIAL.search(licence), licence
    for licence in ("MIT", "CC0-1.0", "UN terms of use", "No licence stated; Universal Rights Group data"):
        assert not NONCOMMERCIAL.search(licence), licence
