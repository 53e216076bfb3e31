"""`hres import SOURCE PATH`: one source's graph replaced atomically, idempotently, or not at all."""

from __future__ import annotations

import pytest

from hres_graph import importers
from hres_graph.build.pipeline import build
from hres_graph.build.replace import import_source
from hres_graph.config import Settings
from hres_graph.errors import SourceFormatError
from hres_graph.namespaces import GRAPH
from hres_graph.store.oxigraph import open_store

from .test_build import FIXTURE_CSV, TOY

TOY_GRAPH = str(GRAPH["toy"])


@pytest.fixture()
def settings(tmp_path, monkeypatch) -> Settings:
    monkeypatch.setattr(importers, "_registry", {**importers.IMPORTERS, "toy": TOY})
    settings = Settings(var_dir=tmp_path / "var", source_paths={"toy": FIXTURE_CSV})
    build(settings, sources=[TOY], log=lambda m: None)
    return settings


def _names(settings) -> list[str]:
    rows = open_store(settings).query(f"SELECT ?n WHERE {{ GRAPH <{TOY_GRAPH}> {{ ?s rdfs:label ?n }} }} ORDER BY ?n")
    return [str(r[0]) for r in rows.rows]


def test_import_replaces_only_that_graph(settings):
    before = open_store(settings).triple_counts()
    result = import_source(settings, "toy", FIXTURE_CSV.with_name("actors-v2.csv"))
    assert _names(settings) == ["Alpha", "Delta"]
    after = open_store(settings).triple_counts()
    assert {g: n for g, n in after.items() if g not in (TOY_GRAPH, str(GRAPH["meta"]))} == {
        g: n for g, n in before.items() if g not in (TOY_GRAPH, str(GRAPH["meta"]))
    }
    files = (
        open_store(settings)
        .query("SELECT ?id WHERE { GRAPH graph:meta { graph:toy prov:wasDerivedFrom ?f . ?f dcterms:identifier ?id } }")
        .rows
    )
    assert [str(f[0]) for f in files] == ["actors-v2.csv"]  # provenance follows the new file
    assert result.store == settings.current_store.resolve()


def test_import_is_idempotent(settings):
    first = import_source(settings, "toy", FIXTURE_CSV.with_name("actors-v2.csv"))
    counts = open_store(settings).triple_counts()
    second = import_source(settings, "toy", FIXTURE_CSV.with_name("actors-v2.csv"))
    assert open_store(settings).triple_counts() == counts
    assert second.version == first.version


def test_failed_import_changes_nothing(settings, tmp_path):
    current = settings.current_store.resolve()
    bad = tmp_path / "bad.csv"
    bad.write_text("key,name\nx,Xi\ny,BROKEN\n", encoding="utf-8")
    with pytest.raises(SourceFormatError, match=r"bad.csv:3 \(column name\)"):
        import_source(settings, "toy", bad)
    assert settings.current_store.resolve() == current
    assert _names(settings) == ["Alpha", "Beta, Gamma"]
    assert not list(current.parent.glob("*.partial"))
