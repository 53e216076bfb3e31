"""`hres import` refuses what would silently damage a source (issue 14, items 10 and 11):

- a file that would remove more than half of a source's triples (a header-only or truncated export),
  unless `--force`: exit 2, the counts in the message, the store unchanged;
- a control character (C0 but tab, LF and CR; U+FFFE, U+FFFF) in a source file, at its line and
  column; or, from a format that can escape one (JSON, YAML, .xls), in a literal the importer yields.
The same checks stop `hres build`, which then leaves the previous store current.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

from hres_graph import importers
from hres_graph.build.pipeline import build
from hres_graph.build.replace import ImportWouldShrink, check_shrink, import_source
from hres_graph.cli import main
from hres_graph.errors import SourceFormatError
from hres_graph.importers.base import Source
from hres_graph.store.oxigraph import open_store

from .test_build import FIXTURE_CSV, TOY
from .test_import import TOY_GRAPH, settings  # noqa: F401  (the same built toy store as test_import's)


def _state(settings) -> tuple:
    """What must not change when an import is refused: the current store and its toy graph."""
    current = settings.current_store.resolve()
    rows = open_store(settings).query(f"SELECT ?n WHERE {{ GRAPH <{TOY_GRAPH}> {{ ?s rdfs:label ?n }} }} ORDER BY ?n")
    return current, [str(r[0]) for r in rows.rows], sorted(p.name for p in current.parent.iterdir())


def _csv(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


# --- a source emptied or shrunk ---------------------------------------------------------------


def test_a_header_only_file_is_refused_and_nothing_changes(settings, tmp_path):
    before = _state(settings)
    with pytest.raises(ImportWouldShrink) as refused:
        import_source(settings, "toy", _csv(tmp_path, "header-only.csv", "key,name\n"))
    message = str(refused.value)
    assert "graph/toy would go from 4 to 0 triples (\u2212100 %" in message
    assert "nothing was changed" in message and "--force" in message
    assert refused.value.exit_code == 2
    assert _state(settings) == before


def test_force_imports_the_header_only_file(settings, tmp_path):
    import_source(settings, "toy", _csv(tmp_path, "header-only.csv", "key,name\n"), force=True)
    assert open_store(settings).count(TOY_GRAPH) == 0


def test_losing_half_is_allowed(settings, tmp_path):
    import_source(settings, "toy", _csv(tmp_path, "one-row.csv", "key,name\na,Alpha\n"))  # 2 of 4: -50 %
    assert open_store(settings).count(TOY_GRAPH) == 2


@pytest.mark.parametrize(
    "before, after, refused",
    [(4, 1, True), (4, 2, False), (16_486, 0, True), (0, 0, False), (3, 10, False), (1000, 499, True)],
)
def test_the_limit_is_more_than_half(before, after, refused):
    if refused:
        with pytest.raises(ImportWouldShrink, match=rf"graph/x would go from {before:,} to {after:,} triples"):
            check_shrink("graph/x", before, after)
    else:
        check_shrink("graph/x", before, after)


def test_the_command_exits_2_with_the_counts_and_force_imports(settings, tmp_path):
    header_only = _csv(tmp_path, "header-only.csv", "key,name\n")
    before = _state(settings)
    runner = CliRunner()
    refused = runner.invoke(main, ["--var-dir", str(settings.var_dir), "import", "toy", str(header_only)])
    assert refused.exit_code == 2, refused.output
    assert "error: graph/toy would go from 4 to 0 triples" in refused.output
    assert _state(settings) == before
    forced = runner.invoke(main, ["--var-dir", str(settings.var_dir), "import", "--force", "toy", str(header_only)])
    assert forced.exit_code == 0, forced.output
    assert open_store(settings).count(TOY_GRAPH) == 0


# --- control characters -------------------------------------------------------------------------


def test_a_nul_in_a_cell_is_refused_at_its_line_and_column(settings, tmp_path):
    before = _state(settings)
    path = _csv(tmp_path, "nul.csv", "key,name\na,Alpha\nb,Be\x00ta\n")
    with pytest.raises(SourceFormatError, match=r"nul\.csv:3:5: control character U\+0000 \(NUL\)") as refused:
        import_source(settings, "toy", path)
    assert (refused.value.line, refused.value.column) == (3, 5)
    assert _state(settings) == before


@pytest.mark.parametrize("character", ["\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\ufffe", "\uffff"])
def test_every_control_character_but_tab_lf_cr_is_refused(settings, tmp_path, character):
    path = _csv(tmp_path, "control.csv", f'key,name\na,Alpha\nb,"Beta\nGa{character}mma"\n')  # a 2-line field
    with pytest.raises(SourceFormatError, match=rf"control\.csv:4:3: control character U\+{ord(character):04X}"):
        import_source(settings, "toy", path)


def test_tab_lf_and_cr_inside_a_field_are_text(settings, tmp_path):
    import_source(settings, "toy", _csv(tmp_path, "ok.csv", 'key,name\na,"Al\tpha"\nb,"Be\r\nta"\n'))
    assert _state(settings)[1] == ["Al\tpha", "Be\r\nta"]


def read_escaped(path, ctx):
    """An importer whose format escapes a control character (JSON's "\\u0000", YAML's "\\0")."""
    subject = URIRef("https://w3id.org/hres/id/org/toy-a")
    yield subject, RDFS.label, Literal("fine")
    yield subject, RDFS.comment, Literal("Al\x00pha")


def test_a_control_character_in_a_yielded_literal_is_refused(settings, monkeypatch):
    escaped = Source(
        id="toy", title="Toy (escaped)", read=read_escaped, default_path="toy", license="CC0-1.0", upstream="tests"
    )
    monkeypatch.setattr(importers, "_registry", {**importers.IMPORTERS, "toy": escaped})
    before = _state(settings)
    with pytest.raises(
        SourceFormatError,
        match=r"actors\.csv: control character U\+0000 \(NUL\) at character 3 "
        r"of the value of <http://www.w3.org/2000/01/rdf-schema#comment> "
        r"for <https://w3id.org/hres/id/org/toy-a>",
    ):
        import_source(settings, "toy", FIXTURE_CSV)
    assert _state(settings) == before


def test_the_build_stops_at_a_control_character_and_keeps_the_previous_store(settings, tmp_path):
    before = _state(settings)
    settings.source_paths["toy"] = _csv(tmp_path, "esc.csv", "key,name\na,\x1b[31mAlpha\n")
    with pytest.raises(SourceFormatError, match=r"esc\.csv:2:3: control character U\+001B \(ESC\)"):
        build(settings, sources=[TOY], log=lambda m: None)
    assert _state(settings) == before
