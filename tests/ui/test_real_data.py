"""The UI over the real build (`hres build` of ../shared/data, 1.5 M triples): each page shows real content.

Runs against the session's real build (tests/conftest.py `real_build`: fails in CI without ../shared/data,
skips elsewhere). Screenshots: tests/artifacts/ui/real-*.png.
"""

from __future__ import annotations

import pytest

from .conftest import start_server
from .test_browser import table, wait_for, wait_text

pytestmark = [pytest.mark.slow, pytest.mark.real_data]


@pytest.fixture(scope="module")
def real_server(real_build):
    var_dir, _ = real_build
    server = start_server(var_dir, log_dir=var_dir)
    yield server
    server.stop()


def test_real_pages_show_real_content(browser, real_server, shot):
    url = real_server.url
    browser.get(f"{url}/?name=instruments-not-ratified&state=hresid:state/USA&run=1")
    wait_for(browser, "#result-table tbody tr", count=5)
    assert "ICESCR" in [row[3] for row in table(browser)[1]]
    shot("real-01-named-query")
    browser.get(url + "/id/state/SVN")
    wait_text(browser, "h1", "Slovenia")
    total = int(browser.find_element("css selector", "#recs-by-cycle tfoot td:last-child").text)
    assert total > 500
    wait_for(browser, "#recs-chart svg .mark-rect path", count=4)
    assert "Convention on the Rights of the Child" in browser.find_element("id", "participation").text
    shot("real-02-state")
    browser.get(url + "/id/recommendation/upr-info/3078cc857de6")
    wait_text(browser, "#rec-text", "quota system")
    assert "Supported" in browser.find_element("id", "responses").text
    shot("real-03-recommendation")
    browser.get(url + "/id/instrument/crc")
    wait_for(browser, "#articles li", count=40)
    assert len(browser.find_elements("css selector", "#parties tbody tr")) > 150
    shot("real-04-instrument")
