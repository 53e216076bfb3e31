"""Cross-mechanism links, computed at build time into graph/links (machine-made; nothing else goes there).

Design notes: hres_graph/build/README.md, "links.py".
"""

from __future__ import annotations

import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from ..importers.base import stable_key
from ..namespaces import GRAPH, HRES, ID
from ..terms import named_node, to_ox
from .provenance import GraphRecord, file_records
from .similarity import METHOD, METHOD_DESCRIPTION, name_stems, set_cosine, tokens

LINKS_GRAPH = str(GRAPH["links"])
METHOD_IRI = ID[f"method/{METHOD}"]
REPEAT_THRESHOLD = 0.50
ECHO_THRESHOLD = 0.30
PREFERRED_GRAPH = str(GRAPH["upr-info"])  # the record of a recommendation that carries its response
UPR = str(ID["mechanism/upr"])
_SOURCES = (Path(__file__), Path(__file__).with_name("similarity.py"))
_PREFIXES = (
    "PREFIX hres: <https://w3id.org/hres/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
)


@dataclass(slots=True)  # one per recommendation: no per-instance dict
class Item:
    """One text to compare: a UPR recommendation or an observer / treaty-body item."""

    iri: str
    state: str
    text: str
    year: int | None = None
    cycle: int | None = None
    actors: set[str] = field(default_factory=set)
    graph: str = ""


@dataclass(frozen=True)
class Link:
    kind: str  # "repeats" or "echoes"
    source: str  # the later UPR recommendation
    target: str  # the earlier recommendation, or the finding
    score: float
    threshold: float


# --- reading the store ---------------------------------------------------------------------------


def _select(store, sparql: str) -> Iterator[list]:
    for row in store.native_query(_PREFIXES + sparql, use_default_graph_as_union=True):
        yield [None if term is None else term.value for term in row]


def upr_items(store) -> list[Item]:
    """Every UPR recommendation with a cycle and a text, one record per recommendation (module doc)."""
    cycles = {c: int(n) for c, n in _select(store, "SELECT ?c ?n WHERE { ?c a hres:Cycle ; hres:cycleNumber ?n }")}
    upr = {r for _, r, issuer in _scan(store, "issuedBy") if issuer == UPR}
    # each State and graph IRI interned: held once, not once per recommendation (the store gives new strings)
    items = {
        r: Item(r, "", "", cycle=cycles.get(c), graph=sys.intern(g))
        for g, r, c in _scan(store, "inCycleOf")
        if r in upr
    }
    for _, r, state in _scan(store, "addressedTo"):
        if r in items:
            items[r].state = sys.intern(state)
    for g, r, text in _scan(store, "text"):
        # a recommendation both UPR Info exports state (upr_info_2018) is compared in graph/upr-info's wording
        if r in items and (not items[r].text or g == PREFERRED_GRAPH):
            items[r].text = text
    for _, r, year in _scan(store, "year"):
        if r in items:
            items[r].year = _year(year)
    for _, r, actor in _scan(store, "recommendingActor"):
        if r in items:
            items[r].actors.add(sys.intern(actor))
    return [items[r] for r in sorted(items) if items[r].state and items[r].text and items[r].cycle]


def _scan(store, local_name: str) -> Iterator[list]:
    """(graph, subject, object) of one property, without other sources' copies of a UPR Info record.

    One scan per property, joined in Python: measured 2-3 times faster than the star pattern in SPARQL,
    whose joins cost an index seek per row on the on-disk store; the MINUS (a hash anti-join) leaves out
    the 38,000 working-group copies before they are read."""
    return _select(
        store,
        f"SELECT ?g ?s ?o WHERE {{ GRAPH ?g {{ ?s hres:{local_name} ?o }} "
        f"MINUS {{ GRAPH ?g {{ ?s hres:sameRecommendationAs ?twin }} "
        f"FILTER(?g != <{PREFERRED_GRAPH}>) }} }}",
    )


def observer_items(store) -> list[Item]:
    """Findings and recommendations with text from observer organisations and treaty bodies."""
    items: dict[tuple[str, str], Item] = {}
    for f, state, text, date in _select(
        store,
        """
        SELECT ?f ?state ?text (COALESCE(?electionDate, ?electionYear, ?issued, ?ownYear) AS ?date) WHERE {
          { ?by a hres:ObserverOrganisation } UNION { ?by a hres:TreatyBody }
          ?f hres:issuedBy ?by ; hres:text ?text .
          { ?f hres:concernsState ?state } UNION { ?f hres:addressedTo ?state }
          OPTIONAL { ?f hres:madeByMission/hres:observes ?e .
                     OPTIONAL { ?e hres:electionDate ?electionDate } OPTIONAL { ?e hres:year ?electionYear } }
          OPTIONAL { ?f hres:issuedDate ?issued } OPTIONAL { ?f hres:year ?ownYear } }""",
    ):
        items.setdefault((f, state), Item(f, state, text, _year(date)))
    return sorted(items.values(), key=lambda i: (i.iri, i.state))


def state_names(store) -> dict[str, frozenset[str]]:
    names: dict[str, list[str]] = defaultdict(list)
    for s, label in _select(
        store, "SELECT ?s ?l WHERE { ?s a hres:State . { ?s rdfs:label ?l } UNION { ?s skos:altLabel ?l } }"
    ):
        names[s].append(label)
    return {s: name_stems(*labels) for s, labels in names.items()}


def _year(value: str | None) -> int | None:
    return int(value[:4]) if value and value[:4].isdigit() else None


# --- comparing -------------------------------------------------------------------------------------


class TokenSets:
    """The stem set of every item, its State's name left out (a State's name says nothing of content).

    Each stem is held once, as a number: sets of shared small objects instead of a new string per stem and
    item (a third of the links phase's memory at 300,000 recommendations); the scores are the same."""

    def __init__(self, items: Iterable[Item], names: dict[str, frozenset[str]]):
        numbers: dict[str, int] = {}
        self._sets = {}
        for i in items:
            stems = tokens(i.text, names.get(i.state, frozenset()))
            self._sets[i.iri, i.state] = frozenset([numbers.setdefault(t, len(numbers)) for t in stems])

    def score(self, a: Item, b: Item) -> float:
        return round(set_cosine(self._sets[a.iri, a.state], self._sets[b.iri, b.state]), 4)


def repeat_links(upr: list[Item], stems: TokenSets, threshold: float = REPEAT_THRESHOLD) -> Iterator[Link]:
    blocks: dict[tuple[str, str], list[Item]] = defaultdict(list)
    for item in upr:
        if item.cycle is not None:
            for actor in item.actors:
                blocks[item.state, actor].append(item)
    for (_, actor), block in blocks.items():
        for later in block:
            for earlier in block:
                # a pair sharing several recommending States is compared once, in the block of the first
                if earlier.cycle < later.cycle and (
                    len(later.actors) == 1 or len(earlier.actors) == 1 or min(later.actors & earlier.actors) == actor
                ):
                    score = stems.score(later, earlier)
                    if score >= threshold:
                        yield Link("repeats", later.iri, earlier.iri, score, threshold)


def echo_links(
    upr: list[Item], observed: list[Item], stems: TokenSets, threshold: float = ECHO_THRESHOLD
) -> Iterator[Link]:
    by_state: dict[str, list[Item]] = defaultdict(list)
    for item in upr:
        by_state[item.state].append(item)
    for finding in observed:
        if finding.year is None:
            continue
        for rec in by_state.get(finding.state, ()):
            if rec.year is not None and rec.year >= finding.year:
                score = stems.score(rec, finding)
                if score >= threshold:
                    yield Link("echoes", rec.iri, finding.iri, score, threshold)


def find_links(store) -> list[Link]:
    return compare(upr_items(store), observer_items(store), state_names(store))


def compare(upr: list[Item], observed: list[Item], names: dict[str, frozenset[str]]) -> list[Link]:
    """The links among the items read from a store (the build runs this in a child process, lanes.ChildTask)."""
    stems = TokenSets(upr + observed, names)
    for item in upr:
        item.text = ""  # compared by their stems from here on: the texts need not stay in memory
    links = list(repeat_links(upr, stems)) + list(echo_links(upr, observed, stems))
    return sorted(set(links), key=lambda link: (link.kind, link.source, link.target))


# --- writing ----------------------------------------------------------------------------------------

_QUALIFIED = {"repeats": (HRES.repeats, HRES.qualifiedRepeat), "echoes": (HRES.echoes, HRES.qualifiedEcho)}


def link_triples(links: Iterable[Link]) -> Iterator[tuple]:
    yield METHOD_IRI, RDF.type, PROV.Plan
    yield METHOD_IRI, RDFS.label, Literal(f"Text similarity method {METHOD}", lang="en")
    yield METHOD_IRI, RDFS.comment, Literal(METHOD_DESCRIPTION, lang="en")
    for link in links:
        plain, qualified = _QUALIFIED[link.kind]
        source, target = URIRef(link.source), URIRef(link.target)
        node = ID[f"link/{link.kind}/{stable_key(link.source, link.target, length=16)}"]
        yield source, plain, target
        yield source, qualified, node
        yield node, RDF.type, HRES.SimilarityLink
        yield node, HRES.linkedItem, target
        yield node, HRES.similarityScore, Literal(f"{link.score:.4f}", datatype=XSD.decimal)
        yield node, HRES.similarityMethod, METHOD_IRI
        yield node, HRES.similarityThreshold, Literal(f"{link.threshold:.2f}", datatype=XSD.decimal)


def link(store) -> tuple[GraphRecord, Counter]:
    """(Re)compute graph/links from the other graphs of `store`; the record marks it machine-made."""
    started = time.perf_counter()
    return write_links(store, find_links(store), started)


def write_links(store, links: list[Link], started: float) -> tuple[GraphRecord, Counter]:
    """Replace graph/links with `links`; the record marks it machine-made (seconds since `started`)."""
    store.drop_graph(LINKS_GRAPH)
    node = named_node(LINKS_GRAPH)
    store.add_quads(ox.Quad(to_ox(s), to_ox(p), to_ox(o), node) for s, p, o in link_triples(links))
    record = GraphRecord(
        LINKS_GRAPH,
        f"Repeats and echoes found by text similarity, {METHOD} (machine-made)",
        [f for path in _SOURCES for f in file_records(path, path.parent.parent)],
        importer=f"hres_graph.build.links/{METHOD}",
        triples=store.count(LINKS_GRAPH),
        seconds=time.perf_counter() - started,
    )
    return record, Counter(link.kind for link in links)
