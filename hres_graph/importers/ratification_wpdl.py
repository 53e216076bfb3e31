"""Ratification status of 18 UN core human-rights instruments for the 193 UN members (world-politics-datalab).

Upstream: world-politics-datalab/humanrights-treaties-ratification-status, `hr_status_<instrument>.csv`
(UTF-8, comma-separated, one row per UN member, state as of mid-2022). Columns: `iso2`, `member`
(English name), `state party` (1/0), `year ratification or accession` (year only), `signatory` (1/0),
`no action` (1/0), `status` ("state party" | "signatory state" | "no action"), `note` (free text; absent
from hr_status_op_crc_ic.csv). `path` is the folder or one `hr_status_<instrument>.csv` file.

Output: participation events, never a status flag (IRIs by the shared rule of importers._participation).
- state party -> `id/participation/<ISO3>/<key>/consent/<year>`, hres:ConsentToBeBound with hres:year. The file
  does not say ratification, accession or succession, so no subclass. The OHCHR sheets' exact-dated events are
  other statements (other IRIs); the build relates those of the same year with hres:sameActAs.
- signatory -> `.../signature`, hres:Signature (the file records no signature year).
- no action -> no event (counted).
- one hres:RatificationStatusTable per file (`id/status-table/ratification-wpdl/<key>`): the States it lists,
  as of 2022-06-13 (the files' last change), recording consent and, for non-parties only, signature.
The `status` column decides. Where the 0/1 columns contradict it, the event gets a skos:note and the report
a note. States resolve by `iso2`, falling back to `member` (and the name is checked against the code).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterator

from rdflib.namespace import SKOS

from ..errors import SourceFormatError
from ._participation import event_label, event_triples, participation, table_triples
from .base import ImportContext, Row, Source, read_csv, text_literal
from .state_names import StateResolver
from .states import state_label, un_member

# File name suffix -> (canonical instrument key, notation as in ontology/reference/instruments.ttl).
FILES = {
    "iccpr": ("iccpr", "ICCPR"),
    "iccpr_op1": ("iccpr-op1", "ICCPR-OP1"),
    "iccpr_op2": ("iccpr-op2", "ICCPR-OP2"),
    "icescr": ("icescr", "ICESCR"),
    "icescr_op": ("icescr-op", "ICESCR-OP"),
    "icerd": ("icerd", "ICERD"),
    "cedaw": ("cedaw", "CEDAW"),
    "op_cedaw": ("cedaw-op", "CEDAW-OP"),
    "cat": ("cat", "CAT"),
    "opcat": ("opcat", "OPCAT"),
    "crc": ("crc", "CRC"),
    "op_crc_ac": ("crc-opac", "CRC-OPAC"),
    "op_crc_sc": ("crc-opsc", "CRC-OPSC"),
    "op_crc_ic": ("crc-opic", "CRC-OPIC"),
    "icmw": ("icmw", "ICMW"),
    "crpd": ("crpd", "CRPD"),
    "op_crpd": ("crpd-op", "CRPD-OP"),
    "cped": ("cped", "CPED"),
}
NOTATIONS = dict(FILES.values())
COLUMNS = ("iso2", "member", "state party", "year ratification or accession", "signatory", "no action", "status")
YEAR = "year ratification or accession"
STATUSES = {"state party": ("1", "0", "0"), "signatory state": ("0", "1", "0"), "no action": ("0", "0", "1")}
_COUNT_KEYS = {"state party": "party", "signatory state": "signatory", "no action": "no-action"}
# Notes about the upstream's own name fixing ("Fix name to ...", "Found as ... in the UN Treaty Collection")
# say nothing about the event; the others ("Signed as Czechoslovakia", "Denounced the OP 1997") do.
_NAME_NOTE = re.compile(r"^(fix name|found (as|in)|as\b|was written|the name should)", re.I)
# PROVENANCE.md: "state as of mid-2022"; the files' last change upstream is of 2022-06-13.
AS_OF = date(2022, 6, 13)
TITLE = "World Politics Datalab ratification table"


@dataclass(frozen=True)
class Status:
    row: Row
    key: str
    iso3: str | None
    status: str
    year: int | None
    by_name: bool = False  # iso2 did not resolve; the name did


def read_wpdl(path: Path, ctx: ImportContext) -> Iterator[tuple]:
    codes_per_file: dict[str, set[str]] = {}
    by_name: dict[tuple[str, str, str], list[str]] = {}  # (iso2, member, ISO3) -> files: reported once
    for file in _files(path):
        seen: dict[str, int] = {}
        for st in ctx.progress(statuses(file, ctx.states, ctx), file.name):
            if st.iso3 is None:
                ctx.report.count("unresolved-rows")
                continue
            if st.iso3 in seen:
                raise st.row.error(
                    f"{st.iso3} is listed twice in this file (first at line {seen[st.iso3]})",
                    column="iso2",
                    hint="remove the duplicate row",
                )
            seen[st.iso3] = st.row.line
            if st.by_name:
                by_name.setdefault((st.row["iso2"], st.row["member"], st.iso3), []).append(st.row.where)
            yield from _events(st, ctx)
        key = instrument_key(file)
        yield from table_triples(SOURCE.id, key, NOTATIONS[key], AS_OF, ("signature", "consent"), seen, TITLE)
        codes_per_file[file.name] = {c for c in seen if un_member(ctx.states.codes.get(c, {}))}
    for (iso2, member, iso3), places in by_name.items():
        ctx.report.note(
            f"iso2 {iso2!r} is not an ISO code; {member!r} resolved by name to {iso3} "
            f"({len(places)} rows, e.g. {places[0]})"
        )
        ctx.report.count("resolved-by-name", len(places))
    everyone = set().union(*codes_per_file.values()) if codes_per_file else set()
    for name, codes in codes_per_file.items():
        if len(codes_per_file) > 1 and everyone - codes:
            ctx.report.note(
                f"{name} has no row for {', '.join(sorted(everyone - codes))} (a UN member present in the other files)"
            )
            ctx.report.count("missing-rows", len(everyone - codes))


def statuses(file: Path, states: StateResolver, ctx: ImportContext | None = None) -> Iterator[Status]:
    """Parse one hr_status file; with ctx, unresolved names and inconsistencies go to its report."""
    key = instrument_key(file)
    for row in read_csv(file, required=COLUMNS):
        status = row["status"].strip()
        if status not in STATUSES:
            raise row.error(
                f'column "status" has {status!r}; expected one of {", ".join(STATUSES)}',
                column="status",
                hint="fix the row",
            )
        year = _year(row)
        iso3, by_name = _resolve(row, states, ctx)
        if ctx and iso3 and not un_member(states.codes.get(iso3, {})):
            ctx.report.note(f"{row.where}: {row['member']!r} ({iso3}) is not a UN member")
            ctx.report.count("non-un-rows")
        yield Status(row, key, iso3, status, year, by_name)


def instrument_key(file: Path) -> str:
    suffix = file.stem.removeprefix("hr_status_")
    if not file.stem.startswith("hr_status_") or suffix not in FILES:
        raise SourceFormatError(
            file,
            "cannot tell the instrument from the file name",
            hint="name the file hr_status_<instrument>.csv with <instrument> one of " + ", ".join(FILES),
        )
    return FILES[suffix][0]


def _events(st: Status, ctx: ImportContext) -> Iterator[tuple]:
    key, iso3, row = st.key, st.iso3, st.row
    ctx.report.count(f"{key}:{_COUNT_KEYS[st.status]}")
    conflict = _conflict(st)
    if conflict:
        ctx.report.note(f"{row.where}: {iso3} {key}: {conflict}")
        ctx.report.count("flag-conflicts")
    if st.status == "no action":
        ctx.report.count("no-action")
        return
    mode, when = ("consent", st.year) if st.status == "state party" else ("signature", None)
    event = participation(iso3, key, mode, when)
    name = state_label(ctx.states.codes[iso3]) if iso3 in ctx.states.codes else row["member"]
    ctx.report.count(f"{mode}-events")
    yield from event_triples(iso3, key, mode, when, event_label(name, NOTATIONS[key], mode, when))
    note = row["note"].strip()
    if note and not _NAME_NOTE.match(note):
        yield event, SKOS.note, text_literal(f"Note in the source table: {note}")
    if conflict:
        yield event, SKOS.note, text_literal(conflict)


def _conflict(st: Status) -> str | None:
    row = st.row
    flags = (row["state party"].strip(), row["signatory"].strip(), row["no action"].strip())
    problems = []
    if flags != STATUSES[st.status]:
        problems.append(
            f"its 0/1 columns read state party={flags[0] or '(empty)'}, signatory={flags[1] or '(empty)'}, "
            f"no action={flags[2] or '(empty)'}"
        )
    if st.status == "state party" and st.year is None:
        problems.append("it gives no year")
    if st.status != "state party" and st.year is not None:
        problems.append(f"it gives a year ({st.year}), which is ignored")
    if not problems:
        return None
    return f"The source table's status column says {st.status!r}, but " + " and ".join(problems) + "."


def _year(row: Row) -> int | None:
    value = row[YEAR].strip()
    if not value:
        return None
    if not re.fullmatch(r"\d{4}", value) or not 1945 <= int(value) <= 2100:
        raise row.error(
            f'column "{YEAR}" has {value!r}; expected a four-digit year (or nothing)',
            column=YEAR,
            hint="fix the year in the row",
        )
    return int(value)


def _resolve(row: Row, states: StateResolver, ctx: ImportContext | None) -> tuple[str | None, bool]:
    by_code = states.resolve(row["iso2"]) if row["iso2"].strip() else None
    by_name = ctx.state(row["member"], row.where) if ctx else states.resolve(row["member"])
    if ctx and by_code and by_name and by_code != by_name:
        ctx.report.note(
            f"{row.where}: iso2 {row['iso2']!r} is {by_code} but {row['member']!r} is {by_name}; using {by_code}"
        )
        ctx.report.count("name-code-mismatches")
    return by_code or by_name, not by_code and bool(by_name)


def _files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    files = sorted(path.glob("hr_status_*.csv"))
    if not files:
        raise SourceFormatError(
            path,
            "no hr_status_*.csv files found",
            hint="point the 'ratification-wpdl' source at the ratification-status-wpdl folder",
        )
    return files


SOURCE = Source(
    id="ratification-wpdl",
    title="Ratification status of the UN core human-rights instruments, year precision (world-politics-datalab)",
    read=read_wpdl,
    default_path="raw/ratification-status-wpdl",
    license="No licence stated upstream; facts from the UN Treaty Collection",
    upstream="https://github.com/world-politics-datalab/humanrights-treaties-ratification-status",
)
