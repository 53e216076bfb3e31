"""Content negotiation: explicit Accept -> format tables and strict q-value matching (RFC 9110 12.5.1).

Each answer kind offers its formats in the server's order of preference; the first one is what a
client gets with no Accept header or with `*/*` (so curl gets SPARQL results or Turtle, never HTML).
A `format` request parameter (a key below or a media type) overrides Accept, for browsers.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox


@dataclass(frozen=True)
class Format:
    key: str  # short name: ?format=json, and what the query workers receive
    media_type: str  # the canonical Content-Type
    aliases: tuple[str, ...] = ()  # other media types a client may ask for; answered as asked
    rdf: ox.RdfFormat | None = None

    @property
    def is_text(self) -> bool:
        return self.media_type.startswith("text/")

    def content_type(self, media_type: str | None = None) -> str:
        mt = media_type or self.media_type
        return f"{mt}; charset=utf-8" if mt.startswith("text/") else mt


JSON = Format("json", "application/sparql-results+json", ("application/json",))
XML = Format("xml", "application/sparql-results+xml", ("application/xml", "text/xml"))
CSV = Format("csv", "text/csv")
TSV = Format("tsv", "text/tab-separated-values")
TURTLE = Format("turtle", "text/turtle", ("application/x-turtle",), ox.RdfFormat.TURTLE)
NTRIPLES = Format("ntriples", "application/n-triples", (), ox.RdfFormat.N_TRIPLES)
JSONLD = Format("jsonld", "application/ld+json", ("application/json",), ox.RdfFormat.JSON_LD)
RDFXML = Format("rdfxml", "application/rdf+xml", ("application/xml", "text/xml"), ox.RdfFormat.RDF_XML)
NQUADS = Format("nquads", "application/n-quads", (), ox.RdfFormat.N_QUADS)
TRIG = Format("trig", "application/trig", (), ox.RdfFormat.TRIG)
HTML = Format("html", "text/html", ("application/xhtml+xml",))

RESULTS = (JSON, XML, CSV, TSV)  # SELECT and ASK (CSV/TSV booleans are `true`/`false`)
GRAPH = (TURTLE, NTRIPLES, JSONLD, RDFXML, NQUADS, TRIG)  # CONSTRUCT and DESCRIBE
DOCUMENT = (TURTLE, JSONLD, NTRIPLES, RDFXML)  # service description, VoID, resources
BY_FORM = {"select": RESULTS, "ask": RESULTS, "construct": GRAPH, "describe": GRAPH}
BY_KEY = {f.key: f for f in (*RESULTS, *GRAPH, HTML)}


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float

    def specificity(self, media_type: str) -> int:
        """-1 if this range does not match; else 0 for */*, 1 for type/*, 2 for an exact match."""
        t, s = media_type.split("/", 1)
        if self.type == "*" and self.subtype == "*":
            return 0
        if self.type != t:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == s else -1


MAX_RANGES = 64  # media ranges read from one Accept header; real clients send fewer than 20


def parse_accept(header: str | None) -> list[MediaRange]:
    """Media ranges with their q values; malformed entries are skipped, q is clamped to [0, 1].

    Only the first MAX_RANGES entries count: matching costs ranges x offered types, and a 250 KB
    header of 25,000 ranges took 0.6 s of the web process for every request.
    """
    if not header or not header.strip():
        return [MediaRange("*", "*", 1.0)]
    ranges = []
    for part in header.split(",", MAX_RANGES)[:MAX_RANGES]:
        fields = [f.strip() for f in part.split(";")]
        if "/" not in fields[0]:
            continue
        t, s = (x.strip().lower() for x in fields[0].split("/", 1))
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        if t and s:
            ranges.append(MediaRange(t, s, q))
    return ranges


def _quality(media_type: str, ranges: list[MediaRange]) -> float:
    best, quality = -1, 0.0
    for r in ranges:
        spec = r.specificity(media_type)
        if spec > best:
            best, quality = spec, r.q
    return quality if best >= 0 else 0.0


def choose(offers: tuple[Format, ...], accept: str | None, requested: str | None = None) -> tuple[Format, str] | None:
    """The offered format the client prefers, and the media type to answer with; None -> 406.

    The highest q wins; between equal q values the more specific match wins (a client that
    names `application/rdf+xml` exactly gets it before `*/*` offers), then a format's own type
    over an alias (`text/*` gives CSV, not XML as text/xml), then the server's order. A format
    named with q=0 is never chosen, even through an alias or a wildcard.
    """
    if requested:
        for f in offers:
            if requested in (f.key, f.media_type, *f.aliases):
                return f, requested if "/" in requested else f.media_type
        return None
    ranges = parse_accept(accept)
    best: tuple | None = None
    chosen = None
    for order, f in enumerate(offers):
        types = (f.media_type, *f.aliases)
        if any(r.q == 0 and r.specificity(mt) == 2 for r in ranges for mt in types):
            continue  # the client refused this format by name
        for canonical, mt in zip((True, *(False for _ in f.aliases)), types):
            q = _quality(mt, ranges)
            if q <= 0:
                continue
            spec = max(r.specificity(mt) for r in ranges)
            rank = (q, spec, canonical, -order)
            if best is None or rank > best:
                best, chosen = rank, (f, mt if spec >= 1 else f.media_type)
    return chosen


def describe_offers(offers: tuple[Format, ...]) -> str:
    return ", ".join(f.media_type for f in offers)
