"""Writers for query answers, run inside the query workers: SPARQL results in JSON, XML, CSV and
TSV, and RDF through Oxigraph's own serializers.

These are ours rather than Oxigraph's `QuerySolutions.serialize` because an answer has two caps,
ROW_CAP rows and MAX_ANSWER_BYTES bytes, and a capped answer has to stop reading solutions part-way
and say so in the document (`"truncated": true` in JSON, a comment in XML) as well as in the
`HRES-Truncated` header. The byte cap bounds the worker's answer and, since the body crosses a pipe
to the web process, the web process's copy too.

XML 1.0 cannot carry every character a literal can hold (C0 controls other than tab, LF and CR,
U+FFFE, U+FFFF, lone surrogates; not even as `&#1;`). Such an answer in SPARQL XML or RDF/XML is
refused (`NotXmlSafe`, 406 naming the formats that carry it) rather than altered: an answer is a
claim, and a silently replaced character would change it.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from hres_graph.prefixes import PREFIXES

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_PREFIXED_RDF = {ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.RDF_XML}
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
TRAILER_BYTES = 256  # kept free under the byte cap for the document's end and its truncation notice


class NotXmlSafe(ValueError):
    """A term holds a character that XML 1.0 cannot represent."""

    def __init__(self, char: str, where: str):
        super().__init__(f"U+{ord(char):04X} in {where}")
        self.char, self.where = char, where


@dataclass(frozen=True)
class Caps:
    rows: int  # ROW_CAP
    bytes: int  # MAX_ANSWER_BYTES


@dataclass(frozen=True)
class Answer:
    body: bytes
    cut: str | None  # None, or why it was cut: "row-cap=N" or "byte-cap=N" (the HRES-Truncated value)


def utf8_len(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8"))


def take(rows, render, caps: Caps, spent: str) -> tuple[list[str], str | None]:
    """Rendered rows while both caps hold, and which cap cut them (None if none did). `spent` is the
    document's fixed text; `render` turns a row into its text. Rows are measured in UTF-8 bytes but
    kept as text, encoded once at the end (per-row encoding cost a lookup 10 %)."""
    chunks: list[str] = []
    budget = caps.bytes - utf8_len(spent) - TRAILER_BYTES
    for count, row in enumerate(rows):
        if count == caps.rows:
            return chunks, f"row-cap={caps.rows}"
        chunk = render(row)
        budget -= utf8_len(chunk)
        if budget < 0:
            return chunks, f"byte-cap={caps.bytes}"
        chunks.append(chunk)
    return chunks, None


def _cap_member(cut: str) -> str:
    name, value = cut.split("=")
    return {"row-cap": "rowCap", "byte-cap": "byteCap"}[name] + f'":{value}'


def xml_safe(value: str, where: str) -> str:
    bad = _NOT_XML.search(value)
    if bad:
        raise NotXmlSafe(bad.group(), where)
    return value


# --- JSON (SPARQL 1.1 Query Results JSON Format) -------------------------------------------
def json_term(t) -> dict:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Literal):
        out = {"type": "literal", "value": t.value}
        if t.language:
            out["xml:lang"] = t.language
            if t.direction is not None:
                out["its:dir"] = str(t.direction).rsplit(".", 1)[-1].lower()
        elif t.datatype.value != XSD_STRING:
            out["datatype"] = t.datatype.value
        return out
    return {
        "type": "triple",
        "value": {"subject": json_term(t.subject), "predicate": json_term(t.predicate), "object": json_term(t.object)},
    }


_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # one encoder: json.dumps builds one per call


def write_json(variables: list[str], rows, caps: Caps) -> Answer:
    head = '{"head":{"vars":%s},"results":{"bindings":[' % json.dumps(variables, ensure_ascii=False)

    def render(row) -> str:
        return _JSON.encode({v: json_term(t) for v, t in zip(variables, row) if t is not None})

    chunks, cut = take(rows, render, caps, head)
    body = head + ",".join(chunks) + "]}"
    if cut:  # extra members, allowed by the format; see server/README.md
        body += ',"truncated":true,"' + _cap_member(cut)
    return Answer((body + "}").encode("utf-8"), cut)


# --- XML (SPARQL Query Results XML Format) --------------------------------------------------
def xml_term(t) -> str:
    if isinstance(t, ox.NamedNode):
        return f"<uri>{escape(xml_safe(t.value, 'an IRI'))}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{escape(t.value)}</bnode>"
    if isinstance(t, ox.Literal):
        value = escape(xml_safe(t.value, "a literal"))
        if t.language:
            return f"<literal xml:lang={quoteattr(t.language)}>{value}</literal>"
        if t.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(xml_safe(t.datatype.value, 'a datatype IRI'))}>{value}</literal>"
        return f"<literal>{value}</literal>"
    return (
        f"<triple><subject>{xml_term(t.subject)}</subject><predicate>{xml_term(t.predicate)}</predicate>"
        f"<object>{xml_term(t.object)}</object></triple>"
    )


_XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n'
_CUT_NOTICE = {"row-cap": "rows (ROW_CAP)", "byte-cap": "bytes (MAX_ANSWER_BYTES)"}


def write_xml(variables: list[str], rows, caps: Caps) -> Answer:
    head = "".join(
        [_XML_HEAD, "<head>", *(f"<variable name={quoteattr(v)}/>" for v in variables), "</head>\n<results>\n"]
    )

    def render(row) -> str:
        return (
            "<result>"
            + "".join(
                f"<binding name={quoteattr(v)}>{xml_term(t)}</binding>" for v, t in zip(variables, row) if t is not None
            )
            + "</result>\n"
        )

    chunks, cut = take(rows, render, caps, head)
    tail = "</results>\n"
    if cut:
        name, value = cut.split("=")
        tail += f"<!-- truncated: the result has more than {value} {_CUT_NOTICE[name]}; {cut} -->\n"
    return Answer((head + "".join(chunks) + tail + "</sparql>\n").encode("utf-8"), cut)


# --- CSV and TSV (SPARQL 1.1 Query Results CSV and TSV Formats) -----------------------------
def _csv_value(t) -> str:
    if t is None:
        return ""
    if isinstance(t, ox.BlankNode):
        return f"_:{t.value}"
    if isinstance(t, (ox.NamedNode, ox.Literal)):
        return t.value
    return str(t)


def write_csv(variables: list[str], rows, caps: Caps) -> Answer:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def render(row) -> bytes:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([_csv_value(t) for t in row])
        return buffer.getvalue()

    head = render(variables)
    chunks, cut = take(rows, render, caps, head)
    return Answer((head + "".join(chunks)).encode("utf-8"), cut)


def write_tsv(variables: list[str], rows, caps: Caps) -> Answer:
    head = "\t".join(f"?{v}" for v in variables) + "\n"

    def render(row) -> str:  # N-Triples term syntax, which escapes tabs and line breaks
        return "\t".join("" if t is None else str(t) for t in row) + "\n"

    chunks, cut = take(rows, render, caps, head)
    return Answer((head + "".join(chunks)).encode("utf-8"), cut)


def write_boolean(value: bool, key: str) -> bytes:
    if key == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if key == "xml":
        return f"{_XML_HEAD}<head/>\n<boolean>{'true' if value else 'false'}</boolean>\n</sparql>\n".encode()
    return b"true" if value else b"false"  # CSV/TSV define no boolean form; Oxigraph writes this too


SOLUTION_WRITERS = {"json": write_json, "xml": write_xml, "csv": write_csv, "tsv": write_tsv}


# --- RDF ----------------------------------------------------------------------------------
def write_rdf(triples: list, rdf_format: ox.RdfFormat) -> bytes:
    if rdf_format == ox.RdfFormat.RDF_XML:
        for t in triples:
            _check_xml_triple(t)
    if rdf_format.supports_datasets:
        default = ox.DefaultGraph()
        triples = [ox.Quad(t.subject, t.predicate, t.object, default) for t in triples]
    prefixes = PREFIXES if rdf_format in _PREFIXED_RDF else None
    return ox.serialize(triples, format=rdf_format, prefixes=prefixes)


def _check_xml_triple(t) -> None:
    for term in (t.subject, t.predicate, t.object):
        if isinstance(term, ox.Triple):
            _check_xml_triple(term)
        elif isinstance(term, ox.Literal):
            xml_safe(term.value, "a literal")
        else:
            xml_safe(term.value, "an IRI")


def write_rdf_capped(triples, rdf_format: ox.RdfFormat, caps: Caps) -> Answer:
    """A graph answer under both caps. Triples are counted at their N-Triples size (the formats
    differ little per triple); if the document still comes out larger than the byte cap (prefixes,
    RDF/XML's markup), the triples are halved until it fits."""
    kept, cut, budget = [], None, caps.bytes - TRAILER_BYTES
    for count, triple in enumerate(triples):
        if count == caps.rows:
            cut = f"row-cap={caps.rows}"
            break
        budget -= utf8_len(str(triple)) + 3
        if budget < 0:
            cut = f"byte-cap={caps.bytes}"
            break
        kept.append(triple)
    body = write_rdf(kept, rdf_format)
    while len(body) > caps.bytes and kept:
        kept, cut = kept[: len(kept) // 2], f"byte-cap={caps.bytes}"
        body = write_rdf(kept, rdf_format)
    return Answer(body, cut)
