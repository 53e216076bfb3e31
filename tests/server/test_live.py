"""Against the real server: `hres serve` (waitress + query workers) in a subprocess.

- The W3C / client conformance checker (../shared/eval/protocol/check_endpoint.py) must pass every
  check that applies. Deliberate skips: against the read-only server, the 23 checks that need
  SPARQL Update (`--no-update`: nothing may be written there); they run, and must pass, against
  the server started with /update enabled. No other check is skipped: `query_timeout` is turned
  on with `--timeout-expect-s`.
- SPARQLWrapper and rdflib's SPARQLStore are driven exactly as a user's script would.
- A runaway query is stopped within the limit + 1 s while a second client is answered.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from .conftest import ROOT, TIMEOUT, UPDATE_TOKEN

CHECKER = Path(
    os.environ.get("HRES_PROTOCOL_CHECKER", ROOT.parent / "shared" / "eval" / "protocol" / "check_endpoint.py")
)
REC1 = "https://w3id.org/hres/id/rec/1"
FRA = "https://w3id.org/hres/id/state/FRA"
LOOKUP = f"SELECT ?p ?o WHERE {{ <{REC1}> ?p ?o }}"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { %s }" % " ".join(
    "VALUES ?%s { %s }" % (v, " ".join(str(i) for i in range(40))) for v in "abcdef"
)

pytestmark = pytest.mark.slow


def run_checker(*args: str) -> tuple[str, re.Match]:
    if not CHECKER.exists():
        if os.environ.get("CI"):
            pytest.fail(f"the protocol checker is missing at {CHECKER}")
        pytest.skip(f"the protocol checker is not at {CHECKER} (set HRES_PROTOCOL_CHECKER)")
    result = subprocess.run(
        [sys.executable, str(CHECKER), *args, "--timeout-expect-s", str(TIMEOUT + 2)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    summary = re.search(r"^protocol: (\d+) passed, (\d+) failed, (\d+) skipped$", result.stdout, re.M)
    assert summary, result.stdout + result.stderr
    return result.stdout, summary


def test_protocol_conformance_read_only(live_server):
    out, summary = run_checker(live_server.url + "/sparql", "--no-update")
    failed = [line for line in out.splitlines() if line.startswith("FAIL")]
    assert not failed, out
    skipped = [line for line in out.splitlines() if line.startswith("SKIP")]
    assert all("needs SPARQL Update" in line for line in skipped), skipped
    assert (int(summary[1]), int(summary[3])) == (40, 23), summary[0]


def test_protocol_conformance_with_updates(live_update_server):
    url = live_update_server.url
    out, summary = run_checker(
        url + "/sparql", "--update-url", url + "/update", "--header", f"Authorization: Bearer {UPDATE_TOKEN}"
    )
    assert summary[0] == "protocol: 63 passed, 0 failed, 0 skipped", out


def test_runaway_query_stopped_in_time_while_another_client_is_answered(live_server):
    url = live_server.url + "/sparql"
    outcome = {}

    def runaway():
        started = time.monotonic()
        response = requests.get(url, params={"query": RUNAWAY}, timeout=TIMEOUT + 5)
        outcome.update(status=response.status_code, seconds=time.monotonic() - started, body=response.text)

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.3)
    started = time.monotonic()
    lookup = requests.get(url, params={"query": LOOKUP}, timeout=5)
    assert lookup.status_code == 200 and time.monotonic() - started < 1.0
    thread.join()
    assert outcome["status"] == 504 and outcome["seconds"] < TIMEOUT + 1, outcome
    assert "QUERY_TIMEOUT" in outcome["body"]


def test_service_to_a_local_port_is_refused_without_connecting(live_server):
    import socket

    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(1.0)
        port = listener.getsockname()[1]
        response = requests.get(
            live_server.url + "/sparql",
            timeout=5,
            params={"query": f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"},
        )
        assert response.status_code == 400 and "SERVICE" in response.text
        with pytest.raises(socket.timeout):
            listener.accept()


def test_sparqlwrapper_as_a_user_script_would(live_server):
    from rdflib import Graph, URIRef
    from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

    sparql = SPARQLWrapper(live_server.url + "/sparql")
    sparql.setQuery(f"SELECT ?rec WHERE {{ ?rec <https://w3id.org/hres/ontology#addressedTo> <{FRA}> }} ORDER BY ?rec")
    sparql.setReturnFormat(JSON)
    rows = sparql.query().convert()["results"]["bindings"]
    assert [r["rec"]["value"] for r in rows] == [REC1, "https://w3id.org/hres/id/rec/2"]
    sparql.setReturnFormat(XML)
    assert len(sparql.query().convert().getElementsByTagName("result")) == 2
    sparql.setReturnFormat(CSV)
    assert sparql.query().convert().decode().splitlines()[1] == REC1
    sparql.setMethod("POST")
    sparql.setQuery(f"CONSTRUCT {{ <{REC1}> ?p ?o }} WHERE {{ <{REC1}> ?p ?o }}")
    sparql.setReturnFormat(TURTLE)
    graph = Graph().parse(data=sparql.query().convert(), format="turtle")
    assert (URIRef(REC1), URIRef("https://w3id.org/hres/ontology#addressedTo"), URIRef(FRA)) in graph


def test_rdflib_sparqlstore(live_server):
    from rdflib import Graph, URIRef
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = Graph(store=SPARQLStore(live_server.url + "/sparql", returnFormat="json"))
    rows = list(graph.query(f"SELECT ?o WHERE {{ <{REC1}> <https://w3id.org/hres/ontology#addressedTo> ?o }}"))
    assert rows == [(URIRef(FRA),)]
    assert (URIRef(REC1), None, None) in graph
