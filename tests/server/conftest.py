"""Fixtures for the server tests: a small store, the app, its test client, and a live server (suites/live_server.py).

The store is built from `fixture.trig` (hand-written, same layout as `hres build`: one named graph
per source, provenance with the dataset version in graph/meta) into a temporary var_dir with a
`current` link, so the tests do not depend on the ontology or the real data being built.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from hres_graph.config import Settings
from suites.live_server import LiveServer

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).with_name("fixture.trig")
VERSION = "0.0.0+fixture"
TIMEOUT = 2.0  # QUERY_TIMEOUT of every app and server here
ROW_CAP = 1000
UPDATE_TOKEN = "test-update-token-0123456789"


def make_var_dir(var_dir: Path) -> Settings:
    store_dir = var_dir / "stores" / "fixture"
    store_dir.parent.mkdir(parents=True)
    store = ox.Store(str(store_dir))
    store.bulk_load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    store.flush()
    del store
    (var_dir / "current").symlink_to(store_dir.relative_to(var_dir))
    return Settings(var_dir=var_dir)


@pytest.fixture(scope="session")
def settings(tmp_path_factory) -> Settings:
    return make_var_dir(tmp_path_factory.mktemp("var"))


def _app(settings: Settings, **config):
    from server import create_app

    return create_app(
        {
            "TESTING": True,
            "QUERY_TIMEOUT": TIMEOUT,
            "QUERY_WORKERS": 2,
            "ROW_CAP": ROW_CAP,
            "QUEUE_TIMEOUT": 3,
            **config,
        },
        settings=settings,
    )


@pytest.fixture(scope="session")
def make_app(settings):
    """create_app with the test defaults; every app made is closed (workers stopped) at the end."""
    apps = []

    def make(**config):
        apps.append(_app(settings, **config))
        return apps[-1]

    yield make
    for app in apps:
        app.extensions["hres"].close()


@pytest.fixture(scope="session")
def app(make_app):
    return make_app()


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """A read-only server (the default configuration)."""
    server = LiveServer(make_var_dir(tmp_path_factory.mktemp("live")).var_dir, timeout=TIMEOUT, row_cap=100_000)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def live_update_server(tmp_path_factory):
    """A server with /update enabled (writes go to its sandbox copy of the store)."""
    server = LiveServer(
        make_var_dir(tmp_path_factory.mktemp("live-update")).var_dir,
        timeout=TIMEOUT,
        row_cap=100_000,
        env={"HRES_UPDATE_TOKEN": UPDATE_TOKEN},
    )
    yield server
    server.stop()
