"""The UI's server side without a browser (Flask test client): the pages render, the named query's text is
served, the validation route reports and downloads, the entity pages carry their sections, labels switch
language. Fast companions of test_browser.py, over the same small store."""

from __future__ import annotations

import io

import pytest

from .conftest import ROOT, build_store

BAD_FILE = ROOT / "shapes" / "examples" / "invalid" / "REC-02-01.ttl"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from hres_graph.config import Settings
    from server import create_app

    var_dir = tmp_path_factory.mktemp("ui-pages")
    build_store(var_dir)
    app = create_app({"TESTING": True, "QUERY_WORKERS": 1, "QUERY_TIMEOUT": 5}, settings=Settings(var_dir=var_dir))
    yield app.test_client()
    app.extensions["hres"].close()


def html(client, path: str, **kwargs):
    response = client.get(path, headers={"Accept": "text/html"}, **kwargs)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def test_query_page_has_the_editor_config_and_labels(client):
    page = html(client, "/")
    assert 'id="query-text"' in page and 'id="ui-config"' in page and '"hresid": "https://w3id.org/hres/id/"' in page
    assert "hres:addressedTo" in page  # ontology terms for completion (when the bundles are built) or the help text
    response = client.get("/?lang=es", headers={"Accept": "text/html"})
    assert "Ejecutar" in response.get_data(as_text=True) and 'lang="es"' in response.get_data(as_text=True)
    assert "hres_lang=es" in response.headers["Set-Cookie"]
    assert "Ejecutar" in html(client, "/")  # remembered
    client.get("/?lang=en")


def test_named_query_text_is_served(client):
    response = client.get("/ui/queries/instruments-not-ratified.rq")
    assert response.status_code == 200 and response.get_data(as_text=True).startswith("#+ title:")
    assert client.get("/ui/queries/no-such-query.rq").status_code == 404


def test_validation_report_grouped_by_focus_node_and_downloads(client):
    data = {"file": (io.BytesIO(BAD_FILE.read_bytes()), "REC-02-01.ttl"), "report_lang": "fr"}
    page = client.post(
        "/validate", data=data, content_type="multipart/form-data", headers={"Accept": "text/html"}
    ).get_data(as_text=True)
    assert "Does not conform" in page or "Non conforme" in page
    assert "REC-02-recommendation-has-text" in page and "La recommandation n&#39;a pas de texte" in page
    assert page.count('class="focus-node"') == 1 and 'download="REC-02-01-report.ttl"' in page
    data = {"file": (io.BytesIO(BAD_FILE.read_bytes()), "REC-02-01.ttl"), "format": "turtle"}
    response = client.post("/validate", data=data, content_type="multipart/form-data")
    assert response.headers["Content-Disposition"] == 'attachment; filename="REC-02-01-report.ttl"'
    assert "sh:ValidationReport" in response.get_data(as_text=True)
    data = {"file": (io.BytesIO(b"<a> <b> ."), "broken.ttl")}
    response = client.post("/validate", data=data, content_type="multipart/form-data", headers={"Accept": "text/html"})
    text = response.get_data(as_text=True)
    assert response.status_code == 400 and "broken.ttl:1" in text and "hres-validate-" not in text
    assert client.post("/validate", data={}, content_type="multipart/form-data").status_code == 400


def test_entity_pages_have_their_sections(client):
    state = html(client, "/id/state/KEN")
    assert 'id="recs-by-cycle"' in state and 'id="participation"' in state and 'id="elections"' in state
    assert "<strong>3</strong>" in state and "International Covenant on Civil and Political Rights" in state
    assert 'id="votes"' in state and "A/HRC/RES/0/2 — Civil society space (fixture)" in state
    assert state.index("A/HRC/RES/0/2") < state.index("A/HRC/RES/0/1")  # the latest first
    assert "Yes: <strong>1</strong>" in state and "Abstention: <strong>1</strong>" in state
    assert 'id="votes"' not in html(client, "/id/state/NOR")  # no vote recorded: "none"
    rec = html(client, "/id/recommendation/ui-fixture/1")
    assert "Ensure that every citizen can register to vote" in rec and "Partially implemented" in rec
    assert "← hres:repeats" in rec
    instrument = html(client, "/id/instrument/iccpr?lang=fr")
    assert 'id="articles"' in instrument and "Kenya" in instrument and "Norvège" in instrument
    plain = client.get("/id/state/KEN", headers={"Accept": "text/turtle"})
    assert plain.status_code == 200 and plain.mimetype == "text/turtle"
    assert "A favor: <strong>1</strong>" in html(client, "/id/state/KEN?lang=es")
