"""`hres validate` and `hres import --validate`: exit codes, formats, CSV templates, bad input, safety."""

from __future__ import annotations

import http.server
import json
import re
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal
from rdflib.namespace import RDF, SH

from hres_graph.build.pipeline import build
from hres_graph.cli import validate_command
from hres_graph.config import Settings
from hres_graph.errors import SourceFormatError
from hres_graph.store.oxigraph import OxigraphStore, current_store_path
from hres_graph.validation.contributions import contrib_graph, import_validated
from hres_graph.validation.shacl import SHAPES_DIR, DoesNotConform, load_shapes

EXAMPLES = SHAPES_DIR / "examples"
TEMPLATES = SHAPES_DIR / "templates"
INVALID = sorted((EXAMPLES / "invalid").glob("*.ttl"))
VALID = sorted((EXAMPLES / "valid").glob("*.ttl"))
SHAPES = "https://w3id.org/hres/shapes/"
EOM_HEADER = (
    "source_id,rec_key,organisation,country,election_date,report_date,recommendation,language,priority,"
    "electoral_process_part,rights,instrument,source_url,assessment_date,implementation_status,assessor,"
    "evidence,assessment_source_url"
)


def hres_validate(*args, obj=None):
    return CliRunner().invoke(validate_command, [str(a) for a in args], obj=obj)


def flat(text: str) -> str:
    return " ".join(text.split())


def english_message(shape_id: str) -> str:
    shapes = load_shapes()
    shape = next(s for s in shapes.subjects(SH.severity, None) if str(s).startswith(f"{SHAPES}{shape_id}-"))
    return next(str(m) for m in shapes.objects(shape, SH.message) if isinstance(m, Literal) and m.language == "en")


# --- exit codes and messages on the examples ------------------------------------------------------


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_example_prints_its_message_and_exits_1(path):
    shape_id = path.stem.rsplit("-", 1)[0]
    result = hres_validate(path)
    assert result.exit_code == 1, result.output
    before_placeholder = re.split(r"\{[?$]\w+\}", english_message(shape_id))[0]
    assert flat(before_placeholder) in flat(result.output)
    assert shape_id in result.output


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_example_exits_0(path):
    result = hres_validate(path)
    assert result.exit_code == 0, result.output
    assert "conforms: 0 violations, 0 warnings" in result.output


def test_warnings_fail_unless_allowed():
    warning = EXAMPLES / "invalid" / "RSP-06-01.ttl"
    assert hres_validate(warning).exit_code == 1
    allowed = hres_validate(warning, "--allow-warnings")
    assert allowed.exit_code == 0 and "WARNING" in allowed.output and "RSP-06" in allowed.output
    assert hres_validate(EXAMPLES / "invalid" / "RSP-03-01.ttl", "--allow-warnings").exit_code == 1


def test_several_files_are_validated_together():
    result = hres_validate(EXAMPLES / "valid" / "MIS-01-01.ttl", EXAMPLES / "invalid" / "ELE-02-01.ttl")
    assert result.exit_code == 1
    assert "ELE-02" in result.output and "(ELE-02-01.ttl)" in result.output


# --- the three formats --------------------------------------------------------------------------


def test_json_format():
    result = hres_validate(EXAMPLES / "invalid" / "ASM-06-01.ttl", "--format", "json", "--lang", "es")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["conforms"] is False and doc["violations"] == 1 and doc["lang"] == "es"
    [group] = doc["focusNodes"]
    assert group["focusNode"].endswith("/assessment/example-ngo") and group["where"] == ["ASM-06-01.ttl"]
    [res] = group["results"]
    assert res["id"] == "ASM-06" and res["severity"] == "Violation" and res["value"] == "2013-06-01"
    assert res["message"].startswith("La evaluación tiene fecha 2013-06-01")


def test_turtle_format_is_a_standard_shacl_report():
    result = hres_validate(EXAMPLES / "invalid" / "REC-03-01.ttl", "--format", "turtle", "--lang", "fr")
    assert result.exit_code == 1
    graph = Graph().parse(data=result.stdout, format="turtle")
    [report] = graph.subjects(RDF.type, SH.ValidationReport)
    assert graph.value(report, SH.conforms) == Literal(False)
    [res] = graph.objects(report, SH.result)
    assert str(graph.value(res, SH.sourceShape)) == f"{SHAPES}REC-03-recommendation-has-issuer"
    assert graph.value(res, SH.resultSeverity) == SH.Violation
    assert str(graph.value(res, SH.resultPath)).endswith("#issuedBy")
    assert graph.value(res, SH.resultMessage).language == "fr"
    assert hres_validate(EXAMPLES / "valid" / "REC-03-01.ttl", "--format", "turtle").exit_code == 0


def test_text_format_in_french():
    result = hres_validate(EXAMPLES / "invalid" / "PAR-05-01.ttl", "--lang", "fr")
    assert result.exit_code == 1
    assert "L'acte est daté du 2005-05-19, avant l'adoption de" in flat(result.output)


# --- RDF syntaxes and bad input -------------------------------------------------------------------


@pytest.mark.parametrize("suffix,fmt", [(".nt", "nt"), (".jsonld", "json-ld"), (".rdf", "xml"), (".trig", "trig")])
def test_other_rdf_syntaxes(tmp_path, suffix, fmt):
    graph = Graph().parse(EXAMPLES / "invalid" / "ELE-06-01.ttl")
    path = tmp_path / f"election{suffix}"
    path.write_text(graph.serialize(format=fmt), encoding="utf-8")
    result = hres_validate(path)
    assert result.exit_code == 1 and "ELE-06" in result.output
    unnamed = tmp_path / "election-no-suffix"
    unnamed.write_text(graph.serialize(format=fmt), encoding="utf-8")
    assert hres_validate(unnamed).exit_code == 1


@pytest.mark.parametrize(
    "name,text,line",
    [
        (
            "bad.ttl",
            "@prefix hres: <https://w3id.org/hres/ontology#> .\n\n<https://w3id.org/hres/id/state/KEN>\n"
            '    a hres:State ;;\n    hres:iso3166Alpha3 "KEN" ..\n',
            5,
        ),
        (
            "bad.nt",
            '<https://w3id.org/hres/id/state/KEN> <http://www.w3.org/2000/01/rdf-schema#label> "Kenya" .\n'
            "<https://w3id.org/hres/id/state/KEN> <http://www.w3.org/2000/01/rdf-schema#label> .\n",
            2,
        ),
        ("bad.jsonld", '{\n  "@id": "https://w3id.org/hres/id/state/KEN",\n  "@type": [,]\n}\n', 3),
        (
            "bad.rdf",
            '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
            '  <rdf:Description rdf:about="https://w3id.org/hres/id/state/KEN">\n</rdf:RDF>\n',
            4,
        ),
    ],
)
def test_syntax_error_exits_2_with_file_and_line(tmp_path, name, text, line):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = hres_validate(path)
    assert result.exit_code == 2, result.output
    assert f"{path}:{line}" in result.stderr, result.stderr


def test_missing_file_exits_2(tmp_path):
    assert hres_validate(tmp_path / "nowhere.ttl").exit_code == 2


# --- CSV templates --------------------------------------------------------------------------------


@pytest.mark.parametrize("template", ["eom-recommendations.csv", "assessments.csv"])
def test_templates_convert_and_conform(template):
    result = hres_validate(TEMPLATES / template)
    assert result.exit_code == 0, result.output


def test_template_rows_become_the_documented_rdf():
    from hres_graph.namespaces import HRES, ID
    from hres_graph.validation.contrib_csv import read_contribution

    contribution = read_contribution(TEMPLATES / "eom-recommendations.csv")
    g = contribution.graph
    rec = ID["recommendation/example-ngo/ken-2022-01"]
    mission = ID["mission/eu/KEN/2022-08-09"]
    assert (rec, RDF.type, HRES.Recommendation) in g and (rec, HRES.madeByMission, mission) in g
    assert (mission, HRES.observes, ID["election/KEN/2022-08-09"]) in g
    assessments = sorted(g.subjects(HRES.assesses, rec))
    assert [str(a).rsplit("/", 1)[-1] for a in assessments] == ["example-ngo", "example-ngo-2"]
    assert contribution.locations[rec] == ["eom-recommendations.csv:2", "eom-recommendations.csv:3"]
    assert contribution.locations[assessments[1]] == ["eom-recommendations.csv:3"]
    assert g.value(ID["recommendation/example-ngo/geo-2024-01"], HRES.text).language == "fr"


def _eom_csv(tmp_path: Path, rows: list[str], name: str = "contribution.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([EOM_HEADER, *rows]) + "\n", encoding="utf-8")
    return path


GOOD_ROW = (
    "my-ngo,r1,osce-odihr,GEO,2024-10-26,2025-02-20,Cap campaign donations.,en,yes,campaign-finance,"
    "free-expression-of-will,,https://example.org/report.pdf,2025-06-30,not-implemented,my-ngo,No bill yet.,"
)


def test_csv_with_one_bad_row_is_rejected_with_the_row_number(tmp_path):
    bad = GOOD_ROW.replace("r1", "r2").replace("2025-06-30", "2024-06-30")  # assessed before the report
    path = _eom_csv(tmp_path, [GOOD_ROW, bad, GOOD_ROW.replace("r1", "r3")])
    result = hres_validate(path)
    assert result.exit_code == 1
    assert "contribution.csv:3" in result.output and "ASM-06" in result.output
    doc = json.loads(hres_validate(path, "--format", "json").stdout)
    assert [g["where"] for g in doc["focusNodes"]] == [["contribution.csv:3"]]


def test_csv_value_problems_are_reported_by_the_shapes_with_the_row(tmp_path):
    row = GOOD_ROW.replace("campaign-finance", "campaign money").replace("not-implemented", "done")
    result = hres_validate(_eom_csv(tmp_path, [GOOD_ROW.replace("r1", "r0"), row]), "--format", "json")
    doc = json.loads(result.stdout)
    found = {(r["id"], tuple(g["where"])) for g in doc["focusNodes"] for r in g["results"]}
    assert found == {("REC-09", ("contribution.csv:3",)), ("ASM-03", ("contribution.csv:3",))}


def test_csv_structural_problems_exit_2_with_row_and_column(tmp_path):
    result = hres_validate(_eom_csv(tmp_path, [GOOD_ROW, GOOD_ROW.replace("r1", "r2").replace(",yes,", ",maybe,")]))
    assert result.exit_code == 2
    assert "contribution.csv:3 (column priority)" in result.stderr
    reused = _eom_csv(tmp_path, [GOOD_ROW, GOOD_ROW.replace("Cap campaign", "Limit campaign")], "reused.csv")
    assert "reused.csv:3 (column rec_key)" in hres_validate(reused).stderr
    header = tmp_path / "header.csv"
    header.write_text("id,text\n1,x\n", encoding="utf-8")
    result = hres_validate(header)
    assert result.exit_code == 2 and "header.csv:1" in result.stderr and "template" in result.stderr


def test_thousand_row_csv(tmp_path):
    rows = [GOOD_ROW.replace("r1", f"r{i}") for i in range(1000)]
    result = hres_validate(_eom_csv(tmp_path, rows), "--format", "json")
    doc = json.loads(result.stdout)
    assert result.exit_code == 0 and doc["focusNodesChecked"] == 2002
    assert doc["seconds"] < 30  # measured about 1-2 s; the bound only catches a pathological slowdown


# --- no outbound requests while parsing -----------------------------------------------------------


@pytest.fixture()
def http_server():
    """A local server that counts requests: a refused fetch must never reach it."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            body = b'{"@context": {"name": "http://schema.org/name"}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/ld+json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()
    server.server_close()


def test_jsonld_remote_context_is_refused_without_a_request(tmp_path, http_server):
    url, hits = http_server
    for name, context in (
        ("remote.jsonld", f'"{url}/context.jsonld"'),
        ("list.jsonld", f'[{{"hres": "https://w3id.org/hres/ontology#"}}, "{url}/c"]'),
        ("import.jsonld", f'{{"@version": 1.1, "@import": "{url}/c"}}'),
        ("file.jsonld", '"file:///etc/passwd"'),
    ):
        path = tmp_path / name
        path.write_text(
            f'{{"@context": {context}, "@id": "https://w3id.org/hres/id/state/KEN", "name": "x"}}', encoding="utf-8"
        )
        result = hres_validate(path)
        assert result.exit_code == 2, (name, result.output)
        assert "context" in result.stderr, result.stderr
    assert hits == []


def test_rdfxml_external_entities_are_refused_without_a_request(tmp_path, http_server):
    url, hits = http_server
    for name, system in (("http.rdf", f"{url}/entity"), ("file.rdf", "file:///etc/passwd")):
        path = tmp_path / name
        path.write_text(
            f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY ext SYSTEM "{system}">]>\n'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">\n'
            '<rdf:Description rdf:about="https://w3id.org/hres/id/state/KEN">'
            "<rdfs:label>&ext;</rdfs:label></rdf:Description>\n</rdf:RDF>\n",
            encoding="utf-8",
        )
        result = hres_validate(path)
        assert result.exit_code == 2 and f"{name}:2" in result.stderr and "external entit" in result.stderr
        assert "root:" not in result.output
    dtd = tmp_path / "dtd.rdf"
    dtd.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF SYSTEM "{url}/rdf.dtd">\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n',
        encoding="utf-8",
    )
    assert hres_validate(dtd).exit_code == 2
    assert hits == []


def test_internal_entities_still_work(tmp_path):
    path = tmp_path / "entities.rdf"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY id "https://w3id.org/hres/id/">]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:hres="https://w3id.org/hres/ontology#" xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">\n'
        '<hres:State rdf:about="&id;state/KEN"><rdfs:label xml:lang="en">Kenya</rdfs:label>'
        "</hres:State>\n</rdf:RDF>\n",
        encoding="utf-8",
    )
    assert hres_validate(path).exit_code == 0


# --- hres import --validate -----------------------------------------------------------------------


@pytest.fixture()
def store_settings(tmp_path) -> Settings:
    settings = Settings(var_dir=tmp_path / "var", data_root=tmp_path / "data")
    build(settings, sources=[], log=lambda m: None)
    return settings


def _counts(settings: Settings) -> dict[str, int]:
    return OxigraphStore(current_store_path(settings)).triple_counts()


def test_import_of_a_non_conforming_file_changes_nothing(store_settings, tmp_path):
    before, current = _counts(store_settings), current_store_path(store_settings)
    stores = sorted(p.name for p in (store_settings.var_dir / "stores").iterdir())
    bad = _eom_csv(tmp_path, [GOOD_ROW, GOOD_ROW.replace("r1", "r2").replace("2025-06-30", "2024-06-30")])
    printed = []
    with pytest.raises(DoesNotConform) as raised:
        import_validated(store_settings, bad, "bad-one", echo=lambda text, **kw: printed.append(text))
    assert raised.value.exit_code == 1 and "nothing was imported" in str(raised.value)
    assert "contribution.csv:3" in printed[0] and "ASM-06" in printed[0]
    assert current_store_path(store_settings) == current
    assert sorted(p.name for p in (store_settings.var_dir / "stores").iterdir()) == stores
    assert _counts(store_settings) == before


def test_import_of_a_conforming_file_lands_in_its_own_graph(store_settings):
    before = _counts(store_settings)
    outcome = import_validated(
        store_settings, TEMPLATES / "eom-recommendations.csv", "example-eom", echo=lambda *a, **k: None
    )
    graph = contrib_graph("example-eom")
    assert outcome.graph == graph == "https://w3id.org/hres/graph/contrib-example-eom"
    after = _counts(store_settings)
    assert after[graph] > 50
    machine_made = {
        "https://w3id.org/hres/graph/meta",
        "https://w3id.org/hres/graph/derived",
        "https://w3id.org/hres/graph/links",
    }
    assert {g: n for g, n in after.items() if g != graph and g not in machine_made} == {
        g: n for g, n in before.items() if g not in machine_made
    }
    store = OxigraphStore(current_store_path(store_settings))
    # graph/derived is recomputed: what it gained is about the contribution's own items
    assert after.get("https://w3id.org/hres/graph/derived", 0) > before.get("https://w3id.org/hres/graph/derived", 0)
    strays = store.query(
        f"SELECT ?s WHERE {{ GRAPH graph:derived {{ ?s ?p ?o }} "
        f"FILTER NOT EXISTS {{ GRAPH <{graph}> {{ ?s ?q ?v }} }} }}"
    ).rows
    assert strays == []
    titles = store.query(f"SELECT ?t WHERE {{ GRAPH graph:meta {{ <{graph}> rdfs:label ?t }} }}").rows
    assert "example-eom" in str(titles[0][0])
    store.close()
    again = import_validated(
        store_settings, TEMPLATES / "eom-recommendations.csv", "example-eom", echo=lambda *a, **k: None
    )
    assert again.result.sources[0].triples == after[graph]  # idempotent
    assert _counts(store_settings)[graph] == after[graph]


def test_store_context_checks_assessments_of_recommendations_already_imported(store_settings, tmp_path):
    import_validated(store_settings, TEMPLATES / "eom-recommendations.csv", "example-eom", echo=lambda *a, **k: None)
    early = tmp_path / "early.csv"
    early.write_text(
        "source_id,recommendation,assessment_date,implementation_status,assessor,evidence\n"
        "my-nhri,example-ngo/ken-2022-02,2022-10-01,not-implemented,my-nhri,No change.\n",
        encoding="utf-8",
    )
    assert hres_validate(early).exit_code == 0  # alone, the file cannot know when the recommendation was made
    result = hres_validate(early, "--with-store", obj=lambda: store_settings)
    assert result.exit_code == 1 and "ASM-06" in result.output and "early.csv:2" in result.output
    with pytest.raises(DoesNotConform):
        import_validated(store_settings, early, "early", echo=lambda *a, **k: None)


def test_store_ratifications_feed_the_already_ratified_warning(store_settings, tmp_path):
    ratification = tmp_path / "ratifications.ttl"
    ratification.write_text((EXAMPLES / "valid" / "PAR-01-01.ttl").read_text(encoding="utf-8"), encoding="utf-8")
    import_validated(store_settings, ratification, "ratifications", echo=lambda *a, **k: None)
    rec = tmp_path / "rec.ttl"
    rec.write_text(
        (EXAMPLES / "valid" / "REC-02-01.ttl")
        .read_text(encoding="utf-8")
        .replace(
            "hres:actionCategory",
            "hres:concernsInstrument <https://w3id.org/hres/id/instrument/iccpr> ;\n    hres:actionCategory",
        )
        .replace("Consider ratifying the Optional Protocol to the Convention against Torture.", "Ratify the Covenant."),
        encoding="utf-8",
    )
    assert hres_validate(rec).exit_code == 0
    result = hres_validate(rec, "--with-store", obj=lambda: store_settings)
    assert result.exit_code == 1 and "REC-12" in result.output and "WARNING" in result.output
    assert hres_validate(rec, "--with-store", "--allow-warnings", obj=lambda: store_settings).exit_code == 0


def test_with_store_and_no_store_is_a_clear_error(tmp_path):
    settings = Settings(var_dir=tmp_path / "empty", data_root=tmp_path / "data")
    result = hres_validate(EXAMPLES / "valid" / "STA-01-01.ttl", "--with-store", obj=lambda: settings)
    assert result.exit_code == 3 and "hres build" in result.stderr


def test_bad_contribution_name(store_settings):
    from hres_graph.errors import ConfigError

    with pytest.raises(ConfigError):
        import_validated(store_settings, TEMPLATES / "assessments.csv", "Bad Name", echo=lambda *a, **k: None)


def test_unreadable_contribution_is_bad_input(store_settings, tmp_path):
    path = tmp_path / "broken.ttl"
    path.write_text("<a> <b> .\n", encoding="utf-8")
    before = _counts(store_settings)
    with pytest.raises(SourceFormatError):
        import_validated(store_settings, path, "broken", echo=lambda *a, **k: None)
    assert _counts(store_settings) == before


# --- issue 14: hostile files cost a child, never a crash of the command ---------------------------

ROOT = Path(__file__).resolve().parents[1]


def run_hres(*args, timeout: float = 120):
    """`hres` as a real process: a native crash in it would show as a negative return code."""
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-m", "hres_graph", *map(str, args)], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )


def test_dev_zero_and_a_fifo_are_refused_at_once(tmp_path):
    import os

    fifo = tmp_path / "contribution.ttl"
    os.mkfifo(fifo)
    for path in ("/dev/zero", fifo):
        done = run_hres("validate", path, timeout=60)  # the old code read /dev/zero forever, and hung on the FIFO
        assert done.returncode == 2, done.stderr
        assert f"error: {path}: not a regular file" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "name,content,where",
    [
        ("d.jsonld", '{"a:p":' * 4000 + "1" + "}" * 4000, "d.jsonld:1:3501"),  # the reproducer (exit 139)
        (
            "l.jsonld",
            '{"@id":"http://e/a","http://e/p":' + '{"@list":[' * 30_000 + "1" + "]}" * 30_000 + "}",
            "l.jsonld:1:",
        ),  # exit 134 on the old code
        ("t.ttl", "<http://e/a> <http://e/p> " + "[ <http://e/p> " * 4000 + "1" + " ]" * 4000 + " .\n", "t.ttl:1:7527"),
    ],
)
def test_deep_nesting_exits_2_with_line_and_column(tmp_path, name, content, where):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    done = run_hres("validate", path)
    assert done.returncode == 2, (done.returncode, done.stderr[-500:])
    assert f"{tmp_path / where}" in done.stderr and "nested more than 500 levels" in done.stderr


def test_moderate_nesting_still_validates(tmp_path):
    path = tmp_path / "nested.jsonld"
    path.write_text(
        '{"@id": "http://example.org/a", "http://example.org/p": '
        + '{"http://example.org/p": ' * 40
        + '"x"'
        + "}" * 41,
        encoding="utf-8",
    )
    assert hres_validate(path).exit_code == 0


ASSESSMENTS_HEADER = "source_id,recommendation,assessment_date,implementation_status,assessor,assessment_source_url"
INJECTION = (
    "https://w3id.org/hres/id/recommendation/x>}OPTIONAL{SERVICE<http://127.0.0.1:{port}/i>{?x?p?o}}VALUES?z{<urn:z"
)


@pytest.mark.parametrize(
    "column,row",
    [
        ("recommendation", "my-ngo,https://w3id.org/hres/id/recommendation/a<b>,2024-01-01,not-implemented,my-ngo,"),
        ("recommendation", "my-ngo,upr-info/x>}{,2024-01-01,not-implemented,my-ngo,"),
        ("assessor", "my-ngo,upr-info/x,2024-01-01,not-implemented,https://example.org/{ngo},"),
        ("assessment_source_url", "my-ngo,upr-info/x,2024-01-01,not-implemented,my-ngo,https://example.org/<report>"),
    ],
)
def test_csv_iri_with_brackets_exits_2_naming_row_and_column(tmp_path, column, row):
    path = tmp_path / "contribution.csv"
    path.write_text(f"{ASSESSMENTS_HEADER}\n{row}\n", encoding="utf-8")
    result = hres_validate(path)
    assert result.exit_code == 2, result.output  # the old code: a traceback and exit 1, "does not conform"
    assert f"contribution.csv:2 (column {column})" in result.stderr and "is not a valid IRI" in result.stderr
    assert "Traceback" not in result.output


def test_with_store_injection_makes_no_connection(store_settings, tmp_path):
    """The issue's SPARQL injection through the CLI's --with-store: the old code connected out."""
    import socket

    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        path = tmp_path / "inject.csv"
        path.write_text(
            f"{ASSESSMENTS_HEADER}\nmy-ngo,{INJECTION.replace('{port}', str(listener.getsockname()[1]))},"
            "2024-01-01,not-implemented,my-ngo,\n",
            encoding="utf-8",
        )
        result = hres_validate(path, "--with-store", obj=lambda: store_settings)
        assert result.exit_code == 2 and "inject.csv:2 (column recommendation)" in result.stderr
        listener.settimeout(1)
        with pytest.raises(socket.timeout):
            listener.accept()[0].close()


def test_import_validate_of_a_deep_file_exits_2_and_imports_nothing(store_settings, tmp_path):
    path = tmp_path / "deep.jsonld"
    path.write_text('{"a:p":' * 4000 + "1" + "}" * 4000, encoding="utf-8")
    before = _counts(store_settings)
    done = run_hres("--var-dir", store_settings.var_dir, "import", "--validate", "deep-one", path)
    assert done.returncode == 2 and "deep.jsonld:1:3501" in done.stderr, (done.returncode, done.stderr[-500:])
    assert _counts(store_settings) == before
