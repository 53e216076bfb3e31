"""The query workers' view of an external SPARQL store (`HRES_BACKEND=sparql`): what `run_query` needs
of a store (`query`, `contains_named_graph`), answered by the external server over HTTP.

The worker keeps doing everything else (row cap, serialization, the time limit: the pool kills the
worker, and with it the HTTP request), so answers look the same whichever store is behind them. The
linked-data pages and dumps keep coming from the local build that `hres build` published.

The external store's failures become statuses the client can act on:
- it cannot be reached (refused, reset, no such host): 503, try again later;
- it answers an HTTP error, or something that is not a SPARQL result: 502;
- it rejects the query (HTTP 400): 400 with its message.
Queries go as form-encoded POST (Virtuoso never answers a direct `application/sparql-query` POST).
Named-query parameters are not sent (Oxigraph's substitution has no SPARQL equivalent that keeps the
query's meaning); such a request is refused with 422. Credentials (HRES_SPARQL_USER) are not sent either.
"""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.parse
import urllib.request

import pyoxigraph as ox

from hres_graph.prefixes import sparql_prologue

ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"


class ExternalStoreError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


class RemoteStore:
    def __init__(self, url: str):
        self.url = url

    def _post(self, fields: list[tuple[str, str]]) -> tuple[str, bytes]:
        request = urllib.request.Request(
            self.url,
            data=urllib.parse.urlencode(fields).encode(),
            method="POST",
            headers={"Accept": ACCEPT, "Content-Type": "application/x-www-form-urlencoded"},
        )
        try:
            with urllib.request.urlopen(request) as response:  # the pool's time limit bounds the wait
                return response.headers.get_content_type(), response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read(2000).decode("utf-8", "replace").strip()
            if exc.code == 400:
                raise ExternalStoreError(400, f"the external SPARQL store rejected the query: {detail}") from None
            raise ExternalStoreError(
                502, f"the external SPARQL store at {self.url} answered HTTP {exc.code}: {detail[:300]}"
            ) from None
        except (urllib.error.URLError, ConnectionError, socket.timeout, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ExternalStoreError(
                503, f"the external SPARQL store at {self.url} cannot be reached ({reason}); try again shortly"
            ) from None

    def query(
        self,
        text: str,
        *,
        prefixes=None,
        base_iri=None,
        use_default_graph_as_union=False,
        default_graph=None,
        named_graphs=None,
        substitutions=None,
    ):
        if substitutions:
            raise ExternalStoreError(
                422, "named queries with parameters run on the embedded store only (HRES_BACKEND=oxigraph)"
            )
        prologue = (f"BASE <{base_iri}>\n" if base_iri else "") + sparql_prologue()
        fields = [("query", prologue + text)]
        fields += [("default-graph-uri", g.value) for g in default_graph or ()]
        fields += [("named-graph-uri", g.value) for g in named_graphs or ()]
        content_type, body = self._post(fields)
        try:
            if content_type in ("application/sparql-results+json", "application/json"):
                return ox.parse_query_results(_virtuoso_ask(body), format=ox.QueryResultsFormat.JSON)
            rdf = ox.RdfFormat.N_TRIPLES if content_type == "application/n-triples" else ox.RdfFormat.TURTLE
            return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, rdf)]
        except (SyntaxError, ValueError, KeyError, TypeError) as exc:
            raise ExternalStoreError(
                502,
                f"the external SPARQL store at {self.url} answered something that is "
                f"not a SPARQL result ({content_type}): {exc}",
            ) from None

    def contains_named_graph(self, graph: ox.NamedNode) -> bool:
        return bool(self.query(f"ASK {{ GRAPH <{graph.value}> {{ ?s ?p ?o }} }}"))

    def dataset_version(self) -> str:
        try:
            answer = self.query(
                "SELECT ?v WHERE { GRAPH <https://w3id.org/hres/graph/meta> { "
                "<https://w3id.org/hres/dataset> <http://purl.org/dc/terms/hasVersion> ?v } }"
            )
            return next((row[0].value for row in answer), "unknown")
        except ExternalStoreError:
            return "unknown"  # away at start-up: the workers still start, and queries say 503


def _virtuoso_ask(body: bytes) -> bytes:
    """Virtuoso answers an ASK as a one-row SELECT of ?__ASK_RETVAL; make it the boolean it is."""
    if b"__ASK_RETVAL" not in body[:200]:
        return body
    bindings = json.loads(body)["results"]["bindings"]
    value = bool(bindings) and bindings[0]["__ASK_RETVAL"]["value"] in ("1", "true")
    return json.dumps({"head": {}, "boolean": value}).encode()
