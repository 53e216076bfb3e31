"""What every importer shares: the Source record, the import context, and row-reading helpers.

An importer is a pure function `read(path, ctx) -> Iterator[Triple]`: it reads files and yields
rdflib triples. It never writes to a store; `hres_graph.build.pipeline` decides where the triples go (one
named graph per source) and adds provenance. Errors carry file, line and column
(`SourceFormatError`), so a bad row never becomes a silent wrong triple.

Control characters (C0 other than tab, LF and CR; U+FFFE, U+FFFF) are refused here, once for every
importer: XML 1.0 cannot hold them, so a literal with one would make every RDF/XML and SPARQL XML
answer that contains it ill-formed. Text files are refused at the line and column that holds one
(`LineCounter`, which every CSV and line-based reader goes through); formats that can carry them
inside their own syntax (a JSON or YAML escape such as `\u0000`, a binary .xls cell) are refused
when the importer yields the literal (`Source` checks every literal its `read` yields), naming the
file, the subject and the predicate.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from ..errors import SourceFormatError

if TYPE_CHECKING:
    from .state_names import StateResolver

Triple = tuple  # (subject, predicate, object) of rdflib terms

# what XML 1.0 cannot hold (tab, LF and CR are fine); a literal with one breaks RDF/XML and SPARQL XML
CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_C0_NAMES = (
    "NUL SOH STX ETX EOT ENQ ACK BEL BS HT LF VT FF CR SO SI DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB ESC FS GS RS US"
).split()
_CONTROL_HINT = (
    "remove it or replace it with a space: control characters other than tab, line feed and "
    "carriage return cannot be written in RDF/XML or SPARQL XML results"
)


def describe_character(ch: str) -> str:
    """'U+0000 (NUL)', 'U+FFFF' ..."""
    code = ord(ch)
    return f"U+{code:04X}" + (f" ({_C0_NAMES[code]})" if code < 32 else "")


class LiteralGuard:
    """An importer's `read`, refusing any literal that holds a control character (see the module
    docstring). A class, not a closure, so a Source still pickles into the build's child processes."""

    def __init__(self, read: Callable[[Path, "ImportContext"], Iterator[Triple]]):
        self.read = read

    def __call__(self, path: Path, ctx: "ImportContext") -> Iterator[Triple]:
        for triple in self.read(path, ctx):
            value = triple[2]
            found = CONTROL_CHARACTER.search(value) if isinstance(value, Literal) else None
            if found:
                raise SourceFormatError(
                    path,
                    f"control character {describe_character(found.group())} at character "
                    f"{found.start() + 1} of the value of <{triple[1]}> for <{triple[0]}>",
                    hint=_CONTROL_HINT,
                )
            yield triple


@dataclass(frozen=True)
class Source:
    """A data source: its id names its graph (`graph/<id>`) and its CLI name (`hres import <id>`).
    Its `read` is wrapped in a LiteralGuard, so no importer can store a control character."""

    id: str
    title: str
    read: Callable[[Path, "ImportContext"], Iterator[Triple]]
    default_path: str  # relative to the data root (../shared/data by default)
    license: str
    upstream: str
    version: str = "1"  # bump when the importer's output changes for the same input
    needs: tuple[str, ...] = ()  # other sources whose files this importer also reads (e.g. for linking)

    def __post_init__(self):
        if not isinstance(self.read, LiteralGuard):  # dataclasses.replace() runs this again
            object.__setattr__(self, "read", LiteralGuard(self.read))


@dataclass
class ImportReport:
    """What an import observed: counts, names it could not resolve, notes a person should read."""

    source: str
    counts: Counter = field(default_factory=Counter)
    unresolved: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    notes: list[str] = field(default_factory=list)

    def count(self, key: str, n: int = 1) -> None:
        self.counts[key] += n

    def unresolved_name(self, name: str, where: str) -> None:
        places = self.unresolved[name]
        if len(places) < 5:  # enough to find the rows, not a copy of the file
            places.append(where)

    def note(self, text: str) -> None:
        self.notes.append(text)


@dataclass
class ImportContext:
    """Shared services for importers: the state-name resolver, the report, progress and other sources' paths."""

    states: "StateResolver"
    report: ImportReport
    data_root: Path | None = None
    show_progress: bool = False
    source_paths: dict[str, Path] = field(default_factory=dict)

    def state(self, name: str, where: str) -> str | None:
        """ISO 3166-1 alpha-3 code for a state name, or None (recorded in the report as unresolved)."""
        iso3 = self.states.resolve(name)
        if iso3 is None and name.strip():
            self.report.unresolved_name(name.strip(), where)
        return iso3

    def progress(self, rows: Iterable, label: str, total: int | None = None) -> Iterator:
        """Yield rows, drawing a one-line progress indicator on stderr when asked to."""
        if not self.show_progress:
            yield from rows
            return
        n = 0
        for n, row in enumerate(rows, 1):
            if n % 2000 == 0:
                shown = f"{n:,}/{total:,}" if total else f"{n:,}"
                print(f"\r  {label}: {shown} rows", end="", file=sys.stderr, flush=True)
            yield row
        print(f"\r  {label}: {n:,} rows" + " " * 12, file=sys.stderr, flush=True)


# --- reading rows -------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One CSV record with the file and line it started on, for error messages."""

    path: Path
    line: int
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values.get(column) or ""

    @property
    def where(self) -> str:
        return f"{self.path.name}:{self.line}"

    def error(self, problem: str, column: str | None = None, hint: str | None = None) -> SourceFormatError:
        return SourceFormatError(self.path, problem, line=self.line, column=column, hint=hint)


def csv_files(path: Path, pattern: str = "*.csv", *, hint: str) -> list[Path]:
    """The file itself, or the folder's files matching `pattern` in name order (SourceFormatError if none)."""
    if path.is_file():
        return [path]
    files = sorted(p for p in path.glob(pattern) if p.is_file())
    if not files:
        raise SourceFormatError(path, f"no {pattern} files in the folder", hint=hint)
    return files


def read_csv(
    path: Path,
    *,
    encoding: str = "utf-8",
    required: Iterable[str] = (),
    delimiter: str = ",",
    strict: bool = True,
    lower_header: bool = False,
    may_omit_last: str | None = None,
) -> Iterator[Row]:
    """Stream a CSV file as Rows, checking its header and every record's width.

    Line numbers are physical lines (1-based, header = 1), whatever the line terminator
    (CR-only Mac exports included), so an error points at the line an editor shows. `strict=False` keeps
    debris after a closing quote in the field (the width and value checks still catch a shifted row);
    `may_omit_last`: a last column that some records leave out entirely (read as empty).
    """
    try:
        handle = open(path, encoding=encoding, newline="")
    except OSError as exc:
        raise SourceFormatError(
            path,
            f"cannot open file: {exc.strerror}",
            hint="check the path given on the command line or in the build configuration",
        ) from exc
    with handle:
        counter = LineCounter(handle)
        reader = csv.reader(counter, delimiter=delimiter, strict=strict)
        try:
            header = next(reader)
        except StopIteration:
            raise SourceFormatError(path, "the file is empty; expected a header row", line=1) from None
        except UnicodeDecodeError as exc:
            raise _undecodable(path, encoding, exc, 1) from exc
        except csv.Error as exc:
            raise SourceFormatError(
                path, f"cannot read the header: {exc}", line=1, hint=f"the file should be {encoding}-encoded CSV"
            ) from exc
        header = unique_header(
            (h.strip().lstrip("\ufeff").lower() if lower_header else h.strip().lstrip("\ufeff")) for h in header
        )
        missing = [c for c in required if c not in header]
        if missing:
            raise SourceFormatError(
                path,
                f"missing column(s) {', '.join(map(repr, missing))}; the header has {', '.join(map(repr, header))}",
                line=1,
                hint="is this the right file for this importer?",
            )
        while True:
            start = counter.lines + 1
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise SourceFormatError(
                    path, f"malformed CSV: {exc}", line=start, hint="look for an unbalanced double quote"
                ) from exc
            except UnicodeDecodeError as exc:
                raise _undecodable(path, encoding, exc, start) from exc
            if not any(v.strip() for v in record):
                continue
            if may_omit_last and len(record) == len(header) - 1 and header[-1] == may_omit_last:
                record.append("")
            if len(record) != len(header):
                raise SourceFormatError(
                    path,
                    f"{len(record)} fields where the header has {len(header)}",
                    line=start,
                    hint="a shifted or unquoted comma; fix the row or quote the field",
                )
            yield Row(path, start, dict(zip(header, record)))


def unique_header(names: Iterable[str]) -> list[str]:
    """Header names made unique as pandas does ('Rgrp', 'Rgrp.1'): UPR Info's current export has two `Rgrp`
    and two `Org` columns, and a second column of one name must not silently replace the first."""
    seen: Counter = Counter()
    out = []
    for name in names:
        out.append(f"{name}.{seen[name]}" if seen[name] else name)
        seen[name] += 1
    return out


def _undecodable(path: Path, encoding: str, exc: UnicodeDecodeError, fallback_line: int) -> SourceFormatError:
    """The error for a byte the encoding cannot decode, on the physical line that holds it. The text
    reader decodes 8 KiB ahead of the line being parsed, so the line is found again in the bytes."""
    line, byte = _locate_undecodable(path, encoding) or (fallback_line, exc.object[exc.start])
    name = "utf-8" if encoding == "utf-8-sig" else encoding  # -sig only means a BOM may begin the file
    return SourceFormatError(
        path,
        f"byte {byte:#04x} is not valid {name}",
        line=line,
        hint=f"the importer expects {name}; re-export the file in that encoding",
    )


def _locate_undecodable(path: Path, encoding: str) -> tuple[int, int] | None:
    """(physical line, byte) of the first byte that does not decode; lines end at CR, LF or CRLF.
    Decoding line by line is exact for UTF-8 and the 8-bit encodings, where byte 0x0A is always LF."""
    line = 1
    with open(path, "rb") as handle:
        for raw in handle:
            try:
                raw.decode(encoding)
            except UnicodeDecodeError as exc:
                before = raw[: exc.start]
                return line + before.replace(b"\r\n", b"\n").count(b"\r"), raw[exc.start]
            line += raw.replace(b"\r\n", b"\n").count(b"\r") + raw.endswith(b"\n")
            encoding = "utf-8" if encoding == "utf-8-sig" else encoding  # a BOM only begins the file
    return None


class LineCounter:
    """Iterator over a text file's records that counts physical lines (CR, LF or CRLF) and refuses a
    control character at its line and column (see the module docstring)."""

    def __init__(self, handle: io.TextIOBase):
        self._handle = handle
        self.lines = 0

    def __iter__(self):
        return self

    def __next__(self) -> str:
        chunk = self._handle.readline()
        if not chunk:
            raise StopIteration
        # newline="" keeps terminators; a CR-only file yields one "line" per CR.
        self.lines += 1
        found = CONTROL_CHARACTER.search(chunk)
        if found:
            raise SourceFormatError(
                getattr(self._handle, "name", "<text>"),
                f"control character {describe_character(found.group())} in the text",
                line=self.lines,
                column=found.start() + 1,
                hint=_CONTROL_HINT,
            )
        return chunk


# --- terms --------------------------------------------------------------------------------


def slug(text: str) -> str:
    """Lower-case ASCII slug: 'Women's rights' -> 'womens-rights', 'HIV - Aids' -> 'hiv-aids'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = ascii_text.replace("'", "").replace("\u2019", "")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def stable_key(*parts: str, length: int = 12) -> str:
    """Deterministic short key from a record's identifying fields (same input, same IRI)."""
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:length]


def text_literal(value: str, lang: str | None = "en") -> Literal:
    return Literal(" ".join(value.split()), lang=lang)


def date_literal(value: date) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.date)


def year_literal(year: int) -> Literal:
    return Literal(f"{year:04d}", datatype=XSD.gYear)


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%d.%m.%Y")


def parse_date(value: str) -> date | None:
    """A full date from the formats our sources use, or None when the value is not a full date."""
    value = value.strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def iri_safe(text: str) -> str:
    """Keep an identifier readable in an IRI path segment while making it valid."""
    return re.sub(r"[^A-Za-z0-9._~-]+", "-", text).strip("-")


__all__ = [
    "Source",
    "ImportReport",
    "ImportContext",
    "Row",
    "Triple",
    "read_csv",
    "unique_header",
    "CONTROL_CHARACTER",
    "LiteralGuard",
    "slug",
    "stable_key",
    "text_literal",
    "date_literal",
    "year_literal",
    "parse_date",
    "iri_safe",
    "URIRef",
]
