"""QC violation queries over the hand-edited RDF: zero ERROR rows each."""
from __future__ import annotations

import pytest

from hres_graph.qc import load_hand_edited, qc_checks, run_check

CHECKS = qc_checks()


def test_there_are_checks():
    assert len(CHECKS) >= 5


@pytest.fixture(scope="module")
def store():
    return load_hand_edited()


@pytest.mark.parametrize("check", CHECKS, ids=[c.name for c in CHECKS])
def test_check_passes(check, store):
    assert check.header.get("severity") in ("ERROR", "WARN", "INFO"), f"{check.path.name}: no valid #+ severity"
    errors = [v for v in run_check(check, store) if v.severity == "ERROR"]
    table = "\n".join(str(v) for v in errors)
    assert not errors, f"{len(errors)} violation(s) of {check.name}:\nLevel  Check  Entity  Property  Value\n{table}"
