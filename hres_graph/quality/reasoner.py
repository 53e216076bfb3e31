"""Load the HRES ontology and vocabularies, and check them with the HermiT reasoner.

The ontology (ontology/hres.ttl) and the SKOS schemes (ontology/vocab/*.ttl) are hand-edited
sources of truth. They are checked together because data puts vocabulary concepts where the
ontology expects classes (a UN regional group is both an hres:RegionalGroup and a skos:Concept),
so an axiom that contradicts the vocabularies would also contradict real data.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import OWL

from ..config import PROJECT_ROOT
from ..errors import ConfigError, OntologyError

ONTOLOGY_DIR = PROJECT_ROOT / "ontology"
ONTOLOGY_IRI = "https://w3id.org/hres/ontology"
REASONER = "HermiT (owlready2)"


@dataclass
class ConsistencyReport:
    """What HermiT found. `unsatisfiable` is only meaningful when the ontology is consistent."""

    consistent: bool
    unsatisfiable: list[str] = field(default_factory=list)
    reasoner: str = REASONER
    seconds: float = 0.0
    members: list[str] = field(default_factory=list)  # inferred instances of `members_of`, if asked


def ontology_files() -> list[Path]:
    """hres.ttl first, then the vocabularies in name order, so loading is deterministic."""
    return [ONTOLOGY_DIR / "hres.ttl", *sorted((ONTOLOGY_DIR / "vocab").glob("*.ttl"))]


def load_ontology() -> Graph:
    """Parse the ontology and every vocabulary into one rdflib graph."""
    graph = Graph()
    for path in ontology_files():
        try:
            graph.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises several unrelated types for bad Turtle
            raise OntologyError(
                f"{path}: cannot parse Turtle: {exc}",
                hint="fix the syntax error; `riot --validate` or rdflib shows the line",
            ) from exc
    return graph


def _java() -> str:
    """The Java executable owlready2 will call; fail early with a fix rather than a Java stack."""
    import owlready2

    java = shutil.which(owlready2.JAVA_EXE)
    if java is None:
        raise ConfigError(
            f"Java not found (owlready2 looks for {owlready2.JAVA_EXE!r}); HermiT needs a Java runtime",
            hint="install one (e.g. `apt-get install default-jre-headless`, Java 8 or later) "
            "or set owlready2.JAVA_EXE to the java binary",
        )
    return java


def check_consistency(graph: Graph | None = None, *, members_of: str | None = None) -> ConsistencyReport:
    """Run HermiT on `graph` (default: the ontology and vocabularies) and report the outcome.

    The graph is copied without owl:imports and serialised to N-Triples in a private temporary
    directory, then read into a fresh owlready2 World from that file object: owlready2 resolves
    nothing but owl:imports, so no IRI (SKOS, PROV, ORG ...) is ever fetched, and the default world,
    which other code may use, is left untouched.

    HermiT accepts only the OWL 2 datatype map, which lacks xsd:date and xsd:gYear (the ranges of
    our date properties), so unsupported datatypes are ignored rather than rejected.
    """
    import owlready2

    _java()
    source = load_ontology() if graph is None else graph
    clean = Graph()
    for triple in source.triples((None, None, None)):
        if triple[1] != OWL.imports:
            clean.add(triple)

    started = time.perf_counter()
    world = owlready2.World()
    try:
        with tempfile.TemporaryDirectory(prefix="hres-reasoner-") as tmp:
            path = Path(tmp) / "hres.nt"
            clean.serialize(destination=path, format="nt", encoding="utf-8")
            with path.open("rb") as handle:
                world.get_ontology(ONTOLOGY_IRI).load(fileobj=handle, format="ntriples")
        try:
            owlready2.sync_reasoner_hermit(
                world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True
            )
        except owlready2.OwlReadyInconsistentOntologyError:
            return ConsistencyReport(False, [], REASONER, time.perf_counter() - started)
        except owlready2.OwlReadyJavaError as exc:
            raise OntologyError(
                f"HermiT failed: {exc}", hint="the message above is Java's; check the axiom it names"
            ) from exc
        unsatisfiable = sorted(c.iri for c in world.inconsistent_classes() if c.iri != str(OWL.Nothing))
        cls = world[members_of] if members_of else None  # a defined class whose inferred members are wanted
        members = sorted(i.iri for i in cls.instances()) if cls is not None else []
        return ConsistencyReport(True, unsatisfiable, REASONER, time.perf_counter() - started, members)
    finally:
        world.close()
