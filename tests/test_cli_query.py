"""`hres query` runs its query in a confined worker (issue 14, items 1 and 9, the CLI part): deep
nesting, a FIFO given to -f, or a query that needs too much memory end with exit code 2 and a
message, never a crash or a hang. Runs on the server tests' small fixture store."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.server.conftest import ROOT, make_var_dir


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> dict:
    settings = make_var_dir(tmp_path_factory.mktemp("cli-query"))
    return dict(os.environ, HRES_VAR_DIR=str(settings.var_dir), PYTHONPATH=str(ROOT))


def hres(env: dict, *args: str, stdin: str | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "hres_graph", "query", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        input=stdin,
        timeout=timeout,
    )


def test_a_query_runs_from_the_argument_a_file_and_standard_input(env, tmp_path):
    text = "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    (tmp_path / "q.rq").write_text(text)
    outputs = [
        hres(env, text, "--format", "csv"),
        hres(env, "-f", str(tmp_path / "q.rq"), "--format", "csv"),
        hres(env, "-", "--format", "csv", stdin=text),
        hres(env, "-f", "-", "--format", "csv", stdin=text),
    ]
    assert all(r.returncode == 0 for r in outputs), [r.stderr for r in outputs]
    assert len({r.stdout for r in outputs}) == 1 and outputs[0].stdout.startswith("g\n")
    construct = hres(env, "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 2")
    assert construct.returncode == 0 and "@prefix" in construct.stdout


@pytest.mark.parametrize("opening", ["{", "(", "!"])
def test_sixty_kilobytes_of_nesting_is_exit_2_not_a_segfault(env, tmp_path, opening):
    body = {
        "{": "{" * 30_000 + "}" * 30_000,
        "(": "FILTER(" + "(" * 30_000 + "1" + ")" * 30_001 + "}",
        "!": "FILTER(" + "!" * 60_000 + "true) }",
    }[opening]
    text = "SELECT * WHERE " + ("" if opening == "{" else "{ ") + body
    path = tmp_path / "deep.rq"
    path.write_text(text)
    result = hres(env, "-f", str(path))
    assert result.returncode == 2, (result.returncode, result.stderr[-500:])
    assert "nested more than" in result.stderr and "Traceback" not in result.stderr


def test_a_fifo_given_to_f_is_refused_at_once(env, tmp_path):
    fifo = tmp_path / "query.fifo"
    os.mkfifo(fifo)
    result = hres(env, "-f", str(fifo), timeout=20)  # it hung for ever before (open() waits for a writer)
    assert result.returncode == 2 and "not a regular file" in result.stderr


def test_a_device_given_to_f_is_refused(env):
    result = hres(env, "-f", "/dev/zero", timeout=20)
    assert result.returncode == 2 and "not a regular file" in result.stderr


def test_a_query_that_kills_its_worker_is_exit_2_with_a_message(env):
    doubling = 'SELECT (STRLEN(?a24) AS ?n) WHERE { BIND("%s" AS ?a0) %s }' % (
        "a" * 64,
        " ".join(f"BIND(CONCAT(?a{i}, ?a{i}) AS ?a{i + 1})" for i in range(24)),
    )
    result = hres(dict(env, HRES_WORKER_MEMORY=str(600 * 2**20)), doubling)
    assert result.returncode == 2, result.stderr[-500:]
    assert "memory" in result.stderr and "Traceback" not in result.stderr


def test_a_syntax_error_keeps_its_position(env):
    result = hres(env, "SELECT ?x WHERE { ?x ?y")
    assert result.returncode == 2 and "SPARQL syntax error at line 1, column 24" in result.stderr
