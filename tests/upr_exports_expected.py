"""The two UPR Info exports in plain Python (csv, hashlib; no importer code): their rows, the IRIs the
project's policy gives them, and which 2018 row is which 2015 record (same session, States resolved by the
caller's `resolve`, same text once accents, case, punctuation and spacing are removed; identical rows
matched in order, a row with the same spaced text first).

Used by tests/importers/test_upr_info_2018.py (the match report, the IRIs) and tests/test_links.py (the
records the build compares: the 2015 records and the 2018 rows no 2015 record matched).
"""

from __future__ import annotations

import csv
import hashlib
import html
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

ID = "https://w3id.org/hres/id/"
REC = f"{ID}recommendation/upr-info/"


@dataclass
class ExportRow:
    file: str
    line: int
    sur: str
    sender: str
    text: str
    session: str  # '' when the export gives none
    response: str
    action: str
    issues: tuple[str, ...]
    iri: str = ""


def norm(text: str) -> str:
    text = re.sub(r"['\u2019]", "", text)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(re.findall(r"[a-z0-9]+", ascii_text))


def spaced(text: str) -> str:
    return " ".join(text.split())


def iri(session: str, sur: str, sender: str, text: str, times: int = 1) -> str:
    """SHA-1 of session, State under review, recommending State and text as written, 12 hex digits; -2, -3 …
    for the second, third identical row."""
    key = hashlib.sha1("\x1f".join((session, sur, sender, text)).encode("utf-8")).hexdigest()[:12]
    return REC + key + (f"-{times}" if times > 1 else "")


def _with_iris(rows: list[ExportRow]) -> list[ExportRow]:
    seen: Counter = Counter()
    for r in rows:
        key = (r.session, r.sur, r.sender, r.text)
        seen[key] += 1
        r.iri = iri(*key, seen[key])
    return rows


def _issues(cell: str) -> tuple[str, ...]:
    return tuple(t.strip() for t in cell.split(",") if t.strip())


@lru_cache(maxsize=2)
def rows_2018(data_root: Path) -> tuple[ExportRow, ...]:
    """Every row of the 2018 export with a session (one has none), in file order."""
    out = []
    for path in sorted((data_root / "raw" / "upr-info-export-2018").glob("*.csv")):
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, delimiter=";")
            assert next(reader)[:5] == ["SuR", "Rgrp", "Org", "Recommendation", "RS"]
            for number, r in enumerate(reader, 2):
                if r[10].strip():
                    out.append(
                        ExportRow(
                            path.name,
                            number,
                            r[0].strip(),
                            html.unescape(r[4]).strip(),
                            r[3],
                            r[10].strip(),
                            r[7],
                            r[8],
                            _issues(r[9]),
                        )
                    )
    return tuple(_with_iris(out))


@lru_cache(maxsize=2)
def rows_2015(data_root: Path) -> tuple[ExportRow, ...]:
    """The 2015 export's recommendations (not its voluntary pledges), in file order."""
    out = []
    for path in sorted((data_root / "raw" / "upr-info-terman" / "upr-info-export").glob("*.csv")):
        with open(path, encoding="mac_roman", newline="") as handle:
            for number, r in enumerate(csv.DictReader(handle), 2):
                if r["Response"] != "Voluntary Pledge":
                    out.append(
                        ExportRow(
                            path.name,
                            number,
                            r["To"].strip(),
                            html.unescape(r["From"]).strip(),
                            r["Text"],
                            r["Session"].strip(),
                            r["Response"],
                            r["Action"],
                            _issues(r["Issue"]),
                        )
                    )
    return tuple(_with_iris(out))


@dataclass
class Matching:
    counts: Counter  # same text, normalised, only 2018, only 2015, new
    iri_of: dict[int, str]  # index in rows_2018 -> the IRI of the resource it is (the 2015 one when matched)
    pairs: list[tuple[ExportRow, ExportRow]]  # (2018 row, 2015 row)
    matched: set[int]  # indexes in rows_2018 of the rows that are a 2015 record


def match(data_root: Path, resolve: Callable[[str], str | None]) -> Matching:
    def code(name: str) -> str:
        return resolve(name) or name

    def key(r: ExportRow) -> tuple:
        return r.session, code(r.sur), code(r.sender), norm(r.text)

    old = rows_2015(data_root)
    sessions = {r.session for r in old}
    pool: dict[tuple, list[ExportRow]] = {}
    for r in old:
        pool.setdefault(key(r), []).append(r)
    counts: Counter = Counter()
    iri_of, pairs, matched = {}, [], set()
    for i, r in enumerate(rows_2018(data_root)):
        candidates = pool.get(key(r), []) if r.session in sessions else []
        if not candidates:
            counts["new" if r.session not in sessions else "only 2018"] += 1
            iri_of[i] = r.iri
            continue
        same = [c for c in candidates if spaced(c.text) == spaced(r.text)]
        chosen = (same or candidates)[0]
        candidates.remove(chosen)
        counts["same text" if same else "normalised"] += 1
        iri_of[i] = chosen.iri
        pairs.append((r, chosen))
        matched.add(i)
    counts["only 2015"] = sum(len(v) for v in pool.values())
    return Matching(counts, iri_of, pairs, matched)
