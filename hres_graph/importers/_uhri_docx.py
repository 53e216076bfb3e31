"""Reading an OHCHR UPR "thematic list of recommendations" matrix (DOCX) into the flat-CSV record shape.

The document has one table of four columns: recommendation (with "Source of position: …" on its last
line), position, themes (with "SDGs:" / "Affected persons:" / "Groups of Persons:" sub-lists) and a
fourth column (an assessment column, empty in cycles 2-3, or "Relevant SDGs" in cycle 4). Rows whose four
merged cells read "Theme: …" head a theme group. The page header names State, cycle and session:
"UPR of Slovenia (2nd Cycle – 20th session)".
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

from ..errors import SourceFormatError

_HEADER = re.compile(
    r"UPR of (?P<state>.+?)\s*\((?P<cycle>\d+)\w*\s+Cycle\s*[-–]\s*(?P<session>\d+)\w*\s+Session\)", re.I
)
_SOURCE = re.compile(r"\s*Source of position:\s*", re.I)


def _context(document, path: Path) -> dict[str, str]:
    texts = [p.text for section in document.sections for p in section.header.paragraphs]
    texts += [p.text for p in document.paragraphs[:20]]
    for text in texts:
        match = _HEADER.search(text)
        if match:
            return {
                "state_under_review": match["state"].strip(),
                "cycle": match["cycle"],
                "wg_session": match["session"],
            }
    raise SourceFormatError(
        path,
        "no 'UPR of <State> (<n>th Cycle - <n>th Session)' heading found",
        hint="is this an OHCHR UPR thematic list of recommendations?",
    )


def docx_records(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(table row number, record) for every recommendation row, with the flat CSV's column names."""
    import docx  # python-docx; imported here so CSV-only imports do not pay for it

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several types for a non-DOCX file
        raise SourceFormatError(path, f"cannot read the DOCX file: {exc}") from exc
    if not document.tables:
        raise SourceFormatError(path, "the document has no table", hint="expected the UPR matrix table")
    base = _context(document, path) | {"source_file": path.name}
    rows = document.tables[0].rows
    headers = [c.text.strip() for c in rows[0].cells]
    if len(headers) != 4 or not headers[0].lower().startswith("recommendation"):
        raise SourceFormatError(
            path,
            f"unexpected table header {headers}",
            line=1,
            hint="expected Recommendation | Position | themes | assessment or SDGs",
        )
    theme = ""
    for number, row in enumerate(rows[1:], 2):
        cells = [c.text for c in row.cells]
        if len(set(cells)) == 1 and cells[0].strip().lower().startswith("theme:"):
            theme = cells[0].strip()[len("theme:") :].strip()
            continue
        if len(cells) != 4:
            raise SourceFormatError(path, f"{len(cells)} cells where the table has 4", line=number)
        parts = _SOURCE.split(cells[0].strip(), maxsplit=1)
        text, source = parts[0], (parts[1] if len(parts) > 1 else "")
        match = re.match(r"\s*(\d+(?:\.\d+)+)", text)
        yield (
            number,
            base
            | {
                "theme_heading": theme,
                "paragraph": match.group(1) if match else "",
                "recommendation_text": text.strip(),
                "source_of_position": source.strip(),
                "position": cells[1].strip(),
                "col3_header": headers[2],
                "col3_raw": cells[2].strip(),
                "col4_header": headers[3],
                "col4_raw": cells[3].strip(),
            },
        )
