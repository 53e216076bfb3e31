"""What a person reads after a build, an import or `hres stats`."""
from __future__ import annotations

import json

import click

from .config import Settings
from .namespaces import PREFIXES
from .store import open_store


def print_build_summary(result) -> None:
    click.echo(f"Built {result.store.name} (dataset version {result.version}) in {result.seconds:.1f} s")
    for s in result.sources:
        click.echo(f"  {s.id:24} {s.triples:>10,} triples  {s.seconds:6.1f} s")
        for note in s.notes:
            click.echo(f"      note: {note}")
    unresolved = [(s.id, name, places) for s in result.sources for name, places in s.unresolved.items()]
    click.echo(f"Unresolved names: {len(unresolved)}" + ("" if unresolved else " (none)"))
    for source_id, name, places in unresolved:
        click.echo(f"  {source_id:24} {name!r}  e.g. {', '.join(places[:3])}")


def _short(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def print_stats(settings: Settings, *, as_json: bool = False) -> None:
    store = open_store(settings)
    graphs = store.triple_counts()
    classes = store.query("SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } "
                          "GROUP BY ?class ORDER BY DESC(?n) ?class")
    if as_json:
        click.echo(json.dumps({"graphs": graphs, "classes": {str(c): int(n) for c, n in classes.rows}}, indent=2))
        return
    click.echo(f"{'named graph':56} {'triples':>10}")
    for graph, n in sorted(graphs.items()):
        click.echo(f"{_short(graph):56} {n:>10,}")
    click.echo(f"{'total':56} {sum(graphs.values()):>10,}\n")
    click.echo(f"{'class':56} {'instances':>10}")
    for cls, n in classes.rows:
        click.echo(f"{_short(str(cls)):56} {int(n):>10,}")
