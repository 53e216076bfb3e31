"""Issue 14 (items 1, 2, 6, 9): contributed files are read in a confined child with bounds checked
before parsing, and no IRI from a file reaches a query's text unchecked.

- hres_graph.validation.input_limits: the nesting scans (JSON-LD, Turtle/TriG, RDF/XML) with line and column,
  linear on hostile strings; only regular files of bounded size are read;
- hres_graph.validation.child: a child killed by a signal, running past its time or its memory is reported
  as such (exit code 2), and the report and the errors come back as JSON;
- hres_graph.validation.shacl: store context is read only for IRIs that Oxigraph accepts (the SPARQL
  injection of the issue, checked with a loopback listener).
"""

from __future__ import annotations

import os
import signal
import socket
import threading
import time
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from hres_graph.errors import SourceFormatError
from hres_graph.validation import child_wire as wire
from hres_graph.validation.child import (
    ChildCrashed,
    ChildLimits,
    ChildOutOfMemory,
    ChildTimedOut,
    start_child,
    validate_in_child,
)
from hres_graph.validation.input_limits import check_nesting, read_bounded
from hres_graph.validation.shacl import SHAPES_DIR, context_references, store_context

VALID = SHAPES_DIR / "examples" / "valid" / "REC-02-01.ttl"
INVALID = SHAPES_DIR / "examples" / "invalid" / "REC-02-01.ttl"


def deep_jsonld(levels: int) -> bytes:
    return b'{"http://example.org/p":' * levels + b"1" + b"}" * levels


def deep_list_jsonld(levels: int) -> bytes:
    return (
        b'{"@id":"http://example.org/a","http://example.org/p":' + b'{"@list":[' * levels + b"1" + b"]}" * levels + b"}"
    )


# --- nesting scans ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "syntax,data,line,column",
    [
        ("json", deep_jsonld(4000), 1, 24 * 500 + 1),  # the issue's reproducer
        ("json", b'{"@id": "http://e/a",\n "http://e/p": ' + b"[" * 600, 2, 15 + 500),  # the { counts
        ("turtle", b"<http://e/a> <http://e/p> " + b"[ <http://e/p> " * 600 + b"1", 1, 27 + 15 * 500),
        ("turtle", b"@prefix e: <http://e/> .\ne:a e:p " + b"(" * 600 + b" 1", 2, 9 + 500),
        ("turtle", b"<http://e/a> <http://e/p> " + b"<< <http://e/a> <http://e/p> " * 600, 1, 27 + 29 * 500),
        ("xml", b"<r>\n" + b"<a>" * 600, 2, 3 * 499 + 1),
    ],
)
def test_nesting_past_the_limit_is_refused_with_line_and_column(syntax, data, line, column):
    with pytest.raises(SourceFormatError) as raised:
        check_nesting(Path("deep.x"), data, syntax, 500)
    assert (raised.value.line, raised.value.column) == (line, column)
    assert "nested more than 500 levels" in raised.value.problem


@pytest.mark.parametrize(
    "syntax,data",
    [
        ("json", b'{"p": "[[[[{{{{", "q": "\\"[[[["}' * 100 + deep_jsonld(50)),
        (
            "turtle",
            b"<http://e/a> <http://e/p> \"(((((\", '[[[[', \"\"\"((\n[[\"\"\", '''(''' .\n# ((((((\n"
            b"<http://e/a(> <http://e/p> " + b"[ <http://e/p> " * 50 + b"1" + b" ]" * 50 + b" .\n",
        ),
    ],
)
def test_brackets_in_strings_iris_and_comments_do_not_count(syntax, data):
    check_nesting(Path("ok.x"), data * 20, syntax, 60)


@pytest.mark.parametrize(
    "syntax,data",
    [
        ("json", b'"' + b'\\"' * 400_000),  # one unterminated string full of escaped quotes
        ("turtle", b"'''x" * 250_000),  # unterminated long strings
        ("turtle", b'"x\\"' * 250_000),
    ],
)
def test_scans_stay_linear_on_unterminated_strings(syntax, data):
    started = time.perf_counter()
    check_nesting(Path("strings.x"), data, syntax, 500)
    assert time.perf_counter() - started < 5  # quadratic rescanning took minutes


def test_only_regular_files_of_bounded_size_are_read(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for path in (Path("/dev/zero"), fifo, tmp_path):
        with pytest.raises(SourceFormatError, match="not a regular file"):
            read_bounded(path)
    big = tmp_path / "big.ttl"
    big.write_bytes(b"#" * 1001)
    with pytest.raises(SourceFormatError, match="larger than 1,000 bytes"):
        read_bounded(big, 1000)
    assert read_bounded(big, 1001) == b"#" * 1001


# --- the child -------------------------------------------------------------------------------------


def test_a_report_and_the_graph_come_back_from_the_child():
    outcome = validate_in_child([INVALID], want_graph=True)
    assert not outcome.report.conforms and [r.shape_id for r in outcome.report.results] == ["REC-02"]
    assert outcome.report.sources == ["REC-02-01.ttl"] and len(outcome.graph) > 3
    assert validate_in_child([VALID]).report.conforms


def test_the_child_has_no_network(tmp_path):
    """The child confines itself: a JSON-LD remote context is refused by the parser anyway, so this
    checks the sandbox itself through a process started exactly as the child is."""
    import subprocess
    import sys

    code = (
        "from hres_graph.sandbox import confine; import socket; confine(network=False)\n"
        "try:\n    socket.create_connection(('127.0.0.1', 9), timeout=2)\nexcept PermissionError:\n"
        "    print('refused')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert done.stdout.strip() == "refused", done.stderr


def test_a_child_killed_by_a_signal_is_reported_as_a_crash(tmp_path):
    path = tmp_path / "list.jsonld"
    path.write_bytes(deep_list_jsonld(30_000))  # takes Oxigraph minutes, even on a 256 MiB stack
    limits = ChildLimits(max_nesting=10**6)
    child = start_child(limits)
    threading.Timer(2, os.kill, (child.process.pid, signal.SIGSEGV)).start()
    with pytest.raises(ChildCrashed) as raised:
        validate_in_child([path], limits=limits, child=child)
    assert raised.value.exit_code == 2 and raised.value.path == path
    assert "the parser crashed (signal 11, SIGSEGV); likely nesting too deep" in str(raised.value)


def test_a_child_past_its_time_is_killed(tmp_path):
    path = tmp_path / "list.jsonld"
    path.write_bytes(deep_list_jsonld(30_000))
    started = time.monotonic()
    with pytest.raises(ChildTimedOut, match="took longer than 2 s") as raised:
        validate_in_child([path], limits=ChildLimits(timeout=2, max_nesting=10**6))
    assert time.monotonic() - started < 15 and raised.value.exit_code == 2


def test_a_child_past_its_memory_is_stopped(tmp_path):
    """1 MB of Turtle: one collection of 500,000 items is a million triples for rdflib."""
    path = tmp_path / "collection.ttl"
    path.write_bytes(b"<http://e/a> <http://e/p> (" + b" 1" * 500_000 + b" ) .\n")
    with pytest.raises((ChildOutOfMemory, ChildCrashed), match="ran out of memory|crashed") as raised:
        validate_in_child([path], limits=ChildLimits(memory_bytes=512 * 1024 * 1024))
    assert raised.value.exit_code == 2 and "limit 512 MiB" in str(raised.value) or "signal" in str(raised.value)


def test_the_deep_jsonld_of_the_issue_is_refused_before_parsing(tmp_path):
    path = tmp_path / "d.jsonld"
    path.write_bytes(deep_jsonld(4000))
    with pytest.raises(SourceFormatError) as raised:
        validate_in_child([path])
    assert (raised.value.path, raised.value.line, raised.value.column) == (path, 1, 12001)
    assert "nested more than 500 levels" in raised.value.problem


# --- what crosses the pipe ---------------------------------------------------------------------------


def test_terms_reports_and_errors_round_trip_as_json():
    terms = [
        URIRef("https://w3id.org/hres/id/state/KEN"),
        BNode("b0"),
        Literal("x", lang="fr"),
        Literal("2024-13-01", datatype=XSD.date),
        Literal("plain"),
        None,
    ]
    assert [wire.node(wire.loads(wire.dumps(wire.term(t)))) for t in terms] == terms
    error = SourceFormatError(Path("/tmp/a.csv"), "bad", line=3, column="priority", hint="fix it")
    back = wire.error_from(wire.loads(wire.dumps(wire.error(error))))
    assert type(back) is SourceFormatError and str(back) == str(error)
    report = validate_in_child([INVALID]).report
    again = wire.report_from(wire.loads(wire.dumps(wire.report(report))))
    assert again.render("json") == report.render("json") and again.render("text", "fr") == report.render("text", "fr")


# --- no query text from input ---------------------------------------------------------------------

INJECTION = (
    "https://w3id.org/hres/id/recommendation/x>}OPTIONAL{SERVICE<http://127.0.0.1:{port}/i>{?x?p?o}}VALUES?z{<urn:z"
)


def test_store_context_never_pastes_a_non_iri_into_a_query(tmp_path):
    """The issue's reproducer at the library level: on the old code the store connected out."""
    from hres_graph.build.pipeline import build
    from hres_graph.config import Settings

    settings = Settings(var_dir=tmp_path / "var", data_root=tmp_path / "data")
    build(settings, sources=[], log=lambda m: None)
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        iri = URIRef(INJECTION.replace("{port}", str(listener.getsockname()[1])))
        data = Graph()
        data.add(
            (URIRef("https://w3id.org/hres/id/assessment/a"), URIRef("https://w3id.org/hres/ontology#assesses"), iri)
        )
        assert context_references(data) == ([], [])
        assert len(store_context(settings, data)) == 0
        listener.settimeout(1)
        with pytest.raises(socket.timeout):
            listener.accept()[0].close()
