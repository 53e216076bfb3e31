"""Fixtures of the browser tests: a small built store, the real server in a subprocess, headless Chromium.

- The store: `hres build` with no sources (ontology, vocabularies, reference data; about 2 s) plus
  `fixture.trig` (hand-written States, recommendations, responses, an assessment, an election) loaded
  into its own named graph.
- The server: `hres serve` (waitress + query workers) on a free 127.0.0.1 port.
- The browser: Debian's `chromium` driven by Selenium through Debian's `chromium-driver` (a Service with
  an explicit path, so Selenium Manager never downloads anything). Missing browser, driver, selenium or
  the bundled UI assets: the tests FAIL in CI (CI=true) and skip elsewhere, saying what to install.

Screenshots go to tests/artifacts/ui/ (git-ignored).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from suites.live_server import LiveServer

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).with_name("fixture.trig")
ARTIFACTS = ROOT / "tests" / "artifacts" / "ui"
CHROMIUM = os.environ.get("HRES_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("HRES_CHROMEDRIVER", "/usr/bin/chromedriver")
VENDOR = ROOT / "server" / "static" / "vendor"
TIMEOUT = 3.0  # QUERY_TIMEOUT of the test server
ROW_CAP = 500  # HRES_ROW_CAP of the test server (so truncation can be shown)
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1366,900",
)


def _missing(message: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def require_browser() -> None:
    problems = [
        f"{name} not found at {path}"
        for name, path in (("chromium", CHROMIUM), ("chromedriver", CHROMEDRIVER))
        if not (Path(path).exists() or shutil.which(path))
    ]
    try:
        import selenium  # noqa: F401
    except ImportError:
        problems.append("the Python package selenium is not installed")
    if not ((VENDOR / "editor.js").is_file() and (VENDOR / "charts.js").is_file()):
        problems.append(f"the UI bundles are not built in {VENDOR}")
    if problems:
        _missing(
            "browser tests need Debian's chromium and chromium-driver (make system-deps), selenium "
            "(pip install -e '.[test]') and the bundled UI assets (npm ci && npm run build): " + "; ".join(problems)
        )


def build_store(var_dir: Path) -> None:
    import pyoxigraph as ox

    from hres_graph.build.pipeline import build
    from hres_graph.config import Settings

    build(Settings(var_dir=var_dir, sources=[]), log=lambda message: None)
    store = ox.Store(str((var_dir / "current").resolve()))
    store.bulk_load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    store.flush()
    del store


def start_server(var_dir: Path, log_dir: Path | None = None) -> LiveServer:
    return LiveServer(var_dir, timeout=TIMEOUT, row_cap=ROW_CAP, log_dir=log_dir)


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    require_browser()
    var_dir = tmp_path_factory.mktemp("ui-var")
    build_store(var_dir)
    running = start_server(var_dir)
    yield running
    running.stop()


@pytest.fixture(scope="session")
def downloads(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="session")
def browser(server, downloads):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which(CHROMIUM) or CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="hres-ui-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument("--lang=en-GB")
    options.add_experimental_option(
        "prefs",
        {
            "download.default_directory": str(downloads),
            "download.prompt_for_download": False,
            "intl.accept_languages": "en-GB,en",
        },
    )
    service = Service(executable_path=shutil.which(CHROMEDRIVER) or CHROMEDRIVER)
    driver = webdriver.Chrome(service=service, options=options)
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture()
def shot(browser):
    """shot("name"): a full-page screenshot in tests/artifacts/ui/name.png."""

    def take(name: str) -> Path:
        height = browser.execute_script("window.scrollTo(0, 0); return Math.max(document.body.scrollHeight, 900)")
        browser.set_window_size(1366, min(height + 40, 4000))
        path = ARTIFACTS / f"{name}.png"
        browser.save_screenshot(str(path))
        browser.set_window_size(1366, 900)
        return path

    return take
