"""The shapes: meta-SHACL, IDs, severities, messages in three languages, and paired examples.

Every invalid example must fail THROUGH THE SHAPE NAMED BY ITS FILE (shapes/examples/invalid/REC-03-01.ttl
fails through REC-03) and through no other, and every valid example must give no result at all.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pyshacl.entrypoints import meta_validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from hres_graph.namespaces import HRES, ID, PREFIXES
from hres_graph.validation.reading import load_files
from hres_graph.validation.report import SHAPE_ID
from hres_graph.validation.shacl import SHAPES_DIR, load_shapes, shape_index, validate

EXAMPLES = SHAPES_DIR / "examples"
VALID = sorted((EXAMPLES / "valid").glob("*.ttl"))
INVALID = sorted((EXAMPLES / "invalid").glob("*.ttl"))
INDEX = shape_index()
IDS = {SHAPE_ID.match(str(shape)).group(1): shape for shape in INDEX}
FILE_PREFIX = {
    "recommendation": "REC",
    "response": "RSP",
    "assessment": "ASM",
    "finding": "FND",
    "mission": "MIS",
    "election": "ELE",
    "participation": "PAR",
    "state": "STA",
    "provision": "PRV",
}


def expected_id(path: Path) -> str:
    return path.stem.rsplit("-", 1)[0]


def run(path: Path, **kwargs):
    loaded = load_files([path])
    return validate(loaded.graph, locations=loaded.locations, **kwargs)


# --- the shapes graph ---------------------------------------------------------------------------


def test_shapes_pass_meta_shacl():
    conforms, _, text = meta_validate(load_shapes())
    assert conforms, text


def test_one_file_per_focus_class_and_ids_match_the_file():
    assert {p.stem for p in SHAPES_DIR.glob("*.ttl")} == set(FILE_PREFIX)
    for stem, prefix in FILE_PREFIX.items():
        graph = Graph().parse(SHAPES_DIR / f"{stem}.ttl")
        shapes = [s for s in graph.subjects(SH.severity, None) if isinstance(s, URIRef)]
        assert shapes, f"{stem}.ttl has no shapes"
        for shape in shapes:
            match = SHAPE_ID.match(str(shape))
            assert match, f"{shape} is not https://w3id.org/hres/shapes/<ID>-<slug>"
            assert match.group(2) == prefix, f"{shape} is in {stem}.ttl, whose IDs start with {prefix}-"


def test_shape_ids_are_unique():
    ids = [SHAPE_ID.match(str(s)).group(1) for s in INDEX]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


@pytest.mark.parametrize("shape", sorted(INDEX), ids=lambda s: str(s).rsplit("/", 1)[-1])
def test_shape_has_severity_target_and_messages_in_three_languages(shape):
    info = INDEX[shape]
    assert info["severity"] in (SH.Violation, SH.Warning)
    assert info["targets"], "every identified shape targets a class"
    assert {"en", "fr", "es"} <= set(info["messages"]), f"messages in {sorted(info['messages'])}"
    texts = [info["messages"][lang] for lang in ("en", "fr", "es")]
    assert len(set(texts)) == 3, "the three messages must be translations, not copies"
    placeholders = [sorted(re.findall(r"\{[?$]\w+\}", t)) for t in texts]
    assert placeholders[0] == placeholders[1] == placeholders[2], "every language fills the same placeholders"


def test_shapes_use_the_canonical_prefixes():
    for path in SHAPES_DIR.glob("*.ttl"):
        for prefix, iri in re.findall(r"@prefix\s+([\w-]*):\s*<([^>]*)>", path.read_text(encoding="utf-8")):
            if prefix in PREFIXES:
                assert PREFIXES[prefix] == iri, f"{path.name}: @prefix {prefix}: is <{iri}>"


# --- the examples -------------------------------------------------------------------------------


def test_example_folders_do_not_shrink():
    assert len(VALID) >= 60 and len(INVALID) >= 60
    assert len(IDS) >= 60


def test_every_shape_has_a_valid_and_an_invalid_example():
    assert {expected_id(p) for p in VALID} == set(IDS)
    assert {expected_id(p) for p in INVALID} == set(IDS)


def test_example_names_follow_the_scheme():
    for path in VALID + INVALID:
        assert re.fullmatch(r"[A-Z]{3}-\d{2}-\d{2}", path.stem), path.name


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_example_fails_through_the_expected_shape(path):
    assert path.read_text(encoding="utf-8").startswith("# Invalid: ")
    shape = IDS[expected_id(path)]
    report = run(path)
    found = {r.shape_id for r in report.results}
    assert expected_id(path) in found, f"{path.name} should fail through {expected_id(path)}; got {sorted(found)}"
    assert found == {expected_id(path)}, f"{path.name} also fails through {sorted(found - {expected_id(path)})}"
    assert all(r.severity == INDEX[shape]["severity"] for r in report.results)
    assert not report.conforms
    if INDEX[shape]["severity"] == SH.Warning:
        assert run(path, allow_warnings=True).conforms, "a warning alone passes with allow_warnings"


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_example_conforms(path):
    assert path.read_text(encoding="utf-8").startswith("# Valid: ")
    report = run(path)
    assert report.results == [], report.render("text")
    assert report.conforms


SPARQL_EXAMPLES = [
    p
    for p in VALID + INVALID
    if (SHAPES_DIR / "examples").exists() and any(load_shapes().objects(IDS[expected_id(p)], SH.sparql))
]


@pytest.mark.parametrize("path", SPARQL_EXAMPLES, ids=lambda p: f"{p.parent.name}-{p.stem}")
def test_bulk_sparql_gives_the_same_results_as_pyshacl(path):
    """hres_graph.validation.sparql_shapes runs SPARQL constraints once for all nodes; pySHACL runs them per node."""

    def key(report):
        return sorted(
            (str(r.focus_node), str(r.source_shape), str(r.value), r.message("en"), r.message("fr"), r.message("es"))
            for r in report.results
        )

    assert key(run(path, sparql_in_bulk=True)) == key(run(path, sparql_in_bulk=False))


def test_sparql_examples_cover_the_cross_node_rules():
    assert len(SPARQL_EXAMPLES) >= 20


# --- how validation treats context ---------------------------------------------------------------


def _graph(turtle: str) -> Graph:
    return Graph().parse(
        data="@prefix hres: <https://w3id.org/hres/ontology#> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n" + turtle,
        format="turtle",
    )


def test_subclass_instances_are_checked_against_superclass_shapes():
    data = _graph(
        f"<{ID['participation/KEN/crpd/ratification']}> a hres:Ratification ;"
        f' hres:instrument <{ID["instrument/crpd"]}> ; hres:eventDate "2008-05-19"^^xsd:date .'
    )
    assert {r.shape_id for r in validate(data).results} == {"PAR-02"}  # hres:participant is missing
    decision = _graph(f"<{ID['finding/x/1']}> a hres:Decision ; hres:issuedBy <{ID['mechanism/ccpr']}> .")
    assert {r.shape_id for r in validate(decision).results} == {"FND-02"}  # a decision is a finding


def test_context_is_used_but_never_reported():
    # The reference data holds recommendations of the Plan of Action with no date (REC-13 would warn);
    # they are context, so validating an unrelated node reports nothing.
    data = _graph(f'<{ID["state/KEN"]}> a hres:State ; <http://www.w3.org/2000/01/rdf-schema#label> "Kenya"@en .')
    report = validate(data)
    assert report.results == [] and report.focus_nodes == 1
    # ...and the reference data supplies what a cross-node rule needs: ICCPR's adoption date.
    early = _graph(
        f"<{ID['participation/SVN/iccpr/ratification']}> a hres:Ratification ;"
        f" hres:participant <{ID['state/SVN']}> ; hres:instrument <{ID['instrument/iccpr']}> ;"
        ' hres:eventDate "1960-01-01"^^xsd:date .'
    )
    results = validate(early).results
    assert [r.shape_id for r in results] == ["PAR-05"]
    assert "1966-12-16" in results[0].message("en")


@pytest.mark.parametrize(
    "lang,start",
    [
        ("en", "The recommendation is filed under cycle"),
        ("fr", "La recommandation est classée dans le cycle"),
        ("es", "La recomendación figura en el ciclo"),
    ],
)
def test_messages_come_in_the_requested_language(lang, start):
    for bulk in (True, False):
        [result] = run(EXAMPLES / "invalid" / "REC-11-01.ttl", sparql_in_bulk=bulk).results
        assert result.message(lang).startswith(start)
        assert "mechanism/upr/session/20" in result.message(lang)  # placeholders filled
    [core] = run(EXAMPLES / "invalid" / "REC-08-01.ttl").results[:1]
    assert core.message(lang) == str(
        next(
            m for m in load_shapes().objects(IDS["REC-08"], SH.message) if isinstance(m, Literal) and m.language == lang
        )
    )
    assert core.message("de") == core.message("en")  # English fallback


def test_ratification_in_the_data_triggers_the_soft_rule_only_when_earlier():
    report = run(EXAMPLES / "invalid" / "REC-12-01.ttl")
    [result] = report.results
    assert result.severity == SH.Warning and "opcat" in result.message("en")
    assert run(EXAMPLES / "valid" / "REC-12-01.ttl").results == []


def test_rdf_type_of_examples_is_an_hres_class():
    for path in VALID + INVALID:
        graph = Graph().parse(path)
        types = set(graph.objects(None, RDF.type))
        assert types and all(str(t).startswith(str(HRES._NS)) for t in types), path.name


def test_readmes_list_every_shape_and_every_template_column():
    from hres_graph.validation.contrib_csv import TEMPLATES, TEMPLATES_DIR

    readme = (SHAPES_DIR / "README.md").read_text(encoding="utf-8")
    assert [i for i in sorted(IDS) if f"| {i} |" not in readme] == []
    columns = (TEMPLATES_DIR / "README.md").read_text(encoding="utf-8")
    for name, (required, optional) in TEMPLATES.items():
        assert (TEMPLATES_DIR / f"{name}.csv").exists()
        assert [c for c in required + optional if f"| `{c}` |" not in columns] == []


@pytest.mark.parametrize(
    "prefix,namespace,says",
    [
        ("ex", "http://example.org/>} SERVICE <http://127.0.0.1:9/> {", "is not an IRI"),
        ("ex: <http://example.org/> SELECT * {} #", "http://example.org/", "is not a SPARQL prefix name"),
    ],
)
def test_sh_declare_is_checked_before_it_becomes_query_text(prefix, namespace, says):
    """A shapes file (`hres validate --shapes`) cannot add clauses to the bulk SPARQL through sh:declare."""
    from hres_graph.errors import SourceFormatError
    from hres_graph.validation.sparql_shapes import sparql_only_shapes

    shapes = Graph().parse(
        format="turtle",
        data=f"""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <https://w3id.org/hres/shapes/XYZ-01-test> a sh:NodeShape ; sh:targetClass <http://example.org/C> ;
            sh:severity sh:Violation ;
            sh:sparql [ sh:prefixes [ sh:declare [ sh:prefix {json.dumps(prefix)} ; sh:namespace {json.dumps(namespace)}^^<http://www.w3.org/2001/XMLSchema#anyURI> ] ] ;
                        sh:select "SELECT $this WHERE {{ $this a ex:C }}" ] .
    """,
    )
    with pytest.raises(SourceFormatError, match=says):
        sparql_only_shapes(shapes)
