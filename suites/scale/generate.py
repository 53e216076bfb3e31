"""Generate a realistic HRES data folder at a chosen scale, in the real sources' own file formats.

    python -m suites.scale.generate OUT --recommendations 100000 [--seed 1]
    hres --config OUT/hres.toml build          # the real importers read it

The folder has the layout of ../shared/data, so the real importers load it unchanged:

* `raw/upr-info-terman/upr-info-export/`: UPR recommendations and voluntary pledges in the legacy UPR
  Info export layout (To, To-Rgrp, …, Session), exactly `--recommendations` recommendations over UPR
  cycles 1-4 (sessions 1-54), each State reviewed once per cycle;
* `raw/upr-info-terman/wg-report-parse/`: working-group report rows for a share of them (same text, so
  the importer's linking matches them), with the real decision mix; "implemented" rows become
  implementation assessments;
* `raw/ratification-status-wpdl/`: one status sheet per core instrument for the 193 UN members;
* `raw/electionguide-dates/election_df.csv` and `curated/eom-missions/` (missions and findings);
* `raw/internacia-states` and `raw/unhrd-treaty-texts`: symbolic links to the real reference data
  (States and treaty provisions do not grow with the corpus).

Every proportion comes from profile.json (measured from the real files by profile.py). The same
seed and scale give byte-identical files: one random generator per review, seeded from the seed,
the State and the cycle. Rows are written as they are drawn, so memory does not grow with scale
(what is kept, the last drafts of each pair of States and the findings, is bounded by the number of
States and by the missions).

Texts are drawn so that hres_graph/build/links.py finds about the real repeats and echoes per recommendation:
a topic, content words drawn with Zipf weights from a few hundred (stem sets of about the real size,
most pairs of texts sharing little), and, at the real rates (REPEATS_PER_RECOMMENDATION,
ECHOES_PER_RECOMMENDATION), a recommendation that says an earlier cycle's one of the same pair of States
again or takes up a finding of an observer mission. Texts that merely look alike, as the earlier
templates (a verb and two of twenty phrases) did, gave at 300,000 recommendations 10 times the real
repeats and 1,300 times the real echoes per recommendation, and growing with scale.
"""

from __future__ import annotations

import argparse
import bisect
import collections
import csv
import hashlib
import itertools
import json
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

from hres_graph.build.similarity import stem
from hres_graph.config import Settings
from hres_graph.importers.upr_common import SESSION_YEAR, cycle_of

from .profile import load_profile

SOURCES = ("states", "treaty-texts", "ratification-wpdl", "upr-info", "upr-wg-reports", "elections", "eom-missions")
LINKED = ("raw/internacia-states", "raw/unhrd-treaty-texts")
CYCLES = 4
WG_SHARE = 0.2  # share of recommendations with a WG-report row (real: 96 %; kept low to stay near 17 triples per recommendation)
UPR_HEADER = (
    "To",
    "To-Rgrp",
    "To-Org",
    "Text",
    "From",
    "From-Rgrp",
    "From-Org",
    "Response",
    "Action",
    "Issue",
    "Session",
)

# Words of generated recommendation texts, by UPR Info action category (1 = minimal action … 5 = specific).
VERBS = {
    "1": (
        "Call on the international community to support efforts on",
        "Request technical assistance on",
        "Share its experience and good practices on",
        "Seek the support of the international community on",
    ),
    "2": (
        "Continue its efforts on",
        "Continue to strengthen its work on",
        "Pursue its policies on",
        "Maintain its commitment to",
    ),
    "3": (
        "Consider measures on",
        "Consider ratifying the instruments on",
        "Study the possibility of reforms on",
        "Consider the recommendations of the treaty bodies on",
    ),
    "4": (
        "Take further measures on",
        "Take effective measures to improve",
        "Strengthen the protection of",
        "Ensure full respect for",
        "Redouble its efforts on",
        "Promote",
    ),
    "5": (
        "Adopt a law on",
        "Ratify the international instruments on",
        "Establish an independent body on",
        "Amend its legislation on",
        "Adopt a national action plan on",
        "Repeal the provisions that restrict",
    ),
}
QUALIFIERS = (
    "in line with its international obligations",
    "with the participation of civil society",
    "in particular for persons with disabilities",
    "including in rural areas",
    "with adequate resources",
    "in cooperation with OHCHR",
    "ahead of the next elections",
    "in particular for women and girls",
    "for minorities and indigenous peoples",
    "through a transparent and inclusive process",
    "and report on progress at the next review",
    "by the end of the review cycle",
    "so that every citizen can vote",
    "to guarantee free and fair elections",
    "and investigate all cases of intimidation",
    "without discrimination of any kind",
    "in accordance with the Paris Principles",
    "and provide effective remedies",
    "with a time-bound plan",
    "and allocate the necessary budget",
)
QUALIFIER_SHARE = 0.6  # texts that end with one qualifier
# Content words of recommendation texts (distinct 6-letter stems, so each is one token of similarity.py),
# most frequent first and drawn with Zipf weights, as the stems of real texts are (the real data has about
# 6,000 distinct stems; a handful such as "rights" or "protection" are in a fifth of the texts).
CONTENT_WORDS = """
protection implementation legislation national law effective access prevention development social victims
policies programmes framework institutions public reform judicial police investigation prosecution capacity
awareness services health education employment housing security freedom justice equality gender violence
domestic sexual abuse exploitation labour workers detention prisons conditions courts judges lawyers trials
independence impartiality accountability transparency corruption budget resources training officials officers
monitoring mechanism reporting data statistics information media journalists defenders activists association
assembly religion belief expression privacy identity registration birth citizenship nationality statelessness
refugees asylum migrants trafficking smuggling forced marriage early harmful practices mutilation inheritance
property land water sanitation food poverty rural urban communities families parents adolescents youth elderly
persons disabilities inclusion participation consultation dialogue cooperation assistance partners regional
international treaty protocols conventions ratification accession reservations withdrawal compliance standards
guidelines principles strategy action plan targets indicators evaluation review follow-up commission ombudsman
institution mandate visits invitation rapporteur experts procedures complaints remedies reparation compensation
rehabilitation reintegration shelters hotlines helplines counselling schools curricula teachers literacy
enrolment dropout scholarships universities vocational apprenticeships wages salaries pensions benefits
insurance maternity paternity leave childcare nutrition vaccination hospitals clinics medicines reproductive
contraception abortion mortality epidemics tuberculosis malaria disasters climate environment pollution forests
mining extractive business corporate enterprises contracts procurement taxation debt aid donors bilateral
multilateral sanctions conflict peace reconciliation transitional truth memory archives graves exhumation
missing disappeared executions torture ill-treatment confessions evidence interrogation custody pretrial
bail sentencing penalties moratorium abolition clemency pardon amnesty immunity military tribunals emergency
terrorism extremism radicalization surveillance interception internet platforms broadcasting licensing
defamation blasphemy sedition censorship websites bloggers unions strikes bargaining inspections overtime
domestic-workers seasonal plantations fisheries factories child-labour hazardous bonded slavery servitude
""".split()
CONTENT_ZIPF = 0.6  # Zipf exponent of the content-word draws
CONTENT_WORDS_PER_TEXT = ((2, 10), (3, 16), (4, 18), (5, 16), (6, 13), (7, 10), (8, 7), (9, 5), (10, 3), (11, 2))
# Repeats and echoes (hres_graph/build/links.py), per recommendation, as measured on the real data (build of
# 2026-11: 668 repeats and 10 echoes over 42,627 UPR recommendations): a State makes a recommendation
# again in a later cycle (most words kept), or a recommendation takes up an observer mission's finding.
# Other texts are too unlike to link by chance, as in the real data (74 % of the pairs compared score
# under 0.1).
REPEATS_PER_RECOMMENDATION = 668 / 42_627
ECHOES_PER_RECOMMENDATION = 10 / 42_627
REMEMBERED_PER_PAIR = 3  # earlier texts kept per (State under review, recommending State): memory is bounded
# Words of generated findings: electoral terms (few shared with recommendation texts, as in the real data)
FINDING_WORDS = """
turnout polling stations ballots tabulation counting accreditation observers party agents candidates nomination
deposits signatures constituency boundaries districting quotas commission commissioners appointments vacancies
tallies protocols recounts annulment petitions deadlines adjudication hearings appeals voters roll biometric
duplicates deceased diaspora out-of-country advance proxy mobile assisted illiterate spoiled invalid envelopes
seals tamper ink queues opening closing results publication website precinct aggregation software audits
incumbency state-resources vote-buying handouts rallies permits posters broadcasters airtime coverage bias
hate-speech disinformation social-media threats clashes arrests curfews checkpoints militias intimidation
""".split()
INSTRUMENT_PHRASES = (
    "the International Covenant on Civil and Political Rights (ICCPR)",
    "the Convention on the Elimination of All Forms of Discrimination against Women",
    "the Convention on the Rights of Persons with Disabilities",
    "the International Convention on the Elimination of All Forms of Racial Discrimination",
    "the Optional Protocol to the Convention against Torture (OPCAT)",
    "the International Convention for the Protection of All Persons from Enforced Disappearance",
)
FINDING_TOPICS = (
    "legal framework gaps",
    "administration impartiality",
    "voter list accuracy",
    "campaign environment",
    "media access",
    "dispute resolution",
    "women's participation",
    "counting transparency",
)
BODIES = (
    "President",
    "National Assembly",
    "Senate",
    "Chamber of Deputies",
    "House of Representatives",
    "Parliament",
    "Local Councils",
)


class Weighted:
    """Draw from [[value, weight], …] by binary search over cumulative weights."""

    def __init__(self, pairs):
        self.values = [v for v, _ in pairs]
        self.cum = list(itertools.accumulate(float(w) for _, w in pairs))

    def draw(self, rng: random.Random):
        return self.values[bisect.bisect_right(self.cum, rng.random() * self.cum[-1])]


@dataclass
class Review:
    sur: str
    group: str
    org: str
    session: int
    recommendations: int
    weight: float = 0.0


@dataclass
class Counts:
    recommendations: int = 0
    pledges: int = 0
    wg_rows: int = 0
    assessments: int = 0
    elections: int = 0
    missions: int = 0
    findings: int = 0
    files: dict = field(default_factory=dict)


def _rng(seed: int, *parts) -> random.Random:
    digest = hashlib.sha256("|".join(map(str, (seed, *parts))).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def session_in_cycle(first_session: int, cycle: int) -> int:
    """A State keeps its place in the review calendar: cycle 1 has sessions 1-12, later ones 14 each."""
    if cycle == 1:
        return first_session
    return 13 + 14 * (cycle - 2) + min(13, (first_session - 1) * 14 // 12)


def plan_reviews(profile: dict, total: int) -> list[Review]:
    """Every State once per cycle, with recommendations in proportion to its real count and the real
    growth from cycle 1 to cycle 2 (later cycles as cycle 2); largest remainders make the sum exact."""
    upr = profile["upr_info"]
    means = upr["mean_recommendations_per_review_by_cycle"]
    cycle_weight = [means["1"]] + [means["2"]] * (CYCLES - 1)
    reviews = []
    for sur, group, org, count, first in upr["states_under_review"]:
        for cycle in range(1, CYCLES + 1):
            reviews.append(
                Review(sur, group, org, session_in_cycle(first or 1, cycle), 0, count * cycle_weight[cycle - 1])
            )
    scale = total / sum(r.weight for r in reviews)
    for r in reviews:
        r.recommendations = int(r.weight * scale)
    short = total - sum(r.recommendations for r in reviews)
    for r in sorted(reviews, key=lambda r: (r.recommendations - r.weight * scale, r.sur, r.session))[:short]:
        r.recommendations += 1
    return reviews


@dataclass(frozen=True)
class Draft:
    """What a recommendation says, before its verb: kept so a later cycle can say it again."""

    issues: tuple[str, ...]
    topic: str
    words: tuple[str, ...]
    qualifier: str

    def text(self, verb: str) -> str:
        words = list(self.words)
        content = ", ".join(" and ".join(words[i : i + 2]) for i in range(0, len(words), 2))
        tail = [f"including the {content}"] if content else []
        tail += [self.qualifier] if self.qualifier else []
        if len(self.issues) > 1:
            tail.append("and on " + " and ".join(i.lower() for i in self.issues[1:]))
        return f"{verb} {self.topic}, {' '.join(tail)}." if tail else f"{verb} {self.topic}."


def _distinct_stems(words: list[str]) -> list[str]:
    return list({stem(w): w for w in reversed(words)}.values())[::-1]  # first word of each stem


class UprWriter:
    """Draws the recommendations of each review and writes them (and their WG-report rows) as it goes."""

    def __init__(
        self,
        profile: dict,
        seed: int,
        wg_share: float,
        findings: dict | None = None,
        repeat_share: float = 0.0,
        echo_share: float = 0.0,
    ):
        upr = profile["upr_info"]
        self.seed, self.wg_share = seed, wg_share
        self.recommenders = {g: Weighted(pairs) for g, pairs in upr["recommenders_by_sur_region"].items()}
        self.action = Weighted(upr["action_categories"])
        self.response = {a: Weighted(p) for a, p in upr["response_by_action"].items()}
        self.n_issues = Weighted(upr["issues_per_recommendation"])
        self.issue = Weighted(upr["issues"])
        pledges = upr["pledges_per_review"]
        self.pledge_review_share = pledges["reviews_with_pledges"] / upr["reviews"]
        self.pledges_per_recommendation = pledges["pledges"] / upr["recommendations"]
        self.wg_decision = Weighted([d for d in profile["wg_reports"]["decisions"] if d[0] != "unknown"])
        words = _distinct_stems(CONTENT_WORDS)
        self.content = Weighted([(w, rank**-CONTENT_ZIPF) for rank, w in enumerate(words, 1)])
        self.n_content = Weighted(CONTENT_WORDS_PER_TEXT)
        self.findings = findings or {}  # State name -> [(year, finding words)], for echoes
        self.repeat_share, self.echo_share = repeat_share, echo_share
        # (State under review, recommending State) -> its last drafts with their cycle: bounded by the
        # number of State pairs, not by the corpus
        self.earlier: dict[tuple[str, str], collections.deque] = {}
        self.owed_repeats = 0

    def draft(self, rng: random.Random, issues: list[str]) -> Draft:
        topic = issues[0].lower().replace(" - ", " and ")
        if issues[0] == "International instruments":
            topic = rng.choice(INSTRUMENT_PHRASES)
        words = list(dict.fromkeys(self.content.draw(rng) for _ in range(self.n_content.draw(rng))))
        qualifier = rng.choice(QUALIFIERS) if rng.random() < QUALIFIER_SHARE else ""
        return Draft(tuple(issues), topic, tuple(words), qualifier)

    def text(self, rng: random.Random, action: str, issues: list[str]) -> str:
        return self.draft(rng, issues).text(rng.choice(VERBS[action]))

    def _again(self, rng: random.Random, pair: tuple[str, str], cycle: int) -> Draft | None:
        """An earlier cycle's draft of the same pair, one content word in two replaced: said again."""
        earlier = [d for c, d in self.earlier.get(pair, ()) if c < cycle]
        if not earlier:
            return None
        d = rng.choice(earlier)
        words = list(d.words)
        if len(words) >= 3 and rng.random() < 0.5:
            words[rng.randrange(len(words))] = self.content.draw(rng)
        return Draft(d.issues, d.topic, tuple(dict.fromkeys(words)), d.qualifier)

    def _echoable(self, r: Review) -> bool:
        return any(year <= SESSION_YEAR[r.session] for year, _ in self.findings.get(r.sur, ()))

    def _echo(self, rng: random.Random, r: Review) -> Draft:
        """A recommendation taking up an observer mission's finding about the State, from its year or before."""
        seen = [words for year, words in self.findings[r.sur] if year <= SESSION_YEAR[r.session]]
        return Draft(("Elections",), "the findings of election observers", rng.choice(seen), "")

    def _said_before(self, rng: random.Random, r: Review, pair: tuple[str, str], cycle: int) -> Draft | None:
        """An echo (in a review of a State with an earlier finding) or a repeat (in a later cycle), by their
        shares (link_shares); a repeat drawn for a pair with nothing earlier waits for the next recommendation
        whose pair has, so that small corpora get their share too."""
        chance = rng.random()
        echoable = self._echoable(r)
        if echoable and chance < self.echo_share:
            return self._echo(rng, r)
        if cycle > 1 and chance < self.echo_share * echoable + self.repeat_share:
            self.owed_repeats += 1
        if self.owed_repeats and (draft := self._again(rng, pair, cycle)):
            self.owed_repeats -= 1
            return draft
        return None

    def review(self, r: Review, upr_out, wg_out, counts: Counts) -> None:
        rng = _rng(self.seed, r.sur, r.session)
        words = _rng(self.seed, "texts", r.sur, r.session)  # its own generator: the rest is drawn as before
        paragraph = itertools.count(1)
        cycle = cycle_of(r.session)
        for _ in range(r.recommendations):
            from_name, from_group, from_org = self._recommender(rng, r)
            action = self.action.draw(rng)
            response = self.response[action].draw(rng)
            issues = list(dict.fromkeys(self.issue.draw(rng) for _ in range(self.n_issues.draw(rng))))
            draft = self._said_before(words, r, (r.sur, from_name), cycle) or self.draft(words, issues)
            self.earlier.setdefault((r.sur, from_name), collections.deque(maxlen=REMEMBERED_PER_PAIR)).append(
                (cycle, draft)
            )
            text = draft.text(words.choice(VERBS[action]))
            upr_out.writerow(
                (
                    r.sur,
                    r.group,
                    r.org,
                    text,
                    from_name,
                    from_group,
                    from_org,
                    response,
                    action,
                    ",".join(draft.issues),
                    r.session,
                )
            )
            counts.recommendations += 1
            if rng.random() < self.wg_share and not from_name.startswith("&#40;"):  # WG reports name a State
                decision = self.wg_decision.draw(rng)
                wg_out.writerow(
                    (
                        f"{r.session + 80}.{next(paragraph)} {text} ({from_name});",
                        r.sur,
                        decision,
                        from_name,
                        SESSION_YEAR[r.session],
                        "",
                    )
                )
                counts.wg_rows += 1
                counts.assessments += decision == "implemented"
        if rng.random() < self.pledge_review_share:
            for i in range(
                max(1, round(r.recommendations * self.pledges_per_recommendation / self.pledge_review_share))
            ):
                issue = self.issue.draw(rng)
                text = self.text(rng, "5", [issue])
                upr_out.writerow(
                    (
                        r.sur,
                        r.group,
                        r.org,
                        f"The Government commits to {text[0].lower()}{text[1:]}",
                        r.sur,
                        r.group,
                        r.org,
                        "Voluntary Pledge",
                        "5",
                        issue,
                        r.session,
                    )
                )
                counts.pledges += 1

    def _recommender(self, rng: random.Random, r: Review) -> tuple[str, str, str]:
        while True:
            name, group, org = self.recommenders[r.group].draw(rng).split("|")
            if name != r.sur:
                return name, group, org


def link_shares(
    reviews: list[Review],
    findings: dict,
    repeats: float = REPEATS_PER_RECOMMENDATION,
    echoes: float = ECHOES_PER_RECOMMENDATION,
) -> tuple[float, float]:
    """The chance that a recommendation says an earlier cycle's one again, and that it takes up a finding,
    among the recommendations that can (a later cycle; a State with an earlier finding), so that the whole
    corpus has the real repeats and echoes per recommendation."""
    total = sum(r.recommendations for r in reviews)
    later = sum(r.recommendations for r in reviews if cycle_of(r.session) > 1)
    echoable = sum(
        r.recommendations
        for r in reviews
        if any(year <= SESSION_YEAR[r.session] for year, _ in findings.get(r.sur, ()))
    )
    return (
        min(1.0, repeats * total / later) if later else 0.0,
        min(1.0, echoes * total / echoable) if echoable else 0.0,
    )


def _link_reference(out: Path, data_root: Path) -> None:
    for rel in LINKED:
        target, link = data_root / rel, out / rel
        if not target.exists():
            raise SystemExit(
                f"error: {target} not found: the generator links the real States and treaty texts "
                f"(set HRES_DATA_ROOT or --data-root)"
            )
        link.parent.mkdir(parents=True, exist_ok=True)
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(target.resolve(), target_is_directory=True)


def write_ratifications(out: Path, profile: dict, seed: int) -> None:
    folder = out / "raw/ratification-status-wpdl"
    folder.mkdir(parents=True, exist_ok=True)
    members = profile["ratification"]["members"]
    for key, shape in profile["ratification"]["instruments"].items():
        rng = _rng(seed, "ratification", key)
        status, decades = Weighted(shape["status"]), Weighted(shape["decades"] or [["2000", 1]])
        header = ["iso2", "member", "state party", "year ratification or accession", "signatory", "no action", "status"]
        header += ["note"] if shape["has_note_column"] else []
        with open(folder / f"hr_status_{key}.csv", "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            for iso2, member in members:
                s = status.draw(rng)
                year = str(int(decades.draw(rng)) + rng.randrange(10)) if s == "state party" else ""
                flags = {"state party": ("1", "0", "0"), "signatory state": ("0", "1", "0")}.get(s, ("0", "0", "1"))
                writer.writerow(
                    [iso2, member, flags[0], year, flags[1], flags[2], s] + ([""] if shape["has_note_column"] else [])
                )


def write_elections(
    out: Path, profile: dict, seed: int, states: list[tuple[str, str]]
) -> list[tuple[str, str, str, str]]:
    """About the real number of elections per State (they do not grow with the corpus), 2000-2021."""
    shape = profile["elections"]
    per_state = shape["rows"] / shape["countries"]
    status = Weighted(shape["status"])
    years = Weighted([y for y in shape["years"] if "2000" <= y[0] <= "2021"])
    folder = out / "raw/electionguide-dates"
    folder.mkdir(parents=True, exist_ok=True)
    held = []
    with open(folder / "election_df.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(("date", "country", "election", "status"))
        for name, iso3 in states:
            rng = _rng(seed, "elections", iso3)
            seen = set()
            for _ in range(int(per_state) + (rng.random() < per_state % 1)):
                day = f"{years.draw(rng)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                referendum = rng.random() < shape["referendum_share"]
                body = "Referendum" if referendum else f"Election for {rng.choice(BODIES)}"
                if (day, body) in seen:
                    continue
                seen.add((day, body))
                s = status.draw(rng)
                writer.writerow((day, name, body, s))
                if s == "Held" and not referendum:
                    held.append((iso3, name, day, body))
    return held


def write_missions(
    out: Path, profile: dict, seed: int, elections: list, scale: float, counts: Counts
) -> dict[str, list[tuple[int, tuple[str, ...]]]]:
    """Observation missions in proportion to the corpus (scale = recommendations / real recommendations).
    Returns each State's findings (election year, content words), which recommendations may echo."""
    shape = profile["eom"]
    rng = _rng(seed, "missions")
    wording = _rng(seed, "finding-texts")  # its own generator: missions and findings are drawn as before
    folder = out / "curated/eom-missions"
    folder.mkdir(parents=True, exist_ok=True)
    org, mtype, etype = (Weighted(shape[k]) for k in ("organizations", "mission_types", "election_types"))
    n_findings, kind, part, priority = (
        Weighted(shape[k]) for k in ("findings_per_mission", "finding_kinds", "process_parts", "priority")
    )
    wanted = min(len(elections) * 3, round(shape["missions"] * scale))
    keys, said = set(), {}
    with (
        open(folder / "missions.csv", "w", encoding="utf-8", newline="") as m,
        open(folder / "findings.csv", "w", encoding="utf-8", newline="") as f,
    ):
        missions, findings = csv.writer(m), csv.writer(f)
        missions.writerow(
            (
                "organization",
                "mission_type",
                "country_iso3",
                "country_name",
                "election_type",
                "election_date",
                "final_report_date",
                "n_recommendations",
                "n_priority_recommendations",
                "prior_recommendations_assessed",
                "chief_observer",
                "key_topics",
                "source_url",
                "notes",
                "mission_key",
            )
        )
        findings.writerow(
            (
                "mission_key",
                "kind",
                "topic",
                "electoral_process_part",
                "summary",
                "right_or_standard",
                "priority",
                "source_url",
            )
        )
        while len(keys) < wanted:
            iso3, name, day, _ = elections[rng.randrange(len(elections))]
            o = org.draw(rng)
            key = f"{o}+{iso3}+{day}"
            if key in keys:
                continue
            keys.add(key)
            n = n_findings.draw(rng)
            parts = [part.draw(rng) for _ in range(n)]
            missions.writerow(
                (
                    o,
                    mtype.draw(rng),
                    iso3,
                    name,
                    etype.draw(rng),
                    day,
                    "",
                    n,
                    "",
                    "",
                    "",
                    "; ".join(dict.fromkeys(parts)),
                    "",
                    "generated by suites.scale",
                    key,
                )
            )
            for i, p in enumerate(parts, 1):
                topic = f"{rng.choice(FINDING_TOPICS)} ({i})"
                words = tuple(dict.fromkeys(wording.choice(FINDING_WORDS) for _ in range(wording.randint(3, 6))))
                findings.writerow(
                    (
                        key,
                        kind.draw(rng),
                        topic,
                        p,
                        f"The mission found concerns about {p} and the {topic.split(' (')[0]}: {', '.join(words)}.",
                        "",
                        priority.draw(rng),
                        "",
                    )
                )
                said.setdefault(name, []).append((int(day[:4]), words))
            counts.findings += n
        counts.missions = len(keys)
    return said


def generate(
    out: Path,
    recommendations: int,
    seed: int = 1,
    *,
    data_root: Path | None = None,
    wg_share: float = WG_SHARE,
    repeats: float = REPEATS_PER_RECOMMENDATION,
    echoes: float = ECHOES_PER_RECOMMENDATION,
    log=lambda msg: print(msg, file=sys.stderr),
) -> Counts:
    """`repeats` and `echoes`: per recommendation, the real rates unless a test wants more of them."""
    from hres_graph.importers.state_names import StateResolver

    if recommendations < 1:
        raise SystemExit("error: --recommendations must be at least 1")
    data_root = Path(data_root or Settings().data_root)
    profile = load_profile()
    out.mkdir(parents=True, exist_ok=True)
    _link_reference(out, data_root)
    counts = Counts()
    upr_dir, wg_dir = out / "raw/upr-info-terman/upr-info-export", out / "raw/upr-info-terman/wg-report-parse"
    upr_dir.mkdir(parents=True, exist_ok=True)
    wg_dir.mkdir(parents=True, exist_ok=True)
    reviews = plan_reviews(profile, recommendations)
    write_ratifications(out, profile, seed)
    resolver = StateResolver.from_internacia(out / "raw/internacia-states/countries")
    states = sorted({(r.sur, resolver.resolve(r.sur)) for r in reviews if resolver.resolve(r.sur)})
    held = write_elections(out, profile, seed, states)
    counts.elections = len(held)
    findings = write_missions(
        out, profile, seed, held, recommendations / profile["upr_info"]["recommendations"], counts
    )
    writer = UprWriter(profile, seed, wg_share, findings, *link_shares(reviews, findings, repeats, echoes))
    # utf-8-sig: the importer reads a legacy-layout file with a BOM as UTF-8 (without, as Mac Roman)
    with (
        open(upr_dir / "sessions_1-54.csv", "w", encoding="utf-8-sig", newline="") as u,
        open(wg_dir / "generated.csv", "w", encoding="utf-8", newline="") as w,
    ):
        upr_out, wg_out = csv.writer(u), csv.writer(w)
        upr_out.writerow(UPR_HEADER)
        wg_out.writerow(("text", "to", "decision", "From", "year", "notes"))
        for i, r in enumerate(sorted(reviews, key=lambda r: (r.session, r.sur)), 1):
            writer.review(r, upr_out, wg_out, counts)
            if i % 100 == 0:
                log(f"  generated {counts.recommendations:,}/{recommendations:,} recommendations")
    (out / "hres.toml").write_text(
        "# generated by python -m suites.scale.generate; build with: hres --config THIS_FILE build\n"
        f'[data]\nroot = "."\n[sources]\nonly = {json.dumps(list(SOURCES))}\n',
        encoding="utf-8",
    )
    counts.files = {str(p.relative_to(out)): _sha256(p) for p in sorted(out.rglob("*.csv")) if not _linked(p, out)}
    (out / "generated.json").write_text(
        json.dumps(
            {
                "recommendations": recommendations,
                "seed": seed,
                "wg_share": wg_share,
                "repeats": repeats,
                "echoes": echoes,
                **counts.__dict__,
            },
            indent=1,
        ),
        encoding="utf-8",
    )
    return counts


def _linked(path: Path, out: Path) -> bool:
    return any(str(path.relative_to(out)).startswith(rel) for rel in LINKED)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m suites.scale.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--recommendations", "-n", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--wg-share", type=float, default=WG_SHARE)
    parser.add_argument(
        "--repeats",
        type=float,
        default=REPEATS_PER_RECOMMENDATION,
        help="recommendations saying an earlier cycle's one again, per recommendation (real: %(default).4f)",
    )
    parser.add_argument(
        "--echoes",
        type=float,
        default=ECHOES_PER_RECOMMENDATION,
        help="recommendations taking up an observer finding, per recommendation (real: %(default).5f)",
    )
    parser.add_argument("--data-root", type=Path, help="real data folder whose States and treaty texts are linked")
    args = parser.parse_args(argv)
    counts = generate(
        args.out,
        args.recommendations,
        args.seed,
        data_root=args.data_root,
        wg_share=args.wg_share,
        repeats=args.repeats,
        echoes=args.echoes,
    )
    print(json.dumps({k: v for k, v in counts.__dict__.items() if k != "files"}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
