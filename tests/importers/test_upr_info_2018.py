"""upr_info_2018: UPR Info's 2018 export, merged with the 2015 export (upr-info).

The real-data tests recompute every figure from the raw CSV files with plain Python (csv, no importer
code but the shared State-name resolver): rows per session, responses, cycles, years, the issue tags, and
the cross-export match (which 2018 row is which 2015 record), then compare with the importer's triples.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SKOS

from hres_graph.importers import upr_info, upr_info_2018
from hres_graph.namespaces import HRES, ID, VOCAB, concept, state
from tests import upr_exports_expected as exports

from .helpers import SOURCES, ImportSummary, run_importer

SOURCE = upr_info_2018.SOURCE
REC = f"{ID}recommendation/upr-info/"
FIXTURE = SOURCES / "upr-info-2018" / "export_2018.csv"
LEGACY = SOURCES / "upr-info" / "legacy"


# --- the fixture ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def merged(state_resolver):
    return run_importer(SOURCE, FIXTURE, state_resolver, source_paths={"upr-info": LEGACY})


@pytest.fixture(scope="module")
def legacy(state_resolver):
    return run_importer(upr_info.SOURCE, LEGACY, state_resolver)


def _by_text(graph, text: str) -> URIRef:
    return next(graph.subjects(HRES.text, Literal(text, lang="en")))


@pytest.mark.real_data
def test_fixture_match_counts(merged):
    counts = merged.report.counts
    assert {k: v for k, v in counts.items() if k.startswith("match:")} == {
        "match: same text": 2,
        "match: same text once normalised": 1,
        "match: in this export only": 1,
        "match: in upr-info only": 2,
        "match: in a session upr-info lacks (new)": 2,
        "match: response differs": 1,
        "match: action category differs": 1,
        "match: issue tags differ": 1,
    }
    assert counts["rows without a session (not imported)"] == 1 and counts["recommendations"] == 6
    assert any("export_2018.csv:8" in n for n in merged.report.notes)
    assert any(n.startswith("matched 3 recommendations to upr-info records") for n in merged.report.notes)


@pytest.mark.real_data
def test_fixture_matched_records_are_the_legacy_resources(merged, legacy):
    g, old = merged.graph, legacy.graph
    rome = "Ratify the convention, in consultation with civil society, and protect the Romé community."
    assert _by_text(g, rome) == _by_text(old, rome)
    assert _by_text(g, "Continue its efforts.") == _by_text(old, "Continue its efforts.")
    # normalised match: the first of the two identical legacy rows, with this export's own wording
    holy_see = _by_text(g, "Ensure Free and fair elections at the local level in the coming years")
    first = [s for s in old.subjects(HRES.recommendingActor, state("VAT")) if not str(s).endswith("-2")]
    assert [holy_see] == first
    # the responses disagree: this export's response is a resource of its own
    assert (
        URIRef(f"{holy_see}/response/upr-info-2018"),
        HRES.responseStatus,
        concept("response-status", "supported"),
    ) in g
    assert (URIRef(f"{holy_see}/response/upr-info"), None, None) not in g
    assert (URIRef(f"{_by_text(g, rome)}/response/upr-info"), HRES.respondsTo, _by_text(g, rome)) in g


@pytest.mark.real_data
def test_fixture_new_records(merged, legacy):
    g = merged.graph
    text = "Ratify the Optional Protocol to the International Covenant on Economic, Social and Cultural Rights"
    both = sorted(g.subjects(HRES.text, Literal(text, lang="en")))
    key = hashlib.sha1("\x1f".join(("27", "Algeria", "Portugal", text)).encode()).hexdigest()[:12]
    assert both == [URIRef(REC + key), URIRef(REC + key + "-2")]  # upr-info's rule, duplicates kept
    s = both[0]
    assert (s, HRES.madeInReview, ID["review/upr/27/DZA"]) in g
    assert (s, HRES.inCycleOf, ID["mechanism/upr/cycle/3"]) in g
    assert (s, HRES.year, Literal("2017", datatype=URIRef("http://www.w3.org/2001/XMLSchema#gYear"))) in g
    assert (s, HRES.theme, VOCAB["upr-info-issue/business-and-human-rights"]) in g
    assert (VOCAB["upr-info-issue/business-and-human-rights"], SKOS.inScheme, VOCAB["upr-info-issue"]) in g
    only_here = _by_text(g, "Adopt a law against domestic violence.")
    assert (only_here, HRES.recommendingActor, state("PSE")) in g and (only_here, None, None) not in legacy.graph


@pytest.mark.real_data
def test_fixture_read_by_the_upr_info_importer(state_resolver):
    """The file a user downloads from UPR Info today imports as `upr-info` too (the layout is read there)."""
    g = run_importer(upr_info.SOURCE, FIXTURE, state_resolver).graph
    assert len(set(g.subjects(RDF.type, HRES.Recommendation))) == 6
    s = _by_text(g, "Adopt a law against domestic violence.")
    assert (s, HRES.addressedTo, state("GNB")) in g and (s, HRES.actionCategory, concept("action-category", "4")) in g


# --- the real files, recomputed in plain Python (tests/upr_exports_expected.py) -------------------------


@pytest.fixture(scope="module")
def expected(data_root, state_resolver) -> dict:
    matching = exports.match(data_root, state_resolver.resolve)
    rows = exports.rows_2018(data_root)
    return {
        "rows": rows,
        "counts": matching.counts,
        "iris": [matching.iri_of[i] for i in range(len(rows))],
        "pairs": matching.pairs,
    }


class Summary(ImportSummary):
    """One pass over the real import: each recommendation's session, cycle and year, and the concepts."""

    def __init__(self, state_resolver, data_root: Path, keep: set[URIRef]):
        self.session: dict[URIRef, str] = {}
        self.cycle: dict[URIRef, str] = {}
        self.year: dict[URIRef, str] = {}
        self.issue_concepts: set[URIRef] = set()
        self.responses: set[URIRef] = set()
        super().__init__(SOURCE, state_resolver, data_root, keep=lambda s: s in keep)

    def observe(self, s, p, o) -> None:
        if p == HRES.madeInReview and str(s).startswith(REC):
            self.session[s] = str(o).split("/")[-2]
        elif p == HRES.inCycleOf and str(s).startswith(REC):
            self.cycle[s] = str(o).rsplit("/", 1)[1]
        elif p == HRES.year and str(s).startswith(REC):
            self.year[s] = str(o)
        elif p == SKOS.inScheme and o == VOCAB["upr-info-issue"]:
            self.issue_concepts.add(s)
        elif p == HRES.respondsTo:
            self.responses.add(s)


SAMPLE = "Ratify the Optional Protocol to the International Covenant on Economic, Social and Cultural Rights"


def normalised_pairs(expected) -> list[tuple]:
    return [(new, old) for new, old in expected["pairs"] if exports.spaced(new.text) != exports.spaced(old.text)]


@pytest.fixture(scope="module")
def real(state_resolver, data_root, expected):
    keep = {URIRef(exports.iri("27", "Algeria", "Portugal", SAMPLE))}
    keep |= {URIRef(old.iri) for _, old in normalised_pairs(expected)}
    return Summary(state_resolver, data_root, keep)


def cycle(session: int) -> int:
    return 1 if session <= 12 else 2 if session <= 26 else 3 if session <= 40 else 4


@pytest.mark.real_data
def test_real_recommendations_per_session_and_cycle(real, expected):
    rows = expected["rows"]
    assert real.types[HRES.Recommendation] == len(rows) == 61_013
    assert Counter(real.session.values()) == Counter(r.session for r in rows)
    assert Counter(real.cycle.values()) == Counter(str(cycle(int(r.session))) for r in rows)
    assert Counter(real.cycle.values())["3"] == 3_328  # session 27, the first of cycle 3


@pytest.mark.real_data
def test_real_years_are_those_of_the_nmirf_session_table(real, expected, data_root):
    with open(data_root / "raw" / "nmirf-urg-cehdi" / "upr_sessions.csv", encoding="utf-8", newline="") as handle:
        years = {r["session"]: r["year"] for r in csv.DictReader(handle)}
    assert Counter(real.year.values()) == Counter(years[r.session] for r in expected["rows"])


@pytest.mark.real_data
def test_real_responses(real, expected):
    want = Counter(r.response for r in expected["rows"])
    assert real.status == {
        concept("response-status", "supported"): want["Supported"],
        concept("response-status", "noted"): want["Noted"],
    }
    assert real.types[HRES.Response] == len(expected["rows"])


@pytest.mark.real_data
def test_real_match_report(real, expected):
    c = real.report.counts
    got = {
        "same text": c["match: same text"],
        "normalised": c["match: same text once normalised"],
        "only 2018": c["match: in this export only"],
        "only 2015": c["match: in upr-info only"],
        "new": c["match: in a session upr-info lacks (new)"],
    }
    assert got == dict(expected["counts"])
    assert got == {"same text": 41_007, "normalised": 55, "only 2018": 2, "only 2015": 4, "new": 19_949}


@pytest.mark.real_data
def test_real_differences_between_matched_records(real, expected):
    """Counted in the report as the raw files show them; a response the exports disagree on is two resources."""
    status = {"Accepted": "Supported"}
    pairs = expected["pairs"]
    other_response = [old.iri for new, old in pairs if status.get(old.response, old.response) != new.response]
    c = real.report.counts
    assert c["match: response differs"] == len(other_response) == 1
    assert c["match: action category differs"] == sum(new.action != old.action for new, old in pairs) == 46
    assert c["match: issue tags differ"] == sum(set(new.issues) != set(old.issues) for new, old in pairs) == 2_865
    want = {URIRef(f"{i}/response/upr-info") for i in expected["iris"] if i not in other_response}
    assert real.responses == want | {URIRef(f"{i}/response/upr-info-2018") for i in other_response}


@pytest.mark.real_data
def test_real_matched_records_keep_this_exports_wording(real, expected):
    pairs = normalised_pairs(expected)
    assert len(pairs) == 55
    for new, old in pairs:
        assert set(real.kept.objects(URIRef(old.iri), HRES.text)) == {Literal(exports.spaced(new.text), lang="en")}


@pytest.mark.real_data
def test_real_iris_are_the_2015_records_where_matched(real, expected):
    """Every 2018 record is the resource the raw files say: the 2015 record's IRI when matched, else its own."""
    assert {str(s) for s in real.session} == set(expected["iris"]) and len(set(expected["iris"])) == len(
        expected["iris"]
    )


@pytest.mark.real_data
def test_real_issue_tags_are_concepts(real, expected):
    tags = {t for r in expected["rows"] for t in r.issues}
    assert len(tags) == 56
    slugs = {re.sub(r"[^a-z0-9]+", "-", t.lower().replace("'", "")).strip("-") for t in tags}
    assert real.issue_concepts == {VOCAB[f"upr-info-issue/{s}"] for s in slugs}
    assert VOCAB["upr-info-issue/statelessness-and-the-right-to-nationality"] in real.issue_concepts


@pytest.mark.real_data
def test_real_sample_of_session_27(real):
    g, s = real.kept, URIRef(exports.iri("27", "Algeria", "Portugal", SAMPLE))
    assert (s, HRES.text, Literal(SAMPLE, lang="en")) in g
    assert (s, HRES.addressedTo, state("DZA")) in g and (s, HRES.recommendingActor, state("PRT")) in g
    assert (s, HRES.madeInReview, ID["review/upr/27/DZA"]) in g
    assert (s, HRES.inCycleOf, ID["mechanism/upr/cycle/3"]) in g
    assert (s, HRES.actionCategory, concept("action-category", "5")) in g


@pytest.mark.real_data
def test_real_every_resource_typed_and_labelled(real):
    assert real.typed == real.labelled and dict(real.report.unresolved) == {}
