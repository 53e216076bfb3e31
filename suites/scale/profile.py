"""Measure the shape of the real data (counts and shares, never records) into profile.json.

    python -m suites.scale.profile [DATA_ROOT]   # rewrites suites/scale/profile.json

The generator (generate.py) draws from these distributions, so a generated corpus has the real
corpus's proportions: who is reviewed how often, who recommends to whom (by UN regional group),
action categories, responses per category, issues per recommendation, pledges, working-group
decisions, ratification shares per instrument, elections per State, missions and their findings.
Only aggregate figures and public names (States, issues, instruments, organisations) are kept.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from hres_graph.config import Settings

PROFILE = Path(__file__).with_name("profile.json")
UPR = "raw/upr-info-terman/upr-info-export"
WG = "raw/upr-info-terman/wg-report-parse"
WPDL = "raw/ratification-status-wpdl"
ELECTIONS = "raw/electionguide-dates/election_df.csv"
EOM = "curated/eom-missions"


def _legacy_rows(folder: Path, pledges: bool):
    for file in sorted(folder.glob("*.csv")):
        if ("pledge" in file.name) != pledges:
            continue
        with open(file, encoding="mac_roman", newline="") as handle:
            yield from csv.DictReader(handle)


def _ranked(counter: Counter, top: int | None = None) -> list[list]:
    return [[k, n] for k, n in counter.most_common(top)]


def upr_profile(root: Path) -> dict:
    rows = list(_legacy_rows(root / UPR, pledges=False))
    reviews: Counter = Counter()  # (sur, session) -> recommendations
    sur_meta: dict[str, tuple[str, str]] = {}
    first_session: dict[str, int] = {}
    recommenders: dict[str, Counter] = defaultdict(Counter)  # SuR region -> "name|region|org" -> n
    action, issues_per_rec, issues = Counter(), Counter(), Counter()
    response_by_action: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        sur, session = row["To"].strip(), int(row["Session"])
        reviews[(sur, session)] += 1
        sur_meta[sur] = (row["To-Rgrp"].strip(), row["To-Org"].strip())
        if session <= 12:
            first_session[sur] = session
        recommenders[row["To-Rgrp"].strip()][
            f"{row['From'].strip()}|{row['From-Rgrp'].strip()}|{row['From-Org'].strip()}"
        ] += 1
        act = row["Action"].strip()
        action[act] += 1
        response_by_action[act][row["Response"].strip()] += 1
        found = [i.strip() for i in row["Issue"].split(",") if i.strip()]
        issues_per_rec[len(found)] += 1
        issues.update(found)
    per_state = Counter()
    for (sur, _), n in reviews.items():
        per_state[sur] += n
    cycle_means = {}
    for cycle, sessions in ((1, range(1, 13)), (2, range(13, 27))):
        sizes = [n for (_, s), n in reviews.items() if s in sessions]
        cycle_means[cycle] = sum(sizes) / len(sizes)
    pledges = Counter()
    for row in _legacy_rows(root / UPR, pledges=True):
        pledges[(row["To"].strip(), row["Session"])] += 1
    return {
        "recommendations": len(rows),
        "reviews": len(reviews),
        "states_under_review": [[s, *sur_meta[s], per_state[s], first_session.get(s, 0)] for s in sorted(per_state)],
        "mean_recommendations_per_review_by_cycle": cycle_means,
        "recommenders_by_sur_region": {g: _ranked(c) for g, c in sorted(recommenders.items())},
        "action_categories": _ranked(action),
        "response_by_action": {a: _ranked(c) for a, c in sorted(response_by_action.items())},
        "issues_per_recommendation": _ranked(issues_per_rec),
        "issues": _ranked(issues),
        "pledges_per_review": {"reviews_with_pledges": len(pledges), "pledges": sum(pledges.values())},
    }


def wg_profile(root: Path) -> dict:
    from hres_graph.importers._wg_text import read_rows

    decisions = Counter()
    for file in sorted((root / WG).glob("*.csv")):
        for row in read_rows(file):
            decisions[row["decision"].strip().lower()] += 1
    return {"rows": sum(decisions.values()), "decisions": _ranked(decisions)}


def ratification_profile(root: Path) -> dict:
    out = {}
    members: list[list[str]] = []
    for file in sorted((root / WPDL).glob("hr_status_*.csv")):
        with open(file, encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        key = file.stem.removeprefix("hr_status_")
        years = Counter(
            r["year ratification or accession"][:3] + "0"
            for r in rows
            if r["status"] == "state party" and r["year ratification or accession"][:4].isdigit()
        )
        out[key] = {
            "status": _ranked(Counter(r["status"] for r in rows)),
            "decades": _ranked(years),
            "has_note_column": "note" in rows[0],
        }
        if key == "iccpr":
            members = [[r["iso2"], r["member"]] for r in rows]
    return {"members": members, "instruments": out}


def election_profile(root: Path) -> dict:
    with open(root / ELECTIONS, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    bodies = Counter(r["election"] for r in rows)
    years = Counter(m.group() for r in rows if (m := re.search(r"\d{4}", r["date"])))
    return {
        "rows": len(rows),
        "countries": len({r["country"] for r in rows}),
        "status": _ranked(Counter(r["status"] for r in rows)),
        "referendum_share": bodies["Referendum"] / len(rows),
        "years": _ranked(years),
        "undated": sum(r["date"] == "None" for r in rows),
    }


def eom_profile(root: Path) -> dict:
    with open(root / EOM / "missions.csv", encoding="utf-8", newline="") as handle:
        missions = list(csv.DictReader(handle))
    with open(root / EOM / "findings.csv", encoding="utf-8", newline="") as handle:
        findings = list(csv.DictReader(handle))
    per_mission = Counter(Counter(f["mission_key"] for f in findings).values())
    per_mission[0] = len(missions) - sum(per_mission.values())
    return {
        "missions": len(missions),
        "organizations": _ranked(Counter(m["organization"] for m in missions if m["organization"] != "other")),
        "mission_types": _ranked(
            Counter(m["mission_type"] for m in missions if m["mission_type"] not in ("follow-up", "needs assessment"))
        ),
        "election_types": _ranked(Counter(m["election_type"] for m in missions)),
        "findings_per_mission": _ranked(per_mission),
        "finding_kinds": _ranked(Counter(f["kind"] for f in findings)),
        "process_parts": _ranked(Counter(f["electoral_process_part"] for f in findings)),
        "priority": _ranked(Counter(f["priority"] for f in findings)),
    }


def measure(root: Path) -> dict:
    return {
        "_generated_by": "python -m suites.scale.profile (do not edit)",
        "upr_info": upr_profile(root),
        "wg_reports": wg_profile(root),
        "ratification": ratification_profile(root),
        "elections": election_profile(root),
        "eom": eom_profile(root),
    }


def load_profile() -> dict:
    return json.loads(PROFILE.read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    root = Path(argv[0]) if argv else Settings().data_root
    PROFILE.write_text(json.dumps(measure(root), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {PROFILE} from {root}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
