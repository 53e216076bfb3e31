"""Quality checks as SPARQL violation queries (queries/qc/*.rq): zero rows means the check passes.

Each query selects ?entity ?property ?value and declares `#+ severity: ERROR|WARN|INFO`. A check's
`#+ scope:` says what it reads: `hand-edited` (the default) runs over the hand-edited RDF (ontology,
vocabularies, reference data) in an in-memory Oxigraph store; `data` runs over a built store (every named
graph, graph/meta's build time included), where it finds what the sources get wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..config import PROJECT_ROOT
from ..errors import SourceFormatError
from ..queries import QueryFile, query_files

SEVERITIES = ("ERROR", "WARN", "INFO")
SCOPES = ("hand-edited", "data")


@dataclass(frozen=True)
class Violation:
    check: str
    severity: str
    entity: str
    property: str
    value: str

    def __str__(self) -> str:
        return f"{self.severity:5}  {self.check}  {self.entity}  {self.property}  {self.value}"


def hand_edited_files() -> list[Path]:
    ontology = PROJECT_ROOT / "ontology"
    return [
        ontology / "hres.ttl",
        *sorted((ontology / "vocab").glob("*.ttl")),
        *sorted((ontology / "reference").glob("*.ttl")),
    ]


def load_hand_edited() -> ox.Store:
    store = ox.Store()
    for path in hand_edited_files():
        try:
            store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
        except SyntaxError as exc:
            raise SourceFormatError(path, exc.msg, line=exc.lineno, column=exc.offset) from None
    return store


def qc_checks(scope: str | None = None) -> list[QueryFile]:
    """Every check, or those of one scope."""
    checks = query_files("qc")
    return checks if scope is None else [c for c in checks if check_scope(c) == scope]


def check_scope(check: QueryFile) -> str:
    return check.header.get("scope", "hand-edited")


def run_check(check: QueryFile, store) -> list[Violation]:
    """The check's rows on an in-memory pyoxigraph store or a project store (store.oxigraph / store.sparql),
    the default graph being the union of the named graphs."""
    severity = check.header.get("severity", "ERROR")
    if isinstance(store, ox.Store):
        answer = store.query(check.text, use_default_graph_as_union=True)
        rows = [(r["entity"], r["property"], r["value"]) for r in answer]
    else:
        result = store.query(check.text)
        rows = [tuple(row[result.variables.index(v)] for v in ("entity", "property", "value")) for row in result.rows]
    return [Violation(check.name, severity, *(_value(t) for t in row)) for row in rows]


def _value(term) -> str:
    if term is None:
        return ""
    return term.value if isinstance(term, (ox.NamedNode, ox.BlankNode, ox.Literal)) else str(term)
