"""Every named gap and follow-up query on the real build, against an answer computed independently from the
raw files (tests/named_queries_expected.py: plain Python over ../shared/data, no SPARQL), compared exactly;
then each query through `hres query NAME` and GET /api/queries/NAME (JSON and CSV), and hostile values.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections import Counter

import pytest
from rdflib import Literal, URIRef

from hres_graph.queries import catalogue
from tests import named_queries_expected as expected

pytestmark = [pytest.mark.real_data, pytest.mark.slow]

ELECTIONS = expected.VOCAB + "upr-info-issue/elections"
WOMEN = expected.VOCAB + "upr-info-issue/womens-rights"
GAP_AND_FOLLOW_UP = sorted(q.name for q in catalogue().values() if q.tag in ("gaps", "follow-up"))


@pytest.fixture(scope="module")
def store(real_settings):
    from hres_graph.store.oxigraph import open_store

    return open_store(real_settings)


@pytest.fixture(scope="module")
def run(store):
    return runner(store)


def runner(store):
    """run(name, **params) -> the rows as dicts of plain Python values (IRIs as text, None when unbound)."""

    def run(name: str, **params) -> list[dict]:
        result = catalogue()[name].run(store, {k: str(v) for k, v in params.items()})
        return [{var: plain(value) for var, value in zip(result.variables, row)} for row in result.rows]

    return run


def plain(term):
    if term is None:
        return None
    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, Literal):
        if term.language or term.datatype is None:
            return str(term)
        if str(term.datatype).endswith("#gYear"):
            return int(term)
        value = term.toPython()
        return float(value) if type(value).__name__ == "Decimal" else value
    return str(term)


def by(rows: list[dict], *keys: str, value: str | tuple[str, ...]) -> dict:
    """{row[key] or (row[k] for k in keys): row[value] or (row[v] for v in value)}, failing on a repeated key."""
    out = {}
    for row in rows:
        key = tuple(row[k] for k in keys) if len(keys) > 1 else row[keys[0]]
        assert key not in out, f"two rows for {key}"
        out[key] = tuple(row[v] for v in value) if isinstance(value, tuple) else row[value]
    return out


# --- the UPR Info figures ---------------------------------------------------------------------------


def test_every_name_of_the_upr_info_export_resolves_independently(data_root):
    assert expected.unresolved_names(data_root) == set()


# The counting queries read both UPR Info exports (graph:upr-info, sessions 1-20; graph:upr-info-2018, 1-27), a
# recommendation both hold once; the expected answers merge the raw files (tests/upr_exports_expected.py's
# matching) and take a session range the same way.
RANGES = [{"to_session": 20}, {"from_session": 21}, {"from_session": 13, "to_session": 26}]


def session_range(params: dict) -> dict:
    return {k: params[k] for k in ("from_session", "to_session") if k in params}


@pytest.mark.parametrize(
    "params",
    [{}, {"cycle": 1}, {"cycle": 2}, {"cycle": 3}, {"theme": WOMEN}, *RANGES, {"theme": WOMEN, "to_session": 20}]
    + [{"cycle": 2, "from_session": 21}, {"from_session": 27}],
)
def test_theme_share(run, data_root, params):
    theme = params.get("theme", ELECTIONS).rsplit("/", 1)[-1]
    (row,) = run("theme-share", **params)
    assert row == expected.theme_share(data_root, theme, params.get("cycle"), **session_range(params))


def test_seed_figures_election_share_and_acceptance(run, data_root):
    """Issue 6's seed: election recommendations ~0.6 % of all, most of them accepted. Up to session 20 (the 2015
    export's sessions) the figures are the 2015 export's: 254 on elections, 195 supported, of 41,066 recommendations
    and the 2 that only the 2018 export has in those sessions."""
    (row,) = run("theme-share", to_session=20)
    assert (row["recommendations"], row["themed"], row["supported"]) == (41066 + 2, 254, 195)
    assert row["sharePercent"] == 0.62 and row["supportedPercent"] == 76.8
    (row,) = run("theme-share")
    assert (row["recommendations"], row["themed"], row["supported"]) == (61017, 343, 266)


def test_session_ranges_add_up(run):
    """Sessions 1-20 and 21-27 partition every count; cycle 3 (session 27 only) has no election recommendation
    and is a row of zeros, not no row."""
    (every,) = run("theme-share", theme=WOMEN)
    (early,) = run("theme-share", theme=WOMEN, to_session=20)
    (late,) = run("theme-share", theme=WOMEN, from_session=21)
    for column in ("recommendations", "themed", "supported"):
        assert early[column] + late[column] == every[column]
    (third,) = run("theme-share", cycle=3)
    assert third["recommendations"] > 0 and (third["themed"], third["supported"]) == (0, 0)
    flows = {
        k: Counter(by(run("regional-flows", **r), "fromGroup", "toGroup", value="recommendations"))
        for k, r in (("all", {}), ("early", {"to_session": 20}), ("late", {"from_session": 21}))
    }
    assert flows["early"] + flows["late"] == flows["all"]


@pytest.mark.parametrize(
    "params",
    [{}, {"state": "KEN"}, {"cycle": 2}, {"theme": WOMEN, "cycle": 1}, {"cycle": 3, "theme": WOMEN}, *RANGES]
    + [{"theme": WOMEN, "state": "FRA", "from_session": 21}],
)
def test_theme_recommendations(run, data_root, params):
    state = params.get("state")
    query = dict(params, **({"state": expected.state_iri(state)} if state else {}))
    rows = run("theme-recommendations", **query)
    got = Counter({(r["state"], r["cycle"], r["response"].rsplit("/", 1)[-1]): r["recommendations"] for r in rows})
    theme = params.get("theme", ELECTIONS).rsplit("/", 1)[-1]
    assert got == expected.theme_recommendations(data_root, theme, state, params.get("cycle"), **session_range(params))
    assert len(rows) == len(got)


@pytest.mark.parametrize("params", [{}, *RANGES])
def test_regional_flows(run, data_root, params):
    rows = run("regional-flows", **params)
    got = by(rows, "fromGroup", "toGroup", value="recommendations")
    want = expected.regional_flows(data_root, None, **session_range(params))
    assert got == {
        (f"{expected.VOCAB}un-regional-group/{a}", f"{expected.VOCAB}un-regional-group/{b}"): n
        for (a, b), n in want.items()
    }


@pytest.mark.parametrize(
    "params", [{}, {"theme": WOMEN}, *RANGES, {"theme": WOMEN, "from_session": 21}, {"theme": WOMEN, "to_session": 20}]
)
def test_regional_flows_theme(run, data_root, params):
    theme = params.get("theme", ELECTIONS)
    rows = run("regional-flows-theme", **params)
    got = by(
        rows,
        "fromGroup",
        "toGroup",
        value=("recommendations", "sharePercent", "fromGroupSharePercent", "toGroupSharePercent"),
    )
    want = expected.regional_flow_shares(data_root, theme.rsplit("/", 1)[-1], **session_range(params))
    assert got == {
        (f"{expected.VOCAB}un-regional-group/{a}", f"{expected.VOCAB}un-regional-group/{b}"): v
        for (a, b), v in want.items()
    }


@pytest.mark.parametrize("params", [{}, {"cycle": 2}, {"cycle": 3}])
def test_low_specificity(run, data_root, params):
    rows = run("low-specificity", **params)
    got = by(rows, "recommendingState", value=("recommendations", "lowSpecificity", "sharePercent"))
    assert got == expected.low_specificity(data_root, params.get("cycle"))


# --- ratification ---------------------------------------------------------------------------------


@pytest.mark.parametrize("state", [None, "USA", "KEN"])
def test_instruments_not_ratified(run, data_root, state):
    rows = run("instruments-not-ratified", **({"state": expected.state_iri(state)} if state else {}))
    got = {(r["state"], r["instrument"], r["status"], r["signatureDate"]) for r in rows}
    assert len(got) == len(rows)
    assert got == expected.instruments_not_ratified(data_root, state)


@pytest.mark.parametrize("instrument", ["iccpr", "cedaw", "crpd", "icerd"])
def test_states_not_party(run, data_root, instrument):
    rows = run("states-not-party", instrument=f"hresid:instrument/{instrument}")
    got = Counter(
        (
            r["state"],
            r["signed"],
            r["session"],
            r["recommendingState"],
            r["response"] and r["response"].rsplit("/", 1)[-1],
        )
        for r in rows
    )
    assert got == expected.states_not_party(data_root, instrument)
    assert len({r["recommendation"] for r in rows if r["recommendation"]}) == sum(
        1 for r in rows if r["recommendation"]
    )


# --- implementation: the working-group reports' "implemented", matched to UPR Info records ----------------


def test_reported_implemented_links_are_the_stores(store, data_root):
    """The independent matcher finds the same UPR Info records as the build's links (3,499 on this data)."""
    answer = store.query("""SELECT (COUNT(DISTINCT ?same) AS ?n) WHERE {
        ?assessment hres:assesses ?record . ?record hres:sameRecommendationAs ?same }""")
    assert int(answer.rows[0][0]) == len(expected.reported_implemented(data_root))


@pytest.mark.parametrize("state, cycle", [("KEN", None), ("SVN", 2), ("BHR", None), ("COL", 1), ("TUN", 3)])
def test_supported_unassessed(run, data_root, state, cycle):
    rows = run("supported-unassessed", state=expected.state_iri(state), **({"cycle": cycle} if cycle else {}))
    got = Counter((r["cycle"], r["session"], r["recommendingState"], r["text"]) for r in rows)
    assert got == expected.supported_unassessed(data_root, state, cycle)
    assert {r["state"] for r in rows} <= {expected.state_iri(state)}


@pytest.mark.parametrize("params", [{}, {"state": "KEN"}, {"theme": WOMEN, "cycle": 1}, {"theme": WOMEN}])
def test_implementation_status_counts(run, data_root, params):
    state = params.get("state")
    rows = run(
        "implementation-status-counts", **dict(params, **({"state": expected.state_iri(state)} if state else {}))
    )
    got = Counter({(r["state"], r["cycle"], r["status"]): r["recommendations"] for r in rows})
    want = expected.implementation_status_counts(
        data_root, params.get("theme", ELECTIONS).rsplit("/", 1)[-1], state, params.get("cycle")
    )
    assert got == want and len(rows) == len(want)
    assert all((r["statusLabel"] == "not assessed") == (r["status"] is None) for r in rows)


@pytest.mark.parametrize(
    "state, theme", [("BHR", None), ("GBR", None), ("ECU", None), ("KEN", None), ("TUN", ELECTIONS), ("KHM", ELECTIONS)]
)
def test_repeated_without_assessment(run, data_root, state, theme):
    rows = run("repeated-without-assessment", state=expected.state_iri(state), **({"theme": theme} if theme else {}))
    got = by(rows, "theme", "earlierCycle", "laterCycle", value=("earlier", "later", "laterYear"))
    want = expected.repeated_without_assessment(data_root, state, theme and theme.rsplit("/", 1)[-1])
    assert got == want


# --- coverage gaps: electoral rights no recommendation bears on, findings the UPR has not taken up ----------


@pytest.mark.parametrize("state", ["KEN", "SVN", "USA", "VAT"])
def test_rights_without_recommendation(run, data_root, state):
    """KEN and USA: rights raised only by an observer mission's recommendation (its process part); SVN: the
    Slovenia matrices too; VAT: no recommendation at all, so every right."""
    rows = run("rights-without-recommendation", state=expected.state_iri(state))
    assert by(rows, "right", value=("rightLabel", "provisions")) == expected.rights_without_recommendation(
        data_root, state
    )


@pytest.mark.parametrize("state", [None, "KEN"])
def test_findings_without_upr_recommendation(run, store, data_root, state):
    rows = run("findings-without-upr-recommendation", **({"state": expected.state_iri(state)} if state else {}))
    got = by(rows, "state", "right", "source", value=("stateLabel", "rightLabel", "findings", "example"))
    want = expected.findings_without_upr_recommendation(data_root, state)
    assert {k: v[:3] for k, v in got.items()} == {k: v[:3] for k, v in want.items()}
    # the example: the least decision IRI; an observer's finding (a digest IRI) is recognised by its words
    observed = {
        str(f): (str(topic), str(text))
        for f, topic, text in store.query(
            "SELECT ?f ?topic ?text WHERE { ?f hres:madeByMission ?m ; rdfs:label ?topic ; hres:text ?text }"
        ).rows
    }
    for key, (*_, example) in got.items():
        decision, observer_findings = want[key][3:]
        assert example == decision if decision else observed[example] in observer_findings, key


# --- every query through the CLI and the REST API, and hostile parameter values ---------------------------


def first_example(name: str) -> dict[str, str]:
    query = catalogue()[name]
    return next((e for e in query.examples if e), query.examples[0] if query.examples else {})


@pytest.fixture(scope="module")
def client(real_settings):
    from server import create_app

    app = create_app({"TESTING": True, "QUERY_WORKERS": 1, "QUERY_TIMEOUT": 120}, settings=real_settings)
    yield app.test_client()
    app.extensions["hres"].close()


@pytest.fixture(scope="module")
def cli_env(real_build, data_root) -> dict:
    return dict(os.environ, HRES_VAR_DIR=str(real_build[0]), HRES_DATA_ROOT=str(data_root))


def hres(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "hres_graph", *args], capture_output=True, text=True, env=env, timeout=300
    )


def cells(rows: list[dict], columns) -> list[tuple[str, ...]]:
    """Rows as the CSV text of their cells (SPARQL CSV: lexical values, empty when unbound)."""

    def text(value):
        if value is None:
            return ""
        if isinstance(value, bool):
            return str(value).lower()
        return str(value)

    return sorted(tuple(text(r[c]) for c in columns) for r in rows)


def parsed_csv(text: str) -> tuple[list[str], list[tuple[str, ...]]]:
    header, *rows = list(csv.reader(io.StringIO(text)))
    return header, sorted(tuple(r) for r in rows)


@pytest.mark.parametrize("name", GAP_AND_FOLLOW_UP)
def test_no_example_gives_a_row_twice(name, run):
    """A triple stated by two sources is yielded once per graph by Oxigraph 0.5's union default graph
    (oxigraph/oxigraph#1919): no named query may let that show as a repeated row."""
    for params in catalogue()[name].examples or ({},):
        rows = [tuple(sorted(row.items(), key=lambda kv: kv[0])) for row in run(name, **params)]
        assert len(rows) == len(set(rows)), (params, [r for r in set(rows) if rows.count(r) > 1][:3])


@pytest.mark.parametrize("name", GAP_AND_FOLLOW_UP)
def test_cli_and_rest_give_the_query_answer(name, run, client, cli_env):
    params = first_example(name)
    rows = run(name, **params)
    columns = list(catalogue()[name].columns)
    # REST, JSON
    response = client.get(
        f"/api/queries/{name}", query_string=params, headers={"Accept": "application/sparql-results+json"}
    )
    assert response.status_code == 200, response.data[:500]
    answer = json.loads(response.data)
    assert answer["head"]["vars"] == columns
    assert len(answer["results"]["bindings"]) == len(rows)
    # REST, CSV
    response = client.get(f"/api/queries/{name}", query_string=dict(params, format="csv"))
    assert response.status_code == 200 and response.mimetype == "text/csv"
    header, csv_rows = parsed_csv(response.data.decode())
    assert header == columns and len(csv_rows) == len(rows)
    # CLI
    args = [item for key, value in params.items() for item in ("--param", f"{key}={value}")]
    result = hres("query", name, *args, "--format", "csv", env=cli_env)
    assert result.returncode == 0, result.stderr[-2000:]
    assert parsed_csv(result.stdout) == (header, csv_rows)


HOSTILE = '"} DROP ALL ; #'


@pytest.mark.parametrize("name", GAP_AND_FOLLOW_UP)
def test_hostile_values_are_rejected_or_inert(name, client, cli_env, triples_before):
    query = catalogue()[name]
    for parameter in query.parameters:
        params = dict(first_example(name), **{parameter.name: HOSTILE})
        response = client.get(f"/api/queries/{name}", query_string=params)
        if parameter.type == "string":  # bound as a literal: matched literally, nothing found
            assert response.status_code == 200
        else:
            assert response.status_code == 400 and parameter.name.encode() in response.data
        args = [item for key, value in params.items() for item in ("--param", f"{key}={value}")]
        result = hres("query", name, *args, env=cli_env)
        assert result.returncode == (0 if parameter.type == "string" else 2), result.stderr[-1000:]
        if parameter.type != "string":
            assert parameter.name in result.stderr


def test_the_store_is_unchanged_after_hostile_values(store, triples_before):
    """After every hostile request above (this file's tests run in order), the triple count stands."""
    assert count_triples(store) == triples_before


def count_triples(store) -> int:
    return int(store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").rows[0][0])


@pytest.fixture(scope="module")
def triples_before(store) -> int:
    return count_triples(store)


@pytest.mark.parametrize("params", [{}, {"state": "KEN"}, {"theme": WOMEN, "state": "FRA"}])
def test_elections_after_review(run, data_root, params):
    state = params.get("state")
    rows = run("elections-after-review", **dict(params, **({"state": expected.state_iri(state)} if state else {})))
    got = {
        (r["state"], int(r["review"].rsplit("/", 2)[-2]), r["reviewYear"], r["electionDate"]): (
            r["elections"],
            r["recommendations"],
            r["supported"],
            r["unassessed"],
        )
        for r in rows
    }
    assert len(got) == len(rows)
    assert got == expected.elections_after_review(data_root, params.get("theme", ELECTIONS).rsplit("/", 1)[-1], state)
