"""Pages that tell the truth (issue 17, item 5), through Flask's test client on the UI tests' store:

- the query page opened on a permalink whose IRI parameter names nothing of its class answers 400 and says
  so in the page, with the nearest instances (and the API call ui.js makes answers 400 with that message);
- a recommendation's page lists the implementation assessments the follow-up queries count: those that
  assess it, those graph/derived links to it (hres:hasAssessment), and those that assess its record in
  another source (hres:sameRecommendationAs, either direction), each once.

The store is the UI fixture's, plus the records and assessments below in their own graphs (the shared
fixture.trig is left as it is)."""

from __future__ import annotations

import json
import re

import pyoxigraph as ox
import pytest

from .conftest import build_store

# Working-group report records of the fixture's recommendations 2, 3 and 4, and the State's assessments of them.
EXTRA = """
PREFIX hres: <https://w3id.org/hres/ontology#>
PREFIX hresid: <https://w3id.org/hres/id/>
PREFIX graph: <https://w3id.org/hres/graph/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX is: <https://w3id.org/hres/vocab/implementation-status/>

graph:upr-wg-reports {
  # recommendation 2: its record states the link to it; graph:derived states the same assessment again
  hresid:recommendation\\/ui-test-wg\\/2 rdfs:label "Working-group record of recommendation 2 (test)"@en ;
    hres:sameRecommendationAs hresid:recommendation\\/ui-fixture\\/2 .
  hresid:recommendation\\/ui-test-wg\\/2\\/assessment a hres:ImplementationAssessment ;
    hres:assesses hresid:recommendation\\/ui-test-wg\\/2 ; hres:assessor hresid:state\\/KEN ;
    hres:implementationStatus is:fully-implemented ; hres:assessmentDate "2023-02-01"^^xsd:date .
  # recommendation 3 states the link to its record
  hresid:recommendation\\/ui-fixture\\/3 hres:sameRecommendationAs hresid:recommendation\\/ui-test-wg\\/3 .
  hresid:recommendation\\/ui-test-wg\\/3\\/assessment a hres:ImplementationAssessment ;
    hres:assesses hresid:recommendation\\/ui-test-wg\\/3 ; hres:assessor hresid:state\\/KEN ;
    hres:implementationStatus is:not-implemented ; hres:assessmentDate "2023-03-01"^^xsd:date .
  # recommendation 4: no link stated here, only graph:derived's
  hresid:recommendation\\/ui-test-wg\\/4\\/assessment a hres:ImplementationAssessment ;
    hres:assesses hresid:recommendation\\/ui-test-wg\\/4 ; hres:assessor hresid:state\\/NOR ;
    hres:implementationStatus is:reported-implemented ; hres:assessmentDate "2023-04-01"^^xsd:date .
}
graph:derived {
  hresid:recommendation\\/ui-fixture\\/2 hres:hasAssessment hresid:recommendation\\/ui-test-wg\\/2\\/assessment .
  hresid:recommendation\\/ui-fixture\\/4 hres:hasAssessment hresid:recommendation\\/ui-test-wg\\/4\\/assessment .
}
"""
UI_FETCH = {"Accept": "application/sparql-results+json, application/json;q=0.9"}  # as static/ui.js asks


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from hres_graph.config import Settings
    from server import create_app

    var_dir = tmp_path_factory.mktemp("ui-truth")
    build_store(var_dir)
    store = ox.Store(str((var_dir / "current").resolve()))
    store.load(EXTRA.encode(), format=ox.RdfFormat.TRIG)
    store.flush()
    del store
    app = create_app({"TESTING": True, "QUERY_WORKERS": 1, "QUERY_TIMEOUT": 5}, settings=Settings(var_dir=var_dir))
    yield app.test_client()
    app.extensions["hres"].close()


def page(client, path: str, status: int = 200) -> str:
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == status, response.get_data(as_text=True)[:800]
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def status_box(html: str) -> str:
    match = re.search(r'<div id="status"([^>]*)>(.*?)</div>', html, re.S)
    assert match, "the page has no status box"
    return match.group(1) + "|" + match.group(2)


def test_a_permalink_naming_no_state_is_a_400_page_that_says_so(client):
    html = page(client, "/?name=supported-unassessed&state=hresid:state/KENN&run=1", status=400)
    box = status_box(html)
    assert 'class="status error"' in box and 'role="alert"' in box
    assert "parameter &#39;state&#39;" in box and "&lt;https://w3id.org/hres/id/state/KENN&gt;" in box
    assert "hres:State" in box and "Kenya (hresid:state/KEN)" in box
    assert 'id="query-text"' in html and 'id="ui-config"' in html  # the page itself, to correct the value in
    # the same page with a State that exists, or no parameter at all: no message
    for ok in ("/?name=supported-unassessed&state=hresid:state/KEN&run=1", "/?name=theme-share&run=1", "/"):
        assert status_box(page(client, ok)) == ' class="status" role="status" aria-live="polite"|'


def test_a_permalink_with_a_bad_value_or_query_name_says_so_too(client):
    assert "not valid" in status_box(page(client, "/?name=supported-unassessed&state=KEN", status=400))
    assert "no named query" in status_box(page(client, "/?name=no-such-query", status=400))


def test_the_api_call_the_page_makes_answers_400_with_the_message(client):
    response = client.get("/api/queries/theme-recommendations?state=hresid:state/Norwey", headers=UI_FETCH)
    assert response.status_code == 400 and response.mimetype == "application/json"
    message = json.loads(response.data)["error"]["message"]  # what ui.js shows in #status
    assert "parameter 'state'" in message and "<https://w3id.org/hres/id/state/Norwey>" in message
    assert "hres:State" in message and "Norway (hresid:state/NOR)" in message
    theme = client.get("/api/queries/theme-share?theme=vocab:upr-info-issue/electons", headers=UI_FETCH)
    message = json.loads(theme.data)["error"]["message"]
    assert theme.status_code == 400 and "skos:Concept" in message
    assert "Elections (vocab:upr-info-issue/elections)" in message
    assert client.get("/api/queries/theme-recommendations?state=hresid:state/NOR", headers=UI_FETCH).status_code == 200


def assessments(html: str) -> list[str]:
    match = re.search(r'<ul id="assessments">(.*?)</ul>', html, re.S)
    return re.findall(r"<li>(.*?)</li>", match.group(1), re.S) if match else []


def test_an_assessment_reached_through_the_same_recommendation_elsewhere_is_shown_once(client):
    html = page(client, "/id/recommendation/ui-fixture/2")  # through its record (incoming) and graph:derived
    (item,) = assessments(html)
    assert "Fully implemented" in item and "2023-02-01" in item and "Kenya" in item
    assert "/id/recommendation/ui-test-wg/2" in item and "assesses its record" in item
    (item,) = assessments(page(client, "/id/recommendation/ui-fixture/3"))  # its own link to its record
    assert "Not implemented" in item and "/id/recommendation/ui-test-wg/3" in item
    (item,) = assessments(page(client, "/id/recommendation/ui-fixture/4"))  # graph:derived's link only
    assert "Reported as implemented" in item and "Norway" in item
    (item,) = assessments(page(client, "/id/recommendation/ui-fixture/1"))  # it assesses the recommendation itself
    assert "Partially implemented" in item and "assesses its record" not in item
