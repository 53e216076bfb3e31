"""The hostile request corpus: generated deterministically from a seed, each case with the statuses it expects.

Families (full-run counts in `QUOTAS`, 10,440 requests without the named-query family; `--quick` counts in
`QUICK`, 1,477 without it):

| family | what | expected |
|---|---|---|
| syntax | constructed syntax errors (truncations, misspelt keywords, undeclared prefixes, unterminated strings, bad escapes, keyword salad, other languages) | 400 |
| mutation | valid queries mutated at random; each mutant is classified by an oracle (the server's own lexer rules, then Oxigraph parsing it over an empty in-memory store) | 400 if the oracle refuses it, else 200/422/504 |
| huge-literal | strings, IRIs, variables, numbers, language tags, VALUES and IN lists up to the request limit, and over it | 200 (400/422 where the engine may refuse), 413 over MAX_QUERY_BYTES or MAX_REQUEST_BYTES |
| deep-nesting | groups, parentheses, OPTIONAL, sub-queries, paths, negations, UNION / && / + chains, 10 to 300,000 deep | 200/400/422/504 (413 over the limit); never a dead worker |
| unbalanced | braces, brackets and parentheses added or removed | 400 |
| invalid-utf8 | invalid bytes in bodies, query strings (raw and %-encoded), forms, dataset IRIs, paths, headers | 400 (415 when a charset other than UTF-8 is declared) |
| methods | every method (and invalid method tokens, HTTP versions) on every route | 200/403/404/405 per route; 400/501/505 for invalid requests |
| content-type | wrong, missing, odd or conflicting Content-Type, Content-Encoding, Accept | 415/403/400/406/200 per case |
| oversized | bodies, forms and chunked bodies over 1 MiB, 300 KB+ URLs and headers, lying lengths, smuggling | 413/431/400 (or the connection closed) |
| named-query | hostile values for every parameter of every named query at /api/queries/<name> (only if the route exists) | 200 (bound as a term) or 400 |
| ssrf | SERVICE / LOAD / FROM / FROM NAMED / dataset IRIs aimed at the recording listener, in every disguise | 400 (403 at /update; 200 for the dataset parameters and DESCRIBE, which are never fetched); 0 connections |
| property-path | path explosions ((p|!p)*, nested stars, inverse cycles) with a short `timeout` | 200 or 504 |
| cross-product | Cartesian products, counted, listed, ordered, concatenated | 200 or 504 |
| regex-bomb | catastrophic-backtracking patterns, huge counted repetitions, REPLACE blow-ups | 200/400/422/504 |
| sort-abort | ORDER BY over numbers mixed with strings: pyoxigraph 0.5.13 panics and aborts the worker (upstream, see ENGINE_ABORT) | 200/504, or 503/422 when the worker died (it is replaced; counted apart) |
| parameters | timeout, format, dataset IRIs, duplicates, unknown and numerous parameters, odd Accept | 200/400/406 per case |
| paths | traversal, NUL, encoded slashes, huge and unicode paths on the linked-data and dump routes | 200/304/400/404/406/431 (503 while a dump is being written) |

Expectations come from the protocol and the server's documented limits (server/README.md), never
from what the server happened to answer. The one tolerated worker death is ENGINE_ABORT, an upstream
engine bug that cannot be fixed here; it is counted and printed on its own line, never hidden.
"""

from __future__ import annotations

import random
import re
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from .common import Answer, http, repeat_chunks

BASE = "https://w3id.org/hres/"
ACCEPT_ANY = ("Accept", "*/*")
MIB = 1024 * 1024
MAX_REQUEST = MIB  # the server's default MAX_REQUEST_BYTES
MAX_QUERY = 256 * 1024  # the server's default MAX_QUERY_BYTES: a longer query or update text gets 413
ANSWER_BYTES_BOUND = 64 * MIB + MIB  # the server's default MAX_ANSWER_BYTES, and one row's worth beyond it
OK = frozenset({200})
BAD = frozenset({400})
EVAL = frozenset({200, 422, 504})  # a well-formed query: answered, not evaluable, or stopped at the timeout
HEAVY = frozenset({200, 504})

QUOTAS = {
    "syntax": 1500,
    "mutation": 2500,
    "huge-literal": 300,
    "deep-nesting": 400,
    "unbalanced": 800,
    "invalid-utf8": 600,
    "methods": 700,
    "content-type": 600,
    "oversized": 100,
    "named-query": 1000,
    "ssrf": 1500,
    "property-path": 60,
    "cross-product": 60,
    "regex-bomb": 100,
    "sort-abort": 20,
    "parameters": 600,
    "paths": 600,
}
QUICK = {
    "syntax": 250,
    "mutation": 400,
    "huge-literal": 30,
    "deep-nesting": 24,
    "unbalanced": 100,
    "invalid-utf8": 90,
    "methods": 110,
    "content-type": 90,
    "oversized": 14,
    "named-query": 100,
    "ssrf": 200,
    "property-path": 4,
    "cross-product": 4,
    "regex-bomb": 8,
    "sort-abort": 3,
    "parameters": 60,
    "paths": 90,
}

ENGINE_ABORT = (
    "pyoxigraph 0.5.13 (the newest release) panics in ORDER BY over numbers mixed with strings "
    "('user-provided comparison function does not correctly implement a total order', Rust's sort) "
    "and the panic aborts the process: the query worker dies, the request gets 503 and the worker is "
    "replaced (oxigraph/oxigraph#1542 fixed the ORDER BY RAND() case in 0.5.3, not this one)"
)

VALID = (
    "SELECT * WHERE { ?s ?p ?o } LIMIT 5",
    "ASK { ?s a owl:Class }",
    "SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY DESC(?n) LIMIT 10",
    "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s rdfs:label ?l } LIMIT 10",
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    'SELECT ?s WHERE { ?s rdfs:label ?l FILTER(CONTAINS(LCASE(STR(?l)), "right")) } LIMIT 20',
    "SELECT ?s ?o WHERE { ?s skos:broader ?o } LIMIT 10",
    "PREFIX ex: <http://example.org/> SELECT ?x WHERE { VALUES ?x { ex:a ex:b } }",
    'SELECT (STRLEN("abc") AS ?n) WHERE {}',
    "SELECT ?s WHERE { ?s a ?c OPTIONAL { ?s rdfs:comment ?x } } LIMIT 3",
    "ASK { { ?s a owl:Class } UNION { ?s a skos:Concept } }",
    "SELECT ?s (SAMPLE(?l) AS ?one) WHERE { ?s skos:prefLabel ?l } GROUP BY ?s LIMIT 5",
    'SELECT * WHERE { ?s ?p ?o FILTER(isIRI(?o) && STRSTARTS(STR(?o), "https://w3id.org/")) } LIMIT 7',
    "DESCRIBE <https://w3id.org/hres/ontology#Recommendation>",
    "SELECT ?s WHERE { ?s rdfs:subClassOf+ ?c } LIMIT 10",
    "SELECT ?x WHERE { BIND(NOW() AS ?x) }",
)
KEYWORDS = (
    "SELECT",
    "WHERE",
    "FILTER",
    "OPTIONAL",
    "UNION",
    "GRAPH",
    "LIMIT",
    "OFFSET",
    "ORDER",
    "BY",
    "GROUP",
    "DISTINCT",
    "ASK",
    "CONSTRUCT",
    "DESCRIBE",
    "PREFIX",
    "BASE",
    "VALUES",
    "BIND",
    "AS",
    "MINUS",
    "EXISTS",
    "NOT",
    "HAVING",
    "REDUCED",
    "FROM",
    "NAMED",
    "a",
    "true",
    "false",
    "UNDEF",
)


@dataclass(frozen=True)
class Case:
    family: str
    method: str | bytes
    target: str | bytes
    headers: tuple = (ACCEPT_ANY,)
    body: bytes | None = None
    expect: frozenset = BAD
    note: str = ""
    stream: tuple[int, bytes] | None = None  # (total bytes, chunk): a huge body sent in constant memory
    chunked: bool = False
    content_length: bool = True
    half_close: bool = False
    version: bytes = b"HTTP/1.1"
    heavy: bool = False  # may run to the timeout: sent with the workers' concurrency
    timeout: float = 30.0
    check: str = ""  # a property of the answer beside its status (ANSWER_CHECKS)

    def size(self) -> int:
        return len(self.body or b"") + (self.stream[0] if self.stream else 0) + len(self.target)


# --- building requests ---------------------------------------------------------------------------


def _q(text: str) -> str:
    return quote(text, safe="")


def get(family: str, text: str, expect, *, params: tuple = (), headers=(ACCEPT_ANY,), **kw) -> Case:
    qs = "query=" + _q(text) + "".join(f"&{k}={_q(v)}" for k, v in params)
    return Case(family, "GET", "/sparql?" + qs, tuple(headers), None, frozenset(expect), **kw)


def form(family: str, text: str, expect, *, params: tuple = (), headers=(ACCEPT_ANY,), **kw) -> Case:
    body = ("query=" + _q(text) + "".join(f"&{k}={_q(v)}" for k, v in params)).encode()
    return Case(
        family,
        "POST",
        "/sparql",
        tuple(headers) + (("Content-Type", "application/x-www-form-urlencoded"),),
        body,
        frozenset(expect),
        **kw,
    )


def direct(family: str, text: str | bytes, expect, *, params: tuple = (), headers=(ACCEPT_ANY,), **kw) -> Case:
    body = text if isinstance(text, bytes) else text.encode("utf-8")
    target = "/sparql" + ("?" + urlencode(params) if params else "")
    return Case(
        family,
        "POST",
        target,
        tuple(headers) + (("Content-Type", "application/sparql-query"),),
        body,
        frozenset(expect),
        **kw,
    )


def any_delivery(rng: random.Random, family: str, text: str, expect, **kw) -> Case:
    """GET (short queries), form POST or application/sparql-query POST, chosen by the generator."""
    kinds = [form, direct] + ([get] if len(text) < 6000 else [])
    return rng.choice(kinds)(family, text, expect, **kw)


def body_size(case: Case) -> int:
    return len(case.body or b"")


def with_limit(case: Case, expect) -> Case:
    """The expectation of a case whose size may pass MAX_REQUEST_BYTES (413), waitress's 256 KiB
    request-line limit for a GET (431), or MAX_QUERY_BYTES (413 as well as what the text would get: the
    encoded size is only an upper bound of the text's)."""
    from dataclasses import replace

    if case.method == "GET" and len(case.target) > 256 * 1024 - 1024:
        return replace(case, expect=frozenset({431, 413}))
    if body_size(case) > MAX_REQUEST:
        return replace(case, expect=frozenset({413}))
    if max(body_size(case), len(case.target)) > MAX_QUERY:
        return replace(case, expect=frozenset(expect) | {413})
    return replace(case, expect=frozenset(expect))


def too_deep(text: str) -> bool:
    """Over the server's documented nesting bound (server/limits.py MAX_NESTING): refused with 400."""
    from server.lexer import analyse
    from server.limits import MAX_NESTING

    return analyse(text).nesting > MAX_NESTING


def nesting_depth(text: str) -> int:
    depth = peak = 0
    for ch in text:
        if ch in "{([":
            depth += 1
            peak = max(peak, depth)
        elif ch in "})]":
            depth -= 1
    return peak


# --- the oracle ---------------------------------------------------------------------------------


class Oracle:
    """What the server should answer to a query text, when it is shallow enough to parse safely here:
    400 when the server's safety rules refuse it (an update, SERVICE, LOAD) or Oxigraph cannot parse it;
    otherwise 200, or 422 / 504 that depend on the data. Uses an empty in-memory store, so nothing is
    read or fetched (texts that mention SERVICE are never executed here)."""

    def __init__(self):
        import pyoxigraph as ox

        from hres_graph.namespaces import PREFIXES
        from server.lexer import analyse
        from server.limits import Limits, check_query

        self._ox, self._prefixes = ox, PREFIXES
        self._analyse, self._check = analyse, check_query
        self._limits = Limits(10.0, 5.0, 100000, MAX_REQUEST, ())
        self.store = ox.Store()

    def parses(self, text: str) -> bool:
        try:
            self.store.query(text, prefixes=self._prefixes, base_iri=BASE, use_default_graph_as_union=True)
        except SyntaxError:
            return False
        except Exception:  # noqa: BLE001 - an evaluation error: it parsed
            return True
        return True

    def expect(self, text: str) -> frozenset:
        from server.errors import EndpointError

        if nesting_depth(text) > 800 or len(text) > 200_000:
            raise ValueError("too deep or too long for the in-process oracle")
        analysis = self._analyse(text, self._prefixes, base=BASE)
        try:
            self._check(analysis, self._limits)
        except EndpointError:
            return BAD
        if "service" in text.lower():
            return frozenset({200, 400, 422, 504})  # never executed here
        if not self.parses(text):
            return BAD
        extra = {400} if analysis.from_default or analysis.from_named else set()
        return EVAL | extra


# --- the families ---------------------------------------------------------------------------------


def _misspell(rng: random.Random, word: str) -> str:
    i = rng.randrange(len(word))
    return rng.choice(
        [word[:i] + word[i + 1 :], word[:i] + word[i] + word[i:], word[:i] + "7" + word[i:], word[:i] + "_" + word[i:]]
    )


def fam_syntax(rng: random.Random, n: int, oracle: Oracle) -> list[Case]:
    junk = [
        '{"query": "SELECT * WHERE {}"}',
        "<html><body>SELECT</body></html>",
        "' OR 1=1 --",
        "1; DROP TABLE triples",
        "rm -rf / #",
        "$(curl http://127.0.0.1/)",
        "%s%s%s%n",
        "\x00",
        "\t\r\n",
        "SELECT",
        "WHERE",
        "{}",
        "ASK",
        "SELECT *",
        "SELECT * WHERE",
        "PREFIX",
        "PREFIX x:",
        "BASE",
        "<?xml version='1.0'?><sparql/>",
        "null",
        "[]",
        "0",
        "-- comment",
        "/* */",
        "SELECT * FROM triples",
    ]

    def truncated():
        seed = rng.choice([q for q in VALID if "{" in q and q.rindex("}") > q.index("{") + 2])
        lo, hi = seed.index("{") + 1, seed.rindex("}")
        return seed[: rng.randrange(lo, hi)]

    def misspelt():
        seed = rng.choice(VALID)
        words = [w for w in re.findall(r"\b[A-Z]{3,}\b", seed)]
        word = rng.choice(words)
        return seed.replace(word, _misspell(rng, word), 1)

    def undeclared():
        return f"SELECT * WHERE {{ ?s zz{rng.randrange(10**6)}:p ?o }}"

    def unterminated():
        return rng.choice(
            [
                'SELECT * WHERE { ?s ?p "abc }',
                "SELECT * WHERE { ?s ?p <http://x }",
                "SELECT * WHERE { ?s ?p '''abc }",
                'ASK { FILTER("\\q" = "") }',
                'ASK { FILTER("\\u12" = "") }',
                "ASK { <http://a b> ?p ?o }",
                'ASK { FILTER("a\nb") }',
                "ASK { ?s ?p 'it''s' }",
                'ASK { ?s ?p """x"" }',
            ]
        )

    def bad_clause():
        return rng.choice(
            [
                "SELECT * WHERE { ?s ?p ?o } LIMIT -1",
                "SELECT * WHERE { ?s ?p ?o } LIMIT 1.5",
                "SELECT * WHERE { ?s ?p ?o } OFFSET x",
                "SELECT * WHERE { ?s ?p ?o } ORDER BY",
                "SELECT * WHERE { ?s ?p ?o } GROUP BY",
                "SELECT WHERE { }",
                "SELECT * WHERE { ?s }",
                "ASK { FILTER() }",
                "SELECT (1 AS ?x ?y) {}",
                "SELECT ?x WHERE {} VALUES ?x { 1 2",
                "SELECT * { ?s ?p ?o . . }",
                "SELECT * { ?s ?p ?o } }",
                "SELECT SELECT * {}",
                "ASK { BIND(1 AS ?x) BIND(2 AS ?x) }",
                "SELECT (COUNT(*) AS ?n) ?s { ?s ?p ?o }",
                "SELECT * { ?s ?p ?o } LIMIT 1 LIMIT 2",
                "ASK { ?s ?p ?o FILTER(STRLEN()) }",
                "ASK { ?s ?p ?o FILTER(?o = ) }",
                "CONSTRUCT WHERE { ?s ?p ?o FILTER(true) }",
                "DESCRIBE",
                "ASK {} ASK {}",
                "SELECT * { GRAPH { ?s ?p ?o } }",
                "SELECT ?x { ?x ?p ?o } GROUP BY ?x HAVING",
                "SELECT * { ?s ?p ?o } ORDER BY ?s DESC",
            ]
        )

    def salad():
        return " ".join(
            rng.choice(KEYWORDS + ("{", "}", "?x", "(", ")", ".", ";", "*")) for _ in range(rng.randint(2, 25))
        )

    def garbage():
        alphabet = "".join(chr(c) for c in range(33, 127)) + "éß€漢字😀\u200b\ufeff"
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 120)))

    def other_language():
        return rng.choice(junk) + rng.choice(["", " ", "\n", " LIMIT 1"])

    makers = [truncated, misspelt, undeclared, unterminated, bad_clause, salad, garbage, other_language]
    cases, attempts = [], 0
    while len(cases) < n and attempts < n * 20:
        attempts += 1
        text = rng.choice(makers)()
        if not text.strip():
            text = text + "#"
        try:
            if oracle.expect(text) != BAD:
                continue
        except ValueError:
            continue
        cases.append(any_delivery(rng, "syntax", text, BAD))
    return cases


def _mutate(rng: random.Random, text: str) -> str:
    alphabet = "{}()[]<>\"'?$.;,:#\\@^*+|/!=&-0123456789aAzZ \n\t\u00e9\U0001f600\x00"
    for _ in range(rng.randint(1, 4)):
        if not text:
            text = rng.choice(alphabet)
        op = rng.randrange(6)
        i = rng.randrange(len(text))
        if op == 0:
            text = text[:i] + text[i + 1 :]
        elif op == 1:
            j = min(len(text), i + rng.randint(1, 12))
            text = text[:i] + text[i:j] * rng.randint(2, 3) + text[j:]
        elif op == 2:
            text = text[:i] + rng.choice(alphabet) + text[i:]
        elif op == 3:
            text = text[:i] + rng.choice(alphabet) + text[i + 1 :]
        elif op == 4:
            tokens = text.split(" ")
            if len(tokens) > 2:
                k = rng.randrange(len(tokens) - 1)
                tokens[k], tokens[k + 1] = tokens[k + 1], tokens[k]
                text = " ".join(tokens)
        else:
            words = re.findall(r"\b[A-Z]{2,}\b", text)
            if words:
                text = text.replace(rng.choice(words), rng.choice(KEYWORDS), 1)
    return text


def fam_mutation(rng: random.Random, n: int, oracle: Oracle) -> list[Case]:
    cases = []
    while len(cases) < n:
        text = _mutate(rng, rng.choice(VALID))
        if not text.strip():
            continue
        try:
            expect = oracle.expect(text)
        except ValueError:
            continue
        cases.append(any_delivery(rng, "mutation", text, expect))
    return cases


def fam_huge_literal(rng: random.Random, n: int, quick: bool = False) -> list[Case]:
    sizes = (
        [1_000, 10_000, 50_000, 100_000, 1_100_000]
        if quick
        else [1_000, 10_000, 100_000, 300_000, 600_000, 1_000_000, 1_048_000, 1_100_000, 3_000_000]
    )
    cases = []
    for i in range(n):
        size = sizes[i % len(sizes)] if i < len(sizes) * 2 else rng.choice(sizes[:5])
        kind = i % 9
        ch = rng.choice("aZ9é€")
        if kind == 0:
            text, expect = 'ASK { FILTER(STRLEN("' + ch * (size // len(ch.encode())) + '") > 0) }', OK
        elif kind == 1:
            text, expect = "ASK { <http://example.org/" + "a" * size + "> ?p ?o }", OK
        elif kind == 2:
            text, expect = "SELECT ?" + "v" * size + " WHERE { BIND(1 AS ?" + "v" * size + ") }", OK
        elif kind == 3:
            text, expect = "ASK { FILTER(" + "9" * min(size, 200_000) + " > 0) }", frozenset({200, 400, 422})
        elif kind == 4:
            text, expect = 'ASK { ?s ?p "x"@' + "a" * size + " }", frozenset({200, 400})
        elif kind == 5:
            text, expect = "PREFIX p: <http://x/> ASK { p:" + "n" * size + " ?p ?o }", OK
        elif kind == 6:
            text, expect = 'SELECT ?x WHERE { BIND("""' + ("line\n" * (size // 5)) + '""" AS ?x) } LIMIT 1', OK
        elif kind == 7:
            count = max(1, size // 8)
            text, expect = (
                "SELECT (COUNT(*) AS ?n) WHERE { VALUES ?x { " + " ".join(str(k) for k in range(count)) + " } }",
                frozenset({200, 504}),
            )
        else:
            count = max(1, size // 8)
            text, expect = (
                "ASK { BIND(7 AS ?o) FILTER(?o IN (" + ",".join(str(k) for k in range(count)) + ")) }",
                frozenset({200, 504}),
            )
        deliver = rng.choice([direct, form, direct])
        cases.append(with_limit(deliver("huge-literal", text, expect, note=f"kind {kind}, {size} chars"), expect))
    return cases


DEEP = {
    "brace": lambda d: "ASK { " + "{ " * d + "}" * d + " }",
    "paren": lambda d: "ASK { FILTER(" + "(" * d + "1" + ")" * d + ") }",
    "optional": lambda d: "ASK { " + "OPTIONAL { " * d + "}" * d + " }",
    "subquery": lambda d: "ASK { " + "{ SELECT * WHERE " * d + "{}" + "}" * d + " }",
    "path": lambda d: "ASK { ?s " + "(" * d + "rdfs:label" + ")" * d + " ?o }",
    "not": lambda d: "ASK { FILTER(" + "!" * d + "true) }",
    "union": lambda d: "ASK { " + "{} UNION " * d + "{} }",
    "and": lambda d: "ASK { FILTER(" + "true && " * d + "true) }",
    "plus": lambda d: "ASK { FILTER(" + "1 + " * d + "1 > 0) }",
    "bnode": lambda d: "ASK { ?s rdfs:label " + "[ rdfs:label " * d + "1" + " ]" * d + " }",
    "exists": lambda d: "ASK { " + "FILTER EXISTS { " * d + "}" * d + " }",
    "minus": lambda d: "ASK { FILTER(" + "-" * d + "1 < 2) }",
}
DEPTHS = (10, 100, 500, 1000, 2000, 3000, 5000, 10000, 30000, 100000, 300000)
QUICK_DEPTHS = (10, 100, 1000, 5000, 10000, 50000)


def fam_deep(rng: random.Random, n: int, quick: bool = False) -> list[Case]:
    depths = QUICK_DEPTHS if quick else DEPTHS
    combos = [(k, d) for d in depths for k in DEEP]
    rng.shuffle(combos)
    combos.sort(key=lambda kd: depths.index(kd[1]) % 3)  # spread the depths over a short run
    cases = []
    for i in range(n):
        kind, depth = combos[i % len(combos)]
        text = DEEP[kind](depth)
        expect = BAD if too_deep(text) else frozenset({200, 400, 422, 504})
        case = rng.choice([direct, form])("deep-nesting", text, expect, note=f"{kind} x{depth}")
        cases.append(with_limit(case, case.expect))
    return cases


def fam_unbalanced(rng: random.Random, n: int, oracle: Oracle) -> list[Case]:
    cases, attempts = [], 0
    while len(cases) < n and attempts < n * 20:
        attempts += 1
        style = rng.randrange(4)
        if style == 3:  # a run of one bracket
            ch = rng.choice("{}()[]")
            count = rng.choice([1, 2, 10, 100, 500, 2000, 5000, 50000])
            text = rng.choice(["", "ASK ", "SELECT * WHERE "]) + ch * count
            if count > 800:
                cases.append(direct("unbalanced", text, BAD, note=f"{ch} x{count}"))
                continue
        else:
            text = rng.choice(VALID)
            for _ in range(rng.randint(1, 5)):
                i = rng.randrange(len(text) + 1)
                if style == 0:
                    text = text[:i] + rng.choice("{}") + text[i:]
                elif style == 1:
                    text = text[:i] + rng.choice("()[]") + text[i:]
                else:
                    spots = [k for k, c in enumerate(text) if c in "{}()"]
                    if spots:
                        k = rng.choice(spots)
                        text = text[:k] + text[k + 1 :]
        try:
            if oracle.expect(text) != BAD:
                continue
        except ValueError:
            continue
        cases.append(any_delivery(rng, "unbalanced", text, BAD))
    return cases


INVALID_UTF8 = (
    b"\xff",
    b"\xfe",
    b"\xc0\xaf",
    b"\xe0\x80\xaf",
    b"\xed\xa0\x80",
    b"\xed\xbf\xbf",
    b"\xf8\x88\x80\x80\x80",
    b"\xe2\x82",
    b"\x80",
    b"\xbf",
    b"\xf4\x90\x80\x80",
    b"\xc3",
    b"\xf0\x9f\x98",
    b"\xc3\x28",
    b"\xa0\xa1",
)


def fam_invalid_utf8(rng: random.Random, n: int) -> list[Case]:
    templates = (
        b'ASK { FILTER("%s" = "") }',
        b"ASK { <http://example.org/%s> ?p ?o }",
        b"ASK { } # %s",
        b"SELECT ?v%s WHERE {}",
        b"%sASK {}",
        b"ASK {}%s",
        b'ASK { ?s ?p "x"@en%s }',
    )
    cases = []
    for i in range(n):
        bad = b"".join(rng.choice(INVALID_UTF8) for _ in range(rng.randint(1, 3)))
        text = rng.choice(templates).replace(b"%s", bad)
        pct = "".join(f"%{b:02X}" if b >= 0x80 or chr(b) in "%&+#= " else chr(b) for b in text)
        style = i % 10
        if style == 0:
            cases.append(
                Case(
                    "invalid-utf8",
                    "POST",
                    "/sparql",
                    (ACCEPT_ANY, ("Content-Type", "application/sparql-query")),
                    text,
                    BAD,
                    note="raw body",
                )
            )
        elif style == 1:
            cases.append(
                Case(
                    "invalid-utf8",
                    "GET",
                    "/sparql?query=" + pct,
                    (ACCEPT_ANY,),
                    None,
                    BAD,
                    note="%-encoded query string",
                )
            )
        elif style == 2:
            cases.append(
                Case(
                    "invalid-utf8",
                    "POST",
                    "/sparql",
                    (ACCEPT_ANY, ("Content-Type", "application/x-www-form-urlencoded")),
                    b"query=" + pct.encode(),
                    BAD,
                    note="%-encoded form",
                )
            )
        elif style == 3:
            cases.append(
                Case(
                    "invalid-utf8",
                    "POST",
                    "/sparql",
                    (ACCEPT_ANY, ("Content-Type", "application/x-www-form-urlencoded")),
                    b"query=" + text.replace(b"&", b"%26").replace(b"+", b"%2B"),
                    BAD,
                    note="raw form",
                )
            )
        elif style == 4:
            cases.append(
                Case(
                    "invalid-utf8",
                    "GET",
                    b"/sparql?query=" + text.replace(b" ", b"%20").replace(b"#", b"%23").replace(b"&", b"%26"),
                    (ACCEPT_ANY,),
                    None,
                    frozenset({400}),
                    note="raw bytes in the request line",
                )
            )
        elif style == 5:
            cases.append(
                Case(
                    "invalid-utf8",
                    "POST",
                    "/sparql",
                    (
                        ACCEPT_ANY,
                        (
                            "Content-Type",
                            rng.choice(
                                [
                                    "application/sparql-query; charset=iso-8859-1",
                                    "application/sparql-query; charset=windows-1252",
                                    "application/sparql-query; charset=utf-16",
                                ]
                            ),
                        ),
                    ),
                    text,
                    frozenset({415}),
                    note="declared charset",
                )
            )
        elif style == 6:
            cases.append(
                Case(
                    "invalid-utf8",
                    "GET",
                    "/sparql?query=ASK%7B%7D&default-graph-uri=http%3A%2F%2Fx%2F" + "".join(f"%{b:02X}" for b in bad),
                    (ACCEPT_ANY,),
                    None,
                    BAD,
                    note="dataset IRI",
                )
            )
        elif style == 7:
            target = "/id/" + "".join(f"%{b:02X}" for b in bad)
            cases.append(Case("invalid-utf8", "GET", target, (ACCEPT_ANY,), None, frozenset({400, 404}), note="path"))
        elif style == 8:
            cases.append(
                Case(
                    "invalid-utf8",
                    "GET",
                    "/sparql?query=ASK%7B%7D",
                    (("Accept", b"application/sparql-results+json" + bad),),
                    None,
                    frozenset({200, 406}),
                    note="Accept header bytes",
                )
            )
        else:
            valid_odd = rng.choice(
                [
                    "\ufeffASK {}",
                    'ASK { FILTER("\x00" != "") }',
                    'ASK { FILTER("\ufffe" != "") }',
                    'ASK { FILTER("\U0010ffff" != "") }',
                    "ASK {}\u2028",
                    'ASK { FILTER("\u0301" != "") }',
                ]
            )
            cases.append(direct("invalid-utf8", valid_odd, frozenset({200, 400}), note="valid but odd UTF-8"))
    return cases


# route -> method -> expected statuses (for a request without a body)
ROUTES = {
    "/sparql": {"GET": {200}, "HEAD": {200}, "POST": {415}, "OPTIONS": {200}},
    "/sparql?query=ASK%7B%7D": {"GET": {200}, "HEAD": {200}, "POST": {415}, "OPTIONS": {200}},
    "/update": {"POST": {403, 415}, "OPTIONS": {200}},
    "/": {"GET": {200}, "HEAD": {200}, "OPTIONS": {200}},
    "/void": {"GET": {200}, "HEAD": {200}, "OPTIONS": {200}},
    "/.well-known/void": {"GET": {200}, "HEAD": {200}, "OPTIONS": {200}},
    "/ontology": {"GET": {200}, "HEAD": {200}, "OPTIONS": {200}},
    "/dumps/": {"GET": {200}, "HEAD": {200, 405}, "OPTIONS": {200}},
    "/dumps/all.nq": {"GET": {200}, "HEAD": {200}, "OPTIONS": {200}},
    "/id/state/ZZZ": {"GET": {404}, "HEAD": {404}, "OPTIONS": {200}},
    "/graph/ontology": {"GET": {200, 404}, "HEAD": {200, 404}, "OPTIONS": {200}},
}
MAYBE_ROUTES = ("/api/queries", "/validate", "/ui/queries/states-not-party.rq")  # being added by others
METHODS = (
    "GET",
    "HEAD",
    "POST",
    "PUT",
    "DELETE",
    "PATCH",
    "OPTIONS",
    "TRACE",
    "PROPFIND",
    "MKCOL",
    "COPY",
    "MOVE",
    "LOCK",
    "UNLOCK",
    "SEARCH",
    "PURGE",
    "LINK",
    "get",
    "Post",
    "FOO",
)
BAD_METHODS = (b"G\x00T", b"GET GET", b"\xff\xfe", b"G" * 5000, b"", b"GE\tT", b"-", b"GET\r")


def fam_methods(rng: random.Random, n: int) -> list[Case]:
    combos = [(r, m) for r in list(ROUTES) + list(MAYBE_ROUTES) + ["/nope", "/sparql/", "/SPARQL"] for m in METHODS]
    cases = []
    for i in range(n):
        if i % 25 == 24:
            method = rng.choice(BAD_METHODS)
            cases.append(
                Case(
                    "methods",
                    method,
                    "/sparql",
                    (ACCEPT_ANY,),
                    None,
                    frozenset({0, 400, 405, 501}),
                    note="invalid method token",
                )
            )
            continue
        if i % 25 == 23:
            version = rng.choice([b"HTTP/1.0", b"HTTP/2.0", b"HTTP/9.9", b"HTTP/1.1x", b"http/1.1", b"HTTP/0.9"])
            cases.append(
                Case(
                    "methods",
                    "GET",
                    "/sparql?query=ASK%7B%7D",
                    (ACCEPT_ANY,),
                    None,
                    frozenset({0, 200, 400, 505}),
                    note=f"version {version!r}",
                    version=version,
                )
            )
            continue
        route, method = combos[i % len(combos)]
        if method != method.upper():
            expect = {400, 405}  # waitress refuses a method that is not upper case
        elif route in ROUTES:
            expect = ROUTES[route].get(method, {405})
        elif route in MAYBE_ROUTES:
            expect = {200, 400, 404, 405, 415}
        else:
            expect = {404}
        body = None
        if method in ("PUT", "PATCH", "POST", "DELETE") and rng.random() < 0.5:
            body = rng.choice([b"ASK {}", b"query=ASK%7B%7D", b"{}", b"\x00" * 10])
            if route in ROUTES and route.startswith("/sparql") and method == "POST":
                expect = {415}
        cases.append(Case("methods", method, route, (ACCEPT_ANY,), body, frozenset(expect), note=f"{method} {route}"))
    return cases


_BOMB: list[bytes] = []


def _gzip_bomb() -> bytes:
    """100 MiB of zeros as ~100 KiB of gzip (made once)."""
    if not _BOMB:
        import gzip
        import zlib

        packer = zlib.compressobj(9, zlib.DEFLATED, 31)
        zeros = bytes(MIB)
        out = b"".join(packer.compress(zeros) for _ in range(100)) + packer.flush()
        _BOMB.append(out)
        assert len(gzip.decompress(out)) == 100 * MIB
    return _BOMB[0]


def fam_content_type(rng: random.Random, n: int) -> list[Case]:
    q = b"ASK {}"
    fq = b"query=ASK%20%7B%7D"
    table = [
        ("text/plain", q, {415}),
        ("application/json", b'{"query": "ASK {}"}', {415}),
        (None, q, {415}),
        (
            "multipart/form-data; boundary=xyz",
            b'--xyz\r\nContent-Disposition: form-data; name="query"\r\n\r\nASK {}\r\n--xyz--\r\n',
            {415},
        ),
        ("application/sparql-query; charset=latin-1", q, {415}),
        ("application/sparql-query; charset=utf-8", q, {200}),
        ("application/sparql-query; charset=UTF8", q, {200}),
        ('application/sparql-query; charset="utf-8"', q, {200}),
        ("APPLICATION/SPARQL-QUERY", q, {200}),
        ("application/sparql-query;;;;", q, {200, 415}),
        ("application/sparql-query; foo=bar; charset=utf_8", q, {200}),
        ("application/sparql-query; charset=", q, {200, 415}),
        ("application/sparql-update", b"INSERT DATA { <a:b> <a:c> <a:d> }", {403}),
        ("application/sparql-update", b"DROP ALL", {403}),
        ("application/x-www-form-urlencoded", b"update=DROP%20ALL", {403}),
        ("application/x-www-form-urlencoded", fq + b"&update=CLEAR%20ALL", {403}),
        ("application/x-www-form-urlencoded", b"", {400}),
        ("application/x-www-form-urlencoded", b"foo=bar", {400}),
        ("application/x-www-form-urlencoded", fq + b"&" + fq, {400}),
        ("application/x-www-form-urlencoded", b"query=", {400}),
        ("application/x-www-form-urlencoded", b"query=%20%20", {400}),
        ("application/x-www-form-urlencoded", b"query", {400}),
        ("application/x-www-form-urlencoded", b"=&=&&&", {400}),
        ("application/x-www-form-urlencoded", fq, {200}),
        ("application/x-www-form-urlencoded; charset=utf-16", fq, {415}),
        ("application/x-www-form-urlencoded; charset=utf-8", fq, {200}),
        ("application/x-www-form-urlencoded", b"query=%zz%zz", {200, 400}),
        ("application/x-www-form-urlencoded", b"query=ASK+%7B%7D", {200}),
        ("application/sparql-results+json", q, {415}),
        ("text/turtle", b"<a:b> <a:c> <a:d> .", {415}),
        ("application/rdf+xml", b"<rdf:RDF/>", {415}),
        ("*/*", q, {415}),
        ("application/*", q, {415}),
        ("", q, {415}),
        (";", q, {415}),
        ("a" * 5000, q, {415}),
        ("application/sparql-query\x00", q, {200, 400, 415}),
        ("application/sparql-query, text/plain", q, {200, 415}),
    ]
    accepts = [
        ("image/png", {406}),
        ("*/*;q=0", {406}),
        ("text/html", {200, 406}),
        ("application/json", {200}),
        ("application/sparql-results+xml", {200}),
        ("text/csv", {200}),
        ("text/tab-separated-values", {200}),
        ("text/turtle", {406}),
        ("application/sparql-results+json;q=0.5, */*;q=0.1", {200}),
        ("application/json;q=2", {200}),
        ("text/*;q=abc", {200, 406}),
        (";;;,,,", {200, 406}),
        ("*/*" + ",*/*" * 2000, {200}),
        ("application/xml;q=0.9, text/csv;q=0.9", {200}),
        ("", {200}),
    ]
    cases = []
    for i in range(n):
        style = i % 4
        if style < 2:
            ctype, body, expect = table[(i // 4 * 2 + style) % len(table)]
            headers = [ACCEPT_ANY] + ([("Content-Type", ctype)] if ctype is not None else [])
            cases.append(
                Case(
                    "content-type",
                    "POST",
                    "/sparql",
                    tuple(headers),
                    body,
                    frozenset(expect),
                    note=f"Content-Type {ctype!r}"[:80],
                )
            )
        elif style == 2:
            accept, expect = accepts[(i // 4) % len(accepts)]
            query = rng.choice(["ASK {}", "SELECT * WHERE { ?s ?p ?o } LIMIT 1"])
            if accept == "text/turtle":
                expect = {406}
            cases.append(
                get("content-type", query, expect, headers=(("Accept", accept),), note=f"Accept {accept[:40]!r}")
            )
        else:
            import gzip

            variant = (i // 4) % 5
            if variant == 0:
                body = gzip.compress(b"ASK {}", mtime=0)
                cases.append(
                    Case(
                        "content-type",
                        "POST",
                        "/sparql",
                        (ACCEPT_ANY, ("Content-Type", "application/sparql-query"), ("Content-Encoding", "gzip")),
                        body,
                        frozenset({400, 415}),
                        note="gzip body",
                    )
                )
            elif variant == 1:  # a small gzip bomb: 100 MiB of zeros in ~100 KiB; never inflated
                body = _gzip_bomb()
                cases.append(
                    Case(
                        "content-type",
                        "POST",
                        "/sparql",
                        (ACCEPT_ANY, ("Content-Type", "application/sparql-query"), ("Content-Encoding", "gzip")),
                        body,
                        frozenset({400, 415}),
                        note="gzip bomb body",
                    )
                )
            elif variant == 2:
                cases.append(
                    Case(
                        "content-type",
                        "POST",
                        "/sparql",
                        (ACCEPT_ANY, ("Content-Type", "application/sparql-query"), ("Expect", "100-continue")),
                        q,
                        OK,
                        note="Expect: 100-continue",
                    )
                )
            elif variant == 3:
                cases.append(
                    Case(
                        "content-type",
                        "POST",
                        "/sparql",
                        (ACCEPT_ANY, ("Content-Type", "application/sparql-query"), ("Content-Type", "text/plain")),
                        q,
                        frozenset({200, 400, 415}),
                        note="two Content-Types",
                    )
                )
            else:
                cases.append(
                    Case(
                        "content-type",
                        "POST",
                        "/sparql",
                        (ACCEPT_ANY, ("Content-Type", "application/sparql-query")),
                        (b"ASK {}" + b" " * 1000,),
                        OK,
                        chunked=True,
                        content_length=False,
                        note="chunked",
                    )
                )
    return cases


def fam_oversized(rng: random.Random, n: int, quick: bool = False) -> list[Case]:
    pad = b"# " + b"x" * 65533 + b"\n"
    specs = []
    for size in (MAX_REQUEST + 1, 2 * MIB) + (() if quick else (8 * MIB, 32 * MIB)):
        specs.append(("direct", size))
        specs.append(("form", size))
        specs.append(("chunked", size))
    specs += [
        ("exact", MAX_REQUEST),
        ("url", 300_000),
        ("url", 2 * MIB),
        ("header", 300_000),
        ("headers", 5000),
        ("short-body", 0),
        ("bad-length", 0),
        ("negative-length", 0),
        ("smuggle", 0),
        ("two-lengths", 0),
        ("update-big", 2 * MIB),
        ("chunk-ext", 0),
        ("huge-chunk-size", 0),
    ]
    cases = []
    for i in range(n):
        kind, size = specs[i % len(specs)]
        if i >= len(specs) and size > 2 * MIB:
            kind, size = "direct", MAX_REQUEST + 1 + rng.randrange(MIB)  # keep repeats cheap
        if kind == "direct":
            cases.append(
                Case(
                    "oversized",
                    "POST",
                    "/sparql",
                    (ACCEPT_ANY, ("Content-Type", "application/sparql-query"), ("Content-Length", str(size))),
                    None,
                    frozenset({413}),
                    stream=(size, pad),
                    content_length=False,
                    note=f"body {size}",
                )
            )
        elif kind == "form":
            chunk = b"query=" + b"a" * 65530
            cases.append(
                Case(
                    "oversized",
                    "POST",
                    "/sparql",
                    (ACCEPT_ANY, ("Content-Type", "application/x-www-form-urlencoded"), ("Content-Length", str(size))),
                    None,
                    frozenset({413}),
                    stream=(size, chunk),
                    content_length=False,
                    note=f"form {size}",
                )
            )
        elif kind == "chunked":
            cases.append(
                Case(
                    "oversized",
                    "POST",
                    "/sparql",
                    (ACCEPT_ANY, ("Content-Type", "application/sparql-query")),
                    None,
                    frozenset({413}),
                    stream=(size, pad),
                    chunked=True,
                    content_length=False,
                    note=f"chunked {size}",
                )
            )
        elif kind == "exact":
            body = b"ASK {}\n" + (pad * 17)[: size - 7]
            cases.append(
                Case(
                    "oversized",
                    "POST",
                    "/sparql",
                    (ACCEPT_ANY, ("Content-Type", "application/sparql-query")),
                    body,
                    OK | {413},
                    note="exactly MAX_REQUEST_BYTES (over MAX_QUERY_BYTES)",
                )
            )
        elif kind == "url":
            cases.append(
                Case(
                    "oversized",
                    "GET",
                    "/sparql?query=ASK%7B%7D%23" + "x" * size,
                    (ACCEPT_ANY,),
                    None,
                    frozenset({413, 431}),
                    note=f"URL {size}",
                )
            )
        elif kind == "header":
            cases.append(
                Case(
                    "oversized",
                    "GET",
                    "/sparql?query=ASK%7B%7D",
                    (ACCEPT_ANY, ("X-Big", "y" * size)),
                    None,
                    frozenset({431}),
                    note=f"header {size}",
                )
            )
        elif kind == "headers":
            cases.append(
                Case(
                    "oversized",
                    "GET",
                    "/sparql?query=ASK%7B%7D",
                    (ACCEPT_ANY,) + tuple((f"X-H{k}", "v") for k in range(size)),
                    None,
                    frozenset({200, 431}),
                    note=f"{size} headers",
                )
            )
        elif kind == "short-body":
            cases.append(
                Case(
                    "oversized",
                    "POST",
                    "/sparql",
                    (ACCEPT_ANY, ("Content-Type", "application/sparql-query"), ("Content-Length", "1000")),
                    b"ASK {}",
                    frozenset({0, 400}),
                    content_length=False,
                    half_close=True,
                    timeout=10,
                    note="body shorter than Content-Length",
                )
            )
        elif kind == "bad-length":
            cases.append(
                Case(
                    "oversized",
                    "POST",
                    "/sparql",
                    (ACCEPT_ANY, ("Content-Type", "application/sparql-query"), ("Content-Length", "abc")),
                    b"ASK {}",
                    frozenset({0, 400}),
                    content_length=False,
                    note="Content-Length abc",
                )
            )
        elif kind == "negative-length":
            cases.append(
                Case(
                    "oversized",
                    "POST",
                    "/sparql",
                    (ACCEPT_ANY, ("Content-Type", "application/sparql-query"), ("Content-Length", "-5")),
                    b"ASK {}",
                    frozenset({0, 400}),
                    content_length=False,
                    note="Content-Length -5",
                )
            )
        elif kind == "smuggle":
            cases.append(
                Case(
                    "oversized",
                    "POST",
                    "/sparql",
                    (
                        ACCEPT_ANY,
                        ("Content-Type", "application/sparql-query"),
                        ("Content-Length", "6"),
                        ("Transfer-Encoding", "chunked"),
                    ),
                    b"6\r\nASK {}\r\n0\r\n\r\n",
                    frozenset({0, 200, 400}),
                    content_length=False,
                    note="Content-Length + chunked (RFC 9112: chunked wins, or 400)",
                )
            )
        elif kind == "two-lengths":
            cases.append(
                Case(
                    "oversized",
                    "POST",
                    "/sparql",
                    (
                        ACCEPT_ANY,
                        ("Content-Type", "application/sparql-query"),
                        ("Content-Length", "6"),
                        ("Content-Length", "7"),
                    ),
                    b"ASK {} ",
                    frozenset({0, 200, 400}),
                    content_length=False,
                    note="two Content-Lengths",
                )
            )
        elif kind == "update-big":
            cases.append(
                Case(
                    "oversized",
                    "POST",
                    "/update",
                    (ACCEPT_ANY, ("Content-Type", "application/sparql-update"), ("Content-Length", str(size))),
                    None,
                    frozenset({403, 413}),
                    stream=(size, pad),
                    content_length=False,
                    note="/update 2 MiB",
                )
            )
        elif kind == "chunk-ext":
            cases.append(
                Case(
                    "oversized",
                    "POST",
                    "/sparql",
                    (ACCEPT_ANY, ("Content-Type", "application/sparql-query"), ("Transfer-Encoding", "chunked")),
                    b"6;" + b"e" * 10000 + b"\r\nASK {}\r\n0\r\n\r\n",
                    frozenset({0, 200, 400, 431}),
                    content_length=False,
                    note="chunk extension 10 KB",
                )
            )
        else:
            cases.append(
                Case(
                    "oversized",
                    "POST",
                    "/sparql",
                    (ACCEPT_ANY, ("Content-Type", "application/sparql-query"), ("Transfer-Encoding", "chunked")),
                    b"fffffffffffffffff\r\nASK\r\n0\r\n\r\n",
                    frozenset({0, 400, 413}),
                    content_length=False,
                    half_close=True,
                    timeout=10,
                    note="chunk size 2^68",
                )
            )
    return cases


HOSTILE_VALUES = (
    '" } UNION { ?s ?p ?o } #',
    "> } ; DROP ALL #",
    "') } SERVICE <http://127.0.0.1:{port}/> { ?s ?p ?o } #",
    "http://127.0.0.1:{port}/x",
    "https://w3id.org/hres/id/state/KEN> . ?s ?p ?o . <x:y",
    "hresid:state/KEN",
    "<https://w3id.org/hres/id/state/KEN>",
    "file:///etc/passwd",
    "javascript:alert(1)",
    "urn:x",
    "x" * 2001,
    "\x00",
    "\x1b[31m",
    "é漢😀",
    "",
    " ",
    "?s",
    "$var",
    "1; DROP",
    "1e999",
    "-0",
    "true",
    "2024-02-30",
    "0001",
    "${jndi:ldap://127.0.0.1:{port}/a}",
    "%00",
    "%27",
    "\\u0022",
    '"""',
    "'''",
    "\n} LIMIT 0 #",
    "ftp://x/",
    "http://[::1]:{port}/",
    "http://2130706433:{port}/",
    "http://a b/",
    "https://w3id.org/hres/id/state/KEN\n",
)


def fam_named_query(rng: random.Random, n: int, ports: list[int]) -> list[Case]:
    try:
        from hres_graph.queries import catalogue

        queries = catalogue()
    except Exception:  # noqa: BLE001 - the catalogue is being extended; skip when it does not load
        return []
    if not queries:
        return []
    items = sorted(queries.items())
    cases = []
    for i in range(n):
        name, query = items[i % len(items)]
        port = rng.choice(ports)
        params = [
            (p.name, rng.choice(HOSTILE_VALUES).replace("{port}", str(port)))
            for p in query.parameters
            if rng.random() < 0.8
        ]
        if i % 10 == 9:
            params.append((rng.choice(["nope", "query", "__state_iri", "_state_iri", "state[]", "x" * 300]), "1"))
        if i % 3:  # a real query: each value is bound as one typed term, or refused
            target, expect = f"/api/queries/{name}", {200, 400}
        else:  # no such query
            target, expect = f"/api/queries/{rng.choice(['nope', '..%2f', name + '%00', name.upper()])}", {404}
        qs = urlencode(params)
        cases.append(
            Case(
                "named-query",
                "GET",
                target + ("?" + qs if qs else ""),
                (("Accept", "application/json"),),
                None,
                frozenset(expect),
                note=f"{name}: {params!r}"[:120],
            )
        )
    return cases


def fam_ssrf(rng: random.Random, n: int, ports: list[int], port6: int | None) -> list[Case]:
    def hosts(port):
        out = [
            f"127.0.0.1:{port}",
            f"localhost:{port}",
            f"127.1:{port}",
            f"2130706433:{port}",
            f"0x7f000001:{port}",
            f"0.0.0.0:{port}",
            f"127.000.000.001:{port}",
            f"[::ffff:127.0.0.1]:{port}",
        ]
        if port6:
            out.append(f"[::1]:{port6}")
        return out

    templates = [
        ("SELECT * WHERE { SERVICE <%s> { ?s ?p ?o } }", BAD),
        ("SELECT * WHERE { SERVICE SILENT <%s> { ?s ?p ?o } }", BAD),
        ("select * where { service <%s> { ?s ?p ?o } }", BAD),
        ("SELECT * WHERE { SeRvIcE#comment\n<%s> { ?s ?p ?o } }", BAD),
        ("ASK { OPTIONAL { SERVICE <%s> { ?s ?p ?o } } }", BAD),
        ("SELECT * WHERE { { SELECT * WHERE { SERVICE <%s> { ?s ?p ?o } } } }", BAD),
        ("ASK { FILTER EXISTS { SERVICE <%s> { ?s ?p ?o } } }", BAD),
        ("ASK { {} UNION { SERVICE <%s> {} } }", BAD),
        ("ASK { MINUS { SERVICE <%s> { ?s ?p ?o } } }", BAD),
        ("CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <%s> { ?s ?p ?o } }", BAD),
        ("DESCRIBE ?s WHERE { SERVICE <%s> { ?s ?p ?o } }", BAD),
        ("SELECT * WHERE { VALUES ?e { <%s> } SERVICE ?e { ?s ?p ?o } }", BAD),
        ("PREFIX r: <%s> SELECT * WHERE { SERVICE r:sparql { ?s ?p ?o } }", BAD),
        ("BASE <%s> SELECT * WHERE { SERVICE <sparql> { ?s ?p ?o } }", BAD),
        ("LOAD <%s>", BAD),
        ("LOAD SILENT <%s> INTO GRAPH <urn:g>", BAD),
        ("SELECT * FROM <%s> WHERE { ?s ?p ?o }", BAD),
        ("SELECT * FROM NAMED <%s> WHERE { GRAPH ?g { ?s ?p ?o } }", BAD),
        ("DESCRIBE <%s>", OK),
        ("ASK { <%s> ?p ?o }", OK),
        ('SELECT * WHERE { BIND(IRI("%s") AS ?x) }', OK),
        ("SELECT * WHERE { \\u0053ERVICE <%s> { ?s ?p ?o } }", BAD),
        ("SELECT * WHERE { SERVICE <%s> { SERVICE <%s> { ?s ?p ?o } } }", BAD),
    ]
    cases = []
    for i in range(n):
        port = ports[i % len(ports)]
        scheme = rng.choice(["http", "http", "https", "http"])
        url = f"{scheme}://{rng.choice(hosts(port))}/{rng.choice(['sparql', '', 'x.ttl', 'a?b=c', '#frag'])}"
        style = i % 10
        if style == 7:  # the protocol's dataset IRIs: allowed, read as empty graphs, never fetched
            name = rng.choice(["default-graph-uri", "named-graph-uri"])
            cases.append(
                get("ssrf", "SELECT * WHERE { ?s ?p ?o } LIMIT 1", OK, params=((name, url),), note=f"{name} {url}")
            )
            continue
        if style == 8:  # /update is off: LOAD there is refused before anything else
            cases.append(
                Case(
                    "ssrf",
                    "POST",
                    "/update",
                    (ACCEPT_ANY, ("Content-Type", "application/sparql-update")),
                    f"LOAD <{url}>".encode(),
                    frozenset({403}),
                    note=f"/update LOAD {url}",
                )
            )
            continue
        if style == 9:  # \u escapes inside the IRI: the lexer unescapes them as Oxigraph does
            escaped = "".join(f"\\u{ord(c):04X}" if rng.random() < 0.3 and c.isalnum() else c for c in url)
            template, expect = rng.choice(templates[:14])
            cases.append(any_delivery(rng, "ssrf", template.replace("%s", escaped), expect, note=f"escaped {url}"))
            continue
        template, expect = templates[i % len(templates)]
        text = template.replace("%s", url)
        if template.startswith("PREFIX r:") or template.startswith("BASE"):
            text = template.replace("%s", url.split("#")[0].split("?")[0].rstrip("/") + "/")
        cases.append(any_delivery(rng, "ssrf", text, expect, note=url))
    return cases


def fam_property_path(rng: random.Random, n: int, quick: bool) -> list[Case]:
    paths = [
        "(rdfs:label|!rdfs:label)*",
        "(!rdf:type)*/(!rdf:type)*",
        "(^rdfs:subClassOf|rdfs:subClassOf)*/(^rdfs:subClassOf|rdfs:subClassOf)*",
        "(!(rdf:type|^rdf:type))+",
        "((rdfs:subClassOf|^rdfs:subClassOf)*)*",
        "(!rdf:nil)*/(!rdf:nil)*/(!rdf:nil)*",
        "(skos:broader|^skos:broader|skos:inScheme|^skos:inScheme)*",
        "(<urn:p>|!<urn:p>)+/^(<urn:p>|!<urn:p>)+",
        "(rdf:type/^rdf:type)*",
        "(!a)*/(!a)*/(!a)*/(!a)*",
    ]
    cases = []
    for i in range(n):
        path = paths[i % len(paths)]
        form_ = rng.choice(
            [
                "SELECT (COUNT(*) AS ?n) WHERE { ?a %s ?b }",
                "SELECT * WHERE { ?a %s ?b }",
                "ASK { ?a %s ?b . FILTER(?a = ?b && false) }",
                "SELECT DISTINCT ?b WHERE { ?a %s ?b } LIMIT 5000",
            ]
        )
        timeout = "0.5" if quick else rng.choice(["0.5", "1"])
        cases.append(get("property-path", form_ % path, HEAVY, params=(("timeout", timeout),), heavy=True, note=path))
    return cases


def fam_cross_product(rng: random.Random, n: int, quick: bool) -> list[Case]:
    forms = [
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
        "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }",
        "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY RAND()",
        "SELECT (GROUP_CONCAT(STR(?c)) AS ?x) WHERE { ?a ?b ?c . ?d ?e ?f }",
        "SELECT (COUNT(DISTINCT CONCAT(STR(?a), STR(?d))) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }",
        "CONSTRUCT { ?a ?e ?c } WHERE { ?a ?b ?c . ?d ?e ?f }",
        "SELECT (SUM(STRLEN(STR(?c))) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
        "SELECT (COUNT(*) AS ?n) WHERE { %s }"
        % " ".join("VALUES ?%s { %s }" % (v, " ".join(str(k) for k in range(40))) for v in "abcdef"),
        "SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f FILTER(STR(?a) = STR(?f)) }",
        'ASK { ?a ?b ?c . ?d ?e ?f . FILTER(?c = "no such value anywhere") }',
    ]
    cases = []
    for i in range(n):
        timeout = "0.5" if quick else rng.choice(["0.5", "1"])
        cases.append(
            get(
                "cross-product",
                forms[i % len(forms)],
                HEAVY,
                params=(("timeout", timeout),),
                heavy=True,
                note=forms[i % len(forms)][:60],
            )
        )
    return cases


def fam_regex(rng: random.Random, n: int, quick: bool) -> list[Case]:
    patterns = [
        "(a+)+$",
        "(a|aa)*b",
        "(.*a){20}",
        "^(\\\\w+\\\\s?)*$",
        "(a*)*$",
        "((a+)+)+b",
        "(x+x+)+y",
        "a{1000}{1000}",
        "(a{100}){100}{100}",
        "[" + "a-z" * 2000 + "]",
        "\\\\p{L}{65535}",
        "(?:(?:(?:a*)*)*)*b",
        "(" * 500 + "a" + ")" * 500,
        "[",
        "(?P<x>a)(?P=x)",
        "a**",
    ]
    cases = []
    for i in range(n):
        pattern = patterns[i % len(patterns)]
        timeout = "0.5" if quick else "1"
        style = i % 4
        if style == 0:
            text = 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(REGEX(STR(?o), "%s")) }' % pattern
        elif style == 1:
            text = 'ASK { BIND("%s" AS ?x) FILTER(REGEX(?x, "%s", "i")) }' % (
                "a" * rng.choice([30, 1000, 100000]),
                pattern,
            )
        elif style == 2:
            k = rng.choice([4, 6, 7]) if not quick else rng.choice([4, 6])
            inner = '"a"'
            for _ in range(k):
                inner = f'REPLACE({inner}, "a", "aaaaaaaaaa")'
            text = f"SELECT (STRLEN({inner}) AS ?n) WHERE {{}}"
            pattern = f"REPLACE x10 ^{k}"
        else:
            text = 'SELECT (REPLACE(STR(?o), "%s", "$0$0$0") AS ?x) WHERE { ?s ?p ?o } LIMIT 100' % pattern
        cases.append(
            get(
                "regex-bomb",
                text,
                frozenset({200, 400, 422, 504}),
                params=(("timeout", timeout),),
                heavy=True,
                note=pattern[:40],
            )
        )
    return cases


def fam_sort_abort(rng: random.Random, n: int) -> list[Case]:
    """ORDER BY over values that Oxigraph cannot order consistently (ENGINE_ABORT)."""
    cases = []
    for i in range(n):
        pairs = rng.choice([12, 20, 40])
        values = " ".join(f'"{k}" {k}' for k in range(pairs))
        text = rng.choice(
            [
                f"SELECT ?o WHERE {{ VALUES ?o {{ {values} }} }} ORDER BY ?o",
                f"SELECT ?o WHERE {{ VALUES ?o {{ {values} }} }} ORDER BY DESC(?o)",
                "SELECT ?o WHERE { ?s ?p ?o } ORDER BY ?o",
                "SELECT DISTINCT ?o WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?o LIMIT 10",
            ]
        )
        # 503 when the abort is reported as a dead worker, 422 when the server attributes it to its memory limit
        cases.append(get("sort-abort", text, frozenset({200, 422, 503, 504}), note=text[:60]))
    return cases


def fam_parameters(rng: random.Random, n: int) -> list[Case]:
    ask = "ASK {}"
    table = [
        (("timeout", "nan"), {400}),
        (("timeout", "NaN"), {400}),
        (("timeout", "-nan"), {400}),
        (("timeout", "+nan"), {400}),
        (("timeout", "inf"), {200}),
        (("timeout", "Infinity"), {200}),
        (("timeout", "-inf"), {400}),
        (("timeout", "-1"), {400}),
        (("timeout", "0"), {400}),
        (("timeout", "abc"), {400}),
        (("timeout", "1e-320"), {200, 504}),
        (("timeout", ""), {200}),
        (("timeout", " "), {200, 400}),
        (("timeout", "1,5"), {400}),
        (("timeout", "\u0661"), {200, 400}),
        (("timeout", "1e309"), {200}),
        (("timeout", "0x10"), {400}),
        (("timeout", "9" * 400), {200, 400}),
        (("timeout", "1_0"), {200, 400}),
        (("format", "json"), {200}),
        (("format", "xml"), {200}),
        (("format", "csv"), {200}),
        (("format", "tsv"), {200}),
        (("format", "turtle"), {406}),
        (("format", "zzz"), {406}),
        (("format", "../../etc/passwd"), {406}),
        (("format", "\x00"), {406}),
        (("format", "f" * 10000), {406}),
        (("format", "application/json"), {200}),
        (("format", "text/html"), {406}),
        (("format", ""), {200}),
        (("default-graph-uri", ""), {400}),
        (("default-graph-uri", "rel"), {400}),
        (("default-graph-uri", "a b:c"), {400}),
        (("default-graph-uri", "<x:y>"), {400}),
        (("default-graph-uri", "urn:x"), {200}),
        (("default-graph-uri", "javascript:alert(1)"), {200}),
        (("default-graph-uri", "http://x/" + "a" * 100000), {200}),
        (("named-graph-uri", "x:\\y"), {400}),
        (("named-graph-uri", "https://w3id.org/hres/graph/ontology"), {200}),
        (("foo", "bar"), {200}),
        (("query\x00", "x"), {200}),
        (("update", "DROP ALL"), {403}),
        (("using-graph-uri", "urn:x"), {200}),
    ]
    cases = []
    for i in range(n):
        style = i % 5
        if style < 3:
            param, expect = table[(i // 5 * 3 + style) % len(table)]
            cases.append(get("parameters", ask, expect, params=(param,), note=f"{param[0]}={param[1][:30]!r}"))
        elif style == 3:
            variant = (i // 5) % 6
            if variant == 0:
                cases.append(
                    Case(
                        "parameters",
                        "GET",
                        "/sparql?query=ASK%7B%7D&query=ASK%7B%7D",
                        (ACCEPT_ANY,),
                        None,
                        BAD,
                        note="query twice",
                    )
                )
            elif variant == 1:
                cases.append(
                    Case(
                        "parameters",
                        "GET",
                        "/sparql?query=ASK%7B%7D&format=json&format=xml",
                        (ACCEPT_ANY,),
                        None,
                        BAD,
                        note="format twice",
                    )
                )
            elif variant == 2:
                cases.append(
                    Case(
                        "parameters",
                        "GET",
                        "/sparql?query=ASK%7B%7D&timeout=1&timeout=2",
                        (ACCEPT_ANY,),
                        None,
                        BAD,
                        note="timeout twice",
                    )
                )
            elif variant == 3:
                body = (
                    "query=ASK%7B%7D&" + "&".join(f"p{k}=v" for k in range(rng.choice([1000, 20000, 100000])))
                ).encode()
                cases.append(
                    with_limit(
                        Case(
                            "parameters",
                            "POST",
                            "/sparql",
                            (ACCEPT_ANY, ("Content-Type", "application/x-www-form-urlencoded")),
                            body,
                            OK,
                            note="many parameters",
                        ),
                        OK,
                    )
                )
            elif variant == 4:
                cases.append(
                    Case(
                        "parameters",
                        "GET",
                        "/sparql?" + "&" * 5000 + "query=ASK%7B%7D",
                        (ACCEPT_ANY,),
                        None,
                        OK,
                        note="5000 empty pairs",
                    )
                )
            else:
                cases.append(
                    Case(
                        "parameters",
                        "GET",
                        "/sparql?query=ASK%7B%7D&" + "default-graph-uri=urn:g&" * 2000,
                        (ACCEPT_ANY,),
                        None,
                        OK,
                        note="2000 dataset IRIs",
                    )
                )
        else:
            junk = "".join(rng.choice("?&=%;+#/\\\x01é") for _ in range(rng.randint(1, 60)))
            cases.append(
                Case(
                    "parameters",
                    "GET",
                    "/sparql?" + quote(junk, safe="?&=%;+/"),
                    (ACCEPT_ANY,),
                    None,
                    frozenset({200, 400, 406}),
                    note=f"junk {junk[:30]!r}",
                )
            )
    return cases


def fam_paths(rng: random.Random, n: int) -> list[Case]:
    fixed = [
        ("/id/../../etc/passwd", {404}),
        ("/id/%2e%2e/%2e%2e/etc/passwd", {404}),
        ("/id/%00", {404, 400}),
        ("/dumps/..%2f..%2fetc%2fpasswd.nt", {404}),
        ("/dumps/../../etc/passwd", {404}),
        ("/dumps/ontology.nt", {200}),
        ("/dumps/ontology.ttl", {200}),
        ("/dumps/ontology.exe", {404}),
        ("/dumps/" + "a" * 5000 + ".nt", {404}),
        ("/dumps/all.trig", {200}),
        ("/dumps/meta.nq", {200, 404}),
        ("/dumps/%00.nt", {404, 400}),
        ("/dumps/.nt", {404}),
        ("/dumps/all", {404}),
        ("//sparql", {200, 404}),
        ("/sparql%00", {404}),
        ("/%2e%2e/%2e%2e/etc/passwd", {404}),
        ("/vocab/../../../../etc/passwd", {404}),
        ("/id/" + "x/" * 20000, {404, 431}),
        ("/id/" + "é" * 500, {400, 404}),
        ("/id/state/KEN?format=zzz", {404, 406}),
        ("/ontology?format=zzz", {406}),
        ("/ontology?format=jsonld", {200}),
        ("/ontology?format=rdfxml", {200}),
        ("/void?format=ntriples", {200}),
        ("/graph/ontology?format=turtle", {200, 404}),
        ("/id/\\..\\..\\windows", {404}),
        ("/id/%5c..%5c..", {404}),
        ("http://127.0.0.1/sparql?query=ASK%7B%7D", {200, 400, 406}),
        ("*", {400, 404}),
        ("/id/state/ZZZ#frag", {400, 404}),
        ("/?" + "a" * 300_000, {431}),
        ("/dumps/all.nq?x=" + "%ff" * 10, {200, 400}),
    ]
    cases = []
    for i in range(n):
        if i % 3 != 2:
            target, expect = fixed[i % len(fixed)]
            headers = (
                rng.choice([ACCEPT_ANY, ("Accept", "text/html"), ("Accept", "text/turtle"), ("Accept", "image/png")]),
            )
            if headers[0][1] == "image/png":
                expect = set(expect) | {406}
            if headers[0][1] == "text/html":
                expect = set(expect) | {406}
            if target.startswith("/dumps/") and 200 in expect:
                expect = set(expect) | {503}  # "this version's dump is being written; try again shortly"
            cases.append(
                Case("paths", rng.choice(["GET", "HEAD"]), target, headers, None, frozenset(expect), note=target[:60])
            )
        else:
            segment = "".join(rng.choice("abc/.%2e%2f%00%ff~!$&'()*+,;=:@-_") for _ in range(rng.randint(1, 80)))
            prefix = rng.choice(["/id/", "/vocab/", "/graph/", "/dumps/"])
            headers = (
                (
                    rng.choice(["If-None-Match", "If-Modified-Since", "Range", "Accept"]),
                    rng.choice(
                        ['"x"', "*", "bytes=0-1,2-3", "bytes=99999999999-", "garbage", 'W/"' + "a" * 1000 + '"']
                    ),
                ),
            )
            target = prefix + segment
            cases.append(
                Case(
                    "paths",
                    "GET",
                    target,
                    (ACCEPT_ANY,) + headers,
                    None,
                    frozenset({200, 304, 308, 400, 404, 406, 416}),
                    note=target[:60],
                )
            )
    return cases


# --- the whole corpus -------------------------------------------------------------------------


def quotas(quick: bool) -> dict[str, int]:
    return dict(QUICK if quick else QUOTAS)


def generate(seed: int, *, quick: bool, ports: list[int], port6: int | None = None) -> list[Case]:
    """The corpus for a seed: the same seed always gives the same cases, in the same order."""
    oracle = Oracle()
    q = quotas(quick)

    def rng(family):
        return random.Random(f"{seed}/{family}")

    families = {
        "syntax": lambda: fam_syntax(rng("syntax"), q["syntax"], oracle),
        "mutation": lambda: fam_mutation(rng("mutation"), q["mutation"], oracle),
        "huge-literal": lambda: fam_huge_literal(rng("huge"), q["huge-literal"], quick),
        "deep-nesting": lambda: fam_deep(rng("deep"), q["deep-nesting"], quick),
        "unbalanced": lambda: fam_unbalanced(rng("unbalanced"), q["unbalanced"], oracle),
        "invalid-utf8": lambda: fam_invalid_utf8(rng("utf8"), q["invalid-utf8"]),
        "methods": lambda: fam_methods(rng("methods"), q["methods"]),
        "content-type": lambda: fam_content_type(rng("ctype"), q["content-type"]),
        "oversized": lambda: fam_oversized(rng("oversized"), q["oversized"], quick),
        "named-query": lambda: fam_named_query(rng("named"), q["named-query"], ports),
        "ssrf": lambda: fam_ssrf(rng("ssrf"), q["ssrf"], ports, port6),
        "property-path": lambda: fam_property_path(rng("paths"), q["property-path"], quick),
        "cross-product": lambda: fam_cross_product(rng("cross"), q["cross-product"], quick),
        "regex-bomb": lambda: fam_regex(rng("regex"), q["regex-bomb"], quick),
        "sort-abort": lambda: fam_sort_abort(rng("sort"), q["sort-abort"]),
        "parameters": lambda: fam_parameters(rng("params"), q["parameters"]),
        "paths": lambda: fam_paths(rng("routes"), q["paths"]),
    }
    cases = []
    for make in families.values():
        cases += make()
    return cases


# --- sending it -------------------------------------------------------------------------------


def _well_formed_xml(body: bytes) -> bool:
    """Parsed by expat with no DTD allowed: the answer is a complete, well-formed XML document."""
    import xml.parsers.expat

    parser = xml.parsers.expat.ParserCreate()
    parser.StartDoctypeDeclHandler = lambda *a: (_ for _ in ()).throw(ValueError("a DTD in an answer"))
    try:
        parser.Parse(body, True)
    except (xml.parsers.expat.ExpatError, ValueError):
        return False
    return True


def _json(body: bytes) -> bool:
    import json

    try:
        json.loads(body)
    except ValueError:
        return False
    return True


def _rdf(format_name: str):
    def parses(body: bytes) -> bool:
        import pyoxigraph as ox

        try:
            list(ox.parse(body, format=getattr(ox.RdfFormat, format_name)))
        except (SyntaxError, ValueError):
            return False
        return True

    return parses


def _capped(limit: int):
    return lambda answer: answer.body_bytes <= limit


def _location_stays_home(answer: Answer) -> bool:
    """A redirect never sends the client to the host named by a hostile Host header."""
    return "evil" not in answer.headers.get("location", "").lower()


# a property the answer must have when its status is 200 (bodies) or always (headers, sizes)
def _whole(parses):
    def check(answer: Answer) -> bool:
        body = answer.payload()
        return answer.status != 200 or (body is not None and parses(body))

    return check


ANSWER_CHECKS = {
    "xml": _whole(_well_formed_xml),
    "json": _whole(_json),
    "ntriples": _whole(_rdf("N_TRIPLES")),
    "turtle": _whole(_rdf("TURTLE")),
    "jsonld": _whole(_rdf("JSON_LD")),
    "answer-bytes": _capped(ANSWER_BYTES_BOUND),
    "location": _location_stays_home,
}


@dataclass
class Outcome:
    case: Case
    answer: Answer

    @property
    def expected(self) -> bool:
        return self.answer.status in self.case.expect and (
            not self.case.check or ANSWER_CHECKS[self.case.check](self.answer)
        )

    @property
    def worker_died(self) -> bool:
        return self.answer.status == 503 and b"worker died" in self.answer.body


@dataclass
class CorpusResult:
    outcomes: list[Outcome]
    seconds: float
    skipped: dict[str, str] = field(default_factory=dict)  # family -> why it was not sent

    def by_family(self) -> dict[str, list[Outcome]]:
        out: dict[str, list[Outcome]] = {}
        for o in self.outcomes:
            out.setdefault(o.case.family, []).append(o)
        return out

    def statuses(self, outcomes=None) -> Counter:
        return Counter(o.answer.status for o in (self.outcomes if outcomes is None else outcomes))

    def unexpected(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.expected]

    def status_500(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.answer.status == 500]

    def worker_deaths(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.worker_died]


def send(case: Case, port: int) -> Answer:
    body = case.body
    if case.stream:
        body = repeat_chunks(*case.stream)
    return http(
        port,
        case.method,
        case.target,
        case.headers,
        body,
        timeout=case.timeout,
        content_length=case.content_length,
        chunked=case.chunked,
        half_close=case.half_close,
        version=case.version,
    )


def run_corpus(
    cases: list[Case],
    port: int,
    *,
    concurrency: int = 4,
    heavy_concurrency: int = 2,
    skip_families: dict[str, str] | None = None,
    budget_s: float = 900.0,
    progress=lambda done, total: None,
) -> CorpusResult:
    """Send every case (light ones `concurrency` at a time, heavy ones `heavy_concurrency` at a time),
    stopping at `budget_s` seconds (the cases not sent are then reported as skipped)."""
    skip = dict(skip_families or {})
    todo = [c for c in cases if c.family not in skip]
    light = [c for c in todo if not c.heavy]
    heavy = [c for c in todo if c.heavy]
    t0 = time.monotonic()
    outcomes: list[Outcome] = []
    lock = threading.Lock()
    total = len(todo)

    def one(case: Case):
        if time.monotonic() - t0 > budget_s:
            return
        answer = send(case, port)
        with lock:
            outcomes.append(Outcome(case, answer))
            if len(outcomes) % 500 == 0:
                progress(len(outcomes), total)

    for batch, workers in ((light, concurrency), (heavy, heavy_concurrency)):
        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(one, batch))
    if len(outcomes) < total:
        skip["(budget)"] = f"{total - len(outcomes)} cases not sent: the {budget_s:g} s budget ran out"
    order = {id(c): i for i, c in enumerate(cases)}
    outcomes.sort(key=lambda o: order[id(o.case)])
    return CorpusResult(outcomes, time.monotonic() - t0, skip)
