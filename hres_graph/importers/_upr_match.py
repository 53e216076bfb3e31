"""One recommendation in two exports of the UPR Info database: match each record of a later export to a
record of an earlier one, one to one, so that both sources state the same resource (the earlier IRI).

Two records match when they have the same session, State under review, recommending State(s) (ISO codes;
the name when it does not resolve, e.g. '(Unknown)') and normalised text (`upr_common.norm_text`: accents,
case, punctuation and spacing removed). A match is *exact* when the texts are equal once runs of spaces are
collapsed (the two graphs then state the same hres:text literal), *normalised* otherwise. Identical records
match in order: the second identical later record takes the second earlier one.

The earlier export's records are kept in an on-disk table (`DiskTable`), so memory stays flat in the number
of rows; only the set of its sessions is held in memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator

from rdflib import URIRef

from . import upr_common as upr
from .upr_info import Record


def match_key(rec: Record) -> str:
    recommenders = ",".join(sorted(rec.recommenders)) or rec.from_name
    return "\x1f".join((str(rec.session), rec.sur or rec.sur_name, recommenders, upr.norm_text(rec.text)))


def spaced(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class Match:
    """The earlier record a later one matched, and what the earlier export says of it."""

    iri: URIRef
    exact: bool
    status: str | None
    action: str | None
    issues: str  # the issue tags, sorted and joined by '|', to compare with the later record's


def issue_set(rec: Record) -> str:
    return "|".join(sorted(set(rec.issues)))


class ExportMatch(upr.DiskTable):
    """The earlier export's recommendations (not its voluntary pledges), matched one to one as asked."""

    def __init__(self, earlier: Iterable[Record]):
        super().__init__(
            "CREATE TABLE earlier (key TEXT, spaced TEXT, iri TEXT, status TEXT, action TEXT, "
            "issues TEXT, used INTEGER NOT NULL DEFAULT 0)"
        )
        self.sessions: set[int] = set()

        def rows() -> Iterator[tuple]:
            for rec in earlier:
                if rec.pledge:
                    continue
                self.sessions.add(rec.session)
                yield match_key(rec), spaced(rec.text), str(rec.iri), rec.status, rec.action, issue_set(rec)

        self.db.executemany(
            "INSERT INTO earlier (key, spaced, iri, status, action, issues) VALUES (?, ?, ?, ?, ?, ?)", rows()
        )
        self.db.execute("CREATE INDEX earlier_key ON earlier (key)")  # after the rows: faster

    def covers(self, rec: Record) -> bool:
        """Whether the earlier export has the session of `rec` (else `rec` is new by construction)."""
        return rec.session in self.sessions

    def match(self, rec: Record) -> Match | None:
        """The first unused earlier record with the same key, one with the same spaced text first."""
        found = self.db.execute(
            "SELECT rowid, iri, spaced = ?, status, action, issues FROM earlier WHERE key = ? AND used = 0 "
            "ORDER BY spaced = ? DESC, rowid LIMIT 1",
            (spaced(rec.text), match_key(rec), spaced(rec.text)),
        ).fetchone()
        if found is None:
            return None
        rowid, iri, exact, status, action, issues = found
        self.db.execute("UPDATE earlier SET used = 1 WHERE rowid = ?", (rowid,))
        return Match(URIRef(iri), bool(exact), status, action, issues)

    def unmatched(self) -> tuple[int, list[str]]:
        """How many earlier records no later one matched, and the first few IRIs."""
        total = self.db.execute("SELECT COUNT(*) FROM earlier WHERE used = 0").fetchone()[0]
        some = [iri for (iri,) in self.db.execute("SELECT iri FROM earlier WHERE used = 0 ORDER BY rowid LIMIT 5")]
        return total, some
