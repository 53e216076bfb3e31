"""OHCHR's "Status of ratification" sheets of all nine core treaties, state of 16 September 2020.

Upstream: `UnderlyingData_<TREATY>_OHCHR_19_09_2020.xls` (ICERD, ICCPR, ICESCR, CEDAW, CAT, CRC, ICRMW, CRPD,
CPED), the sheet layout of importers._ohchr_sheet. `path` is the folder or one .xls file.

Output, by the same rules as importers.ratification_ohchr (importers._participation: an act the 2023/2025 sheets
also state, with the same date, is the same resource in both graphs): signature, consent, acceptance of the
individual-communications and inquiry procedures, consent to the optional protocol where the communications
column dates it (ICCPR-OP1, ICESCR-OP, CEDAW-OP, CRC-OPIC, CRPD-OP), and one status table per treaty and
protocol. First exact dates for ICERD, CEDAW, CRC, ICRMW, CRPD and CPED.

Disagreements are looked for against every other source that lists the State for the instrument: the wpdl
table (mid-2022) and the newer OHCHR sheets (ICCPR, CAT of 2023, ICESCR of 2025), read from their own files.
Each is a report note, a count and a skos:note here; the State's current status follows the newest source
(queries/derived/current-participation.rq). A date before 1945 (one damaged cell) is reported, not imported.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from ._ohchr_sheet import read_sheet, sheet_files
from ._ratification_tables import ohchr_tables, report
from .base import ImportContext, Source
from .ratification_ohchr import SOURCE as NEWER_SHEETS
from .ratification_ohchr import sheet_triples, wpdl_tables_for


def read_ohchr_2020(path: Path, ctx: ImportContext) -> Iterator[tuple]:
    newer = _newer_tables(ctx)
    for file in sheet_files(path, SOURCE.id, "ohchr-ratification-9-core-2020"):
        sheet = read_sheet(file)
        yield from sheet_triples(sheet, ctx, SOURCE.id)
        tables = ohchr_tables(sheet, ctx.states.resolve)
        wpdl = {t.key: t for t in wpdl_tables_for(ctx, {t.key for t in tables})}
        for table in tables:
            for other in (wpdl.get(table.key), newer.get(table.key)):
                if other is not None:
                    yield from report(ctx, table, other)


def _newer_tables(ctx: ImportContext) -> dict:
    """Instrument key -> the table of the 2023/2025 sheets, or nothing (and a note) when they are not available."""
    folder = ctx.source_paths.get(NEWER_SHEETS.id)
    if folder is None and ctx.data_root is not None:
        folder = ctx.data_root / NEWER_SHEETS.default_path
    if folder is None or not folder.exists():
        ctx.report.note(f"the {NEWER_SHEETS.id} sheets were not found: no comparison with them")
        return {}
    tables = {}
    for file in sheet_files(folder, NEWER_SHEETS.id, "ohchr-ratification-exports"):
        for table in ohchr_tables(read_sheet(file), ctx.states.resolve):
            tables[table.key] = table
    return tables


SOURCE = Source(
    id="ratification-ohchr-2020",
    title="Signature, ratification and procedure-acceptance dates for the nine core UN human-rights treaties "
    "(OHCHR 'Status of ratification' sheets of 16 September 2020)",
    read=read_ohchr_2020,
    default_path="raw/ohchr-ratification-9-core-2020",
    license="UN terms of use (OHCHR data from the UN Office of Legal Affairs); no repository licence",
    upstream="https://indicators.ohchr.org/",
    needs=("ratification-wpdl", "ratification-ohchr"),
)
