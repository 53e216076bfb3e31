"""The scale generator and benchmark at a tiny scale: deterministic files, the real importers load exactly
the requested number of recommendations, and Virtuoso (bulk-loaded) answers the named queries as the
embedded store does. Speed is never asserted here: `python -m suites.scale` prints the figures."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from hres_graph.queries import catalogue
from hres_graph.store.oxigraph import OxigraphStore
from hres_graph.store.sparql import SparqlStore
from suites.benchmarks.named import case, write_in
from suites.scale import named_timing as nt
from suites.scale.bench import run_build
from suites.scale.generate import generate, plan_reviews
from suites.scale.profile import load_profile
from suites.scale.virtuoso_load import bulk_load, sql_port
from suites.virtuoso import available, running_virtuoso

pytestmark = [pytest.mark.real_data, pytest.mark.slow]

RECOMMENDATIONS = 1_500
# The real rate, 0.02 echoes per 100 recommendations, gives none at this size: the timeline's echo branch
# needs some, so this corpus takes up observer findings 50 times as often (repeats stay at the real rate).
ECHOES = 0.01
nt.RUNS = 0  # answers only: one run per query (timing is the benchmark's job)
# Every named gap and follow-up query is compared. Virtuoso 7.2 departs from SPARQL 1.1 on an unbound value
# (`= x` false, `<= x` true, YEAR() an HTTP 500, a join on a variable unbound on both sides drops the row), on
# MIN() of language-tagged literals and on integer / integer (integer division), and Oxigraph 0.5 on MIN() or
# MAX() over a group with an unbound row (unbound; Virtuoso skips the row): the queries keep to forms both
# engines read alike (BOUND() tests, `?x = COALESCE(?__param, ?x)`, decimals, minimums of plain strings,
# aggregates of always-bound values).
COMPARED = nt.named_cases()


def test_parameters_are_written_into_the_selects_that_project_them():
    """As Oxigraph's substitutions reach them: the outer SELECT, a sub-select projecting the parameter and
    SELECT *, never a sub-select that only uses it (Virtuoso then gave wrong rows)."""
    text = (
        "SELECT ?n ?_p_iri WHERE { { SELECT ?x ?_p_iri WHERE { ?x ?y ?_p_iri } } "
        "MINUS { { SELECT ?x WHERE { ?x ?y ?_p_iri } } } { SELECT DISTINCT * WHERE { ?x ?z ?_p_iri } } "
        "{ SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c } } }"
    )
    written = write_in(text, {"_p_iri": "<urn:p>"})
    values = "VALUES (?_p_iri) { (<urn:p>) }"
    assert written.count(values) == 3
    assert "SELECT ?x WHERE { ?x ?y" in written and "SELECT DISTINCT * WHERE { " + values in written
    assert "{ SELECT ?x ?_p_iri WHERE { " + values in written and "?n ?_p_iri WHERE { " + values in written


@pytest.fixture(scope="module")
def generated(tmp_path_factory, data_root):
    out = tmp_path_factory.mktemp("scale") / "data"
    counts = generate(out, RECOMMENDATIONS, seed=7, data_root=data_root, echoes=ECHOES, log=lambda m: None)
    return out, counts


@pytest.fixture(scope="module")
def built(generated, tmp_path_factory):
    data, _ = generated
    return run_build(data, tmp_path_factory.mktemp("scale-var"))


def test_same_seed_same_files_other_seed_other_files(generated, tmp_path, data_root):
    _, counts = generated
    again = generate(
        tmp_path / "again", RECOMMENDATIONS, seed=7, data_root=data_root, echoes=ECHOES, log=lambda m: None
    )
    other = generate(
        tmp_path / "other", RECOMMENDATIONS, seed=8, data_root=data_root, echoes=ECHOES, log=lambda m: None
    )
    assert again.files == counts.files
    assert other.files != counts.files
    assert set(other.files) == set(counts.files)


def test_plan_has_exactly_the_requested_recommendations_and_every_state_each_cycle():
    profile = load_profile()
    for total in (1, 999, 123_457):
        reviews = plan_reviews(profile, total)
        assert sum(r.recommendations for r in reviews) == total
    reviews = plan_reviews(profile, 10_000)
    states = {row[0] for row in profile["upr_info"]["states_under_review"]}
    assert len({(r.sur, r.session) for r in reviews}) == 4 * len(states)  # one review per State per cycle


def test_real_importers_load_the_requested_count(built, generated):
    _, counts = generated
    assert built["recommendations"] == RECOMMENDATIONS == counts.recommendations
    store = OxigraphStore(built["store"])
    pledges = store.query("SELECT (COUNT(?p) AS ?n) WHERE { GRAPH graph:upr-info { ?p a hres:VoluntaryPledge } }")
    assert int(pledges.rows[0][0]) == counts.pledges
    linked = store.query(
        "SELECT (COUNT(?a) AS ?n) WHERE { GRAPH graph:upr-wg-reports { ?a a hres:ImplementationAssessment } }"
    )
    assert int(linked.rows[0][0]) == counts.assessments
    missions = store.query("SELECT (COUNT(?m) AS ?n) WHERE { ?m a hres:ObservationMission }")
    assert int(missions.rows[0][0]) == counts.missions


def test_benchmark_command_runs(tmp_path):
    """The command line parses and refuses an unknown scale with exit code 2."""
    done = subprocess.run(
        [sys.executable, "-m", "suites.scale", "--scales", "7k"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2 and "unknown scale" in done.stderr


@pytest.fixture(scope="module")
def virtuoso_answers(built, tmp_path_factory):
    if not available():
        message = "virtuoso-t not installed (`make test` installs Debian's virtuoso-opensource)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    work = tmp_path_factory.mktemp("scale-virtuoso")
    local = OxigraphStore(built["store"])
    with running_virtuoso(work) as url:
        # the README's way from one machine to Virtuoso: hres export, then the bulk loader
        (work / "dump").mkdir()
        var = Path(built["store"]).parents[1]
        subprocess.run(
            [
                sys.executable,
                "-m",
                "hres_graph",
                "--var-dir",
                str(var),
                "export",
                "--format",
                "nquads",
                "-o",
                str(work / "dump" / "hres.nq"),
            ],
            check=True,
            timeout=300,
        )
        bulk_load(sql_port(work), work / "dump")
        remote = SparqlStore(url, timeout=60)
        counts = remote.triple_counts()
        answers, timeline, repeated = (
            {case.label: (nt.on_embedded(local, case), nt.on_sparql_store(remote, case)) for case in cases}
            for cases in (nt.virtuoso_cases(COMPARED), timeline_cases(local), mixed_assessment_cases(local))
        )
    return counts, local.triple_counts(), answers, timeline, repeated


def timeline_cases(store) -> list:
    """recommendation-timeline for recommendations of the generated data that reach every branch (the
    examples name real recommendations, absent here): one that repeats, one that echoes (graph/links), one
    that is repeated, one assessed through hres:sameRecommendationAs; each with machine_made true and false."""
    picks = store.query("""SELECT DISTINCT ?r WHERE {
        { SELECT ?r WHERE { GRAPH graph:links { ?r hres:qualifiedRepeat ?link } } ORDER BY ?r LIMIT 1 }
        UNION { SELECT ?r WHERE { GRAPH graph:links { ?r hres:qualifiedEcho ?link } } ORDER BY ?r LIMIT 1 }
        UNION { SELECT ?r WHERE { GRAPH graph:links { ?link hres:linkedItem ?r } ?r hres:madeInReview ?review } ORDER BY ?r LIMIT 1 }
        UNION { SELECT ?r WHERE { ?record hres:sameRecommendationAs ?r . ?assessment hres:assesses ?record } ORDER BY ?r LIMIT 1 }
      }""").rows
    query = catalogue()["recommendation-timeline"]
    return [
        case(query, {"recommendation": str(r), "machine_made": flag}) for (r,) in picks for flag in ("true", "false")
    ]


def mixed_assessment_cases(store) -> list:
    """repeated-without-assessment for States of the generated data with an earlier (theme, cycle) group
    holding an assessed recommendation, dated before a later cycle's recommendation on the theme, and an
    unassessed one: the minimum assessment year over such a group is where the engines part on an unbound
    value (the examples' States have none here, nor had BHR at 10k recommendations). Grouped here in Python
    from the plain rows, not with an aggregate."""
    rows = store.query("""SELECT ?state ?theme ?cycle ?year ?r ?assessedYear WHERE {
        GRAPH graph:upr-info { ?r hres:addressedTo ?state ; hres:theme ?theme ; hres:inCycleOf ?c ; hres:year ?year .
                               ?reply hres:respondsTo ?r }
        ?c hres:cycleNumber ?cycle .
        OPTIONAL { GRAPH graph:derived { ?r hres:hasAssessment ?a } ?a hres:year ?assessedYear }
      }""").rows
    assessed: dict[tuple, dict] = defaultdict(dict)  # (state, theme, cycle) -> recommendation -> first year
    review_year: dict[tuple, int] = {}
    for state, theme, cycle, year, r, assessed_year in rows:
        key = (str(state), str(theme), int(str(cycle)))
        review_year[key] = min(int(str(year)), review_year.get(key, 9999))
        years = assessed[key].setdefault(str(r), set())
        if assessed_year is not None:
            years.add(int(str(assessed_year)))
    picks = set()
    for (state, theme, cycle), years in assessed.items():
        first = min((y for ys in years.values() for y in ys), default=None)
        if (
            first is not None
            and not all(years.values())
            and any(
                s == state and t == theme and later > cycle and year > first
                for (s, t, later), year in review_year.items()
            )
        ):
            picks.add(state)
    query = catalogue()["repeated-without-assessment"]
    return [case(query, {"state": state}) for state in sorted(picks)[:2]]


@pytest.mark.external_store
def test_bulk_load_brings_every_triple(virtuoso_answers):
    remote, local = virtuoso_answers[:2]
    assert remote == local


@pytest.mark.external_store
def test_virtuoso_answers_recommendation_timeline_as_embedded(virtuoso_answers):
    """Every branch of the timeline is reached (links both ways, an assessment), and both engines agree."""
    timeline = virtuoso_answers[3]
    assert len(timeline) == 8
    events = {row[1][0] for embedded, _ in timeline.values() for row in embedded.answer}
    assert {
        "repeats earlier recommendation",
        "echoes observer item",
        "repeated by later recommendation",
        "assessment",
        "response",
    } <= events, events
    for label, (embedded, virtuoso) in timeline.items():
        assert not virtuoso.error, (label, virtuoso.error)
        assert virtuoso.answer == embedded.answer, label


@pytest.mark.external_store
def test_virtuoso_answers_repeated_without_assessment_on_mixed_groups(virtuoso_answers):
    """A theme whose earlier recommendations were partly assessed before the later review is dropped on both
    engines: the minimum over the group's assessment years was unbound on Oxigraph when one recommendation had
    none (Virtuoso skipped it), and Oxigraph kept the theme (UGA here: 5 rows vs 4)."""
    repeated = virtuoso_answers[4]
    assert repeated, "the generated data has no State with a partly assessed earlier theme group"
    for label, (embedded, virtuoso) in repeated.items():
        assert not virtuoso.error, (label, virtuoso.error)
        assert virtuoso.answer == embedded.answer, label


@pytest.mark.external_store
@pytest.mark.parametrize("label", [c.label for c in nt.virtuoso_cases(COMPARED)])
def test_virtuoso_answers_named_query_as_embedded(virtuoso_answers, label):
    embedded, virtuoso = virtuoso_answers[2][label]
    assert not virtuoso.error, virtuoso.error
    assert virtuoso.answer == embedded.answer
