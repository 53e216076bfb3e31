"""An external SPARQL 1.1 server (Virtuoso, Fuseki, GraphDB, QLever…) behind the store interface.

For users who outgrow one machine. Queries go as form-encoded POST (Virtuoso never answers a
direct `application/sparql-query` POST, upstream issue 842). A build loads each source into a
staging graph and MOVEs it into place only when every source has loaded, so a failed build
leaves the previous graphs as they were.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef
from SPARQLWrapper import JSON, N3, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

from ..config import Settings
from ..errors import QueryError, StoreError
from ..namespaces import GRAPH, sparql_prologue
from .results import QueryResult

_INSERT_BATCH = 5_000  # triples per INSERT DATA request


class SparqlStore:
    backend = "sparql"

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        *,
        user: str | None = None,
        password: str | None = None,
        timeout: int = 300,
    ):
        self.query_url = query_url
        self.update_url = update_url or query_url
        self._auth = (user, password) if user else None
        self.timeout = timeout

    @classmethod
    def from_settings(cls, settings: Settings) -> "SparqlStore":
        return cls(
            settings.sparql_query_url,
            settings.sparql_update_url,
            user=settings.sparql_user,
            password=settings.sparql_password,
        )

    def _client(self, url: str) -> SPARQLWrapper:
        client = SPARQLWrapper(url)
        client.setMethod(POST)
        client.setTimeout(self.timeout)
        if self._auth:
            client.setHTTPAuth("DIGEST")
            client.setCredentials(*self._auth)
        return client

    # --- reading ---------------------------------------------------------------------------
    def query(
        self,
        sparql: str,
        *,
        default_graph_uris: list[str] | None = None,
        named_graph_uris: list[str] | None = None,
        substitutions: dict | None = None,
    ) -> QueryResult:
        if substitutions:
            raise QueryError("parameter substitution is done by the caller for external stores")
        client = self._client(self.query_url)
        client.setQuery(sparql_prologue() + sparql)
        for g in default_graph_uris or ():
            client.addDefaultGraph(g)
        for g in named_graph_uris or ():
            client.addNamedGraph(g)
        kind = client.queryType
        try:
            if kind in ("CONSTRUCT", "DESCRIBE"):
                client.setReturnFormat(N3)
                data = client.query().convert()
                graph = data if isinstance(data, Graph) else Graph().parse(data=data, format="turtle")
                return QueryResult("graph", graph=graph)
            client.setReturnFormat(JSON)
            return _from_json(client.query().convert())
        except QueryBadFormed as exc:
            raise QueryError(f"the SPARQL server rejected the query: {exc}") from exc
        except (SPARQLWrapperException, OSError) as exc:
            raise StoreError(
                f"the SPARQL server at {self.query_url} failed: {exc}",
                hint="is the server running, and is HRES_SPARQL_QUERY_URL right?",
            ) from exc

    def graphs(self) -> list[str]:
        return sorted(self.triple_counts())

    def triple_counts(self) -> dict[str, int]:
        result = self.query(
            f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
            f'FILTER(STRSTARTS(STR(?g), "{GRAPH}")) }} GROUP BY ?g'
        )
        return {str(g): int(n) for g, n in result.rows}

    # --- writing ---------------------------------------------------------------------------
    def update(self, sparql: str) -> None:
        client = self._client(self.update_url)
        client.setQuery(sparql)
        try:
            client.query()
        except (SPARQLWrapperException, OSError) as exc:
            raise StoreError(
                f"update refused by {self.update_url}: {exc}",
                hint="the external store needs SPARQL Update rights for builds",
            ) from exc

    def add_ntriples(self, graph: str, lines: Iterable[str]) -> int:
        """Insert N-Triples lines into a graph in batches; blank nodes must already be skolemised,
        since a label only means the same node within one request."""
        n = 0
        batch: list[str] = []
        for line in lines:
            batch.append(line)
            if len(batch) >= _INSERT_BATCH:
                n += self._insert(graph, batch)
                batch = []
        if batch:
            n += self._insert(graph, batch)
        return n

    def _insert(self, graph: str, batch: list[str]) -> int:
        self.update(f"INSERT DATA {{ GRAPH <{graph}> {{\n" + "\n".join(batch) + "\n} }")
        return len(batch)

    def drop_graph(self, graph: str) -> None:
        self.update(f"DROP SILENT GRAPH <{graph}>")

    def move_graph(self, source: str, target: str) -> None:
        self.update(f"MOVE SILENT GRAPH <{source}> TO GRAPH <{target}>")


def _from_json(doc: dict) -> QueryResult:
    if "boolean" in doc:
        return QueryResult("ask", boolean=bool(doc["boolean"]))
    variables = doc["head"]["vars"]
    if variables == ["__ASK_RETVAL"]:  # Virtuoso answers ASK as a one-column SELECT
        bindings = doc["results"]["bindings"]
        return QueryResult("ask", boolean=bool(bindings) and bindings[0]["__ASK_RETVAL"]["value"] in ("1", "true"))
    rows = [tuple(_term(b.get(v)) for v in variables) for b in doc["results"]["bindings"]]
    return QueryResult("select", variables=variables, rows=rows)


def _term(binding: dict | None):
    if binding is None:
        return None
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        from rdflib import BNode

        return BNode(value)
    if binding.get("xml:lang"):
        return Literal(value, lang=binding["xml:lang"])
    datatype = binding.get("datatype")
    return Literal(value, datatype=URIRef(datatype) if datatype else None)


__all__ = ["SparqlStore"]
