"""The server over a store made by `hres build` itself (ontology, vocabularies, reference data:
the hand-edited RDF of this repository, no source data, about 1.5 s to build)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Graph

from hres_graph.config import PROJECT_ROOT, Settings
from hres_graph.namespaces import BASE

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    if not (PROJECT_ROOT / "ontology" / "hres.ttl").exists():
        pytest.skip("ontology/hres.ttl is not there yet")
    from hres_graph.build.pipeline import build
    from server import create_app

    settings = Settings(var_dir=tmp_path_factory.mktemp("built"), sources=[])
    result = build(settings, progress=False, log=lambda message: None)
    app = create_app({"TESTING": True, "QUERY_WORKERS": 1}, settings=settings)
    yield app, result
    app.extensions["hres"].close()


def test_version_header_is_the_builds(built):
    app, result = built
    response = app.test_client().get("/sparql", query_string={"query": "ASK { ?s a owl:Class }"})
    assert response.status_code == 200 and b"true" in response.data
    assert response.headers["HRES-Dataset-Version"] == result.version


def test_every_iri_under_the_base_dereferences(built):
    app, _ = built
    store = app.extensions["hres"].store
    subjects = sorted(
        {
            q.subject.value
            for q in store.quads_for_pattern(None, None, None)
            if isinstance(q.subject, ox.NamedNode)
            and q.subject.value.startswith(BASE)
            and q.subject.value.split("/")[4] in ("id", "vocab")
        }
    )
    assert len(subjects) >= 50
    client = app.test_client()
    failures = []
    for iri in subjects:
        response = client.get("/" + iri[len(BASE) :], headers={"Accept": "text/turtle"})
        if response.status_code != 200 or not len(Graph().parse(data=response.data, format="turtle")):
            failures.append(f"{iri}: HTTP {response.status_code}")
    assert not failures, "\n".join(failures[:20])


def test_ontology_page_has_an_anchor_per_term(built):
    app, _ = built
    store = app.extensions["hres"].store
    ontology = ox.NamedNode(BASE + "graph/ontology")
    classes = {
        q.subject.value.rsplit("#", 1)[-1]
        for q in store.quads_for_pattern(
            None,
            ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            ox.NamedNode("http://www.w3.org/2002/07/owl#Class"),
            ontology,
        )
        if q.subject.value.startswith(BASE + "ontology#")
    }
    page = app.test_client().get("/ontology", headers={"Accept": "text/html"}).data.decode()
    assert classes and all(f'id="{name}"' in page for name in classes)


def test_graph_dumps_of_the_build(built):
    app, _ = built
    client = app.test_client()
    for name in ("ontology", "vocab", "reference", "meta"):
        response = client.get(f"/dumps/{name}.ttl")
        assert response.status_code == 200 and len(Graph().parse(data=response.data, format="turtle")) > 0
