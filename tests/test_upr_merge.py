"""The two UPR Info exports in the real build: one resource per recommendation both state, queryable as such,
and the working-group report's records still linked to those resources. Expected values from the raw files
(tests/upr_exports_expected.py), not from the importers."""

from __future__ import annotations

import pytest

from tests import upr_exports_expected as exports

real = pytest.mark.real_data


@pytest.fixture(scope="module")
def store(real_settings):
    from hres_graph.store.oxigraph import open_store

    return open_store(real_settings)


@pytest.fixture(scope="module")
def matching(data_root, state_resolver):
    return exports.match(data_root, state_resolver.resolve)


def recommendations(store, graph: str) -> set[str]:
    return {
        str(r) for (r,) in store.query(f"SELECT ?r WHERE {{ GRAPH graph:{graph} {{ ?r a hres:Recommendation }} }}").rows
    }


@real
def test_the_match_is_queryable_from_the_graphs(store, matching):
    """In both graphs: the matched records; with the same hres:text in both: those matched with the same text."""
    both = store.query("""SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE {
        GRAPH graph:upr-info { ?r a hres:Recommendation } GRAPH graph:upr-info-2018 { ?r a hres:Recommendation } }""")
    same_text = store.query("""SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE {
        GRAPH graph:upr-info { ?r hres:text ?t } GRAPH graph:upr-info-2018 { ?r hres:text ?t } }""")
    c = matching.counts
    assert int(both.rows[0][0].toPython()) == c["same text"] + c["normalised"] == 41_062
    assert int(same_text.rows[0][0].toPython()) == c["same text"] == 41_007


@real
def test_each_graph_holds_its_exports_records(store, matching, data_root):
    assert recommendations(store, "upr-info") == {r.iri for r in exports.rows_2015(data_root)}
    assert recommendations(store, "upr-info-2018") == set(matching.iri_of.values())


@real
def test_working_group_records_link_to_the_merged_resources(store, matching, data_root):
    """The WG report parse links to upr-info records, which are the resources the 2018 export states too, but for
    the 2015 records the 2018 export lacks."""
    targets = {
        str(t)
        for (t,) in store.query(
            "SELECT DISTINCT ?t WHERE { GRAPH graph:upr-wg-reports { ?wg hres:sameRecommendationAs ?t } }"
        ).rows
    }
    old = {r.iri for r in exports.rows_2015(data_root)}
    lacking = old - {o.iri for _, o in matching.pairs}
    assert len(lacking) == 4 and targets <= old
    assert targets - recommendations(store, "upr-info-2018") == targets & lacking
    assert len(targets) > 30_000
