"""Quality checks as SPARQL violation queries (queries/qc/*.rq): zero rows means the check passes.

Each query selects ?entity ?property ?value and declares `#+ severity: ERROR|WARN|INFO`. They run
over the hand-edited RDF (ontology, vocabularies, reference data) in an in-memory Oxigraph store.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..config import PROJECT_ROOT
from ..errors import SourceFormatError
from ..queries import QueryFile, query_files

SEVERITIES = ("ERROR", "WARN", "INFO")


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


def qc_checks() -> list[QueryFile]:
    return query_files("qc")


def run_check(check: QueryFile, store: ox.Store) -> list[Violation]:
    severity = check.header.get("severity", "ERROR")
    rows = store.query(check.text, use_default_graph_as_union=True)
    return [
        Violation(check.name, severity, _value(r["entity"]), _value(r["property"]), _value(r["value"])) for r in rows
    ]


def _value(term) -> str:
    return "" if term is None else term.value
