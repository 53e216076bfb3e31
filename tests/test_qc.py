"""QC violation queries over the hand-edited RDF: zero ERROR rows each. (The data checks: test_qc_sources.py.)"""

from __future__ import annotations

import pytest

from hres_graph.quality.qc import SCOPES, SEVERITIES, check_scope, load_hand_edited, qc_checks, run_check

CHECKS = qc_checks("hand-edited")
SUFFIXES = {"ERROR": "-violation", "WARN": "-warning", "INFO": "-info"}


def test_there_are_checks():
    assert len(CHECKS) >= 5


@pytest.mark.parametrize("check", qc_checks(), ids=[c.name for c in qc_checks()])
def test_file_name_says_the_severity(check):
    assert check.header.get("severity") in SEVERITIES, f"{check.path.name}: no valid #+ severity"
    assert check_scope(check) in SCOPES, f"{check.path.name}: #+ scope is one of {SCOPES}"
    assert check.name.endswith(SUFFIXES[check.header["severity"]]), check.path.name


@pytest.fixture(scope="module")
def store():
    return load_hand_edited()


@pytest.mark.parametrize("check", CHECKS, ids=[c.name for c in CHECKS])
def test_check_passes(check, store):
    assert check.header.get("severity") in ("ERROR", "WARN", "INFO"), f"{check.path.name}: no valid #+ severity"
    errors = [v for v in run_check(check, store) if v.severity == "ERROR"]
    table = "\n".join(str(v) for v in errors)
    assert not errors, f"{len(errors)} violation(s) of {check.name}:\nLevel  Check  Entity  Property  Value\n{table}"


def test_check_command_exits_0_on_the_shipped_ontology(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from hres_graph.cli import main

    monkeypatch.setenv("HRES_VAR_DIR", str(tmp_path))  # no built store: the hand-edited checks only
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 0, result.output
    assert "consistent=True, unsatisfiable classes=0" in result.output


def test_check_fails_on_an_unlabelled_term(monkeypatch, tmp_path):
    import pyoxigraph as ox

    from hres_graph.quality import check as checks

    def with_bad_term():
        store = load_hand_edited()
        store.add(
            ox.Quad(
                ox.NamedNode("https://w3id.org/hres/ontology#Unlabelled"),
                ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                ox.NamedNode("http://www.w3.org/2002/07/owl#Class"),
            )
        )
        return store

    monkeypatch.setattr(checks, "load_hand_edited", with_bad_term)
    monkeypatch.setenv("HRES_VAR_DIR", str(tmp_path))
    problems = checks.run_checks(reasoner=False, echo=lambda *a: None)
    assert any("ontology#Unlabelled" in p and "term-missing-label" in p for p in problems)
