"""Exact dates of signature, consent and acceptance of procedures from OHCHR's newest "Status of ratification"
sheets: ICCPR and CAT (state of 21 February 2023), ICESCR (10 October 2025).

Upstream: the sheet layout of importers._ohchr_sheet. `path` is the folder or one .xls file.

Output (IRIs by the shared rule of importers._participation, so an act the 2020 sheets also state is the same
resource in both graphs):
- signature -> `id/participation/<ISO3>/<key>/signature/<date>`, hres:Signature;
- ratification/accession -> `.../consent/<date>`, hres:ConsentToBeBound (the sheet does not say ratification,
  accession or succession, so no subclass);
- individual communications -> `.../communications/<date>`, hres:CommunicationsProcedureAcceptance, and for ICCPR
  and ICESCR also consent to their optional protocol (ICCPR-OP1, ICESCR-OP) on the same date;
- inquiry (CAT art. 20, ICESCR-OP art. 11) -> `.../inquiry/<date>`, hres:InquiryProcedureAcceptance;
- one hres:RatificationStatusTable per treaty and per optional protocol, dated by the sheet's stamp.

Every disagreement with the wpdl table (year precision, mid-2022) is a report note, a count and a skos:note
(importers._ratification_tables); the current status follows the newer source.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from ._ohchr_sheet import Sheet, read_sheet, sheet_files
from ._participation import event_label, event_triples, table_triples
from ._ratification_tables import Table, ohchr_tables, report, wpdl_tables
from .base import ImportContext, Source
from .ratification_wpdl import AS_OF as WPDL_AS_OF
from .ratification_wpdl import NOTATIONS
from .states import state_label

TITLE = "OHCHR status of ratification"


def read_ohchr(path: Path, ctx: ImportContext) -> Iterator[tuple]:
    for file in sheet_files(path, SOURCE.id, "ohchr-ratification-exports"):
        sheet = read_sheet(file)
        yield from sheet_triples(sheet, ctx, SOURCE.id)
        tables = ohchr_tables(sheet, ctx.states.resolve)
        wpdl = {t.key: t for t in wpdl_tables_for(ctx, {t.key for t in tables})}
        if not wpdl:
            continue
        for table in tables:
            ctx.report.count("not-in-wpdl", len(table.states - wpdl[table.key].states))
            yield from report(ctx, table, wpdl[table.key])


def sheet_triples(sheet: Sheet, ctx: ImportContext, source_id: str) -> Iterator[tuple]:
    """The events of every row, and the sheet's tables (for its treaty and its optional protocol)."""
    listed = []
    for row in ctx.progress(sheet.rows, sheet.file.name):
        iso3 = ctx.state(row.name, f"{sheet.file.name}:{row.line}")
        if iso3 is None:
            ctx.report.count("unresolved-rows")
            continue
        listed.append(iso3)
        ctx.report.count(f"{sheet.key}:rows")
        for mode, when in row.impossible.items():
            ctx.report.note(
                f"{sheet.file.name}:{row.line}: {iso3} {NOTATIONS[sheet.key]} {mode} dated "
                f"{when.isoformat()}, before the UN existed: a damaged cell, not imported"
            )
            ctx.report.count("impossible-dates")
        name = state_label(ctx.states.codes[iso3]) if iso3 in ctx.states.codes else row.name
        acts = [(sheet.key, mode, when) for mode, when in row.acts.items()]
        if sheet.op_key and "communications" in row.acts:
            acts.append((sheet.op_key, "consent", row.acts["communications"]))
        for key, mode, when in acts:
            ctx.report.count(f"{key}:{mode}-dates")
            yield from event_triples(iso3, key, mode, when, event_label(name, NOTATIONS[key], mode, when))
    yield from table_triples(source_id, sheet.key, NOTATIONS[sheet.key], sheet.as_of, sheet.modes, listed, TITLE)
    if sheet.op_key:
        yield from table_triples(
            source_id, sheet.op_key, NOTATIONS[sheet.op_key], sheet.as_of, ("consent",), listed, TITLE
        )


def wpdl_tables_for(ctx: ImportContext, keys: set[str]) -> list[Table]:
    """The wpdl tables of these instruments, or none (and a note) when that source is not available."""
    folder = ctx.source_paths.get("ratification-wpdl")
    if folder is None and ctx.data_root is not None:
        folder = ctx.data_root / "raw" / "ratification-status-wpdl"
    if folder is None or not folder.is_dir():
        ctx.report.note("the ratification-wpdl files were not found: no comparison with them")
        return []
    return wpdl_tables(folder, keys, ctx.states, WPDL_AS_OF)


SOURCE = Source(
    id="ratification-ohchr",
    title="Ratification, signature and procedure-acceptance dates for ICCPR, ICESCR and CAT (OHCHR 'Status of "
    "ratification' sheets of 2023 and 2025)",
    read=read_ohchr,
    default_path="raw/ohchr-ratification-exports",
    license="UN terms of use (OHCHR data from the UN Office of Legal Affairs); no repository licence",
    upstream="https://indicators.ohchr.org/",
    version="2",
    needs=("ratification-wpdl",),
)
