"""POST /validate (server/validation_api.py): formats negotiated from Accept, the statuses, the shapes'
messages, CSV templates, and parsing that makes no outbound request (RDF/XML external entities, entity
bombs, remote JSON-LD contexts), checked against a loopback listener over the Flask test client, a real
`hres serve` and the `hres validate` command."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import socket
import subprocess
import sys
import threading
import time

import pytest
import requests
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import SH

from hres_graph.validation.report import SHAPES
from hres_graph.validation.shacl import shape_index
from suites.live_server import LiveServer
from suites.procfs import rss_mib

from .conftest import ROOT, TIMEOUT, make_var_dir

EXAMPLES = ROOT / "shapes" / "examples"
TEMPLATE = ROOT / "shapes" / "templates" / "eom-recommendations.csv"
INVALID = EXAMPLES / "invalid" / "REC-02-01.ttl"  # a recommendation without hres:text
VALID = EXAMPLES / "valid" / "REC-02-01.ttl"
REC_02 = next(s for s in shape_index() if str(s).startswith(str(SHAPES) + "REC-02-"))
REC_02_MESSAGE = shape_index()[REC_02]["messages"]
RDFXML_HEAD = (
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">\n'
    ' <rdf:Description rdf:about="http://example.org/a"><ex:p>{body}</ex:p></rdf:Description>\n</rdf:RDF>\n'
)
COLLECTION = b"<http://e/a> <http://e/p> (" + b" 1" * 500_000 + b" ) .\n"  # 1 MB: 1,000,000 triples for rdflib
BODY_FORMATS = {  # media type -> rdflib serializer
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "application/n-quads": "nquads",
    "application/trig": "trig",
}


def post(
    client,
    data: bytes,
    content_type: str = "text/turtle",
    accept: str = "application/json",
    headers: dict | None = None,
    **kwargs,
):
    return client.post(
        "/validate", data=data, content_type=content_type, headers={"Accept": accept, **(headers or {})}, **kwargs
    )


def as_format(path, serializer: str) -> bytes:
    if serializer in ("nquads", "trig"):  # in a named graph, as a contributor's dataset would be
        dataset = Dataset()
        dataset.graph(URIRef("https://example.org/contribution")).parse(path, format="turtle")
        return dataset.serialize(format=serializer, encoding="utf-8")
    return Graph().parse(path, format="turtle").serialize(format=serializer, encoding="utf-8")


def report_results(response) -> list[dict]:
    return [r for node in response.get_json()["focusNodes"] for r in node["results"]]


# --- formats and negotiation ------------------------------------------------------------------


def _shapes_in_rdf(text: str, rdf_format: str) -> tuple[bool, set, set]:
    graph = Graph().parse(data=text, format=rdf_format)
    conforms = graph.value(next(graph.subjects(None, SH.ValidationReport)), SH.conforms)
    return conforms.toPython(), set(graph.objects(None, SH.sourceShape)), set(graph.objects(None, SH.resultMessage))


@pytest.mark.parametrize(
    "accept,media_type",
    [
        ("text/plain", "text/plain"),
        ("application/json", "application/json"),
        ("text/turtle", "text/turtle"),
        ("application/ld+json", "application/ld+json"),
        ("application/n-triples", "application/n-triples"),
        ("text/html", "text/html"),
        ("*/*", "text/plain"),
        ("", "text/plain"),
        ("text/turtle;q=0.5, application/json;q=0.9", "application/json"),
        ("application/json;q=0, */*;q=0.1", "text/plain"),
        ("text/*;q=0.8, text/plain;q=0", "text/turtle"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),  # a browser
    ],
)
def test_the_report_comes_in_the_negotiated_format(client, accept, media_type):
    response = post(client, INVALID.read_bytes(), accept=accept)
    assert response.status_code == 200 and response.mimetype == media_type
    assert response.headers["HRES-Conforms"] == "false" and "Accept" in response.vary
    text = response.get_data(as_text=True)
    if media_type == "application/json":
        doc = response.get_json()
        assert doc["conforms"] is False and doc["violations"] == 1 and doc["files"] == ["body.ttl"]
        assert [r["id"] for r in report_results(response)] == ["REC-02"]
    elif media_type in ("text/turtle", "application/ld+json", "application/n-triples"):
        rdf_format = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/n-triples": "nt"}
        conforms, shapes, messages = _shapes_in_rdf(text, rdf_format[media_type])
        assert conforms is False and shapes == {REC_02} and Literal(REC_02_MESSAGE["en"], lang="en") in messages
    elif media_type == "text/html":
        assert 'class="focus-node"' in text and REC_02.split("/")[-1] in text
    else:
        assert text.startswith("body.ttl: does not conform: 1 violation") and "REC-02" in text
        assert " ".join(REC_02_MESSAGE["en"].split()) in " ".join(text.split())


def test_format_parameter_overrides_accept_and_gives_an_attachment(client):
    response = post(
        client, INVALID.read_bytes(), accept="text/html", query_string={"format": "jsonld", "name": "mine.ttl"}
    )
    assert response.status_code == 200 and response.mimetype == "application/ld+json"
    assert response.headers["Content-Disposition"] == 'attachment; filename="mine-report.jsonld"'


def test_messages_in_the_requested_language(client):
    response = post(client, INVALID.read_bytes(), query_string={"lang": "fr"})
    assert [r["message"] for r in report_results(response)] == [REC_02_MESSAGE["fr"]]
    response = post(client, INVALID.read_bytes(), accept="text/turtle", headers={"Accept-Language": "es"})
    assert Literal(REC_02_MESSAGE["es"], lang="es") in _shapes_in_rdf(response.get_data(as_text=True), "turtle")[2]


@pytest.mark.parametrize(
    "accept",
    [
        "image/png",
        "application/sparql-results+xml",
        "application/json;q=0",
        "text/plain;q=0, application/json;q=0, text/turtle;q=0, application/ld+json;q=0, "
        "application/n-triples;q=0, text/html;q=0, */*;q=0.5",
    ],
)
def test_406_when_no_format_fits(client, accept):
    response = post(client, INVALID.read_bytes(), accept=accept)
    assert response.status_code == 406 and "HRES-Conforms" not in response.headers
    assert "text/plain, application/json, text/turtle" in response.get_data(as_text=True)


# --- statuses ---------------------------------------------------------------------------------


@pytest.mark.parametrize("media_type", sorted(BODY_FORMATS))
def test_each_body_format_valid_conforms_invalid_fails_through_the_shape(client, media_type):
    valid = post(client, as_format(VALID, BODY_FORMATS[media_type]), media_type)
    assert valid.status_code == 200 and valid.headers["HRES-Conforms"] == "true", valid.get_data(as_text=True)
    assert valid.get_json()["conforms"] is True and valid.get_json()["focusNodesChecked"] >= 1
    invalid = post(client, as_format(INVALID, BODY_FORMATS[media_type]), media_type)
    assert invalid.status_code == 200 and invalid.headers["HRES-Conforms"] == "false"
    results = report_results(invalid)
    assert [(r["shape"], r["message"]) for r in results] == [(str(REC_02), REC_02_MESSAGE["en"])]


def test_multipart_upload_as_the_page_sends_it(client):
    data = {"file": (io.BytesIO(INVALID.read_bytes()), "REC-02-01.ttl"), "allow_warnings": "1"}
    response = client.post(
        "/validate", data=data, content_type="multipart/form-data", headers={"Accept": "application/json"}
    )
    assert response.status_code == 200 and response.get_json()["files"] == ["REC-02-01.ttl"]
    assert response.headers["HRES-Conforms"] == "false"
    data = {"file": (io.BytesIO(VALID.read_bytes()), "no-suffix", "text/turtle")}  # the part's type tells the format
    response = client.post("/validate", data=data, content_type="multipart/form-data")
    assert response.status_code == 200 and response.headers["HRES-Conforms"] == "true"
    assert response.get_data(as_text=True).startswith("no-suffix.ttl: conforms")
    response = client.post("/validate", data={}, content_type="multipart/form-data")
    assert response.status_code == 400 and "field 'file'" in response.get_data(as_text=True)


def test_400_names_the_file_the_line_and_the_column(client):
    broken = b"@prefix ex: <http://example.org/> .\n\nex:a ex:b .\n"
    response = post(client, broken, query_string={"name": "mine.ttl"})
    error = response.get_json()["error"]
    assert response.status_code == 400 and (error["file"], error["line"], error["column"]) == ("mine.ttl", 3, 11)
    assert (
        error["message"].startswith("mine.ttl:3:11: Turtle syntax error") and "hres-validate-" not in error["message"]
    )
    text = post(client, broken, accept="text/plain").get_data(as_text=True)
    assert text.startswith("400 Bad Request: body.ttl:3:11: Turtle syntax error") and "hint:" in text
    page = post(client, broken, accept="text/html")
    assert page.status_code == 400 and "body.ttl:3:11" in page.get_data(as_text=True)
    assert post(client, b"").status_code == 400


@pytest.mark.parametrize(
    "content_type",
    [
        "application/x-www-form-urlencoded",
        "text/plain",
        "application/json",
        "application/octet-stream",
        "text/turtle; charset=latin-1",
        "",
    ],
)
def test_415_for_other_media_types_and_charsets(client, content_type):
    response = client.post("/validate", data=VALID.read_bytes(), headers={"Content-Type": content_type})
    assert response.status_code == 415
    assert "multipart/form-data" in response.get_data(as_text=True) or "UTF-8" in response.get_data(as_text=True)


def test_413_above_max_request_bytes(make_app):
    client = make_app(MAX_REQUEST_BYTES=4096).test_client()
    big = VALID.read_bytes() + b"#" * 5000 + b"\n"
    assert post(client, VALID.read_bytes()).status_code == 200
    response = post(client, big, accept="text/plain")
    assert response.status_code == 413 and "MAX_REQUEST_BYTES" in response.get_data(as_text=True)
    data = {"file": (io.BytesIO(big), "big.ttl")}
    assert client.post("/validate", data=data, content_type="multipart/form-data").status_code == 413


def test_503_when_every_slot_is_busy_and_the_queue_full_or_the_wait_over(make_app):
    app = make_app(QUEUE_TIMEOUT=0.3, VALIDATE_SLOTS=1, VALIDATE_QUEUE=1)
    client, queue = app.test_client(), app.extensions["hres.validation"]
    with queue.slot(1):
        started = time.monotonic()
        response = post(client, VALID.read_bytes())  # waits in the queue for QUEUE_TIMEOUT
        assert response.status_code == 503 and int(response.headers["Retry-After"]) >= 1
        assert 0.25 < time.monotonic() - started < 5 and "QUEUE_TIMEOUT" in response.get_json()["error"]["message"]
    full = make_app(QUEUE_TIMEOUT=5, VALIDATE_SLOTS=1, VALIDATE_QUEUE=0)
    with full.extensions["hres.validation"].slot(1):
        started = time.monotonic()
        response = post(full.test_client(), VALID.read_bytes())  # no queue: turned away at once
        assert response.status_code == 503 and time.monotonic() - started < 2 and "Retry-After" in response.headers
    assert post(client, VALID.read_bytes()).status_code == 200


def test_a_second_validation_runs_while_one_holds_a_slot(client, app):
    """Two slots by default: the old code had one, and answered 503 here."""
    with app.extensions["hres.validation"].slot(1):
        response = post(client, VALID.read_bytes())
    assert response.status_code == 200 and response.headers["HRES-Conforms"] == "true"


def test_two_validations_at_once_both_answer_over_http(live_server):
    header, rows = _template_rows()
    body = _csv(header, rows * 50)
    answers = []

    def send():
        answers.append(
            requests.post(
                live_server.url + "/validate",
                data=body,
                timeout=120,
                headers={"Content-Type": "text/csv", "Accept": "application/json"},
            )
        )

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [a.status_code for a in answers] == [200, 200], [a.text[:300] for a in answers]


def test_a_validation_past_its_time_is_a_504_and_the_server_goes_on(make_app):
    app = make_app(VALIDATE_TIMEOUT=0.5)
    client = app.test_client()
    response = post(client, COLLECTION, accept="application/json", query_string={"name": "slow.ttl"})
    error = response.get_json()["error"]
    assert response.status_code == 504 and error["file"] == "slow.ttl", error
    assert "took longer than 0.5 s" in error["message"] and "hres-validate-" not in error["message"]
    assert client.get("/validate", headers={"Accept": "text/html"}).status_code == 200


def test_get_shows_the_form_and_other_methods_are_405(client):
    page = client.get("/validate", headers={"Accept": "text/html"})
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.get_data(as_text=True)
    assert client.put("/validate", data=b"x").status_code == 405


# --- CSV templates ----------------------------------------------------------------------------


def _template_rows() -> tuple[list[str], list[dict]]:
    with open(TEMPLATE, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames), list(reader)


def _csv(header: list[str], rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def test_csv_with_one_bad_row_is_rejected_whole_with_its_line(client):
    header, rows = _template_rows()
    assert post(client, _csv(header, rows), "text/csv").headers["HRES-Conforms"] == "true"
    bad = [dict(r) for r in rows]
    line = next(i for i, r in enumerate(bad) if r["implementation_status"]) + 2  # header is line 1
    bad[line - 2]["implementation_status"] = "half-done"
    response = post(client, _csv(header, bad), "text/csv", query_string={"name": "eom.csv"})
    assert response.status_code == 200 and response.headers["HRES-Conforms"] == "false"
    flagged = [node for node in response.get_json()["focusNodes"] if node["results"]]
    assert [node["where"] for node in flagged] == [[f"eom.csv:{line}"]]
    assert flagged[0]["results"][0]["value"].endswith("/implementation-status/half-done")
    text = post(client, _csv(header, bad), "text/csv", accept="text/plain").get_data(as_text=True)
    assert f"body.csv:{line}" in text and "does not conform" in text


def test_unreadable_csv_row_is_a_400_with_its_line(client):
    header, rows = _template_rows()
    rows[2]["priority"] = "perhaps"
    response = post(client, _csv(header, rows), "text/csv")
    error = response.get_json()["error"]
    assert response.status_code == 400 and error["line"] == 4 and "priority" in error["message"]
    response = post(client, b"name,colour\nx,y\n", "text/csv")
    assert response.status_code == 400 and "matches no contribution template" in response.get_json()["error"]["message"]


# --- no outbound requests while parsing -------------------------------------------------------


@contextlib.contextmanager
def loopback_listener():
    """A listening TCP port; on exit, asserts that nothing connected to it (a connection waits in the backlog)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield listener.getsockname()[1]
        listener.settimeout(0.5)
        with pytest.raises(socket.timeout):
            connection, _ = listener.accept()
            connection.close()


def _laughs(levels: int) -> bytes:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "' + f"&lol{i - 1};" * 10 + '">' for i in range(1, levels + 1)
    ]
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n {" ".join(entities)}\n]>\n'
        + RDFXML_HEAD.format(body=f"&lol{levels};")
    ).encode()


def hostile_files(port: int) -> dict[str, tuple[str, bytes, str]]:
    """name -> (media type, content, what the refusal must say)."""

    def dtd(doctype: str, body: str = "&x;") -> bytes:
        return f'<?xml version="1.0"?>\n{doctype}\n{RDFXML_HEAD.format(body=body)}'.encode()

    jsonld = {"@id": "http://example.org/a", "http://example.org/p": "o"}
    return {
        "xxe-http.rdf": (
            "application/rdf+xml",
            dtd(f'<!DOCTYPE rdf:RDF [<!ENTITY x SYSTEM "http://127.0.0.1:{port}/x">]>'),
            "external entit",
        ),
        "xxe-file.rdf": (
            "application/rdf+xml",
            dtd('<!DOCTYPE rdf:RDF [<!ENTITY x SYSTEM "file:///etc/passwd">]>'),
            "external entit",
        ),
        "xxe-param.rdf": (
            "application/rdf+xml",
            dtd(f'<!DOCTYPE rdf:RDF [<!ENTITY % p SYSTEM "http://127.0.0.1:{port}/p.dtd"> %p;]>', "x"),
            "external entit",
        ),
        "xxe-dtd.rdf": (
            "application/rdf+xml",
            dtd(f'<!DOCTYPE rdf:RDF PUBLIC "-//X//Y" "http://127.0.0.1:{port}/d.dtd">', "x"),
            "external entit",
        ),
        "param-internal.rdf": (
            "application/rdf+xml",
            dtd("<!DOCTYPE rdf:RDF [<!ENTITY % p \"<!ENTITY x 'y'>\"> %p;]>"),
            "parameter entit",
        ),
        "laughs.rdf": ("application/rdf+xml", _laughs(9), "billion laughs"),
        "quadratic.rdf": (
            "application/rdf+xml",
            dtd(f'<!DOCTYPE rdf:RDF [<!ENTITY x "{"x" * 20_000}">]>', "&x;" * 2000),
            "billion laughs",
        ),
        "recursive.rdf": (
            "application/rdf+xml",
            dtd('<!DOCTYPE rdf:RDF [<!ENTITY x "&y;"><!ENTITY y "&x;">]>'),
            "refers to itself|recursive|not well-formed",
        ),
        "context.jsonld": (
            "application/ld+json",
            json.dumps({"@context": f"http://127.0.0.1:{port}/c.jsonld", **jsonld}).encode(),
            "remote @context",
        ),
        "context-array.jsonld": (
            "application/ld+json",
            json.dumps(
                {"@context": [{"@vocab": "http://example.org/"}, f"http://127.0.0.1:{port}/c2"], **jsonld}
            ).encode(),
            "remote @context",
        ),
        "context-import.jsonld": (
            "application/ld+json",
            json.dumps({"@context": {"@import": f"http://127.0.0.1:{port}/c3", "@version": 1.1}, **jsonld}).encode(),
            "remote @context|context",
        ),
        "context-scoped.jsonld": (
            "application/ld+json",
            json.dumps(
                {
                    "@context": {"p": {"@id": "http://example.org/p", "@context": f"http://127.0.0.1:{port}/c4"}},
                    "@id": "http://example.org/a",
                    "p": {"http://example.org/q": "o"},
                }
            ).encode(),
            "remote @context|context",
        ),
    }


def test_hostile_files_are_refused_without_a_connection(client):
    import re

    with loopback_listener() as port:
        for name, (media_type, content, says) in hostile_files(port).items():
            response = post(client, content, media_type, query_string={"name": name})
            assert response.status_code == 400, (name, response.get_data(as_text=True))
            error = response.get_json()["error"]
            assert error["file"] == name and re.search(says, error["message"]), (name, error["message"])
            assert "root:" not in error["message"]


def test_plain_internal_entities_still_parse(client):
    doc = '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY ex "http://example.org/">]>\n' + RDFXML_HEAD.replace(
        'rdf:about="http://example.org/a"', 'rdf:about="&ex;a"'
    ).format(body="&ex;")
    response = post(client, doc.encode(), "application/rdf+xml")
    assert response.status_code == 200 and response.headers["HRES-Conforms"] == "true"


def test_hostile_files_over_real_http_make_no_connection(live_server):
    with loopback_listener() as port:
        for name, (media_type, content, _) in hostile_files(port).items():
            response = requests.post(
                live_server.url + "/validate",
                data=content,
                timeout=30,
                headers={"Content-Type": media_type, "Accept": "application/json"},
            )
            assert response.status_code == 400 and "error" in response.json(), (name, response.text)
        data = {"file": ("xxe.rdf", hostile_files(port)["xxe-http.rdf"][1], "application/rdf+xml")}
        response = requests.post(live_server.url + "/validate", files=data, timeout=30, headers={"Accept": "text/html"})
        assert response.status_code == 400 and "external entit" in response.text


def test_valid_and_invalid_over_real_http(live_server):
    url = live_server.url + "/validate"
    valid = requests.post(url, data=VALID.read_bytes(), headers={"Content-Type": "text/turtle"}, timeout=30)
    assert (
        valid.status_code == 200
        and valid.headers["HRES-Conforms"] == "true"
        and valid.text.startswith("body.ttl: conforms")
    )
    invalid = requests.post(
        url, files={"file": ("REC-02-01.ttl", INVALID.read_bytes())}, headers={"Accept": "application/json"}, timeout=30
    )
    assert invalid.status_code == 200 and invalid.headers["HRES-Conforms"] == "false"
    assert "HRES-Conforms" in invalid.headers["Access-Control-Expose-Headers"]


def test_the_command_refuses_the_same_files_without_a_connection(tmp_path):
    """`hres validate` shares the parsing: in-process for every file, and once as a real process."""
    from click.testing import CliRunner

    from hres_graph.cli import validate_command

    with loopback_listener() as port:
        for name, (_, content, _) in hostile_files(port).items():
            (tmp_path / name).write_bytes(content)
            result = CliRunner().invoke(validate_command, [str(tmp_path / name)])
            assert result.exit_code == 2 and f"error: {tmp_path / name}" in result.output, (name, result.output)
        done = subprocess.run(
            [sys.executable, "-m", "hres_graph", "validate", str(tmp_path / "laughs.rdf")],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 2 and "billion laughs" in done.stderr and "Traceback" not in done.stderr


def test_conforming_report_header_matches_the_body(client):
    response = post(client, VALID.read_bytes(), accept="text/turtle")
    graph = Graph().parse(data=response.get_data(as_text=True), format="turtle")
    assert response.headers["HRES-Conforms"] == "true"
    assert graph.value(next(graph.subjects(None, SH.ValidationReport)), SH.conforms) == Literal(True)
    assert not list(graph.objects(None, SH.result)) and URIRef(REC_02) not in set(graph.objects())


# --- issue 14: uploads are parsed in a confined child, never in the web process ---------------------

DEEP_JSONLD = b'{"a:p":' * 4000 + b"1" + b"}" * 4000  # 32 KB; the old server died of it (stack overflow)
INJECTION = (
    "https://w3id.org/hres/id/recommendation/x>}OPTIONAL{SERVICE<http://127.0.0.1:{port}/i>{?x?p?o}}VALUES?z{<urn:z"
)
ASSESSMENTS_HEADER = "source_id,recommendation,assessment_date,implementation_status,assessor"


def test_deep_jsonld_is_a_400_with_line_and_column_and_the_server_lives(live_server):
    url = live_server.url + "/validate"
    for content, media_type, name in (
        (DEEP_JSONLD, "application/ld+json", "d.jsonld"),
        (b"<http://e/a> <http://e/p> " + b"(" * 4000 + b"1" + b")" * 4000 + b" .", "text/turtle", "t.ttl"),
    ):
        response = requests.post(
            url, files={"file": (name, content, media_type)}, timeout=60, headers={"Accept": "application/json"}
        )
        error = response.json()["error"]
        assert response.status_code == 400 and error["file"] == name and error["line"] == 1, error
        assert "nested more than 500 levels" in error["message"]
    assert live_server.process.poll() is None
    assert requests.post(url, data=VALID.read_bytes(), headers={"Content-Type": "text/turtle"}, timeout=60).ok


def test_csv_iri_with_brackets_is_a_400_naming_row_and_column(client):
    body = f"{ASSESSMENTS_HEADER}\nmy-ngo,upr-info/x>}}{{,2024-01-01,not-implemented,my-ngo\n".encode()
    response = post(client, body, "text/csv", query_string={"name": "mine.csv"})
    error = response.get_json()["error"]
    assert response.status_code == 400, error  # the old code: 422 and a traceback in the log
    assert (error["file"], error["line"], error["column"]) == ("mine.csv", 2, "recommendation")
    assert "is not a valid IRI" in error["message"]


def test_sparql_injection_through_with_store_makes_no_connection(client):
    with loopback_listener() as port:
        body = (
            f"{ASSESSMENTS_HEADER}\nmy-ngo,{INJECTION.replace('{port}', str(port))},2024-01-01,not-implemented,my-ngo\n"
        )
        response = post(client, body.encode(), "text/csv", query_string={"with_store": "1"})
        assert response.status_code == 400 and response.get_json()["error"]["column"] == "recommendation"


def test_the_web_process_does_not_keep_the_memory_of_a_validation(tmp_path):
    """1 MB of Turtle that rdflib makes a million triples of: the old server grew by about 1 GB and
    kept it; now a child (which exits) pays, and is stopped at its time limit (or its memory limit)."""
    server = LiveServer(
        make_var_dir(tmp_path / "var").var_dir, timeout=TIMEOUT, row_cap=100_000, env={"HRES_VALIDATE_TIMEOUT": "15"}
    )
    try:
        url = server.url + "/validate"
        assert requests.post(
            url, data=VALID.read_bytes(), headers={"Content-Type": "text/turtle"}, timeout=60
        ).ok  # the first validation loads what the web process keeps anyway
        before = rss_mib(server.process.pid)
        started = time.monotonic()
        response = requests.post(
            url, data=COLLECTION, timeout=120, headers={"Content-Type": "text/turtle", "Accept": "application/json"}
        )
        assert response.status_code in (413, 504) and time.monotonic() - started < 60, response.text[:300]
        assert "ran out of memory" in response.text or "took longer than 15 s" in response.text
        assert rss_mib(server.process.pid) - before < 60
        assert requests.post(url, data=VALID.read_bytes(), headers={"Content-Type": "text/turtle"}, timeout=60).ok
    finally:
        server.stop()


def test_settings_of_the_validator_are_checked(make_app):
    from hres_graph.errors import ConfigError

    for name, value in (
        ("VALIDATE_SLOTS", 0),
        ("VALIDATE_TIMEOUT", "soon"),
        ("VALIDATE_MEMORY_MB", 100),
        ("VALIDATE_QUEUE", -1),
    ):
        with pytest.raises(ConfigError, match=f"HRES_{name}"):
            make_app(**{name: value})
