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


@pytest.fixture(scope="session")
def real_build(tmp_path_factory, data_root):
    """The whole real dataset built ONCE per test session, by the `hres build` command itself.

    Returns (var_dir, build stdout). Tests that need the real graph share it, so CI builds it once.
    """
    import subprocess
    import sys

    var_dir = tmp_path_factory.mktemp("real-var")
    env = dict(os.environ, HRES_VAR_DIR=str(var_dir), HRES_DATA_ROOT=str(data_root))
    result = subprocess.run(
        [sys.executable, "-m", "hres_graph", "build", "--report", str(var_dir / "report.json")],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    if result.returncode != 0:
        pytest.fail(f"hres build exited {result.returncode}:\n{result.stderr[-3000:]}")
    return var_dir, result.stdout


@pytest.fixture(scope="session")
def real_settings(real_build):
    """Settings pointing at the session's real store."""
    from hres_graph.config import Settings

    return Settings(var_dir=real_build[0])
