"""GET /api/queries/<name>: an IRI parameter declared with `class=` that names nothing of that class is a 400
naming the parameter, the IRI, the class and the nearest instances, not an empty answer (issue 17, item 5).
On the server tests' fixture store: States FRA and NOR, recommendations hresid:rec/1-3, no concept."""

from __future__ import annotations

import json

import pytest

from hres_graph.queries import catalogue

JSON = {"Accept": "application/json"}


def error(response) -> str:
    assert response.status_code == 400, response.get_data(as_text=True)[:500]
    return json.loads(response.data)["error"]["message"]


def test_a_state_that_is_not_one_is_400_with_suggestions(client):
    message = error(client.get("/api/queries/supported-unassessed?state=hresid:state/NORW", headers=JSON))
    assert message.startswith("parameter 'state' (iri, class hres:State): <https://w3id.org/hres/id/state/NORW>")
    assert "names no hres:State in this store; did you mean Norway (hresid:state/NOR)" in message
    assert "France" not in message  # FRA is not near NORW
    text = client.get(
        "/api/queries/supported-unassessed", query_string={"state": "<https://w3id.org/hres/id/state/fra>"}
    )
    assert text.status_code == 400 and b"France (hresid:state/FRA)" in text.data  # text/plain for other clients


@pytest.mark.parametrize("value", ["hresid:state/NOR", "https://w3id.org/hres/id/state/FRA"])
def test_a_state_that_is_one_runs_as_before(client, value):
    response = client.get("/api/queries/supported-unassessed", query_string={"state": value}, headers=JSON)
    assert response.status_code == 200, response.data[:300]
    assert json.loads(response.data)["head"]["vars"] == list(catalogue()["supported-unassessed"].columns)


def test_defaults_are_not_checked(client):
    """theme-share's default theme is no concept of this store: left out, empty or given as the default, the
    query runs as before (0 rows); another IRI for the theme is checked."""
    default = catalogue()["theme-share"].parameter("theme").default
    for params in ({}, {"theme": ""}, {"theme": default}):
        assert client.get("/api/queries/theme-share", query_string=params, headers=JSON).status_code == 200
    message = error(client.get("/api/queries/theme-share?theme=vocab:upr-info-issue/women", headers=JSON))
    assert "(iri, class skos:Concept)" in message and "the store holds no skos:Concept at all" in message


def test_every_bad_parameter_is_named_and_other_checks_come_first(client):
    message = error(
        client.get("/api/queries/theme-recommendations?state=hresid:state/XXX&theme=vocab:none", headers=JSON)
    )
    assert "parameter 'theme'" in message and "parameter 'state'" in message
    assert "no hres:State has a similar name or English label" in message
    assert "is not valid" in error(client.get("/api/queries/supported-unassessed?state=KEN", headers=JSON))


def test_a_recommendation_is_checked_too(client):
    ok = client.get("/api/queries/recommendation-timeline?recommendation=hresid:rec/1", headers=JSON)
    assert ok.status_code == 200, ok.data[:300]
    message = error(client.get("/api/queries/recommendation-timeline?recommendation=hresid:rec/99", headers=JSON))
    assert "<https://w3id.org/hres/id/rec/99> names no hres:Recommendation" in message


def test_the_catalogue_gives_each_parameters_class(client):
    entries = {q["name"]: q for q in json.loads(client.get("/api/queries").data)}
    params = {p["name"]: p for p in entries["theme-recommendations"]["parameters"]}
    assert params["state"]["class"] == "https://w3id.org/hres/ontology#State"
    assert params["theme"]["class"] == "http://www.w3.org/2004/02/skos/core#Concept"
    assert params["cycle"]["class"] is None
