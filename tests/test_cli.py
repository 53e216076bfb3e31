"""The `hres` command line end to end on the real data: build, stats, query, export, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.real_data, pytest.mark.slow]


def hres(*args: str, env: dict, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "hres_graph", *args], capture_output=True, text=True, env=env, timeout=900
    )
    if check and result.returncode != 0:
        raise AssertionError(f"hres {' '.join(args)} exited {result.returncode}\n{result.stderr[-3000:]}")
    return result


@pytest.fixture(scope="module")
def env(real_build, data_root) -> dict:
    var_dir, build_output = real_build  # built by `hres build` (tests/conftest.py)
    return dict(os.environ, HRES_VAR_DIR=str(var_dir), HRES_DATA_ROOT=str(data_root), BUILD_OUTPUT=build_output)


def test_build_loads_every_source_and_reports_unresolved_names(env):
    from hres_graph.importers import IMPORTERS

    report = json.loads((Path(env["HRES_VAR_DIR"]) / "report.json").read_text())
    assert {s["id"] for s in report["sources"]} == set(IMPORTERS)
    assert all(s["triples"] > 0 for s in report["sources"])
    assert "Unresolved names:" in env["BUILD_OUTPUT"]


def test_stats_lists_every_named_graph(env):
    from hres_graph.importers import IMPORTERS

    out = json.loads(hres("stats", "--format", "json", env=env).stdout)
    graphs = {g.rsplit("/", 1)[1] for g in out["graphs"]}
    assert graphs == set(IMPORTERS) | {"ontology", "vocab", "reference", "meta", "derived", "links"}
    assert out["classes"]["https://w3id.org/hres/ontology#Recommendation"] >= 41_066
    table = hres("stats", env=env).stdout
    assert "graph:upr-info" in table and "hres:Recommendation" in table


def test_upr_recommendations_per_response(env):
    query = """SELECT ?status (COUNT(?rec) AS ?n) WHERE {
      GRAPH graph:upr-info { ?rec a hres:Recommendation . ?r hres:respondsTo ?rec ; hres:responseStatus ?status }
    } GROUP BY ?status ORDER BY DESC(?n)"""
    out = hres("query", query, "--format", "csv", env=env).stdout.splitlines()
    assert out[0] == "status,n"
    assert out[1:] == [
        "https://w3id.org/hres/vocab/response-status/supported,30472",
        "https://w3id.org/hres/vocab/response-status/noted,10594",
    ]


def test_query_over_ontology_and_reference_data(env):
    out = json.loads(
        hres(
            "query",
            "SELECT ?body WHERE { ?body hres:monitors <https://w3id.org/hres/id/instrument/iccpr> }",
            "--format",
            "json",
            env=env,
        ).stdout
    )
    assert {b["body"]["value"] for b in out["results"]["bindings"]} == {"https://w3id.org/hres/id/mechanism/ccpr"}


def test_bad_query_is_exit_code_2_with_position(env):
    result = hres("query", "SELECT ?x WHERE { ?x ?y", env=env, check=False)
    assert result.returncode == 2
    assert "error: SPARQL syntax error at line 1, column 24" in result.stderr
    assert "Traceback" not in result.stderr


def test_export_whole_graph_and_one_graph(env, tmp_path):
    nq = tmp_path / "all.nq"
    hres("export", "--format", "nquads", "-o", str(nq), env=env)
    assert nq.stat().st_size > 10_000_000
    ttl = tmp_path / "reference.ttl"
    hres("export", "--format", "turtle", "--graph", "reference", "-o", str(ttl), env=env)
    assert "@prefix hres:" in ttl.read_text(encoding="utf-8")
    refused = hres("export", "--format", "turtle", "-o", str(tmp_path / "x.ttl"), env=env, check=False)
    assert refused.returncode == 2 and "--graph" in refused.stderr


def test_missing_store_is_a_clear_error(tmp_path):
    env = dict(os.environ, HRES_VAR_DIR=str(tmp_path / "empty"))
    result = hres("stats", env=env, check=False)
    assert result.returncode == 3 and "run `hres build`" in result.stderr
