"""`#+ param: NAME iri class=CLASS …`: an IRI parameter that must name an instance of CLASS (issue 17, item 5).

The header token, the check (NamedQuery.check_resources: one SELECT, rdf:type of the class or a subclass in
any graph), the nearest instances offered (difflib over last segments and English labels), `hres query`'s
exit code 2, and the same check on an external store (Virtuoso 7)."""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
import pytest

from hres_graph import queries
from hres_graph.errors import QueryError
from hres_graph.queries import load_named_query, nearest, store_select
from hres_graph.store.oxigraph import OxigraphStore
from tests.test_cli_query import hres  # `hres query` in a child process

ROOT = Path(__file__).resolve().parent.parent
HEADER = """#+ title: t
#+ description: d
#+ param: state iri class=hres:State - "The State"
#+ param: instrument iri class=<https://w3id.org/hres/ontology#Instrument> hresid:instrument/iccpr "The instrument"
#+ param: rec iri class=hres:Recommendation - "A recommendation"
#+ param: other iri - "Any IRI"
#+ poa: p
#+ columns: state
SELECT ?state ?_state_iri ?_instrument_iri ?__rec_iri ?__other_iri WHERE { BIND(?_state_iri AS ?state) }
"""
DATA = """
PREFIX hres: <https://w3id.org/hres/ontology#>
PREFIX hresid: <https://w3id.org/hres/id/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
<https://w3id.org/hres/graph/ontology> {
  hres:Treaty rdfs:subClassOf hres:Instrument . hres:OptionalProtocol rdfs:subClassOf hres:Treaty .
}
<https://w3id.org/hres/graph/states> {
  hresid:state\\/KEN a hres:State ; rdfs:label "Kenya"@en, "Kenia"@es .
  hresid:state\\/BEN a hres:State ; rdfs:label "Benin"@en .
  hresid:state\\/NOR a hres:State ; rdfs:label "Norway"@en .
  hresid:state\\/SVN a hres:State ; skos:prefLabel "Slovenia"@en .
  hresid:instrument\\/iccpr a hres:Treaty ; rdfs:label "International Covenant on Civil and Political Rights"@en .
  hresid:instrument\\/iccpr-op1 a hres:OptionalProtocol ; rdfs:label "First Optional Protocol to the ICCPR"@en .
  hresid:rec\\/1 a hres:Recommendation . hresid:rec\\/2 a hres:Recommendation . hresid:rec\\/3 a hres:Recommendation .
}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "q.rq"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture()
def query(tmp_path):
    return load_named_query(write(tmp_path, HEADER))


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("classes") / "store"
    writable = ox.Store(str(path))
    writable.load(DATA.encode(), format=ox.RdfFormat.TRIG)
    writable.flush()
    del writable
    return OxigraphStore(path)


class Counting:
    """A `select` that counts the queries it answers."""

    def __init__(self, store):
        self.select, self.texts = store_select(store), []

    def __call__(self, text: str):
        self.texts.append(text)
        return self.select(text)


def test_the_header_token_gives_the_class(query):
    classes = {p.name: p.cls for p in query.parameters}
    assert classes == {
        "state": "https://w3id.org/hres/ontology#State",
        "instrument": "https://w3id.org/hres/ontology#Instrument",
        "rec": "https://w3id.org/hres/ontology#Recommendation",
        "other": None,
    }
    assert query.parameter("instrument").default == "hresid:instrument/iccpr"


@pytest.mark.parametrize(
    "line, complaint",
    [
        ('n integer class=hres:State - "x"', "only an iri parameter takes class="),
        ('n iri class=nope:State - "x"', "canonical prefix"),
        ('n iri class=hres:State "x"', "malformed"),  # the default left out
        ('n iri class=<no scheme> - "x"', "malformed"),
    ],
)
def test_a_bad_class_token_fails_when_the_file_loads(tmp_path, line, complaint):
    text = HEADER.replace('#+ param: other iri - "Any IRI"', f"#+ param: {line}").replace("?__other_iri", "?__n_iri")
    if "integer" in line:
        text = text.replace("?__n_iri", "?__n_integer")
    with pytest.raises(QueryError, match=complaint):
        load_named_query(write(tmp_path, text))


def test_instances_of_the_class_or_a_subclass_pass(query, store):
    select = Counting(store)
    query.check_resources(
        {"state": "hresid:state/KEN", "instrument": "hresid:instrument/iccpr-op1", "rec": "hresid:rec/2"}, select
    )
    assert len(select.texts) == 1  # one query for every parameter
    query.check_resources({"state": "hresid:state/KEN", "other": "https://example.org/anything"}, select)
    query.check_resources({"state": "hresid:state/KEN", "instrument": "hresid:instrument/iccpr"}, select)


def test_an_iri_of_no_instance_is_an_error_with_the_nearest_instances(query, store):
    with pytest.raises(QueryError) as caught:
        query.check_resources({"state": "hresid:state/KENN"}, store_select(store))
    message = str(caught.value)
    assert message.startswith(
        "parameter 'state' (iri, class hres:State): <https://w3id.org/hres/id/state/KENN> names no hres:State "
        "in this store; did you mean Kenya (hresid:state/KEN), Benin (hresid:state/BEN)?"
    )
    assert "hint: state: The State" in message
    with pytest.raises(QueryError, match=r"did you mean Kenya \(hresid:state/KEN\), Slovenia"):
        query.check_resources({"state": "hresid:state/kenia"}, store_select(store))  # English labels only: Kenya
    with pytest.raises(QueryError, match=r"did you mean Slovenia \(hresid:state/SVN\)\?"):
        query.check_resources({"state": "hresid:state/Slovenija"}, store_select(store))  # skos:prefLabel
    # a State is not an instrument; a Treaty's IRI is no State
    with pytest.raises(QueryError, match="instrument.*names no hres:Instrument"):
        query.check_resources({"state": "hresid:state/KEN", "instrument": "hresid:state/NOR"}, store_select(store))
    with pytest.raises(QueryError, match="no hres:State has a similar name"):
        query.check_resources({"state": "hresid:instrument/iccpr"}, store_select(store))


def test_labels_are_read_once_per_dataset_version_and_not_for_a_large_class(query, store, monkeypatch):
    monkeypatch.setattr(queries, "_candidates_cache", {})
    select = Counting(store)
    for _ in range(3):
        with pytest.raises(QueryError):
            query.check_resources({"state": "hresid:state/NORW"}, select, version="v1")
    assert len(select.texts) == 3 + 2  # three checks; the instances and their labels once
    with pytest.raises(QueryError):
        query.check_resources({"state": "hresid:state/NORW"}, select, version="v2")
    assert len(select.texts) == 5 + 3  # a new version reads them again
    monkeypatch.setattr(queries, "SUGGEST_FROM_AT_MOST", 2)  # three recommendations: too many to rank
    select.texts.clear()
    with pytest.raises(QueryError) as caught:
        query.check_resources({"rec": "hresid:rec/4"}, select)
    assert str(caught.value).startswith(
        "parameter 'rec' (iri, class hres:Recommendation): <https://w3id.org/hres/id/rec/4> names no "
        "hres:Recommendation in this store\n"
    )
    assert len(select.texts) == 2 and "LIMIT 3" in select.texts[1]  # the instances, stopped after 3; no labels


def test_nearest_prefers_the_iris_own_namespace():
    states = "https://w3id.org/hres/id/state/"
    candidates = [
        (states + "KEN", ("Kenya",)),
        (states + "BEN", ("Benin",)),
        ("https://w3id.org/hres/id/other/KENN", ("Kenn",)),
    ]
    assert nearest(states + "KENN", candidates) == [(states + "KEN", "Kenya"), (states + "BEN", "Benin")]
    assert nearest("https://w3id.org/hres/id/elsewhere/KEN", candidates)[0] == (states + "KEN", "Kenya")
    assert nearest(states + "QQQQQQ", candidates) == []


# --- hres query ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cli_env(tmp_path_factory) -> dict:
    from tests.server.conftest import make_var_dir

    settings = make_var_dir(tmp_path_factory.mktemp("cli-classes"))
    return dict(os.environ, HRES_VAR_DIR=str(settings.var_dir), PYTHONPATH=str(ROOT))


def test_hres_query_exits_2_naming_the_parameter_the_class_and_the_nearest(cli_env):
    result = hres(cli_env, "supported-unassessed", "--param", "state=hresid:state/NORW")
    assert result.returncode == 2, result.stderr[-800:]
    assert result.stdout == "" and "Traceback" not in result.stderr
    assert "error: parameter 'state' (iri, class hres:State): <https://w3id.org/hres/id/state/NORW>" in result.stderr
    assert "did you mean Norway (hresid:state/NOR)?" in result.stderr
    ok = hres(cli_env, "supported-unassessed", "--param", "state=hresid:state/NOR", "--format", "csv")
    assert ok.returncode == 0 and ok.stdout.startswith("recommendation,"), ok.stderr[-800:]
    default = hres(cli_env, "theme-share", "--format", "csv")  # the default theme is no concept here: not checked
    assert default.returncode == 0, default.stderr[-800:]


# --- an external store ----------------------------------------------------------------------------------


@pytest.mark.external_store
@pytest.mark.slow
def test_the_check_is_plain_sparql_that_virtuoso_answers(tmp_path, query):
    from hres_graph.store.sparql import SparqlStore
    from suites.virtuoso import available, running_virtuoso

    if not available():
        message = "virtuoso-t not installed (`make test` installs Debian's virtuoso-opensource)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    triples = ox.Store()
    triples.load(DATA.encode(), format=ox.RdfFormat.TRIG)
    with running_virtuoso(tmp_path / "virtuoso") as url:
        remote = SparqlStore(url)
        for graph in {q.graph_name.value for q in triples}:
            lines = [
                f"{q.subject} {q.predicate} {q.object} ."
                for q in triples.quads_for_pattern(None, None, None, ox.NamedNode(graph))
            ]
            remote.add_ntriples(graph, lines)
        select = store_select(remote)
        query.check_resources({"state": "hresid:state/KEN", "instrument": "hresid:instrument/iccpr-op1"}, select)
        with pytest.raises(QueryError) as caught:
            query.check_resources({"state": "hresid:state/KENN", "instrument": "hresid:instrument/iccpr"}, select)
        assert str(caught.value).startswith(
            "parameter 'state' (iri, class hres:State): <https://w3id.org/hres/id/state/KENN> names no hres:State "
            "in this store; did you mean Kenya (hresid:state/KEN), Benin (hresid:state/BEN)?"
        )
        assert "instrument" not in str(caught.value).split("hint:")[0]
