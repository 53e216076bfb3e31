"""The SPARQL service description (bare GET /sparql) and the VoID description (/void), as triples."""

from __future__ import annotations

import pyoxigraph as ox

from hres_graph.namespaces import BASE, PREFIXES

from .worker import META

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
FORMATS = "http://www.w3.org/ns/formats/"
DCT = "http://purl.org/dc/terms/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
    "N-Quads",
    "TriG",
)
DATASET = ox.NamedNode(BASE + "dataset")


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=_n("http://www.w3.org/2001/XMLSchema#integer"))


def service_description(
    endpoint: str, graph_triples: dict[str, int], *, federated: bool, update_endpoint: str | None
) -> list[ox.Triple]:
    service = _n(endpoint)
    t = [
        ox.Triple(service, RDF_TYPE, _n(SD + "Service")),
        ox.Triple(service, _n(SD + "endpoint"), service),
        ox.Triple(service, _n(SD + "supportedLanguage"), _n(SD + "SPARQL11Query")),
        ox.Triple(service, _n(SD + "feature"), _n(SD + "UnionDefaultGraph")),
        ox.Triple(service, _n(DCT + "title"), ox.Literal("HRES Graph SPARQL endpoint", language="en")),
        ox.Triple(
            service,
            _n(DCT + "description"),
            ox.Literal(
                "Read-only. The default graph is the union of the named graphs. Queries are stopped after "
                "the configured time limit; answers are capped at the configured number of rows.",
                language="en",
            ),
        ),
    ]
    if federated:
        t.append(ox.Triple(service, _n(SD + "feature"), _n(SD + "BasicFederatedQuery")))
    if update_endpoint:
        t.append(ox.Triple(service, _n(SD + "supportedLanguage"), _n(SD + "SPARQL11Update")))
    t += [ox.Triple(service, _n(SD + "resultFormat"), _n(FORMATS + f)) for f in RESULT_FORMATS]
    dataset, default = ox.BlankNode(), ox.BlankNode()
    t += [
        ox.Triple(service, _n(SD + "defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, _n(SD + "Dataset")),
        ox.Triple(dataset, _n(SD + "defaultGraph"), default),
        ox.Triple(default, RDF_TYPE, _n(SD + "Graph")),
        ox.Triple(default, _n(VOID + "triples"), _int(sum(graph_triples.values()))),
    ]
    for iri, count in graph_triples.items():
        named, graph = ox.BlankNode(), ox.BlankNode()
        t += [
            ox.Triple(dataset, _n(SD + "namedGraph"), named),
            ox.Triple(named, RDF_TYPE, _n(SD + "NamedGraph")),
            ox.Triple(named, _n(SD + "name"), _n(iri)),
            ox.Triple(named, _n(SD + "graph"), graph),
            ox.Triple(graph, RDF_TYPE, _n(SD + "Graph")),
            ox.Triple(graph, _n(VOID + "triples"), _int(count)),
        ]
    return t


def void_description(store: ox.Store, root: str, graph_triples: dict[str, int]) -> list[ox.Triple]:
    """The build's provenance graph (graph/meta) plus where to query and download the data."""
    t = [ox.Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, META)]
    t += [
        ox.Triple(DATASET, RDF_TYPE, _n(VOID + "Dataset")),
        ox.Triple(DATASET, _n(VOID + "sparqlEndpoint"), _n(root + "sparql")),
        ox.Triple(DATASET, _n(VOID + "uriSpace"), ox.Literal(BASE + "id/")),
        ox.Triple(DATASET, _n(VOID + "vocabulary"), _n(PREFIXES["hres"].rstrip("#"))),
        ox.Triple(DATASET, _n(VOID + "dataDump"), _n(root + "dumps/all.nq")),
    ]
    for iri, count in graph_triples.items():
        graph = _n(iri)
        t += [
            ox.Triple(DATASET, _n(VOID + "subset"), graph),
            ox.Triple(graph, RDF_TYPE, _n(VOID + "Dataset")),
            ox.Triple(graph, _n(VOID + "triples"), _int(count)),
        ]
        if iri.startswith(BASE + "graph/"):
            t.append(ox.Triple(graph, _n(VOID + "dataDump"), _n(f"{root}dumps/{iri[len(BASE + 'graph/') :]}.nt")))
    return list(dict.fromkeys(t))  # the meta graph already states some of these
