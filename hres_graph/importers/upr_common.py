"""Helpers shared by the UPR importers (upr_info, uhri_matrices, upr_wg_reports) and the build's text similarity.

Session calendar, review IRIs, the SKOS schemes the UPR sources carry (UPR Info issues, UHRI themes,
affected persons, SDGs), parsing of the recommending States printed in trailing parentheses, the
text normalisation used to match one recommendation across sources, and the on-disk tables that keep
the importers' memory flat in the number of rows (`DiskTable`, `KeyCounts`).
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from typing import Callable, Iterator

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from ..namespaces import HRES, ID, VOCAB, mechanism, state
from .base import Triple, slug, year_literal

UPR = mechanism("upr")

# UPR Working Group session -> year, UN calendar; equal to ontology/reference/mechanisms.ttl
# (tests/importers/test_upr_info.py checks that).
_YEAR_FROM = (
    (1, 2008),
    (4, 2009),
    (7, 2010),
    (10, 2011),
    (13, 2012),
    (15, 2013),
    (18, 2014),
    (21, 2015),
    (24, 2016),
    (27, 2017),
    (29, 2018),
    (32, 2019),
    (35, 2020),
    (37, 2021),
    (40, 2022),
    (42, 2023),
    (45, 2024),
    (48, 2025),
    (51, 2026),
    (54, 2027),
)
SESSION_YEAR: dict[int, int] = {n: max(y for first, y in _YEAR_FROM if first <= n) for n in range(1, 55)}


def cycle_of(session: int) -> int:
    """Sessions 1-12 -> cycle 1, 13-26 -> 2, 27-40 -> 3, 41-54 -> 4."""
    return 1 if session <= 12 else 2 + (session - 13) // 14


def cycle_iri(cycle: int) -> URIRef:
    return ID[f"mechanism/upr/cycle/{cycle}"]


def session_iri(session: int) -> URIRef:
    return ID[f"mechanism/upr/session/{session}"]


def review_iri(session: int, iso3: str) -> URIRef:
    return ID[f"review/upr/{session}/{iso3}"]


def review_triples(session: int, iso3: str, state_name: str) -> Iterator[Triple]:
    """The Review resource (one per session and State under review)."""
    review = review_iri(session, iso3)
    yield review, RDF.type, HRES.Review
    yield review, RDFS.label, Literal(f"UPR review of {state_name} (session {session})", lang="en")
    yield review, HRES.reviewOf, state(iso3)
    yield review, HRES.inSession, session_iri(session)
    yield review, HRES.ofMechanism, UPR


def review_context(session: int, iso3: str | None) -> Iterator[Triple]:
    """Objects shared by every action item of one review: mechanism, review, cycle, year."""
    yield HRES.issuedBy, UPR
    if iso3:
        yield HRES.madeInReview, review_iri(session, iso3)
    yield HRES.inCycleOf, cycle_iri(cycle_of(session))
    if session in SESSION_YEAR:
        yield HRES.year, year_literal(SESSION_YEAR[session])


# --- concept schemes carried by the sources ---------------------------------------------

SCHEME_TITLES = {
    "upr-info-issue": "UPR Info issues",
    "uhri-theme": "Universal Human Rights Index (UHRI) themes",
    "affected-persons": "Affected persons (UHRI)",
    "sdg": "Sustainable Development Goals",
}


class Schemes:
    """Mints concepts of the source-carried schemes once each, yielding their triples the first time."""

    def __init__(self) -> None:
        self._seen: set[URIRef] = set()
        self._labels: set[tuple[URIRef, str]] = set()

    def concept(self, scheme: str, key: str, label: str, notation: str | None = None) -> tuple[URIRef, list[Triple]]:
        scheme_iri = VOCAB[scheme]
        iri = VOCAB[f"{scheme}/{key}"]
        triples: list[Triple] = []
        if scheme_iri not in self._seen:
            self._seen.add(scheme_iri)
            title = Literal(SCHEME_TITLES[scheme], lang="en")
            triples += [
                (scheme_iri, RDF.type, SKOS.ConceptScheme),
                (scheme_iri, RDFS.label, title),
                (scheme_iri, SKOS.prefLabel, title),
            ]
        if iri not in self._seen:
            self._seen.add(iri)
            text = Literal(label, lang="en")
            triples += [
                (iri, RDF.type, SKOS.Concept),
                (iri, SKOS.prefLabel, text),
                (iri, RDFS.label, text),
                (iri, SKOS.inScheme, scheme_iri),
            ]
            if notation:
                triples.append((iri, SKOS.notation, Literal(notation)))
        elif (iri, label) not in self._labels:  # another spelling of the same concept (first one is preferred)
            triples.append((iri, SKOS.altLabel, Literal(label, lang="en")))
        self._labels.add((iri, label))
        return iri, triples

    def issue(self, tag: str) -> tuple[URIRef, list[Triple]]:
        return self.concept("upr-info-issue", slug(tag), tag)

    def theme(self, text: str) -> tuple[URIRef, list[Triple]]:
        """UHRI theme; old matrices prefix a code ('A12 Acceptance of international norms')."""
        match = re.match(r"([A-H]\d{1,3})\s+(.+)$", text)
        code, name = (match.group(1), match.group(2)) if match else (None, text)
        return self.concept("uhri-theme", slug(name), name, code)

    def affected(self, text: str) -> tuple[URIRef, list[Triple]]:
        name = text[:1].upper() + text[1:]  # 'general' and 'General' are one group
        return self.concept("affected-persons", slug(name), name)

    def sdg(self, text: str) -> tuple[URIRef, list[Triple]] | None:
        """'16 - PEACE, JUSTICE AND STRONG INSTITUTIONS', 'SDG 16' or 'Goal 16'; None when no goal number."""
        match = re.match(r"\s*(?:SDG|Goal)?\s*(\d{1,2})\b\s*[-–:.]?\s*(.*)$", text, re.I)
        if not match or not 1 <= int(match.group(1)) <= 17:
            return None
        number, name = match.group(1), match.group(2).strip()
        label = f"SDG {number}" + (f": {name[:1].upper()}{name[1:].lower()}" if name else "")
        return self.concept("sdg", number, label, number)


# --- recommending States in trailing parentheses ----------------------------------------


def split_top_level(text: str, sep: str = ",") -> list[str]:
    """Split on `sep` outside parentheses: 'Venezuela (Bolivarian Republic of), Peru'."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += ch == "("
        depth -= ch == ")"
        if ch == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def _last_group(text: str) -> int | None:
    """Start of the balanced parenthetical group that ends `text`, or None."""
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        depth += text[i] == ")"
        depth -= text[i] == "("
        if depth == 0:
            return i
    return None


def group_names(content: str, resolve: Callable[[str], object], skip: frozenset[str] = frozenset()) -> list[str] | None:
    """The State names in one parenthetical group, or None if any part is not a State.

    'Venezuela (Bolivarian Republic of)' is one name; 'Cuba, Ghana and the Netherlands',
    'Denmark; Liechtenstein' and 'Brazil/Spain' are several ('the' before a name is dropped).
    """

    def ok(name: str) -> bool:
        return name in skip or bool(resolve(name))

    whole = _THE.sub("", content.strip())
    if whole and ok(whole):
        return [whole]
    names: list[str] = []
    for part in split_top_level(content.replace(";", ",").replace("/", ",")):
        part = _THE.sub("", re.sub(r"^and\s+", "", part))
        if ok(part):  # 'Trinidad and Tobago' stays one name
            names.append(part)
            continue
        pieces = [_THE.sub("", p) for p in re.split(r"\s+and\s+", part)]
        if len(pieces) < 2 or not all(ok(p) for p in pieces):
            return None
        names += pieces
    return names or None


_THE = re.compile(r"^the\s+", re.I)


def peel_states(
    text: str, resolve: Callable[[str], object], skip: frozenset[str] = frozenset()
) -> tuple[str, list[list[str]]]:
    """Strip the trailing '(State) (State, State);' groups whose every name resolves.

    Returns the remaining text and the groups of names, last group first. Stray closing parentheses,
    footnote marks and ';' at the end (parse debris such as '(Kuwait). );') are dropped; names in `skip`
    (e.g. 'NA') count as resolved so that '(None);' is peeled too.
    """
    groups: list[list[str]] = []
    rest = text.rstrip()
    while True:
        rest = re.sub(r"\)\s*\d{1,2}$", ")", rest.rstrip(' \t\n;,.:"\u201d'))  # footnote mark: '(Bolivia)3;'
        if not rest.endswith(")"):
            return rest, groups
        start = _last_group(rest)
        if start is None:  # unbalanced ')': debris
            rest = rest[:-1]
            continue
        names = group_names(rest[start + 1 : -1], resolve, skip)
        if not names:
            return rest, groups
        groups.append(names)
        rest = rest[:start]


# --- matching text across sources --------------------------------------------------------


def norm_text(text: str) -> str:
    """Accents, case, punctuation and spacing removed: the key for comparing two sources' texts."""
    text = re.sub(r"['\u2019]", "", text)  # "women's" and "womens" are one word
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(re.findall(r"[a-z0-9]+", ascii_text))


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


# --- per-row bookkeeping on disk ------------------------------------------------------------


class DiskTable:
    """A private temporary SQLite database, for what an importer must remember of every row (keys seen,
    texts to match against): memory stays flat in the number of rows (SQLite's page cache is bounded, 2 MiB
    by default; the rest is in a file SQLite has already unlinked, so even a killed import leaves nothing
    behind) where a dict held ~100 bytes per row, and the texts of the WG matching index ~1 KiB."""

    def __init__(self, schema: str):
        self.db = sqlite3.connect("", isolation_level=None)  # "": on disk, deleted when closed
        self.db.execute("PRAGMA journal_mode = OFF")  # scratch data: no crash safety needed
        self.db.execute("PRAGMA synchronous = OFF")
        self.db.executescript(schema)
        self.db.execute("BEGIN")  # one transaction: no commit per row

    def close(self) -> None:
        self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class KeyCounts(DiskTable):
    """How many times each key has been counted so far (1 the first time), on disk."""

    def __init__(self):
        super().__init__("CREATE TABLE seen (key TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID")

    def count(self, key: str) -> int:
        return self.db.execute(
            "INSERT INTO seen VALUES (?, 1) ON CONFLICT (key) DO UPDATE SET n = n + 1 RETURNING n", (key,)
        ).fetchone()[0]
