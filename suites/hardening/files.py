"""Hostile files for `hres validate`, `hres import` and the server's upload route, and the 1 GiB upload.

Every file is written deterministically into a folder (`make_files`). They are then:

1. given to `hres validate FILE` and, when they must be refused, to `hres import --validate NAME FILE`
   (and the CSVs to `hres import upr-info FILE`). These run in a worker process that calls the real
   command (`hres_graph.cli.main`) in-process, one file after the other, and measures each file's
   peak RSS (VmHWM, reset before each file). The worker has an address-space limit, so a memory bomb
   fails there instead of taking the machine; a worker that dies is recorded and replaced.
2. uploaded to the server's `/validate` route, when it exists (multipart, as the page sends them).
3. The big upload: a 1 GiB body (64 MiB with --quick) streamed in 1 MiB chunks, never held in
   memory by the client, to `/validate` when it exists, else to `/sparql` as a form POST, while the
   server's RSS is sampled.

Expected: refused with a clear message (exit code 2: the message names the file, no traceback; or
exit code 1 with the SHACL report for a file that parses but does not conform; 400 / 413 over
HTTP), peak memory bounded, no outbound connection, and the store unchanged (checksum of its
sorted N-Quads before and after).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import re
import select
import subprocess
import sys
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from ..live_server import ROOT, LiveServer, hres_env
from ..procfs import rss_kib, status_number
from .common import Answer, RssSampler, http, repeat_chunks

MIB = 1024 * 1024
EXAMPLES = ROOT / "shapes" / "examples"
TEMPLATES = ROOT / "shapes" / "templates"
UPR_FIXTURE = ROOT / "tests" / "data" / "sources" / "upr-info" / "current_uhri_layout.csv"
SMALL_FILE_MEMORY_MIB = 256  # a file under 1 MiB may not make the command use more than this
WORKER_ADDRESS_SPACE_MIB = 4096


@dataclass
class HostileFile:
    name: str
    kind: str
    note: str
    validate: frozenset  # acceptable exit codes of `hres validate`
    refuse_import: bool = True  # also give it to `hres import --validate` (must then be refused)
    upr_import: bool = False  # also give it to `hres import upr-info`
    message: str = ""  # a regex the error message must match (beside the file name)
    line: int | None = None  # the line the message must name
    http: frozenset = frozenset({400})  # /validate statuses
    size: int = 0
    measured_only: bool = False  # big files: memory is reported, not held to the small-file bound
    http_skip: bool = False  # not uploaded to the server (a memory bomb too big for a shared machine)
    with_store: bool = False  # validated against the store too (`--with-store`, `with_store=1`)


def _example(folder: str) -> Path:
    return sorted((EXAMPLES / folder).glob("*.ttl"))[0]


def _laughs(levels: int) -> bytes:
    ents = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "' + f"&lol{i - 1};" * 10 + '">' for i in range(1, levels + 1)]
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n' + "\n".join(ents) + "\n]>\n"
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">\n'
        f'<rdf:Description rdf:about="http://example.org/s"><ex:p>&lol{levels};</ex:p></rdf:Description>\n'
        "</rdf:RDF>\n"
    ).encode()


def _rdfxml(doctype: str, body: str = "&x;") -> bytes:
    return (
        '<?xml version="1.0"?>\n' + doctype + "\n"
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">\n'
        f'<rdf:Description rdf:about="http://example.org/s"><ex:p>{body}</ex:p></rdf:Description>\n'
        "</rdf:RDF>\n"
    ).encode()


def make_files(folder: Path, *, quick: bool, ports: list[int], seed: int = 1) -> list[HostileFile]:
    """Write the hostile files into `folder`; return their descriptions (same seed, same bytes)."""
    rng = random.Random(f"{seed}/files")
    folder.mkdir(parents=True, exist_ok=True)
    port = ports[0]
    files: list[HostileFile] = []
    valid_ttl = _example("valid").read_bytes()
    invalid_ttl = _example("invalid").read_bytes()
    template = (TEMPLATES / "assessments.csv").read_text("utf-8")
    header, *rows = template.splitlines()

    def add(name: str, data: bytes, kind: str, note: str, validate=frozenset({2}), **kw) -> None:
        (folder / name).write_bytes(data)
        kw.setdefault("measured_only", len(data) > MIB)  # the small-file memory bound is for files <= 1 MiB
        files.append(HostileFile(name, kind, note, frozenset(validate), size=len(data), **kw))

    # --- truncated and malformed RDF
    cuts = [0.5] if quick else [0.1, 0.3, 0.5, 0.7, 0.9]
    for k, share in enumerate(cuts):
        cut = int(len(valid_ttl) * share)
        while valid_ttl[cut : cut + 1] in (b" ", b"\n", b".") and cut > 1:  # cut inside a statement
            cut -= 1
        add(
            f"truncated-{k}.ttl",
            valid_ttl[:cut],
            "truncated-turtle",
            f"the valid example cut at {share:.0%}",
            message="syntax error",
        )
    add(
        "truncated-iri.ttl",
        b"@prefix ex: <http://example.org/> .\nex:s ex:p <http://example.org/o",
        "truncated-turtle",
        "ends inside an IRI",
        message="syntax error",
    )
    add(
        "truncated-string.ttl",
        b'@prefix ex: <http://example.org/> .\nex:s ex:p """never closed',
        "truncated-turtle",
        "ends inside a long string",
        message="syntax error",
    )
    add(
        "bad-iri.nt",
        b"<http://a b> <http://example.org/p> <http://example.org/o> .\n",
        "malformed",
        "a space in an IRI",
        message="syntax error",
    )
    add(
        "undeclared-prefix.ttl",
        b"nope:s nope:p nope:o .\n",
        "malformed",
        "an undeclared prefix",
        message="syntax error",
    )
    # --- wrong encodings
    text = (
        valid_ttl.decode("utf-8")
        + '\n<http://example.org/x> <http://www.w3.org/2000/01/rdf-schema#label> "Sant\u00e9 \u00e0 Gen\u00e8ve" .\n'
    )
    add(
        "latin1.ttl",
        text.encode("latin-1", "replace"),
        "encoding",
        "Latin-1 bytes in a UTF-8 format",
        message="syntax error|UTF-8|utf-8|invalid",
    )
    add("utf16.ttl", text.encode("utf-16"), "encoding", "UTF-16 with a BOM", message="syntax error|UTF-8|utf-8|invalid")
    add("nul.ttl", valid_ttl[:200] + b"\x00\x00\x00" + valid_ttl[200:], "encoding", "NUL bytes", message="syntax error")
    add(
        "binary.ttl",
        bytes(rng.randrange(256) for _ in range(4096)),
        "encoding",
        "random bytes",
        message="syntax error|UTF-8|invalid",
    )
    add(
        "empty.ttl",
        b"",
        "encoding",
        "an empty file",
        validate={0, 1, 2},
        refuse_import=False,
        http=frozenset({200, 400}),
    )
    add(
        "bom.ttl",
        b"\xef\xbb\xbf" + valid_ttl,
        "encoding",
        "a UTF-8 BOM before valid Turtle",
        validate={0, 1, 2},
        refuse_import=False,
        http=frozenset({200, 400}),
    )
    add(
        "latin1.csv",
        ("\n".join([header, *rows]) + "\n").replace("draft", "d\u00e9p\u00f4t").encode("latin-1"),
        "encoding",
        "a Latin-1 CSV template (the byte is on line 2)",
        message="not valid utf-8",
        line=2,
    )
    add(
        "utf16.csv",
        ("\n".join([header, *rows]) + "\n").encode("utf-16"),
        "encoding",
        "a UTF-16 CSV template",
        message="template|header",
    )
    # --- CSV templates with shifted or broken columns
    cols = rows[0].split(",")
    add(
        "shifted.csv",
        "\n".join([header, ",".join(cols[:2] + ["extra"] + cols[2:]), *rows[1:]]).encode(),
        "csv-columns",
        "one field too many on line 2",
        message="fields where the header has",
        line=2,
    )
    add(
        "short-row.csv",
        "\n".join([header, rows[0], ",".join(cols[:3])]).encode(),
        "csv-columns",
        "a row with three fields on line 3",
        message="fields where the header has",
        line=3,
    )
    add(
        "missing-column.csv",
        "\n".join([",".join(header.split(",")[1:])] + [",".join(r.split(",")[1:]) for r in rows]).encode(),
        "csv-columns",
        "no source_id column",
        message="header matches no contribution template|missing",
    )
    add(
        "unknown-header.csv",
        b"a,b,c\n1,2,3\n",
        "csv-columns",
        "a header of no template",
        message="header matches no contribution template",
    )
    add(
        "unbalanced-quote.csv",
        ("\n".join([header, rows[0], '"' + rows[1]]) + "\n").encode(),
        "csv-columns",
        "an opening quote never closed on line 3",
        message="malformed CSV|fields",
        line=3,
    )
    add(
        "huge-field.csv",
        ("\n".join([header, rows[0].replace("A draft law", "A" * 200_000)]) + "\n").encode(),
        "csv-columns",
        "a 200 KB field (over csv.field_size_limit)",
        message="field larger than field limit",
        line=2,
    )
    add(
        "cr-only.csv",
        ("\r".join([header, *rows]) + "\r").encode(),
        "csv-columns",
        "CR-only line ends (a valid file)",
        validate={0, 1},
        refuse_import=False,
        http=frozenset({200}),
    )
    late = [header] + [
        rows[0].replace("2017-05-02", f"2017-05-{1 + k % 28:02d}").replace("example-nhri", f"nhri-{k}")
        for k in range(120)
    ]
    data = "\n".join(late).encode()
    spot = data.index(b"nhri-100,") + 3
    add(
        "late-bad-byte.csv",
        data[:spot] + b"\xff" + data[spot:],
        "encoding",
        "an invalid byte on line 102, after 8 KiB",
        message="not valid utf-8",
        line=102,
    )
    # --- external entities (XXE) and entity expansion
    add(
        "xxe-file.rdf",
        _rdfxml('<!DOCTYPE rdf:RDF [<!ENTITY x SYSTEM "file:///etc/passwd">]>'),
        "xxe",
        "an external entity on a local file",
        message="external entit",
    )
    add(
        "xxe-http.rdf",
        _rdfxml(f'<!DOCTYPE rdf:RDF [<!ENTITY x SYSTEM "http://127.0.0.1:{port}/xxe">]>'),
        "xxe",
        "an external entity on the recording listener",
        message="external entit",
    )
    add(
        "xxe-param.rdf",
        _rdfxml(f'<!DOCTYPE rdf:RDF [<!ENTITY % p SYSTEM "http://127.0.0.1:{port}/p.dtd"> %p;]>', "x"),
        "xxe",
        "an external parameter entity",
        message="external entit",
    )
    add(
        "xxe-public.rdf",
        _rdfxml(f'<!DOCTYPE rdf:RDF PUBLIC "-//X//Y" "http://127.0.0.1:{port}/pub.dtd">', "x"),
        "xxe",
        "an external DTD (PUBLIC)",
        message="external entit",
    )
    add(
        "xxe-utf16.rdf",
        _rdfxml(f'<!DOCTYPE rdf:RDF [<!ENTITY x SYSTEM "http://127.0.0.1:{port}/u16">]>')
        .decode()
        .replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>')
        .encode("utf-16"),
        "xxe",
        "an external entity in UTF-16 (the byte regex cannot see it)",
        message="syntax error|external entit",
    )
    for levels in (7,) if quick else (7, 8):
        add(
            f"laughs-{levels}.rdf",
            _laughs(levels),
            "billion-laughs",
            f"nested internal entities, {levels} levels (expands to {3 * 10**levels:,} bytes)",
            message="entit",
            http_skip=levels > 7,
        )
    big = "x" * (20_000 if quick else 50_000)
    add(
        "quadratic.rdf",
        _rdfxml(f'<!DOCTYPE rdf:RDF [<!ENTITY x "{big}">]>', "&x;" * 2000),
        "billion-laughs",
        f"one {len(big) // 1000} KB entity used 2000 times (quadratic blow-up)",
        message="entit",
    )
    # --- JSON-LD with remote or hostile contexts
    doc = {"@id": "http://example.org/s", "http://example.org/p": "o"}
    for name, context in (
        ("jsonld-remote.jsonld", f"http://127.0.0.1:{port}/ctx.jsonld"),
        ("jsonld-remote-array.jsonld", [{"@vocab": "http://example.org/"}, f"http://127.0.0.1:{port}/c2"]),
        ("jsonld-import.jsonld", {"@import": f"http://127.0.0.1:{port}/c3", "x": "http://example.org/x"}),
        ("jsonld-file.jsonld", "file:///etc/passwd"),
    ):
        add(
            name,
            json.dumps({"@context": context, **doc}).encode(),
            "jsonld-context",
            f"@context {str(context)[:60]}",
            message="remote @context|remote context|context",
        )
    add(
        "jsonld-scoped.jsonld",
        json.dumps(
            {
                "@context": {"p": {"@id": "http://example.org/p", "@context": f"http://127.0.0.1:{port}/c4"}},
                "@id": "http://example.org/s",
                "p": {"@id": "http://example.org/o"},
            }
        ).encode(),
        "jsonld-context",
        "a scoped remote @context inside a term",
        message="context",
    )
    add(
        "jsonld-deep.jsonld",
        (
            '{"@id":"http://example.org/s","http://example.org/p":' + "[" * 100_000 + '"x"' + "]" * 100_000 + "}"
        ).encode(),
        "deep",
        "100,000 nested arrays",
        message="syntax error|nested",
    )
    # --- deep structures that parse
    depth = 20_000 if quick else 200_000
    add(
        "deep-bnode.ttl",
        (
            "<http://example.org/s> <http://example.org/p> "
            + "[ <http://example.org/p> " * depth
            + "1"
            + " ]" * depth
            + " .\n"
        ).encode(),
        "deep",
        f"{depth:,} nested blank nodes",
        validate={0, 1, 2},
        refuse_import=False,
        http=frozenset({200, 400, 413}),
    )
    add(
        "deep-xml.rdf",
        (
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'
            + "<rdf:Description><ex:p>" * 2000
            + "</ex:p></rdf:Description>" * 2000
            + "</rdf:RDF>"
        ).encode(),
        "deep",
        "2,000 nested RDF/XML elements",
        validate={0, 1, 2},
        refuse_import=False,
        http=frozenset({200, 400}),
    )
    # --- archives and bombs (nothing accepts archives: they must be refused as unreadable, never inflated)
    bomb = _gzip_zeros(100 if quick else 1024)
    add(
        "bomb.ttl",
        bomb,
        "zip-bomb",
        "gzip of 100 MiB / 1 GiB of zeros named .ttl",
        message="syntax error|UTF-8|invalid",
    )
    add("bomb.gz", bomb, "zip-bomb", "the same bomb as .gz", message="cannot tell the file's format")
    add("bomb.jsonld", bomb, "zip-bomb", "the same bomb as .jsonld", message="syntax error|invalid")
    # --- issue 14, item 1: deep JSON-LD that the parser must refuse or read without recursing to death
    from .corpus_issue14 import nested_lists, nested_objects

    for name, data, note in (
        ("jsonld-objects-4000.jsonld", nested_objects(4000), "4,000 nested objects"),
        ("jsonld-lists-30000.jsonld", nested_lists(30000), "30,000 nested @list"),
    ):
        add(name, data, "deep", note, validate={0, 1, 2}, refuse_import=False, http=frozenset({200, 400, 413}))
    # --- issue 14, items 2 and 9: IRIs in a CSV template that are no IRIs, one an injection aimed at the listener
    for k, (iri, note) in enumerate(_bad_csv_iris(port, quick)):
        add(
            f"csv-iri-{k}.csv",
            _assessment_csv(header, rows[0], "recommendation", iri),
            "csv-iri",
            note,
            validate={2},
            line=2,
            http=frozenset({400}),
            with_store=True,
        )
    add(
        "csv-injection-url.csv",
        _assessment_csv(
            header,
            rows[0],
            "assessment_source_url",
            f"https://example.org/x>}}SERVICE<http://127.0.0.1:{port}/u>{{?a?b?c}}#",
        ),
        "csv-iri",
        "a SPARQL injection in the source URL column",
        validate={1, 2},
        http=frozenset({200, 400}),
        with_store=True,
    )
    # --- non-conforming (parses, fails the shapes): exit 1, and nothing imported
    add(
        "non-conforming.ttl",
        invalid_ttl,
        "non-conforming",
        "an example the shapes reject",
        validate={1},
        http=frozenset({200}),
    )
    # --- big files (memory is measured and reported)
    size = (5 if quick else 50) * MIB
    path = folder / "big-bad.ttl"
    with open(path, "wb") as out:
        line = b'<http://example.org/s%d> <http://example.org/p> "value number %d" .\n'
        written, k = 0, 0
        while written < size:
            chunk = b"".join(line % (k + j, k + j) for j in range(10_000))
            out.write(chunk)
            written += len(chunk)
            k += 10_000
        out.write(b"<http://example.org/last> <http://example.org/p> .\n")  # a syntax error on the last line
    files.append(
        HostileFile(
            "big-bad.ttl",
            "huge",
            f"{written // MIB} MiB of triples, a syntax error on the last line",
            frozenset({2}),
            message="syntax error",
            size=written + 52,
            measured_only=True,
            http=frozenset({413}),
        )
    )
    # --- CSVs for `hres import upr-info` (the defect is always in the first data row)
    upr_header, upr_first, *upr_rest = UPR_FIXTURE.read_text("utf-8-sig").splitlines()
    for name, data, note, message, line in (
        (
            "upr-shifted.csv",
            "\n".join([upr_header, upr_first + ",extra", *upr_rest]),
            "a field too many on line 2",
            "fields where the header has",
            2,
        ),
        (
            "upr-latin1.csv",
            "\n".join([upr_header, upr_first.replace("Portugal", "Portug\u00e9")]),
            "Latin-1 bytes on line 2",
            "not valid utf-8",
            2,
        ),
        (
            "upr-truncated.csv",
            "\n".join([upr_header, upr_first[:40]]),
            "cut inside a quoted field",
            "malformed CSV|fields where the header has",
            2,
        ),
        ("upr-header.csv", "Text;State;From\nx;y;z", "an unknown header", "unknown header", 1),
        (
            "upr-nul.csv",
            "\n".join([upr_header, upr_first.replace("Portugal", "Portu\x00gal"), *upr_rest]),
            "a NUL byte in a cell on line 2 (issue 14, item 10)",
            "control character",
            2,
        ),
    ):
        raw = data.encode("latin-1") if "latin1" in name else data.encode("utf-8")
        (folder / name).write_bytes(raw)
        files.append(
            HostileFile(
                name,
                "upr-csv",
                note,
                frozenset({2}),
                refuse_import=False,
                upr_import=True,
                message=message,
                line=line,
                size=len(raw),
                http=frozenset({400}) if "latin1" in name else None,
            )
        )
    return files


def _bad_csv_iris(port: int, quick: bool) -> list[tuple[str, str]]:
    """Values of an IRI column that are no IRIs: must be exit 2 / 400 with the line, never 'does not conform'."""
    base = "https://w3id.org/hres/id/recommendation/upr-info/"
    injection = (
        f"https://w3id.org/hres/id/recommendation/x>}}OPTIONAL{{SERVICE<http://127.0.0.1:{port}/i>"
        "{?x?p?o}}VALUES?z{<urn:z"
    )
    found = [(injection, "the SPARQL injection of issue 14, item 2")]
    found += [(base + f"a{c}b", f"{c!r} in the IRI") for c in ("<", ">", "{", "}")]
    if not quick:
        found += [(base + f"a{c}b", f"{c!r} in the IRI") for c in (" ", '"', "|", "^", "`", "\\")]
    return found


def _assessment_csv(header: str, row: str, column: str, value: str) -> bytes:
    """The assessments template's first row with one column set to `value` (quoted as CSV needs)."""
    import csv

    names = header.split(",")
    values = next(csv.reader([row]))
    values[names.index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([names, values])
    return out.getvalue().encode("utf-8")


def _gzip_zeros(mib: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(MIB)
    return b"".join(packer.compress(zeros) for _ in range(mib)) + packer.flush()


# --- the worker: the real command, in-process, one file after the other -------------------------


def _hwm_kib() -> int:
    return status_number(os.getpid(), "VmHWM")


def _release_memory() -> None:
    """Give freed memory back to the system, so each file's peak is measured from a low base."""
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except OSError:
        pass


def worker_main() -> None:
    """Read jobs (JSON lines) on stdin; run each as `hres ARGS`; write one JSON line per job."""
    from hres_graph.cli import main as hres_main

    for line in sys.stdin:
        job = json.loads(line)
        for key, value in job.get("env", {}).items():
            os.environ[key] = value
        out, err = io.StringIO(), io.StringIO()
        _release_memory()
        before = rss_kib(os.getpid())
        try:
            Path("/proc/self/clear_refs").write_text("5")
        except OSError:
            pass
        t0 = time.perf_counter()
        code, exception = None, ""
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                hres_main(job["argv"], standalone_mode=False, prog_name="hres")
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            except MemoryError:
                exception = "MemoryError"
            except BaseException as exc:  # noqa: BLE001 - the real CLI would print a traceback (exit 1)
                import click

                if isinstance(exc, click.ClickException):
                    code = exc.exit_code
                    err.write(exc.format_message())
                else:
                    exception = f"{type(exc).__name__}: {str(exc)[:300]}"
        result = {
            "id": job["id"],
            "code": code,
            "exception": exception,
            "stdout": out.getvalue()[-4000:],
            "stderr": err.getvalue()[-4000:],
            "seconds": round(time.perf_counter() - t0, 3),
            "rss_before_kib": before,
            "peak_kib": _hwm_kib(),
        }
        sys.stdout.write(json.dumps(result) + "\n")
        sys.stdout.flush()


@dataclass
class JobResult:
    id: str
    code: int | None = None  # exit code; None when the worker died or ran out of time
    exception: str = ""
    stdout: str = ""
    stderr: str = ""
    seconds: float = 0.0
    rss_before_kib: int = 0
    peak_kib: int = 0
    died: str = ""  # "signal 9", "timeout", …

    @property
    def peak_delta_mib(self) -> float:
        return max(0, self.peak_kib - self.rss_before_kib) / 1024


def run_jobs(jobs: list[dict], *, timeout_per_job: float, env: dict, total_budget_s: float = 900.0) -> list[JobResult]:
    """Run the jobs in a worker process; a job that kills the worker (or runs past its time) is recorded,
    and a new worker takes the remaining jobs."""
    results: dict[str, JobResult] = {}
    pending = list(jobs)
    t0 = time.monotonic()

    def limits():
        import resource

        limit = WORKER_ADDRESS_SPACE_MIB * MIB
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    while pending and time.monotonic() - t0 < total_budget_s:
        process = subprocess.Popen(
            [sys.executable, "-m", "suites.hardening.files", "--worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=ROOT,
            preexec_fn=limits,
        )
        try:
            for job in pending:
                process.stdin.write((json.dumps(job) + "\n").encode())
            process.stdin.close()
            buffer = b""
            job_started = time.monotonic()
            while pending:
                ready, _, _ = select.select([process.stdout], [], [], 0.5)
                if ready:
                    chunk = os.read(process.stdout.fileno(), 65536)
                    if not chunk:
                        break
                    buffer += chunk
                    while b"\n" in buffer:
                        line, buffer = buffer.split(b"\n", 1)
                        data = json.loads(line)
                        results[data["id"]] = JobResult(**data)
                        pending = [j for j in pending if j["id"] != data["id"]]
                        job_started = time.monotonic()
                elif time.monotonic() - job_started > timeout_per_job:
                    process.kill()
                    results[pending[0]["id"]] = JobResult(pending[0]["id"], died=f"timeout after {timeout_per_job:g} s")
                    pending = pending[1:]
                    break
            if pending and pending[0]["id"] not in results:
                process.wait(10)
                if process.returncode is not None and process.returncode != 0:
                    results[pending[0]["id"]] = JobResult(pending[0]["id"], died=f"worker exited {process.returncode}")
                    pending = pending[1:]
        finally:
            if process.poll() is None:
                process.kill()
            process.wait(10)
            process.stdout.close()
    for job in pending:
        results[job["id"]] = JobResult(job["id"], died="not run: the time budget ran out")
    return [results[j["id"]] for j in jobs]


# --- checks ---------------------------------------------------------------------------------


@dataclass
class FileOutcome:
    file: HostileFile
    route: str  # validate | import-validate | import-upr | http-validate
    code: int | None  # exit code or HTTP status
    ok: bool  # expected code, clear message, memory bound
    problems: list[str] = field(default_factory=list)
    peak_mib: float = 0.0
    seconds: float = 0.0
    message: str = ""


def judge_cli(f: HostileFile, route: str, r: JobResult, expected: frozenset) -> FileOutcome:
    problems = []
    message = (r.stderr.strip() or r.stdout.strip()).splitlines()
    first = next((m for m in message if m.startswith("error:")), message[0] if message else "")
    if r.died:
        problems.append(f"the command died: {r.died}")
    elif r.exception:
        problems.append(f"uncaught exception (a traceback for the user): {r.exception}")
    elif r.code not in expected:
        problems.append(f"exit code {r.code}, expected {sorted(expected)}")
    if r.code == 2 and not r.died:
        text = r.stderr
        if not text.startswith("error:") or f.name not in text:
            problems.append("the message does not start with 'error:' naming the file")
        if "Traceback" in text:
            problems.append("a traceback was printed")
        if f.message and not re.search(f.message, text, re.I):
            problems.append(f"the message does not say /{f.message}/: {first[:160]!r}")
        if f.line is not None and not re.search(rf"{re.escape(f.name)}:{f.line}\b", text):
            problems.append(f"the message does not point at line {f.line}: {first[:160]!r}")
    if not f.measured_only and r.peak_delta_mib > SMALL_FILE_MEMORY_MIB:
        problems.append(f"peak memory +{r.peak_delta_mib:.0f} MiB (bound {SMALL_FILE_MEMORY_MIB} MiB)")
    return FileOutcome(f, route, r.code, not problems, problems, round(r.peak_delta_mib, 1), r.seconds, first[:200])


# --- HTTP uploads ---------------------------------------------------------------------------

BOUNDARY = "hres-hardening-boundary-7d1f"


def multipart_parts(filename: str, data_len: int, fields: dict[str, str] | None = None) -> tuple[bytes, bytes]:
    """The bytes before and after a file's content in a multipart/form-data body."""
    head = "".join(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n' for k, v in (fields or {}).items()
    )
    head += (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    )
    return head.encode(), f"\r\n--{BOUNDARY}--\r\n".encode()


def upload(port: int, path: Path, *, timeout: float = 120.0, with_store: bool = False) -> Answer:
    data = path.read_bytes()
    head, tail = multipart_parts(
        path.name, len(data), {"format": "json", **({"with_store": "1"} if with_store else {})}
    )
    body = head + data + tail
    return http(
        port,
        "POST",
        "/validate",
        [("Content-Type", f"multipart/form-data; boundary={BOUNDARY}"), ("Accept", "text/html")],
        body,
        timeout=timeout,
    )


def has_validate_route(port: int) -> bool:
    return http(port, "GET", "/validate", [("Accept", "text/html")], timeout=10).status == 200


@dataclass
class BigUpload:
    route: str
    size: int
    status: int
    seconds: float
    peak_web_mib: float
    peak_total_mib: float
    rss_before_mib: float
    error: str = ""
    message: str = ""


def big_upload(server: LiveServer, size: int, *, use_validate: bool) -> BigUpload:
    """Stream `size` bytes (1 MiB chunks, constant client memory) and sample the server's RSS."""
    chunk = (b'<http://example.org/s> <http://example.org/p> "' + b"x" * 1000 + b'" .\n') * 1000
    chunk = chunk[:MIB]
    if use_validate:
        head, tail = multipart_parts("upload.ttl", size)
        total = len(head) + size + len(tail)
        body = _chain(head, repeat_chunks(size, chunk), tail)
        headers = [
            ("Content-Type", f"multipart/form-data; boundary={BOUNDARY}"),
            ("Content-Length", str(total)),
            ("Accept", "text/plain"),
        ]
        route = "/validate"
    else:
        head = b"query="
        total = len(head) + size
        body = _chain(head, repeat_chunks(size, chunk), b"")
        headers = [
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Content-Length", str(total)),
            ("Accept", "text/plain"),
        ]
        route = "/sparql"
    before = rss_kib(server.pid)
    with RssSampler(server.pid, every=0.05) as sampler:
        answer = http(server.port, "POST", route, headers, body, timeout=600, content_length=False)
        sampler.sample()
    return BigUpload(
        route,
        total,
        answer.status,
        round(answer.seconds, 2),
        round(sampler.peak_main / 1024, 1),
        round(sampler.peak_total / 1024, 1),
        round(before / 1024, 1),
        answer.error,
        answer.text(160),
    )


def _chain(head: bytes, middle, tail: bytes):
    yield head
    yield from middle
    if tail:
        yield tail


@dataclass
class FilesResult:
    outcomes: list[FileOutcome]
    big: BigUpload | None
    files: list[HostileFile]
    validate_route: bool
    seconds: float
    notes: list[str] = field(default_factory=list)

    def failures(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if not o.ok]


def _slug(name: str) -> str:
    return ("hostile-" + re.sub(r"[^a-z0-9]+", "-", Path(name).stem.lower()).strip("-"))[:60].rstrip("-")


def run_files(
    server: LiveServer | None,
    var_dir: Path,
    folder: Path,
    *,
    quick: bool,
    ports: list[int],
    empty_data_root: Path,
    log=print,
) -> FilesResult:
    """Every hostile file through every route that takes files; the big upload; memory and messages judged.
    Imports go to the served store itself, whose checksum the caller compares before and after."""
    t0 = time.monotonic()
    files = make_files(folder, quick=quick, ports=ports)
    log(f"  {len(files)} hostile files written ({sum(f.size for f in files) / MIB:.0f} MiB)")
    env = hres_env(HRES_DATA_ROOT=str(empty_data_root))
    jobs, expected = [], {}
    for f in files:
        path = str(folder / f.name)
        if f.upr_import:
            jobs.append({"id": f"import-upr:{f.name}", "argv": ["--var-dir", str(var_dir), "import", "upr-info", path]})
            expected[jobs[-1]["id"]] = frozenset({2})
            continue
        store = ["--var-dir", str(var_dir)] if f.with_store else []
        jobs.append(
            {
                "id": f"validate:{f.name}",
                "argv": [*store, "validate", *(["--with-store"] if f.with_store else []), path],
            }
        )
        expected[jobs[-1]["id"]] = f.validate
        if f.refuse_import:
            jobs.append(
                {
                    "id": f"import-validate:{f.name}",
                    "argv": ["--var-dir", str(var_dir), "import", "--validate", _slug(f.name), path],
                }
            )
            expected[jobs[-1]["id"]] = f.validate - {0}
    by_name = {f.name: f for f in files}
    results = run_jobs(jobs, timeout_per_job=60 if quick else 180, env=env, total_budget_s=300 if quick else 1200)
    outcomes = []
    for job, r in zip(jobs, results):
        route, name = job["id"].split(":", 1)
        outcomes.append(judge_cli(by_name[name], route, r, expected[job["id"]]))
    log(f"  {len(jobs)} command runs in {time.monotonic() - t0:.0f} s")
    validate_route = bool(server) and has_validate_route(server.port)
    notes = []
    if server and validate_route:
        for f in files:
            if f.http_skip or f.upr_import:
                continue
            before = rss_kib(server.pid)
            with RssSampler(server.pid, every=0.05) as sampler:
                answer = upload(server.port, folder / f.name, with_store=f.with_store)
                sampler.sample()
            expect = f.http | ({413} if f.size + 1024 > MIB else set())
            problems = []
            if answer.status not in expect:
                problems.append(f"status {answer.status}, expected {sorted(expect)} {answer.error}")
            if answer.status == 400 and f.name.encode() not in answer.body and b"error" not in answer.body.lower():
                problems.append("the 400 page does not name the file nor say 'error'")
            delta = max(0, sampler.peak_main - before) / 1024
            if not f.measured_only and delta > SMALL_FILE_MEMORY_MIB:
                problems.append(f"server peak memory +{delta:.0f} MiB (bound {SMALL_FILE_MEMORY_MIB} MiB)")
            outcomes.append(
                FileOutcome(
                    f,
                    "http-validate",
                    answer.status,
                    not problems,
                    problems,
                    round(delta, 1),
                    round(answer.seconds, 2),
                    _page_message(answer),
                )
            )
    elif server:
        notes.append("the server has no /validate route: files were not uploaded; the big upload goes to /sparql")
    big = None
    if server:
        size = 64 * MIB if quick else 1_000_000_000 - 4096  # 1 GB, under waitress's 1 GiB body limit with the framing
        big = big_upload(server, size, use_validate=validate_route)
        log(
            f"  {size / MIB:.0f} MiB upload to {big.route}: {big.status} in {big.seconds:.1f} s, server peak RSS "
            f"{big.peak_web_mib:.0f} MiB (before {big.rss_before_mib:.0f} MiB)"
        )
    return FilesResult(outcomes, big, files, validate_route, time.monotonic() - t0, notes)


def _page_message(answer: Answer) -> str:
    text = re.sub(r"<[^>]+>", " ", answer.body.decode("utf-8", "replace"))
    text = " ".join(text.split())
    match = re.search(r"(error[^.]{0,160})", text, re.I)
    return match.group(1) if match else text[:160]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="hostile files (used by python -m suites.hardening)")
    parser.add_argument("--worker", action="store_true", help="run jobs from stdin (internal)")
    parser.add_argument("--write", type=Path, help="write the hostile files into this folder and list them")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    if args.worker:
        worker_main()
        return 0
    if args.write:
        for f in make_files(args.write, quick=args.quick, ports=[9]):
            print(f"{f.name:32} {f.size:>12,}  {f.kind:16} {f.note}")
        return 0
    parser.print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main())
