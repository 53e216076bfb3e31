"""The HTTP benchmarks, reduced, on the small synthetic store: only facts that hold on any machine.

They run `suites.benchmarks.http` and `.load` in-process with short phases against real `hres serve`
and rdflib-endpoint subprocesses. Checked: statuses (no 500, no silence, no error under the mixed
load), that /sparql with the parameters written in and /api/queries give the same rows, that
pathological queries end with the timeout status within the timeout + 1 s while lookups answer,
and that the server's CPU falls back to idle afterwards. Never a speed.
"""

from __future__ import annotations

import pytest

from suites.benchmarks import http, load
from suites.benchmarks.common import build_small_store

pytestmark = pytest.mark.slow

QUERIES = "theme-share,supported-unassessed,regional-flows"


@pytest.fixture(scope="module")
def small_store(tmp_path_factory):
    return build_small_store(tmp_path_factory.mktemp("bench-var"))


@pytest.fixture(scope="module")
def http_run(small_store, tmp_path_factory):
    args = http.parse_args(
        [
            "--quick",
            "--store",
            str(small_store),
            "--queries",
            QUERIES,
            "--duration",
            "0.5",
            "--timeout",
            "10",
            "--work-dir",
            str(tmp_path_factory.mktemp("http")),
        ]
    )
    return args, http.run(args)


@pytest.fixture(scope="module")
def load_run(small_store, tmp_path_factory):
    args = load.parse_args(
        [
            "--quick",
            "--store",
            str(small_store),
            "--parts",
            "2,3",
            "--storm-long",
            "8",
            "--patho-duration",
            "4",
            "--mixed-duration",
            "4",
            "--mixed-timeout",
            "10",
            "--work-dir",
            str(tmp_path_factory.mktemp("load")),
        ]
    )
    return args, load.run(args)


def test_hres_answers_every_case_with_200(http_run):
    _, report = http_run
    assert len(report["cases"]) == 1 + len(QUERIES.split(","))
    for label, entry in {**report["hres"], **report["hres_api"]}.items():
        assert entry["probe_status"] == 200 and entry["errors"] == 0, (label, entry)
        assert entry["rows"] is not None, label


def test_sparql_text_and_api_give_the_same_rows(http_run):
    _, report = http_run
    assert report["hres_api"]
    for label, entry in report["hres_api"].items():
        assert entry["rows"] == report["hres"][label]["rows"], label


def test_rdflib_endpoint_answers_or_times_out_and_agrees_on_the_lookup(http_run):
    args, report = http_run
    lookup = report["cases"][0]
    assert report["rdflib"][lookup]["probe_status"] == 200
    assert report["rdflib"][lookup]["rows"] == report["hres"][lookup]["rows"] > 0
    for label, entry in report["rdflib"].items():
        assert entry["probe_status"] in (0, 200), (label, entry)  # an answer, or none within the bound
    text = http.render(report, args)
    assert "rdflib-endpoint req/s" in text and "ratio" in text


def test_pathological_queries_end_with_504_within_timeout_plus_1s_while_lookups_answer(load_run):
    """Issue 5: one client's pathological query while 8 others look up."""
    args, report = load_run
    part = report["one_pathological"]
    bad, look = part["pathological"], part["lookup"]
    assert set(bad["statuses"]) == {"504"}, bad
    assert bad["504_ms"]["max"] <= (args.timeout + 1) * 1000, bad
    assert set(look["statuses"]) <= {"200", "503"} and look["ok"] > 0, look


def test_eight_pathological_clients_stop_at_the_timeout_and_cpu_is_released(load_run):
    """Issue 8 §3 with hres serve's defaults: 2 query workers and a long lane of 8."""
    args, report = load_run
    (storm,) = report["storms"]
    bad, look = storm["pathological"], storm["lookup"]
    assert bad["requests"] > 0 and set(bad["statuses"]) <= {"503", "504"} and "504" in bad["statuses"], bad
    assert bad["504_ms"]["max"] <= (args.timeout + args.queue_timeout + 1) * 1000, bad
    assert set(look["statuses"]) <= {"200", "503"} and look["ok"] > 0, look
    assert storm["server_alive"] and storm["workers_alive_after"] == storm["workers"]
    assert storm["idle_after_s"] is not None, storm  # under 5 % of a core within 30 s
    assert storm["lookup_after"]["status"] == 200


def test_mixed_load_has_no_errors(load_run):
    args, report = load_run
    mixed = report["mixed"]
    assert mixed["server_alive"]
    assert mixed["named_cases"] > 0 and mixed["named"]["ok"] > 0 and mixed["lookup"]["ok"] > 0
    assert mixed["all"]["errors"] == 0, mixed["error_samples"]
    assert "Part 3, sustained load" in load.render(report, args)
