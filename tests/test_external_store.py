"""External-store mode against a real Virtuoso started by the test (Debian's virtuoso-opensource)."""

from __future__ import annotations

import os

import pytest

from hres_graph.build.pipeline import build
from hres_graph.config import Settings
from hres_graph.namespaces import GRAPH
from hres_graph.store.oxigraph import OxigraphStore, open_store
from hres_graph.store.publish import publish
from hres_graph.store.sparql import SparqlStore
from suites.virtuoso import available, running_virtuoso

from .test_build import FIXTURE_CSV, TOY

pytestmark = [pytest.mark.external_store, pytest.mark.slow]

SAME_ANSWER_QUERIES = [
    'SELECT ?i ?label WHERE { ?i a hres:Treaty ; rdfs:label ?label FILTER(LANG(?label) = "en") } ORDER BY ?i',
    "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class FILTER(STRSTARTS(STR(?class), STR(hres:))) } "
    "GROUP BY ?class ORDER BY ?class",
    "SELECT ?body ?treaty WHERE { ?body hres:monitors ?treaty } ORDER BY ?body ?treaty",
    "SELECT ?s ?name WHERE { GRAPH graph:toy { ?s rdfs:label ?name } } ORDER BY ?s",
]


@pytest.fixture(scope="module")
def virtuoso_url(tmp_path_factory):
    if not available():
        message = "virtuoso-t not installed (`make test` installs Debian's virtuoso-opensource)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as url:
        yield url


@pytest.fixture(scope="module")
def published(tmp_path_factory, virtuoso_url):
    settings = Settings(
        var_dir=tmp_path_factory.mktemp("var"),
        backend="sparql",
        sparql_query_url=virtuoso_url,
        source_paths={"toy": FIXTURE_CSV},
    )
    build(settings, sources=[TOY], log=lambda m: None)
    publish(settings, log=lambda m: None)
    return settings


def test_every_graph_arrives_whole(published):
    local = OxigraphStore(published.current_store.resolve())
    remote = open_store(published)
    assert isinstance(remote, SparqlStore)
    assert remote.triple_counts() == local.triple_counts()


@pytest.mark.parametrize("query", SAME_ANSWER_QUERIES, ids=["treaties", "class-counts", "monitors", "toy-graph"])
def test_external_store_gives_the_same_answers(published, query):
    local = OxigraphStore(published.current_store.resolve()).query(query)
    remote = open_store(published).query(query)
    assert remote.variables == local.variables
    assert [tuple(map(str, r)) for r in remote.rows] == [tuple(map(str, r)) for r in local.rows]
    assert local.rows, "the comparison must be over a non-empty answer"


def test_ask_answers_both_ways(published):
    remote = open_store(published)
    assert remote.query("ASK { ?s a hres:TreatyBody }").boolean is True
    assert remote.query('ASK { ?s rdfs:label "no such label anywhere" }').boolean is False


def test_republishing_replaces_graphs_and_leaves_no_staging(published):
    published.source_paths["toy"] = FIXTURE_CSV.with_name("actors-v2.csv")
    build(published, sources=[TOY], log=lambda m: None)
    publish(published, log=lambda m: None)
    remote = open_store(published)
    names = [str(r[1]) for r in remote.query(SAME_ANSWER_QUERIES[3]).rows]
    assert names == ["Alpha", "Delta"]
    assert not [g for g in remote.graphs() if "/staging-" in g]
    assert str(GRAPH["toy"]) in remote.graphs()
