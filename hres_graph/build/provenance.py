"""PROV/VoID description of each named graph: where it came from, with checksums, and when.

Everything except the build times is a function of the inputs, so the dataset version (a hash of
the software version and every input checksum) is the same for the same inputs.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from ..namespaces import BASE, GRAPH, SPDX, VOID

DATASET = URIRef(BASE + "dataset")
META_GRAPH = str(GRAPH["meta"])
# A Source's licence that is an SPDX id known here is also stated as the licence's IRI (dcterms:license has
# both the source's words and the IRI); other licences are stated in words only.
LICENSE_IRIS = {
    "PolyForm-Noncommercial-1.0.0": "https://polyformproject.org/licenses/noncommercial/1.0.0/",
}


@dataclass
class GraphRecord:
    """What the build knows about one named graph once it has loaded."""

    graph: str
    title: str
    files: list[tuple[str, str, int]]  # (path relative to its root, sha256, bytes)
    importer: str
    license: str = ""
    upstream: str = ""
    triples: int = 0
    seconds: float = 0.0
    finished: datetime = field(default_factory=lambda: datetime.now(timezone.utc))

    def to_dict(self) -> dict:
        return {**self.__dict__, "finished": self.finished.isoformat()}

    @classmethod
    def from_dict(cls, data: dict) -> "GraphRecord":
        data = dict(data, files=[tuple(f) for f in data["files"]], finished=datetime.fromisoformat(data["finished"]))
        return cls(**data)

    @property
    def checksum(self) -> str:
        digest = hashlib.sha256()
        for name, sha, _ in self.files:
            digest.update(f"{name}\0{sha}\n".encode())
        return digest.hexdigest()


def file_records(
    path: Path, root: Path | None = None, patterns: tuple[str, ...] = ("*",)
) -> list[tuple[str, str, int]]:
    """(relative name, sha256, size) of a file, or of every file under a folder, in a stable order."""
    files = [path] if path.is_file() else sorted(p for pat in patterns for p in path.rglob(pat) if p.is_file())
    out = []
    for f in files:
        digest = hashlib.sha256()
        with open(f, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        try:
            name = str(f.relative_to(root)) if root else f.name
        except ValueError:
            name = f.name
        out.append((name, digest.hexdigest(), f.stat().st_size))
    return out


def dataset_version(software_version: str, records: list[GraphRecord]) -> str:
    digest = hashlib.sha256(software_version.encode())
    for record in sorted(records, key=lambda r: r.graph):
        digest.update(f"{record.graph}\0{record.importer}\0{record.checksum}\n".encode())
    return f"{software_version}+{digest.hexdigest()[:12]}"


def describe(records: list[GraphRecord], version: str, started: datetime, ended: datetime) -> list[tuple]:
    """Triples for the meta graph."""
    build = URIRef(f"{BASE}id/build/{version}")
    triples: list[tuple] = [
        (DATASET, RDF.type, VOID.Dataset),
        (DATASET, RDF.type, PROV.Entity),
        (DATASET, RDFS.label, Literal("HRES Graph", lang="en")),
        (DATASET, DCTERMS.title, Literal("HRES Graph: human rights and election standards", lang="en")),
        (DATASET, DCTERMS.hasVersion, Literal(version)),
        (DATASET, PROV.wasGeneratedBy, build),
        (DATASET, VOID.triples, Literal(sum(r.triples for r in records), datatype=XSD.integer)),
        (build, RDF.type, PROV.Activity),
        (build, RDFS.label, Literal(f"Build {version}", lang="en")),
        (build, PROV.startedAtTime, Literal(started.isoformat(timespec="seconds"), datatype=XSD.dateTime)),
        (build, PROV.endedAtTime, Literal(ended.isoformat(timespec="seconds"), datatype=XSD.dateTime)),
    ]
    for record in records:
        triples += describe_graph(record, build)
        triples.append((DATASET, VOID.subset, URIRef(record.graph)))
    return triples


def describe_graph(record: GraphRecord, build: URIRef) -> list[tuple]:
    g = URIRef(record.graph)
    triples = [
        (g, RDF.type, VOID.Dataset),
        (g, RDF.type, PROV.Entity),
        (g, RDFS.label, Literal(record.title, lang="en")),
        (g, VOID.triples, Literal(record.triples, datatype=XSD.integer)),
        (g, PROV.wasGeneratedBy, build),
        (g, PROV.generatedAtTime, Literal(record.finished.isoformat(timespec="seconds"), datatype=XSD.dateTime)),
        (g, DCTERMS.creator, Literal(record.importer)),
        (g, SPDX.checksum, Literal(record.checksum)),
    ]
    if record.license:
        triples.append((g, DCTERMS.license, Literal(record.license)))
        if record.license in LICENSE_IRIS:
            triples.append((g, DCTERMS.license, URIRef(LICENSE_IRIS[record.license])))
    if record.upstream:
        triples.append((g, DCTERMS.source, Literal(record.upstream)))
    for name, sha, size in record.files:
        f = URIRef(f"{record.graph}/file/{name}".replace(" ", "%20"))
        triples += [
            (g, PROV.wasDerivedFrom, f),
            (f, RDF.type, PROV.Entity),
            (f, DCTERMS.identifier, Literal(name)),
            (f, SPDX.checksum, Literal(sha)),
            (f, DCTERMS.extent, Literal(size, datatype=XSD.integer)),
        ]
    return triples
