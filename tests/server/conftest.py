"""Fixtures for the server tests: a small store, the app, its test client, and a live server.

The store is built from `fixture.trig` (hand-written, same layout as `hres build`: one named graph
per source, provenance with the dataset version in graph/meta) into a temporary var_dir with a
`current` link, so the tests do not depend on the ontology or the real data being built.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests

from hres_graph.config import Settings

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).with_name("fixture.trig")
VERSION = "0.0.0+fixture"
TIMEOUT = 2.0        # QUERY_TIMEOUT of every app and server here
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

    return create_app({"TESTING": True, "QUERY_TIMEOUT": TIMEOUT, "QUERY_WORKERS": 2, "ROW_CAP": ROW_CAP,
                       "QUEUE_TIMEOUT": 3, **config}, settings=settings)


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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """`hres serve` in a subprocess on a free 127.0.0.1 port."""

    def __init__(self, var_dir: Path, env: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = var_dir / f"serve-{self.port}.log"
        command = [sys.executable, "-m", "hres_graph", "--var-dir", str(var_dir), "serve", "--port",
                   str(self.port), "--timeout", str(TIMEOUT), "--workers", "2"]
        full_env = {**os.environ, "PYTHONPATH": str(ROOT), "HRES_ROW_CAP": "100000", **(env or {})}
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=full_env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"hres serve exited: {self.log.read_text()}")
            try:
                requests.get(self.url + "/sparql", headers={"Accept": "text/turtle"}, timeout=1).close()
                return
            except requests.ConnectionError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"hres serve did not answer within 30 s: {self.log.read_text()}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """A read-only server (the default configuration)."""
    server = LiveServer(make_var_dir(tmp_path_factory.mktemp("live")).var_dir)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def live_update_server(tmp_path_factory):
    """A server with /update enabled (writes go to its sandbox copy of the store)."""
    server = LiveServer(make_var_dir(tmp_path_factory.mktemp("live-update")).var_dir,
                        env={"HRES_UPDATE_TOKEN": UPDATE_TOKEN})
    yield server
    server.stop()
