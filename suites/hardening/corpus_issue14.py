r"""The request families of issue 14's reproducers, with their near variants (sent by corpus.run_corpus).

| family | issue 14 | what | expected |
|---|---|---|---|
| deep-upload | 1 | JSON-LD of 4,000 (full: up to 20,000) nested objects, 30,000 nested `@list`s, nested `@graph`s, Turtle collections 30,000 deep, POSTed to /validate | 200/400/413/422, never 500; the server answers afterwards |
| service-spelling | 3 | `SERVICEe:x`, `SERVICE:x`, `SERVICESILENT e:x`, `\u` escapes, in OPTIONAL, sub-queries, ASK, CONSTRUCT, DESCRIBE, MINUS, FILTER EXISTS, UNION, GRAPH, by GET, form and direct POST | no connection on the listener; 400 (200 also for SILENT, which answers as if the service gave nothing, and for ASK, which may not call it) |
| update-load | 3 | `LOADe:data.nt`, `LOAD:x`, `LOADSILENT e:x`, SERVICE in an update's WHERE, at /update *with* the update token (second server); one harmless INSERT DATA proves the token works | no connection; 400/403 (200/204 also for SILENT; the INSERT 200/204) |
| size-limits | 7 | a 1 MiB query of dots (and of `;`, `,`), 250 KB Accept and Accept-Language headers on every route | 200/400/413 for the texts, 200/400/404/406/413/431 for the headers, within 20 s |
| answer-bytes | 8 | 300 rows of a 1 MiB string each (CONCAT doubling), in every result format (second server, 30 s timeout) | 200/413/422/503/504 and at most MAX_ANSWER_BYTES (64 MiB) read |
| memory-bomb | 8 | CONCAT and REPLACE doubling to 2 GiB, three 1 GiB strings concatenated, a 3 GiB GROUP_CONCAT (each over WORKER_MEMORY, 2 GiB; second server, 30 s timeout) | 400/413/422/503/504/507; a worker may die at its memory limit (counted apart) |
| control-output | 11 | literals holding U+0001, U+0000, ESC, VT, U+FFFE, U+FFFF in SPARQL XML and JSON results, and CONSTRUCT answers in RDF/XML, N-Triples, Turtle, JSON-LD | 200 with a well-formed, parseable answer, or 400/406/422 |
| host-header | 12 | a hostile Host (and X-Forwarded-Host) on the /dumps redirect | a redirect never points at the hostile host |

Everything is aimed at 127.0.0.1: the URLs name the recording listener's ports.
"""

from __future__ import annotations

from urllib.parse import quote

from .corpus import MAX_REQUEST, Case, direct, form, get, with_limit

MIB = 1024 * 1024
UPDATE_TOKEN = "hardening-update-token-0123456789"  # >= 16 characters, as the server requires
DEEP_UPLOAD = frozenset({200, 400, 413, 422})
REFUSED = frozenset({400})
CONTROL_CHARACTERS = ("0001", "0000", "001B", "000B", "FFFE", "FFFF", "0008")
WORKER_MAY_DIE = {
    "memory-bomb": "a query worker stopped at its memory limit (issue 14 item 8): the request gets "
    "503 and the worker is replaced"
}


# --- 1. deep structures uploaded to /validate ------------------------------------------------------


def nested_objects(n: int) -> bytes:
    return (
        '{"@id":"http://example.org/s","http://example.org/p":' + '{"http://example.org/p":' * n + '"x"' + "}" * n + "}"
    ).encode()


def nested_lists(n: int) -> bytes:
    return (
        '{"@id":"http://example.org/s","http://example.org/p":' + '{"@list":[' * n + '"x"' + "]}" * n + "}"
    ).encode()


def nested_graphs(n: int) -> bytes:
    return (
        '{"@id":"http://example.org/g0",'
        + '"@graph":[{"@id":"http://example.org/g",' * n
        + '"http://example.org/p":"x"'
        + "}]" * n
        + "}"
    ).encode()


def turtle_collection(n: int) -> bytes:
    return ("<http://example.org/s> <http://example.org/p> " + "(" * n + " 1 " + ")" * n + " .\n").encode()


def fam_deep_upload(quick: bool) -> list[Case]:
    shapes = [
        ("objects", nested_objects, "application/ld+json", (4000,) if quick else (1000, 4000, 20000)),
        ("@list", nested_lists, "application/ld+json", (30000,) if quick else (4000, 30000, 100000)),
        ("@graph", nested_graphs, "application/ld+json", (4000,) if quick else (4000, 20000)),
        ("turtle collection", turtle_collection, "text/turtle", (30000,) if quick else (30000, 200000)),
    ]
    cases = []
    for name, make, media_type, sizes in shapes:
        for n in sizes:
            body = make(n)
            case = Case(
                "deep-upload",
                "POST",
                "/validate?name=deep." + ("ttl" if "turtle" in media_type else "jsonld"),
                (("Accept", "application/json"), ("Content-Type", media_type)),
                body,
                DEEP_UPLOAD,
                note=f"{name} x{n:,} ({len(body) // 1024} KiB)",
                heavy=True,
                timeout=120.0,
            )
            cases.append(with_limit(case, DEEP_UPLOAD))
    return cases


# --- 3. SERVICE and LOAD spellings the lexer must not miss -------------------------------------------

SERVICE_FORMS = (
    "SELECT * WHERE { SERVICEe:x { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICESILENT e:x { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE SILENTe:x { ?s ?p ?o } }",
    "SELECT * WHERE { OPTIONAL { SERVICEe:x { ?s ?p ?o } } }",
    "SELECT * WHERE { { SELECT * WHERE { SERVICEe:x { ?s ?p ?o } } } }",
    "ASK { SERVICEe:x { ?s ?p ?o } }",
    "CONSTRUCT { ?s ?p ?o } WHERE { SERVICEe:x { ?s ?p ?o } }",
    "DESCRIBE ?s WHERE { SERVICEe:x { ?s ?p ?o } }",
    "ASK { FILTER EXISTS { SERVICEe:x { ?s ?p ?o } } }",
    "ASK { MINUS { SERVICEe:x { ?s ?p ?o } } }",
    "ASK { {} UNION { SERVICEe:x { ?s ?p ?o } } }",
    "ASK { GRAPH ?g { SERVICEe:x { ?s ?p ?o } } }",
    "SELECT * WHERE { service\te:x { ?s ?p ?o } }",
    "SELECT * WHERE { SeRvIcEe:x { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE#comment\ne:x { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICEe:x { ?s ?p ?o } }",
    "SELECT * WHERE { SERVIC\\u0045e:x { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICEe:\\u0078 { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE<{url}x>{?s ?p ?o} }",
    "SELECT * WHERE { OPTIONAL{SERVICEe:x{?s ?p ?o}} }",
)
COLON_FORMS = (
    "SELECT * WHERE { SERVICE:x { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE: { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICESILENT :x { ?s ?p ?o } }",
    "ASK { OPTIONAL { SERVICE:x { } } }",
    "CONSTRUCT WHERE { SERVICE:x { ?s ?p ?o } }",
)


def fam_service_spelling(ports: list[int]) -> list[Case]:
    cases = []
    texts = []
    for i, body in enumerate(SERVICE_FORMS):
        url = f"http://127.0.0.1:{ports[i % len(ports)]}/"
        texts.append(f"PREFIX e: <{url}> " + body.replace("{url}", url))
    for i, body in enumerate(COLON_FORMS):
        texts.append(f"PREFIX : <http://127.0.0.1:{ports[i % len(ports)]}/> " + body)
    url = f"http://127.0.0.1:{ports[0]}/"
    texts += [
        f"PREFIX e: <urn:harmless:> PREFIX e: <{url}> SELECT * WHERE {{ SERVICEe:x {{ ?s ?p ?o }} }}",
        f"BASE <{url}> SELECT * WHERE {{ SERVICE<x>{{ ?s ?p ?o }} }}",
    ]
    for text in texts:
        for deliver in (get, form, direct):
            cases.append(
                deliver(
                    "service-spelling",
                    text,
                    _service_expect(text),
                    note=f"{deliver.__name__}: {text.split('> ', 1)[-1][:70]}",
                )
            )
    return cases


def _service_expect(text: str) -> frozenset:
    """400 when the answer needs the service (its connection is denied, server/README "Safety"); also 200
    for SILENT, which answers as if the service gave nothing, and for ASK, which the engine may answer
    without calling it. The property that never bends is the listener's: no connection."""
    body = text.split(">", 1)[-1].strip().upper()  # after the PREFIX or BASE IRI
    return REFUSED | {200} if "SILENT" in body or body.startswith("ASK") else REFUSED


LOAD_FORMS = (
    "LOADe:data.nt",
    "LOADe:data.nt INTO GRAPH <urn:hardening:g>",
    "LOAD SILENTe:data.nt",
    "LOADSILENT e:data.nt",
    "load\te:data.nt",
    "\\u004cOADe:data.nt",
    "INSERT DATA { <urn:hardening:a> <urn:hardening:b> <urn:hardening:c> } ; LOADe:data.nt",
    "INSERT { ?s ?p ?o } WHERE { SERVICEe:x { ?s ?p ?o } }",
    "DELETE { ?s ?p ?o } WHERE { OPTIONAL { SERVICEe:x { ?s ?p ?o } } }",
    "INSERT { ?s ?p ?o } WHERE { SERVICESILENT e:x { ?s ?p ?o } }",
)


def update_cases(ports: list[int], token: str = UPDATE_TOKEN) -> list[Case]:
    """For a server started with HRES_UPDATE_TOKEN=`token`: LOAD and SERVICE spellings at /update, and one
    harmless INSERT DATA that proves the token is accepted (else every 403 would prove nothing)."""
    auth = ("Authorization", f"Bearer {token}")
    texts = [f"PREFIX e: <http://127.0.0.1:{ports[i % len(ports)]}/> {body}" for i, body in enumerate(LOAD_FORMS)]
    texts += [
        f"PREFIX : <http://127.0.0.1:{ports[0]}/> LOAD:data.nt",
        f"LOAD <http://127.0.0.1:{ports[1 % len(ports)]}/x.nt>",
    ]
    cases = []
    for text in texts:
        # SILENT answers as if the source gave nothing (server/README "Safety"): done, 200/204, no connection
        expect = frozenset({400, 403} | ({200, 204} if "SILENT" in text.upper() else set()))
        cases.append(
            Case(
                "update-load",
                "POST",
                "/update",
                (("Accept", "*/*"), auth, ("Content-Type", "application/sparql-update")),
                text.encode(),
                expect,
                note=f"direct: {text.split('> ', 1)[-1][:70]}",
            )
        )
        cases.append(
            Case(
                "update-load",
                "POST",
                "/update",
                (("Accept", "*/*"), auth, ("Content-Type", "application/x-www-form-urlencoded")),
                ("update=" + quote(text, safe="")).encode(),
                expect,
                note=f"form: {text.split('> ', 1)[-1][:70]}",
            )
        )
    cases.append(
        Case(
            "update-load",
            "POST",
            "/update",
            (("Accept", "*/*"), auth, ("Content-Type", "application/sparql-update")),
            b'INSERT DATA { <urn:hardening:s> <urn:hardening:p> "the token works" }',
            frozenset({200, 204}),
            note="control: a harmless INSERT DATA with the token",
        )
    )
    return cases


# --- 7. sizes that cost time rather than memory ------------------------------------------------------

SIZE_OK = frozenset({200, 400, 406, 413, 431})
TEXT_OK = frozenset({200, 400, 413})  # parsed and refused, or over MAX_QUERY_BYTES


def fam_size_limits(quick: bool) -> list[Case]:
    room = MAX_REQUEST - 64
    fills = [(".", "dots"), (" .", "spaced dots"), (";", "semicolons"), (",", "commas")]
    cases = []
    for unit, name in fills[:2] if quick else fills:
        filler = unit * (room // len(unit) - 40)
        text = "SELECT * WHERE { " + filler + " }"
        for deliver in (direct, form):
            case = deliver("size-limits", text, TEXT_OK, note=f"1 MiB of {name} ({deliver.__name__})", timeout=20.0)
            cases.append(with_limit(case, TEXT_OK))
    cases.append(
        with_limit(
            get("size-limits", "ASK { " + "." * 200_000 + " }", TEXT_OK, note="200 KB of dots (GET)", timeout=20.0),
            TEXT_OK | {431},
        )
    )
    accepts = [
        ("Accept", ("application/sparql-results+json;q=0.9, " * 6500)[:250_000], "repeated type"),
        ("Accept", ", ".join(f"type/x{k}" for k in range(25_000))[:250_000], "25,000 types"),
        ("Accept", "*/*;q=0." + "0" * 250_000, "a 250 KB q-value"),
        ("Accept-Language", ("fr;q=0.5, " * 25_000)[:250_000], "Accept-Language"),
    ]
    routes = [
        "/sparql?query=" + quote("ASK {}", safe=""),
        "/",
        "/ontology",
        "/id/state/KEN",
        "/dumps/ontology.nt",
        "/validate",
        "/api/queries",
        "/void",
    ]
    for k, (header, value, name) in enumerate(accepts):
        for route in routes if not quick or k == 0 else routes[:2]:
            cases.append(
                Case(
                    "size-limits",
                    "GET",
                    route,
                    ((header, value),),
                    None,
                    SIZE_OK | {404},
                    note=f"250 KB {name} on {route[:30]}",
                    timeout=20.0,
                )
            )
    return cases


# --- 8. answers too big and queries too hungry ----------------------------------------------------


def _doubled(k: int, start: str = '"x"') -> str:
    """BINDs that make ?a<k> a string of 2**k characters."""
    return f"BIND({start} AS ?a0) " + " ".join(f"BIND(CONCAT(?a{j}, ?a{j}) AS ?a{j + 1})" for j in range(k))


ROWS_300 = "VALUES ?i { " + " ".join(str(i) for i in range(300)) + " }"
ANSWER_FORMATS = (
    ("application/sparql-results+json", "select"),
    ("application/sparql-results+xml", "select"),
    ("text/csv", "select"),
    ("text/tab-separated-values", "select"),
    ("application/n-triples", "construct"),
    ("text/turtle", "construct"),
)


def fam_answer_bytes(quick: bool) -> list[Case]:
    select = f"SELECT ?i ?a20 WHERE {{ {ROWS_300} {_doubled(20)} }}"
    construct = (
        f"CONSTRUCT {{ ?s <urn:hardening:p> ?a20 }} WHERE {{ {ROWS_300} "
        f'BIND(IRI(CONCAT("urn:hardening:s", STR(?i))) AS ?s) {_doubled(20)} }}'
    )
    cases = []
    for media_type, kind in ANSWER_FORMATS[:3] if quick else ANSWER_FORMATS:
        text = select if kind == "select" else construct
        cases.append(
            get(
                "answer-bytes",
                text,
                frozenset({200, 413, 422, 503, 504}),
                headers=(("Accept", media_type),),
                note=f"300 rows x 1 MiB as {media_type}",
                heavy=True,
                timeout=120.0,
                check="answer-bytes",
            )
        )
    return cases


def fam_memory_bomb(quick: bool) -> list[Case]:
    # each needs about 3 GiB, over the worker's default WORKER_MEMORY (2 GiB), and no more: without the
    # limit (before issue 14), the query timeout alone stops them, on a machine shared with others
    texts = [
        (f"SELECT (STRLEN(?a31) AS ?n) WHERE {{ {_doubled(31)} }}", "CONCAT doubling to 2 GiB"),
        (
            "SELECT (STRLEN(?r) AS ?n) WHERE { BIND(" + "REPLACE(" * 31 + '"x"' + ', "x", "xx")' * 31 + " AS ?r) }",
            "REPLACE doubling to 2 GiB",
        ),
        (
            f"SELECT (STRLEN(?x) AS ?n) WHERE {{ {_doubled(30)} BIND(CONCAT(?a30, ?a30, ?a30) AS ?x) }}",
            "CONCAT of three 1 GiB strings",
        ),
        (
            f"SELECT (STRLEN(GROUP_CONCAT(?a20)) AS ?n) WHERE {{ VALUES ?i {{ {' '.join(map(str, range(3072)))} }} "
            f"{_doubled(20)} }}",
            "GROUP_CONCAT of 3,072 x 1 MiB",
        ),
    ]
    bomb = frozenset({400, 413, 422, 503, 504, 507})
    return [
        get("memory-bomb", text, bomb, note=note, heavy=True, timeout=120.0)
        for text, note in ([texts[0], texts[2]] if quick else texts)
    ]  # REPLACE runs to the timeout


# --- 11. control characters in answers ---------------------------------------------------------------

CONTROL_OK = frozenset({200, 400, 406, 422})


def fam_control_output(quick: bool) -> list[Case]:
    cases = []
    for code in CONTROL_CHARACTERS[:3] if quick else CONTROL_CHARACTERS:
        literal = f'"a\\u{code}b"'
        select = f"SELECT ?x WHERE {{ BIND({literal} AS ?x) }}"
        construct = f"CONSTRUCT {{ <urn:hardening:s> <urn:hardening:p> ?x }} WHERE {{ BIND({literal} AS ?x) }}"
        tagged = (
            f'CONSTRUCT {{ <urn:hardening:s> <urn:hardening:p> ?x }} WHERE {{ BIND(STRLANG({literal}, "en") AS ?x) }}'
        )
        for text, media_type, check in (
            (select, "application/sparql-results+xml", "xml"),
            (select, "application/sparql-results+json", "json"),
            (construct, "application/rdf+xml", "xml"),
            (tagged, "application/rdf+xml", "xml"),
            (construct, "application/n-triples", "ntriples"),
            (construct, "text/turtle", "turtle"),
            (construct, "application/ld+json", "jsonld"),
        ):
            cases.append(
                get(
                    "control-output",
                    text,
                    CONTROL_OK,
                    headers=(("Accept", media_type),),
                    check=check,
                    note=f"U+{code} as {media_type}",
                )
            )
    return cases


# --- 12. the Host header on redirects ----------------------------------------------------------------


def fam_host_header(port: int) -> list[Case]:
    hosts = ["evil.example", "evil.example:80", f"127.0.0.1:{port}@evil.example", "EVIL.example.", "evil.example:99999"]
    redirect = frozenset({301, 302, 303, 307, 308, 400, 404})
    cases = []
    for target in ("/dumps", "/dumps?format=nt"):
        for host in hosts:
            cases.append(
                Case(
                    "host-header",
                    "GET",
                    target,
                    (("Host", host), ("Accept", "text/html")),
                    None,
                    redirect,
                    note=f"Host: {host} on {target}",
                    check="location",
                )
            )
        cases.append(
            Case(
                "host-header",
                "GET",
                target,
                (("X-Forwarded-Host", "evil.example"), ("Accept", "text/html")),
                None,
                redirect,
                note=f"X-Forwarded-Host on {target}",
                check="location",
            )
        )
    return cases


def generate(*, quick: bool, ports: list[int], server_port: int) -> list[Case]:
    """The issue-14 families for the suite's server (3 s timeout). The deep uploads come last: before
    issue 14 they crashed the whole server (SIGSEGV), which would hide the others."""
    return (
        fam_service_spelling(ports)
        + fam_size_limits(quick)
        + fam_control_output(quick)
        + fam_host_header(server_port)
        + fam_deep_upload(quick)
    )


LONG_TIMEOUT_S = 30.0


def long_query_cases(quick: bool) -> list[Case]:
    """For a server with a LONG_TIMEOUT_S query timeout: at the suite's 3 s, a 64 MiB answer or a 2 GiB
    string is not reached before the timeout, and 504 would hide whether the byte cap and the memory
    limit hold."""
    return fam_answer_bytes(quick) + fam_memory_bomb(quick)
