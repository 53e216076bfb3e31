"""Generate a realistic HRES data folder at a chosen scale, in the real sources' own file formats.

    python -m hres_graph.scale.generate OUT --recommendations 100000 [--seed 1]
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
the State and the cycle. Rows are written as they are drawn, so memory does not grow with scale.
"""
from __future__ import annotations

import argparse
import bisect
import csv
import hashlib
import itertools
import json
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Settings
from ..importers._upr_common import SESSION_YEAR
from .profile import load_profile

SOURCES = ("states", "treaty-texts", "ratification-wpdl", "upr-info", "upr-wg-reports", "elections", "eom-missions")
LINKED = ("raw/internacia-states", "raw/unhrd-treaty-texts")
CYCLES = 4
WG_SHARE = 0.2  # share of recommendations with a WG-report row (real: 96 %; kept low to stay near 17 triples per recommendation)
UPR_HEADER = ("To", "To-Rgrp", "To-Org", "Text", "From", "From-Rgrp", "From-Org", "Response", "Action", "Issue", "Session")

# Words of generated recommendation texts, by UPR Info action category (1 = minimal action … 5 = specific).
VERBS = {
    "1": ("Call on the international community to support efforts on", "Request technical assistance on",
          "Share its experience and good practices on", "Seek the support of the international community on"),
    "2": ("Continue its efforts on", "Continue to strengthen its work on", "Pursue its policies on",
          "Maintain its commitment to"),
    "3": ("Consider measures on", "Consider ratifying the instruments on", "Study the possibility of reforms on",
          "Consider the recommendations of the treaty bodies on"),
    "4": ("Take further measures on", "Take effective measures to improve", "Strengthen the protection of",
          "Ensure full respect for", "Redouble its efforts on", "Promote"),
    "5": ("Adopt a law on", "Ratify the international instruments on", "Establish an independent body on",
          "Amend its legislation on", "Adopt a national action plan on", "Repeal the provisions that restrict"),
}
QUALIFIERS = ("in line with its international obligations", "with the participation of civil society",
              "in particular for persons with disabilities", "including in rural areas", "with adequate resources",
              "in cooperation with OHCHR", "ahead of the next elections", "in particular for women and girls",
              "for minorities and indigenous peoples", "through a transparent and inclusive process",
              "and report on progress at the next review", "by the end of the review cycle",
              "so that every citizen can vote", "to guarantee free and fair elections",
              "and investigate all cases of intimidation", "without discrimination of any kind",
              "in accordance with the Paris Principles", "and provide effective remedies",
              "with a time-bound plan", "and allocate the necessary budget")
INSTRUMENT_PHRASES = ("the International Covenant on Civil and Political Rights (ICCPR)",
                      "the Convention on the Elimination of All Forms of Discrimination against Women",
                      "the Convention on the Rights of Persons with Disabilities",
                      "the International Convention on the Elimination of All Forms of Racial Discrimination",
                      "the Optional Protocol to the Convention against Torture (OPCAT)",
                      "the International Convention for the Protection of All Persons from Enforced Disappearance")
FINDING_TOPICS = ("legal framework gaps", "administration impartiality", "voter list accuracy", "campaign environment",
                  "media access", "dispute resolution", "women's participation", "counting transparency")
BODIES = ("President", "National Assembly", "Senate", "Chamber of Deputies", "House of Representatives",
          "Parliament", "Local Councils")


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
            reviews.append(Review(sur, group, org, session_in_cycle(first or 1, cycle), 0, count * cycle_weight[cycle - 1]))
    scale = total / sum(r.weight for r in reviews)
    for r in reviews:
        r.recommendations = int(r.weight * scale)
    short = total - sum(r.recommendations for r in reviews)
    for r in sorted(reviews, key=lambda r: (r.recommendations - r.weight * scale, r.sur, r.session))[:short]:
        r.recommendations += 1
    return reviews


class UprWriter:
    """Draws the recommendations of each review and writes them (and their WG-report rows) as it goes."""

    def __init__(self, profile: dict, seed: int, wg_share: float):
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

    def text(self, rng: random.Random, action: str, issues: list[str]) -> str:
        topic = issues[0].lower().replace(" - ", " and ")
        if issues[0] == "International instruments":
            topic = rng.choice(INSTRUMENT_PHRASES)
        words = [rng.choice(VERBS[action]), topic, *rng.sample(QUALIFIERS, 2)]
        if len(issues) > 1:
            words.append("and address " + " and ".join(i.lower() for i in issues[1:]))
        return " ".join(words) + "."

    def review(self, r: Review, upr_out, wg_out, counts: Counts) -> None:
        rng = _rng(self.seed, r.sur, r.session)
        paragraph = itertools.count(1)
        for _ in range(r.recommendations):
            from_name, from_group, from_org = self._recommender(rng, r)
            action = self.action.draw(rng)
            response = self.response[action].draw(rng)
            issues = list(dict.fromkeys(self.issue.draw(rng) for _ in range(self.n_issues.draw(rng))))
            text = self.text(rng, action, issues)
            upr_out.writerow((r.sur, r.group, r.org, text, from_name, from_group, from_org, response, action,
                              ",".join(issues), r.session))
            counts.recommendations += 1
            if rng.random() < self.wg_share and not from_name.startswith("&#40;"):  # WG reports name a State
                decision = self.wg_decision.draw(rng)
                wg_out.writerow((f"{r.session + 80}.{next(paragraph)} {text} ({from_name});", r.sur, decision,
                                 from_name, SESSION_YEAR[r.session], ""))
                counts.wg_rows += 1
                counts.assessments += decision == "implemented"
        if rng.random() < self.pledge_review_share:
            for i in range(max(1, round(r.recommendations * self.pledges_per_recommendation / self.pledge_review_share))):
                issue = self.issue.draw(rng)
                text = self.text(rng, "5", [issue])
                upr_out.writerow((r.sur, r.group, r.org, f"The Government commits to {text[0].lower()}{text[1:]}",
                                  r.sur, r.group, r.org, "Voluntary Pledge", "5", issue, r.session))
                counts.pledges += 1

    def _recommender(self, rng: random.Random, r: Review) -> tuple[str, str, str]:
        while True:
            name, group, org = self.recommenders[r.group].draw(rng).split("|")
            if name != r.sur:
                return name, group, org


def _link_reference(out: Path, data_root: Path) -> None:
    for rel in LINKED:
        target, link = data_root / rel, out / rel
        if not target.exists():
            raise SystemExit(f"error: {target} not found: the generator links the real States and treaty texts "
                             f"(set HRES_DATA_ROOT or --data-root)")
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
                writer.writerow([iso2, member, flags[0], year, flags[1], flags[2], s] + ([""] if shape["has_note_column"] else []))


def write_elections(out: Path, profile: dict, seed: int, states: list[tuple[str, str]]) -> list[tuple[str, str, str, str]]:
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


def write_missions(out: Path, profile: dict, seed: int, elections: list, scale: float, counts: Counts) -> None:
    """Observation missions in proportion to the corpus (scale = recommendations / real recommendations)."""
    shape = profile["eom"]
    rng = _rng(seed, "missions")
    folder = out / "curated/eom-missions"
    folder.mkdir(parents=True, exist_ok=True)
    org, mtype, etype = (Weighted(shape[k]) for k in ("organizations", "mission_types", "election_types"))
    n_findings, kind, part, priority = (Weighted(shape[k]) for k in
                                        ("findings_per_mission", "finding_kinds", "process_parts", "priority"))
    wanted = min(len(elections) * 3, round(shape["missions"] * scale))
    keys = set()
    with open(folder / "missions.csv", "w", encoding="utf-8", newline="") as m, \
         open(folder / "findings.csv", "w", encoding="utf-8", newline="") as f:
        missions, findings = csv.writer(m), csv.writer(f)
        missions.writerow(("organization", "mission_type", "country_iso3", "country_name", "election_type",
                           "election_date", "final_report_date", "n_recommendations", "n_priority_recommendations",
                           "prior_recommendations_assessed", "chief_observer", "key_topics", "source_url", "notes",
                           "mission_key"))
        findings.writerow(("mission_key", "kind", "topic", "electoral_process_part", "summary",
                           "right_or_standard", "priority", "source_url"))
        while len(keys) < wanted:
            iso3, name, day, _ = elections[rng.randrange(len(elections))]
            o = org.draw(rng)
            key = f"{o}+{iso3}+{day}"
            if key in keys:
                continue
            keys.add(key)
            n = n_findings.draw(rng)
            parts = [part.draw(rng) for _ in range(n)]
            missions.writerow((o, mtype.draw(rng), iso3, name, etype.draw(rng), day, "", n, "", "", "",
                               "; ".join(dict.fromkeys(parts)), "", "generated by hres_graph.scale", key))
            for i, p in enumerate(parts, 1):
                topic = f"{rng.choice(FINDING_TOPICS)} ({i})"
                findings.writerow((key, kind.draw(rng), topic, p,
                                   f"The mission found concerns about {p} and the {topic.split(' (')[0]}; "
                                   f"{rng.choice(QUALIFIERS)}.", "", priority.draw(rng), ""))
            counts.findings += n
        counts.missions = len(keys)


def generate(out: Path, recommendations: int, seed: int = 1, *, data_root: Path | None = None,
             wg_share: float = WG_SHARE, log=lambda msg: print(msg, file=sys.stderr)) -> Counts:
    from ..importers.state_names import StateResolver

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
    writer = UprWriter(profile, seed, wg_share)
    reviews = plan_reviews(profile, recommendations)
    # utf-8-sig: the importer reads a legacy-layout file with a BOM as UTF-8 (without, as Mac Roman)
    with open(upr_dir / "sessions_1-54.csv", "w", encoding="utf-8-sig", newline="") as u, \
         open(wg_dir / "generated.csv", "w", encoding="utf-8", newline="") as w:
        upr_out, wg_out = csv.writer(u), csv.writer(w)
        upr_out.writerow(UPR_HEADER)
        wg_out.writerow(("text", "to", "decision", "From", "year", "notes"))
        for i, r in enumerate(sorted(reviews, key=lambda r: (r.session, r.sur)), 1):
            writer.review(r, upr_out, wg_out, counts)
            if i % 100 == 0:
                log(f"  generated {counts.recommendations:,}/{recommendations:,} recommendations")
    write_ratifications(out, profile, seed)
    resolver = StateResolver.from_internacia(out / "raw/internacia-states/countries")
    states = sorted({(r.sur, resolver.resolve(r.sur)) for r in reviews if resolver.resolve(r.sur)})
    held = write_elections(out, profile, seed, states)
    counts.elections = len(held)
    write_missions(out, profile, seed, held, recommendations / profile["upr_info"]["recommendations"], counts)
    (out / "hres.toml").write_text(
        "# generated by python -m hres_graph.scale.generate; build with: hres --config THIS_FILE build\n"
        f'[data]\nroot = "."\n[sources]\nonly = {json.dumps(list(SOURCES))}\n', encoding="utf-8")
    counts.files = {str(p.relative_to(out)): _sha256(p) for p in sorted(out.rglob("*.csv")) if not _linked(p, out)}
    (out / "generated.json").write_text(json.dumps({"recommendations": recommendations, "seed": seed,
                                                    "wg_share": wg_share, **counts.__dict__}, indent=1), encoding="utf-8")
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
    parser = argparse.ArgumentParser(prog="python -m hres_graph.scale.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--recommendations", "-n", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--wg-share", type=float, default=WG_SHARE)
    parser.add_argument("--data-root", type=Path, help="real data folder whose States and treaty texts are linked")
    args = parser.parse_args(argv)
    counts = generate(args.out, args.recommendations, args.seed, data_root=args.data_root, wg_share=args.wg_share)
    print(json.dumps({k: v for k, v in counts.__dict__.items() if k != "files"}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
