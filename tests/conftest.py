"""Shared fixtures. Tests that need ../shared/data fail in CI when it is missing and skip elsewhere."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("HRES_DATA_ROOT", ROOT.parent / "shared" / "data"))
FIXTURES = Path(__file__).resolve().parent / "data"


def _require(path: Path) -> Path:
    if path.exists():
        return path
    message = f"real data not found at {path} (set HRES_DATA_ROOT or place ../shared beside the project)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def data_root() -> Path:
    """../shared/data: the real public data the importers read."""
    return _require(SHARED_DATA)


@pytest.fixture(scope="session")
def state_resolver(data_root):
    from hres_graph.importers.state_names import StateResolver

    return StateResolver.from_internacia(data_root / "raw" / "internacia-states" / "countries")


@pytest.fixture()
def import_context(state_resolver, data_root):
    from hres_graph.importers.base import ImportContext, ImportReport

    return ImportContext(states=state_resolver, report=ImportReport("test"), data_root=data_root)
