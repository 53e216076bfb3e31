"""Writers for query answers, run inside the query workers: SPARQL results in JSON, XML, CSV and
TSV, and RDF through Oxigraph's own serializers.

These are ours rather than Oxigraph's `QuerySolutions.serialize` because the row cap has to stop
reading solutions part-way and say so in the document (`"truncated": true` in JSON, a comment in
XML) as well as in the `HRES-Truncated` header.
"""
from __future__ import annotations

import csv
import io
import json
from itertools import islice
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from hres_graph.prefixes import PREFIXES

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_PREFIXED_RDF = {ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.RDF_XML}


def capped(iterable, cap: int) -> tuple[list, bool]:
    """At most `cap` items, and whether more were there."""
    items = list(islice(iterable, cap + 1))
    return (items[:cap], True) if len(items) > cap else (items, False)


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
    return {"type": "triple", "value": {"subject": json_term(t.subject), "predicate": json_term(t.predicate),
                                        "object": json_term(t.object)}}


def write_json(variables: list[str], rows: list, truncated: bool, cap: int) -> bytes:
    bindings = [{v: json_term(t) for v, t in zip(variables, row) if t is not None} for row in rows]
    doc: dict = {"head": {"vars": variables}, "results": {"bindings": bindings}}
    if truncated:
        doc["truncated"] = True  # an extra member, allowed by the format; see server/README.md
        doc["rowCap"] = cap
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# --- XML (SPARQL Query Results XML Format) --------------------------------------------------
def xml_term(t) -> str:
    if isinstance(t, ox.NamedNode):
        return f"<uri>{escape(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{escape(t.value)}</bnode>"
    if isinstance(t, ox.Literal):
        if t.language:
            return f"<literal xml:lang={quoteattr(t.language)}>{escape(t.value)}</literal>"
        if t.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(t.datatype.value)}>{escape(t.value)}</literal>"
        return f"<literal>{escape(t.value)}</literal>"
    return (f"<triple><subject>{xml_term(t.subject)}</subject><predicate>{xml_term(t.predicate)}</predicate>"
            f"<object>{xml_term(t.object)}</object></triple>")


_XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n'


def write_xml(variables: list[str], rows: list, truncated: bool, cap: int) -> bytes:
    out = [_XML_HEAD, "<head>", *(f"<variable name={quoteattr(v)}/>" for v in variables), "</head>\n"]
    if truncated:
        out.append(f"<!-- truncated: the result has more than {cap} rows (row cap) -->\n")
    out.append("<results>\n")
    for row in rows:
        out.append("<result>")
        out.extend(f"<binding name={quoteattr(v)}>{xml_term(t)}</binding>"
                   for v, t in zip(variables, row) if t is not None)
        out.append("</result>\n")
    out.append("</results>\n</sparql>\n")
    return "".join(out).encode("utf-8")


# --- CSV and TSV (SPARQL 1.1 Query Results CSV and TSV Formats) -----------------------------
def _csv_value(t) -> str:
    if t is None:
        return ""
    if isinstance(t, ox.BlankNode):
        return f"_:{t.value}"
    if isinstance(t, (ox.NamedNode, ox.Literal)):
        return t.value
    return str(t)


def write_csv(variables: list[str], rows: list, truncated: bool, cap: int) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    writer.writerows([_csv_value(t) for t in row] for row in rows)
    return buffer.getvalue().encode("utf-8")


def write_tsv(variables: list[str], rows: list, truncated: bool, cap: int) -> bytes:
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines.extend("\t".join("" if t is None else str(t) for t in row) for row in rows)  # N-Triples term syntax
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_boolean(value: bool, key: str) -> bytes:
    if key == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if key == "xml":
        return f"{_XML_HEAD}<head/>\n<boolean>{'true' if value else 'false'}</boolean>\n</sparql>\n".encode()
    return b"true" if value else b"false"  # CSV/TSV define no boolean form; Oxigraph writes this too


SOLUTION_WRITERS = {"json": write_json, "xml": write_xml, "csv": write_csv, "tsv": write_tsv}


# --- RDF ----------------------------------------------------------------------------------
def write_rdf(triples: list, rdf_format: ox.RdfFormat) -> bytes:
    if rdf_format.supports_datasets:
        default = ox.DefaultGraph()
        triples = [ox.Quad(t.subject, t.predicate, t.object, default) for t in triples]
    prefixes = PREFIXES if rdf_format in _PREFIXED_RDF else None
    return ox.serialize(triples, format=rdf_format, prefixes=prefixes)
