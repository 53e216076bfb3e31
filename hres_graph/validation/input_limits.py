"""What a contributed file must be before a parser sees it: a regular file, of bounded size and nesting.

Design notes: hres_graph/validation/README.md, "input_limits.py".
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from xml.parsers import expat

from ..errors import SourceFormatError

MAX_NESTING = 500  # levels; contributions use fewer than 20
MAX_FILE_BYTES = 256 * 1024 * 1024  # what `hres validate` reads of one file; the server's cap is smaller

# Strings, comments and IRIs are single tokens, so brackets inside them do not count. A string also
# ends at the end of the data (or of its line), and is matched possessively: an unterminated one is
# consumed once, never rescanned from every quote inside it (that would be quadratic).
_JSON_TOKENS = re.compile(rb'"(?:[^"\\]++|\\.)*+(?:"|\\?\Z)|[\[\]{}]', re.S)
_TURTLE_TOKENS = re.compile(
    rb'"""(?:[^"\\]++|\\.|"(?!""))*+(?:"""|\\?\Z)'
    rb"|'''(?:[^'\\]++|\\.|'(?!''))*+(?:'''|\\?\Z)"
    rb'|"(?:[^"\\\n\r]++|\\.)*+(?:"|\\?(?=[\n\r])|\\?\Z)'
    rb"|'(?:[^'\\\n\r]++|\\.)*+(?:'|\\?(?=[\n\r])|\\?\Z)"
    rb'|<[^<>\s"{}|^`]*+>|#[^\n\r]*+|<<|>>|[\[\]()]',
    re.S,
)
_OPEN = {b"{": b"}", b"[": b"]", b"(": b")", b"<<": b">>"}
_HINT = "flatten the data: give nested nodes their own IRI or blank-node label and refer to them"


def read_bounded(path: Path, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The file's bytes; SourceFormatError if it is not a regular file or holds more than `max_bytes`."""
    with _open_regular(path, max_bytes) as handle:
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:  # it grew since it was measured
        raise _too_large(path, max_bytes)
    return data


def require_regular(path: Path, max_bytes: int = MAX_FILE_BYTES) -> None:
    """Check, without reading it, that `path` is a regular file of at most `max_bytes` (for readers
    that open the file themselves, such as the CSV reader)."""
    _open_regular(path, max_bytes).close()


def _open_regular(path: Path, max_bytes: int):
    try:  # O_NONBLOCK: opening a FIFO must not wait for a writer
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise SourceFormatError(path, f"cannot read the file: {exc.strerror}") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
        os.close(fd)
        if info.st_size > max_bytes and stat.S_ISREG(info.st_mode):
            raise _too_large(path, max_bytes)
        raise SourceFormatError(
            path,
            "not a regular file (a device, FIFO, socket or directory); only files are validated",
            hint="save the data to a file and give its path",
        )
    return os.fdopen(fd, "rb")


def _too_large(path: Path, max_bytes: int) -> SourceFormatError:
    return SourceFormatError(
        path,
        f"the file is larger than {max_bytes:,} bytes, the limit for one contributed file",
        hint="split the file into smaller ones",
    )


def check_nesting(path: Path, data: bytes, syntax: str, limit: int = MAX_NESTING) -> None:
    """Refuse `data` nested deeper than `limit`; `syntax` is 'json', 'turtle' or 'xml'."""
    if syntax == "xml":
        _check_xml(path, data, limit)
        return
    tokens = _JSON_TOKENS if syntax == "json" else _TURTLE_TOKENS
    depth = 0
    for match in tokens.finditer(data):
        token = match.group()
        if token in _OPEN:
            depth += 1
            if depth > limit:
                line, column = position(data, match.start())
                raise SourceFormatError(
                    path,
                    f"nested more than {limit} levels deep; refused before parsing "
                    "(deep nesting can crash or stall the parser)",
                    line=line,
                    column=column,
                    hint=_HINT,
                )
        elif token in (b"}", b"]", b")", b">>"):
            depth = max(depth - 1, 0)  # a stray closer is the parser's to report


def _check_xml(path: Path, data: bytes, limit: int) -> None:
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    depth = 0

    def start(*_):
        nonlocal depth
        depth += 1
        if depth > limit:
            raise SourceFormatError(
                path,
                f"XML elements nested more than {limit} levels deep; refused before parsing",
                line=parser.CurrentLineNumber,
                column=parser.CurrentColumnNumber + 1,
                hint=_HINT,
            )

    def end(*_):
        nonlocal depth
        depth -= 1

    parser.StartElementHandler, parser.EndElementHandler = start, end
    try:
        parser.Parse(data, True)
    except expat.ExpatError:
        pass  # not well-formed: reading.py reports it with its position after Oxigraph refuses it


def position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of a byte offset."""
    line_start = max(data.rfind(b"\n", 0, offset), data.rfind(b"\r", 0, offset)) + 1
    line = data.count(b"\n", 0, offset) + 1
    return line, len(data[line_start:offset].decode("utf-8", "replace")) + 1


__all__ = ["MAX_NESTING", "MAX_FILE_BYTES", "read_bounded", "require_regular", "check_nesting", "position"]
