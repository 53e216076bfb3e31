"""One election per State, date and kind: the IRI rule the election importers share.

ElectionGuide (`elections.py`) names an election `id/election/<place>/<when>/<slug of body>`. The later
sources (IDEA's turnout export, ParlGov) name no body: they say "the parliamentary election of State S
on date D". To state such an election on the *same* resource as ElectionGuide, this module finds the
ElectionGuide row of S on D whose body is the national legislature, measured against the real file:

- an office is not a legislature (President, Vice President, Governor, a Non-Voting Delegate, a
  National Assembly Member, the Chairman of the Presidency);
- an upper chamber is not the chamber IDEA and ParlGov count (Senate / Senat / Sénat / Senado /
  Senato, Council of States, House of Councillors, of Elders, of Peoples, of Nationalities, the Indonesian
  Regional Representative Council, the Egyptian Advisory Council). On the real file this leaves
  exactly one ElectionGuide row for each of ParlGov's 227 parliamentary elections that ElectionGuide has
  on that day (41 of them are two-chamber days: BEL, ITA, ESP, ROU, POL, AUS, CHE);
- places that are not States (Scotland, Catalonia...) have no ISO code and never match.

An election ElectionGuide lacks gets `id/election/<ISO3>/<when>/<slug>` with the slug ElectionGuide
uses for that State's legislature on its other dates (so one State's parliamentary elections read
alike), or `parliament` when it has none. European Parliament elections use `european-parliament`,
the slug of ElectionGuide's own (EU-wide, not per State) rows.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from rdflib import URIRef

from ..namespaces import HRES, ID
from .base import ImportContext, ImportReport, Source, Triple

OFFICE = re.compile(r"president|governor|non-voting delegate|assembly member|chairman", re.IGNORECASE)
UPPER_CHAMBER = re.compile(
    r"sena|s[eé]n[aá]t|council of states|councillors|elders|house of peoples|nationalities|"
    r"regional representative|advisory council",
    re.IGNORECASE,
)
PARLIAMENT_SLUG = "parliament"

EUROPEAN_PARLIAMENT_SLUG = "european-parliament"


def election_iri(place: str, when: str, body_slug: str) -> URIRef:
    """`id/election/<place>/<when>/<body>`: place an ISO3 code (or a slug for a place that is not a
    State), when an ISO date, a year or `undated`. Every election importer names elections this way."""
    return ID[f"election/{place}/{when}/{body_slug}"]


def is_legislature(body: str) -> bool:
    """True for an ElectionGuide body that is a national lower (or only) chamber (see the module docstring)."""
    return bool(body) and not OFFICE.search(body) and not UPPER_CHAMBER.search(body)


@dataclass(frozen=True)
class Known:
    """An ElectionGuide legislature election: its IRI, the body slug in it, its status."""

    iri: URIRef
    slug: str
    status: str


class Catalogue:
    """ElectionGuide's legislature elections by (ISO3, when), read from what its importer yields, so the
    IRIs are the importer's own (suffixes for same-day rows included), never a copy of its rule."""

    def __init__(self, triples: Iterable[Triple]):
        facts: dict[URIRef, dict] = defaultdict(dict)
        for s, p, o in triples:
            if p in (HRES.electionIn, HRES.electionDate, HRES.year, HRES.electedBody, HRES.electionStatus):
                facts[s][p] = o
        self.by_key: dict[tuple[str, str], list[Known]] = defaultdict(list)
        slugs: dict[str, Counter] = defaultdict(Counter)
        for iri, fact in facts.items():
            known = _known(iri, fact)
            if known is not None:
                iso3, when = _key(fact)
                self.by_key[(iso3, when)].append(known)
                slugs[iso3][known.slug] += 1
        # the most frequent legislature slug per State; ties go to the first in name order
        self.slugs = {iso3: min(c, key=lambda s: (-c[s], s)) for iso3, c in slugs.items()}

    def candidates(self, iso3: str, when: str) -> list[Known]:
        """ElectionGuide's legislature elections of the State on that date (or year)."""
        return self.by_key.get((iso3, when), [])

    def years(self, iso3: str, year: str) -> list[str]:
        """The full dates of ElectionGuide legislature elections of the State in that year."""
        return sorted(w for (i, w) in self.by_key if i == iso3 and len(w) == 10 and w.startswith(year))

    def new_iri(self, iso3: str, when: str) -> URIRef:
        """The IRI of a parliamentary election ElectionGuide lacks (see the module docstring)."""
        return election_iri(iso3, when, self.slugs.get(iso3, PARLIAMENT_SLUG))


def _known(iri: URIRef, fact: dict) -> Known | None:
    body = str(fact.get(HRES.electedBody, ""))
    if HRES.electionIn not in fact or not is_legislature(body):
        return None
    return Known(iri, str(iri).rsplit("/", 1)[1], str(fact.get(HRES.electionStatus, "")))


def _key(fact: dict) -> tuple[str, str]:
    iso3 = str(fact[HRES.electionIn]).rsplit("/", 1)[1]
    return iso3, str(fact.get(HRES.electionDate) or fact.get(HRES.year) or "undated")


def other_source_path(ctx: ImportContext, source: Source) -> Path | None:
    """Where another source's files are: the build's path for it, else its default under the data root."""
    candidates = [ctx.source_paths.get(source.id)]
    if ctx.data_root:
        candidates.append(Path(ctx.data_root) / source.default_path)
    return next((Path(c) for c in candidates if c and Path(c).exists()), None)


def electionguide_catalogue(ctx: ImportContext, source: Source) -> Catalogue:
    """ElectionGuide's catalogue, read quietly (its counts stay out of this import's report); an empty one
    and a note when its file is not there, so every election gets an IRI of its own."""
    path = other_source_path(ctx, source)
    if path is None:
        ctx.report.note(f"the {source.id} files were not found: no election is matched to ElectionGuide")
        return Catalogue(())
    quiet = ImportContext(states=ctx.states, report=ImportReport(f"{source.id} (for matching)"))
    return Catalogue(source.read(path, quiet))


__all__ = [
    "Catalogue",
    "Known",
    "election_iri",
    "is_legislature",
    "electionguide_catalogue",
    "other_source_path",
    "PARLIAMENT_SLUG",
    "EUROPEAN_PARLIAMENT_SLUG",
]
