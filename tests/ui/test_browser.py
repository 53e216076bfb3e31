"""End-to-end tests of the web UI in headless Chromium, against the real server (see conftest.py).

A person's path through the UI: open `/`, pick a named query, fill its parameter, run it with Ctrl+Enter,
see the rows, sort them, download them, keep the permalink; switch to the chart view; open an entity page
from a result (a State, a recommendation, an instrument); validate a bad file and read the message. Also:
the row cap and the timeout are shown, the labels switch to French, and no request leaves the server.
Each test leaves a screenshot in tests/artifacts/ui/.
"""

from __future__ import annotations

import time
from urllib.parse import parse_qs, quote, urlparse

import pytest
import requests

from .conftest import ROOT, ROW_CAP

pytestmark = pytest.mark.slow

WAIT = 15
KEN = "https://w3id.org/hres/id/state/KEN"
BAD_FILE = ROOT / "shapes" / "examples" / "invalid" / "REC-02-01.ttl"
COUNTS = (
    "SELECT ?state ?stateLabel (COUNT(?rec) AS ?n) WHERE { ?rec hres:addressedTo ?state . ?state a hres:State . "
    "?state rdfs:label ?stateLabel FILTER(lang(?stateLabel) = 'en') } GROUP BY ?state ?stateLabel"
)
BY_STATUS = (
    "SELECT ?state ?status (COUNT(?rec) AS ?n) WHERE { ?rec hres:addressedTo ?state . "
    "?response hres:respondsTo ?rec ; hres:responseStatus ?status } GROUP BY ?state ?status"
)
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { %s }" % " ".join(
    "VALUES ?%s { %s }" % (v, " ".join(str(i) for i in range(40))) for v in "abcdef"
)


def wait_for(browser, css: str, *, count: int = 1, timeout: float = WAIT):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    def found(driver):
        elements = [e for e in driver.find_elements(By.CSS_SELECTOR, css) if e.is_displayed()]
        return elements if len(elements) >= count else False

    return WebDriverWait(browser, timeout).until(found, f"no {count} visible element(s) {css!r} in {timeout} s")


def wait_text(browser, css: str, text: str, timeout: float = WAIT):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, timeout).until(
        lambda d: text in d.find_element(By.CSS_SELECTOR, css).text, f"{text!r} did not appear in {css!r}"
    )
    return browser.find_element(By.CSS_SELECTOR, css)


def table(browser) -> tuple[list[str], list[list[str]]]:
    header = [th.text.rstrip(" ↕▲▼") for th in browser.find_elements("css selector", "#result-table thead th")]
    rows = [
        [td.text for td in tr.find_elements("css selector", "td")]
        for tr in browser.find_elements("css selector", "#result-table tbody tr")
    ]
    return header, rows


def run_query(browser, server, text: str, **extra) -> None:
    params = "&".join(f"{k}={quote(str(v))}" for k, v in extra.items())
    browser.get(f"{server.url}/?query={quote(text)}&run=1" + (f"&{params}" if params else ""))


def test_pick_a_named_query_run_it_sort_download_and_permalink(browser, server, downloads, shot):
    from selenium.webdriver.common.keys import Keys

    browser.get(server.url + "/")
    items = wait_for(browser, ".catalogue-item")
    catalogue = requests.get(server.url + "/api/queries", timeout=5).json()
    assert len(items) == len(catalogue) >= 1
    search = browser.find_element("id", "catalogue-search")
    search.send_keys("no such query anywhere")
    wait_text(browser, "#catalogue-status", "No named query matches")
    assert not [e for e in browser.find_elements("css selector", ".catalogue-item") if e.is_displayed()]
    search.clear()
    search.send_keys("not ratified")
    item = wait_for(browser, '.catalogue-item[data-name="instruments-not-ratified"]')[0]
    item.click()
    wait_text(browser, "#query-info-title", "not ratified")
    editor = wait_for(browser, ".cm-content")[0]
    assert "instrumentLabel" in editor.text and browser.find_elements("css selector", ".cm-host .ͼb, .cm-host span")
    state = browser.find_element("id", "param-state")
    state.send_keys("hresid:state/KEN")
    editor.click()
    editor.send_keys(Keys.CONTROL, Keys.ENTER)  # Ctrl+Enter runs from inside the editor
    wait_for(browser, "#result-table tbody tr")
    header, rows = table(browser)
    assert header == ["state", "stateLabel", "instrument", "instrumentLabel", "status", "signatureDate"]
    by_instrument = {row[3]: row[4] for row in rows}
    assert by_instrument["CRPD"] == "signed" and "ICCPR" not in by_instrument and "CEDAW" not in by_instrument
    assert len(rows) == 16 and all(row[0] == "hresid:state/KEN" for row in rows)
    assert (
        browser.find_element("css selector", "#result-table tbody a").get_attribute("href")
        == server.url + "/id/state/KEN"
    )
    query = parse_qs(urlparse(browser.current_url).query)  # the address bar is the permalink
    assert query["name"] == ["instruments-not-ratified"] and query["state"] == ["hresid:state/KEN"]
    shot("01-named-query-results")

    sort = browser.find_element("css selector", "#result-table thead th:nth-child(4) button")
    sort.click()
    assert (
        browser.find_element("css selector", "#result-table thead th:nth-child(4)").get_attribute("aria-sort")
        == "ascending"
    )
    first = table(browser)[1][0][3]
    browser.find_element("css selector", "#result-table thead th:nth-child(4) button").click()
    assert (
        browser.find_element("css selector", "#result-table thead th:nth-child(4)").get_attribute("aria-sort")
        == "descending"
    )
    assert table(browser)[1][-1][3] == first

    browser.find_element("css selector", '[data-download="csv"]').click()
    target = downloads / "instruments-not-ratified-results.csv"
    deadline = time.monotonic() + 10
    while not target.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "state,stateLabel,instrument,instrumentLabel,status,signatureDate" and len(lines) == 17

    browser.get(browser.current_url)  # the permalink reopens the query with its parameter and runs it
    wait_for(browser, "#result-table tbody tr")
    assert browser.find_element("id", "param-state").get_attribute("value") == "hresid:state/KEN"
    assert len(table(browser)[1]) == 16


def test_chart_view_bar_stacked_and_heatmap(browser, server, shot):
    from selenium.webdriver.support.ui import Select

    declared = sorted(
        (
            q
            for q in requests.get(server.url + "/api/queries", timeout=5).json()
            if (q.get("view") or {}).get("type", "table") != "table"
        ),
        key=lambda q: q["name"] != "theme-recommendations",
    )
    if declared:  # a named query whose header declares a chart opens on it
        browser.get(f"{server.url}/?name={declared[0]['name']}&run=1")
        wait_text(browser, "#status", "rows in")
        assert browser.find_element("id", "tab-chart").get_attribute("aria-selected") == "true"
        assert browser.find_element("id", "panel-table").get_attribute("hidden")
        if declared[0]["name"] == "theme-recommendations":  # the fixture's election recommendations to Kenya
            wait_for(browser, "#chart svg .mark-rect path", count=3)
            assert "Kenya" in browser.find_element("css selector", "#chart svg").text
            shot("02-chart-declared-" + declared[0]["view"]["type"])
    run_query(browser, server, COUNTS)
    wait_for(browser, "#result-table tbody tr")
    rows = table(browser)[1]
    assert sorted(row[2] for row in rows) == ["1", "3"]
    browser.find_element("id", "tab-chart").click()
    bars = wait_for(browser, "#chart svg .mark-rect path", count=2)
    assert len(bars) == 2
    assert "chart" in parse_qs(urlparse(browser.current_url).query).get("view", [])
    assert "Kenya" in browser.find_element("css selector", "#chart svg").text
    shot("02-chart-bar")

    run_query(browser, server, BY_STATUS, view="chart", chart="stacked-bar")
    wait_for(browser, "#chart svg .mark-rect path", count=2)
    assert (
        Select(browser.find_element("id", "chart-type")).first_selected_option.get_attribute("value") == "stacked-bar"
    )
    assert (
        "Supported" in browser.find_element("css selector", "#chart svg").text
        or "supported" in browser.find_element("css selector", "#chart svg").text
    )
    shot("03-chart-stacked-bar")
    Select(browser.find_element("id", "chart-type")).select_by_value("heatmap")
    wait_for(browser, "#chart svg .mark-rect path", count=2)
    shot("04-chart-heatmap")


def test_open_entity_pages_from_a_result(browser, server, shot):
    run_query(browser, server, COUNTS)
    wait_for(browser, "#result-table tbody tr")
    link = next(
        a for a in browser.find_elements("css selector", "#result-table tbody a") if a.text == "hresid:state/KEN"
    )
    link.click()
    wait_text(browser, "h1", "Kenya")
    assert browser.current_url == server.url + "/id/state/KEN"
    timeline = browser.find_element("id", "participation").text
    assert "1972" in timeline and "International Covenant on Civil and Political Rights" in timeline
    assert "Signature" in timeline
    crosstab = browser.find_element("id", "recs-by-cycle")
    assert crosstab.find_element("css selector", "tfoot td:last-child").text == "3"
    assert "Supported" in crosstab.text and "Noted" in crosstab.text
    assert "Observation mission" in browser.find_element("id", "elections").text
    wait_for(browser, "#recs-chart svg .mark-rect path", count=2)
    gap_links = wait_for(browser, "#gap-queries a")
    assert any(
        "state=" + quote(KEN, safe="") in a.get_attribute("href") or "state=https" in a.get_attribute("href")
        for a in gap_links
    )
    shot("05-entity-state")

    browser.get(server.url + "/id/recommendation/ui-fixture/2")
    wait_text(browser, "#rec-text", "Adopt the pending law")
    assert "Noted" in browser.find_element("id", "responses").text
    related = browser.find_element("id", "related").text
    assert "hres:repeats" in related and "cycle 2" in related
    browser.find_element("link text", "Recommendation of Norway to Kenya (UPR cycle 2)").click()
    wait_text(browser, "#assessments", "Partially implemented")
    assert "← hres:repeats" in browser.find_element("id", "related").text
    shot("06-entity-recommendation")

    browser.get(server.url + "/id/instrument/iccpr")
    wait_for(browser, "#articles li", count=5)
    parties = browser.find_element("id", "parties").text
    assert "Kenya" in parties and "Norway" in parties
    shot("07-entity-instrument")


def test_validate_a_bad_file_and_read_the_message(browser, server, shot, tmp_path):
    browser.get(server.url + "/validate")
    browser.find_element("id", "file").send_keys(str(BAD_FILE))
    browser.find_element("css selector", "form.upload button[type=submit]").click()
    verdict = wait_text(browser, "#outcome", "Does not conform")
    assert "REC-02-01.ttl" in verdict.text
    group = browser.find_element("css selector", ".focus-node")
    assert "ken-2022-01" in group.find_element("tag name", "h3").text
    assert "REC-02-recommendation-has-text" in group.text and "hres:text" in group.text
    assert "has no text" in group.text.lower() or "no text" in group.text.lower()
    formats = [a.get_attribute("download") for a in browser.find_elements("css selector", "a[download]")]
    assert formats == ["REC-02-01-report.txt", "REC-02-01-report.json", "REC-02-01-report.ttl"]
    shot("08-validate-report")

    broken = tmp_path / "broken.ttl"
    broken.write_text(
        '@prefix hres: <https://w3id.org/hres/ontology#> .\n<a> hres:text "unterminated .\n', encoding="utf-8"
    )
    browser.get(server.url + "/validate?lang=fr")
    browser.find_element("id", "file").send_keys(str(broken))
    browser.find_element("css selector", "form.upload button[type=submit]").click()
    wait_text(browser, "#outcome", "Le fichier n'a pas pu être lu")
    message = browser.find_element("css selector", ".error-text").text
    assert "broken.ttl" in message and "line" in message and "/tmp" not in message
    shot("09-validate-unreadable")
    browser.get(server.url + "/validate?lang=en")


def test_truncation_and_timeout_are_shown(browser, server, shot):
    run_query(browser, server, "SELECT * WHERE { ?s ?p ?o }")
    status = wait_text(browser, "#status", "Truncated")
    assert str(ROW_CAP) in status.text
    header, rows = table(browser)
    assert len(rows) == 50 and f"of {ROW_CAP}" in browser.find_element("id", "page-info").text
    shot("10-truncated")
    run_query(browser, server, RUNAWAY)
    status = wait_text(browser, "#status", "Timed out", timeout=WAIT)
    assert (
        "QUERY_TIMEOUT" in status.text
        and "error" in status.get_attribute("class")
        or "timeout" in status.get_attribute("class")
    )
    shot("11-timeout")


def test_french_labels_keyboard_and_no_outside_requests(browser, server, shot):
    from selenium.webdriver.common.keys import Keys

    browser.get(server.url + "/?lang=fr")
    wait_for(browser, ".catalogue-item")
    assert browser.find_element("tag name", "html").get_attribute("lang") == "fr"
    assert "Exécuter" in browser.find_element("id", "run").text
    # keyboard only: the skip link, then Tab reaches the controls; Enter on a catalogue entry loads it
    body = browser.find_element("tag name", "body")
    body.send_keys(Keys.TAB)
    assert browser.switch_to.active_element.get_attribute("class") == "skip"
    item = browser.find_element("css selector", ".catalogue-item")
    browser.execute_script("arguments[0].focus()", item)
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    wait_for(browser, "#query-info-title")
    assert browser.switch_to.active_element.get_attribute("id") == "run"
    for element in browser.find_elements("css selector", "input, select, textarea"):
        if element.get_attribute("type") in ("hidden",) or not element.is_displayed():
            continue
        ident = element.get_attribute("id")
        assert ident and browser.find_elements("css selector", f'label[for="{ident}"]'), f"no label for {ident}"
    entries = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    outside = [url for url in entries if not url.startswith(server.url)]
    assert not outside, outside
    shot("12-query-page-fr")
    browser.get(server.url + "/?lang=en")


def test_editor_completes_prefixes_and_ontology_terms(browser, server):
    from selenium.webdriver.common.keys import Keys

    browser.get(server.url + "/?query=" + quote("SELECT * WHERE { ?rec "))
    editor = wait_for(browser, ".cm-content")[0]
    editor.click()
    editor.send_keys(Keys.CONTROL, Keys.END)
    editor.send_keys("hres:addr")
    editor.send_keys(Keys.CONTROL, " ")
    popup = wait_for(browser, ".cm-tooltip-autocomplete li")
    assert any("hres:addressedTo" in item.text for item in popup)
    editor.send_keys(Keys.ENTER)
    assert "hres:addressedTo" in browser.find_element("css selector", ".cm-content").text
    assert "hres:addressedTo" in browser.find_element("id", "query-text").get_attribute("value")  # kept in sync
