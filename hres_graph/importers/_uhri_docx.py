"""Reading an OHCHR UPR "thematic list of recommendations" matrix (DOCX) into the flat-CSV record shape.

The document has one table of four columns: recommendation (with "Source of position: …" on its last
line), position, themes (with "SDGs:" / "Affected persons:" / "Groups of Persons:" sub-lists, or UHRI-coded
lines such as "A12 Acceptance of international norms" and "S16 SDG 16 - …") and a fourth column (an
assessment column, empty in cycles 2-3, or "Relevant SDGs" in cycle 4). Rows whose four merged cells read
"Theme: …" head a theme group.

Nothing about the State is assumed: each file says which review it is. OHCHR prints it in the page
header, "UPR of Slovenia (2nd Cycle – 20th session)", "UPR of China (3rd Cycle - 31st Session)"; the
reader looks there (every header of every section), then in the first paragraphs of the body and in the
document title, and refuses a file that names no review.
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
_PARAGRAPH = re.compile(r"\s*(\d+(?:\.\d+)+)")  # '121.1', '186.28.' (cycle 2 prints a closing dot)


def _heading_texts(document) -> Iterator[str]:
    """Where a matrix names its review, most likely first: page headers, the body's top, the title.
    A header linked to the previous section's is not read (python-docx would add a definition)."""
    for section in document.sections:
        for header in (section.header, section.first_page_header, section.even_page_header):
            if not header.is_linked_to_previous:
                yield from (p.text for p in header.paragraphs)
    yield from (p.text for p in document.paragraphs[:20])
    yield document.core_properties.title or ""


def _context(document, path: Path) -> dict[str, str]:
    """State under review, cycle and Working Group session, as the file itself names them."""
    for text in _heading_texts(document):
        match = _HEADER.search(text)
        if match:
            return {
                "state_under_review": match["state"].strip(),
                "cycle": match["cycle"],
                "wg_session": match["session"],
            }
    raise SourceFormatError(
        path,
        "no 'UPR of <State> (<n>th Cycle - <n>th Session)' heading found in the page headers, "
        "the first paragraphs or the title",
        hint="is this an OHCHR UPR thematic list of recommendations? If it is, add that heading to its page header",
    )


def _open(path: Path):
    """The python-docx Document, or a SourceFormatError saying the file is not a readable DOCX."""
    import docx  # python-docx; imported here so CSV-only imports do not pay for it

    try:
        return docx.Document(str(path))
    except Exception as exc:  # python-docx raises several types for a non-DOCX file
        raise SourceFormatError(path, f"cannot read the DOCX file: {exc}") from exc


def _headers(document, path: Path) -> list[str]:
    """The matrix table's four column headers (checked: a wrong table would give wrong records)."""
    if not document.tables:
        raise SourceFormatError(path, "the document has no table", hint="expected the UPR matrix table")
    headers = [c.text.strip() for c in document.tables[0].rows[0].cells]
    if len(headers) != 4 or not headers[0].lower().startswith("recommendation"):
        raise SourceFormatError(
            path,
            f"unexpected table header {headers}",
            line=1,
            hint="expected Recommendation | Position | themes | assessment or SDGs",
        )
    return headers


def docx_records(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(table row number, record) for every recommendation row, with the flat CSV's column names."""
    document = _open(path)
    headers = _headers(document, path)
    base = _context(document, path) | {"source_file": path.name}
    theme = ""
    for number, row in enumerate(document.tables[0].rows[1:], 2):
        cells = [c.text for c in row.cells]
        if len(set(cells)) == 1 and cells[0].strip().lower().startswith("theme:"):
            theme = cells[0].strip()[len("theme:") :].strip()
            continue
        if len(cells) != 4:
            raise SourceFormatError(path, f"{len(cells)} cells where the table has 4", line=number)
        yield number, base | _record(cells, headers, theme)


def _record(cells: list[str], headers: list[str], theme: str) -> dict[str, str]:
    """One table row in the flat CSV's columns: the recommendation cell split into text and position source."""
    parts = _SOURCE.split(cells[0].strip(), maxsplit=1)
    text, source = parts[0], (parts[1] if len(parts) > 1 else "")
    match = _PARAGRAPH.match(text)
    return {
        "theme_heading": theme,
        "paragraph": match.group(1) if match else "",
        "recommendation_text": text.strip(),
        "source_of_position": source.strip(),
        "position": cells[1].strip(),
        "col3_header": headers[2],
        "col3_raw": cells[2].strip(),
        "col4_header": headers[3],
        "col4_raw": cells[3].strip(),
    }
