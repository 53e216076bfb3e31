"""graph/derived: statements the build computes from the others (machine-made), so queries need no reasoner.

Design notes: hres_graph/build/README.md, "derive.py".
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..config import PROJECT_ROOT
from ..errors import SourceFormatError
from ..namespaces import GRAPH, HRES
from ..terms import named_node
from .provenance import GraphRecord, file_records

if TYPE_CHECKING:
    from ..store.oxigraph import OxigraphStore

DERIVED_QUERIES = PROJECT_ROOT / "queries" / "derived"
TABLE = DERIVED_QUERIES / "right-keywords.tsv"
RIGHTS = "https://w3id.org/hres/vocab/rights/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RECOMMENDATION = ox.NamedNode(str(HRES.Recommendation))
TEXT = ox.NamedNode(str(HRES.text))
_RIGHTS = "SELECT ?right WHERE { ?right a <https://w3id.org/hres/ontology#Right> }"


def load_table(path: Path = TABLE) -> list[tuple[str, re.Pattern]]:
    """(right slug, compiled pattern) per line of the table; `#` lines are comments."""
    table = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        slug, sep, pattern = line.partition("\t")
        if not sep or not re.fullmatch(r"[a-z][a-z0-9-]*", slug) or not pattern:
            raise SourceFormatError(
                path,
                f"expected SLUG<TAB>PATTERN, got {line[:60]!r}",
                line=number,
                hint="one right per line: its vocab:rights slug, a tab, a regular expression",
            )
        try:
            # matched against lower-cased text: a pattern with capitals would never match
            table.append((slug, re.compile(pattern.lower())))
        except re.error as exc:
            raise SourceFormatError(
                path, f"the pattern for {slug!r} is not a valid regular expression: {exc}", line=number
            ) from None
    return table


def mentioned(text: str, table: list[tuple[str, re.Pattern]]) -> list[str]:
    """The slugs of the rights whose pattern occurs in the text, case-insensitively."""
    text = text.lower()
    return [slug for slug, pattern in table if pattern.search(text)]


def mention_triples(store, table: list[tuple[str, re.Pattern]] | None = None) -> Iterator[ox.Triple]:
    """?recommendation hres:textMentionsRight ?right for every recommendation text of the store (union of
    its graphs); a slug of the table that is not an hres:Right of the store is an error."""
    table = load_table() if table is None else table
    rights = {row["right"].value for row in store.native_query(_RIGHTS, use_default_graph_as_union=True)}
    unknown = [slug for slug, _ in table if RIGHTS + slug not in rights]
    if unknown:
        raise SourceFormatError(
            TABLE,
            f"slugs that are no hres:Right of vocab/rights.ttl: {', '.join(unknown)}",
            hint="use the slug of a right in ontology/vocab/rights.ttl",
        )
    predicate = ox.NamedNode(str(HRES.textMentionsRight))
    right_node = {slug: ox.NamedNode(RIGHTS + slug) for slug, _ in table}
    # index scans, not a SPARQL join: the texts and the typed subjects, each read once (a third of the time)
    recommendations = {q.subject for q in store.quads_for_pattern(None, RDF_TYPE, RECOMMENDATION)}
    texts: dict[str, list] = {}  # a text shared by several records (UPR Info and WG report) is matched once
    for quad in store.quads_for_pattern(None, TEXT, None):
        if quad.subject in recommendations and isinstance(quad.object, ox.Literal):
            texts.setdefault(quad.object.value, []).append(quad.subject)
    done: set[tuple] = set()  # a recommendation with two texts (or a text in two graphs) counts once
    for text, subjects in texts.items():
        for slug in mentioned(text, table):
            for subject in subjects:
                if (subject, slug) not in done:
                    done.add((subject, slug))
                    yield ox.Triple(subject, predicate, right_node[slug])


def derive(store: OxigraphStore) -> GraphRecord:
    """Materialise the ontology's defined classes and the queries' helper statements (queries/derived/*.rq,
    one CONSTRUCT each, and the keyword matches below) into graph/derived, replacing what
    was there, so queries can use them without a reasoner or a per-query join."""
    t0 = time.perf_counter()
    graph = str(GRAPH["derived"])
    node = named_node(graph)
    store.drop_graph(graph)
    for path in sorted(DERIVED_QUERIES.glob("*.rq")):
        triples = list(store.native_query(path.read_text(encoding="utf-8"), use_default_graph_as_union=True))
        store.add_quads(ox.Quad(t.subject, t.predicate, t.object, node) for t in triples)
    mentions = list(mention_triples(store))
    store.add_quads(ox.Quad(t.subject, t.predicate, t.object, node) for t in mentions)
    return GraphRecord(
        graph,
        "Members of the ontology's defined classes and helper statements (machine-made)",
        file_records(DERIVED_QUERIES, PROJECT_ROOT, ("*.rq", "*.tsv")),
        importer="builtin",
        triples=store.count(graph),
        seconds=time.perf_counter() - t0,
    )
