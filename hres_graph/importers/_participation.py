"""The IRIs and triples of participation events and ratification status tables, shared by every ratification importer.

One rule for every importer, so that one act stated by two sources is one resource with two sources:
an act is identified by State, instrument, kind of act and the date the source gives,
`id/participation/<ISO3>/<key>/<mode>[/<YYYY-MM-DD> | /<YYYY>]`. Modes: `signature`, `consent`
(ratification, accession or succession: the status tables never say which), `communications` and `inquiry`
(acceptance of the treaty body's individual-communications or inquiry procedure).

An exact-dated record and a year-only record (the wpdl table) are different statements, so different IRIs;
the build relates them with hres:sameActAs when the years agree (queries/derived/same-participation-act.rq),
and the importers report them when they do not.

A status table (`id/status-table/<source id>/<key>`) says which States a source lists for an instrument and as
of which date: what queries/derived/current-participation.rq needs to let the newest source decide a State's
current status, and to tell "listed with no act" from "not listed" (unknown).
"""

from __future__ import annotations

from datetime import date
from typing import Iterable, Iterator

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from ..namespaces import HRES, ID, instrument, mechanism, state
from .base import date_literal, year_literal

KINDS = {
    "signature": (HRES.Signature, "signature"),
    "consent": (HRES.ConsentToBeBound, "consent to be bound"),
    "communications": (HRES.CommunicationsProcedureAcceptance, "acceptance of the individual-communications procedure"),
    "inquiry": (HRES.InquiryProcedureAcceptance, "acceptance of the inquiry procedure"),
}
# Instrument key -> the treaty body whose procedures a State accepts under it (ontology/reference/mechanisms.ttl).
TREATY_BODIES = {
    "icerd": "cerd",
    "iccpr": "ccpr",
    "icescr": "cescr",
    "cedaw": "cedaw",
    "cat": "cat",
    "crc": "crc",
    "icmw": "cmw",
    "crpd": "crpd",
    "cped": "ced",
}

When = date | int | None  # an exact date, a year, or nothing


def participation(iso3: str, key: str, mode: str, when: When = None) -> URIRef:
    """IRI of the act: State, instrument, kind of act and the date (or year) the source gives."""
    if mode not in KINDS:
        raise ValueError(f"unknown participation mode {mode!r}")
    suffix = "" if when is None else f"/{when.isoformat()}" if isinstance(when, date) else f"/{when:04d}"
    return ID[f"participation/{iso3}/{key}/{mode}{suffix}"]


def event_triples(iso3: str, key: str, mode: str, when: When, label: str | None) -> Iterator[tuple]:
    """The event's type, State, instrument, date or year, the accepted body's competence, and a label if given."""
    event = participation(iso3, key, mode, when)
    yield event, RDF.type, KINDS[mode][0]
    yield event, HRES.participant, state(iso3)
    yield event, HRES.instrument, instrument(key)
    if isinstance(when, date):
        yield event, HRES.eventDate, date_literal(when)
    elif when is not None:
        yield event, HRES.year, year_literal(when)
    if mode in ("communications", "inquiry"):
        yield event, HRES.competenceAccepted, mechanism(TREATY_BODIES[key])
    if label:
        yield event, RDFS.label, Literal(label, lang="en")


def event_label(state_name: str, notation: str, mode: str, when: When) -> str:
    """'Slovenia: ICCPR, consent to be bound (1992-07-06)'."""
    text = f"{state_name}: {notation}, {KINDS[mode][1]}"
    return text if when is None else f"{text} ({when.isoformat() if isinstance(when, date) else when})"


def status_table(source_id: str, key: str) -> URIRef:
    return ID[f"status-table/{source_id}/{key}"]


def table_triples(
    source_id: str, key: str, notation: str, as_of: date, modes: Iterable[str], states: Iterable[str], title: str
) -> Iterator[tuple]:
    """One source's table for one instrument: its date, the kinds of act it records and every State it has a row
    for."""
    table = status_table(source_id, key)
    yield table, RDF.type, HRES.RatificationStatusTable
    yield table, RDFS.label, Literal(f"{title}: {notation}, as of {as_of.isoformat()}", lang="en")
    yield table, HRES.tableOf, instrument(key)
    yield table, HRES.statusDate, date_literal(as_of)
    for mode in modes:
        yield table, HRES.recordsKind, KINDS[mode][0]
    for iso3 in sorted(set(states)):
        yield table, HRES.listsState, state(iso3)
