"""Reading JSON sources with file, line and column in every error.

`iter_json_array` streams the records of a top-level JSON array (the UNHRD metadata files) in
chunks, so memory stays flat in file size, and yields each record with the line it starts on.
`load_json_object` reads a small JSON file whole. Both turn `json.JSONDecodeError` into a
`SourceFormatError` that names the file, line and column.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

from ..errors import SourceFormatError

_CHUNK = 1 << 16
_DECODER = json.JSONDecoder()
_WS = " \t\r\n"


def _open(path: Path):
    try:
        return open(path, encoding="utf-8")
    except OSError as exc:
        raise SourceFormatError(
            path,
            f"cannot open file: {exc.strerror}",
            hint="check the path given on the command line or in the build configuration",
        ) from exc


def _decode_error(path: Path, text: str, pos: int, lines_before: int, msg: str) -> SourceFormatError:
    line = lines_before + text.count("\n", 0, pos) + 1
    column = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return SourceFormatError(
        path,
        f"invalid JSON: {msg.removesuffix(' at')}",
        line=line,
        column=column,
        hint="the file may be truncated or hand-edited; re-download it or fix the JSON at this position",
    )


def load_json_object(path: Path) -> dict:
    """A whole (small) JSON file that must hold one object."""
    with _open(path) as handle:
        try:
            text = handle.read()
        except UnicodeDecodeError as exc:
            raise SourceFormatError(
                path, f"byte {exc.object[exc.start]:#04x} is not valid UTF-8", hint="the importer expects UTF-8 JSON"
            ) from exc
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _decode_error(path, text, exc.pos, 0, exc.msg) from None
    if not isinstance(value, dict):
        raise SourceFormatError(
            path,
            f"expected a JSON object at the top level, found {type(value).__name__}",
            line=1,
            hint="is this the right file for this importer?",
        )
    return value


def iter_json_array(path: Path) -> Iterator[tuple[int, object]]:
    """Yield (line, record) for each element of the file's top-level JSON array, streaming."""
    with _open(path) as handle:
        buf = ""
        lines_before = 0  # newlines in the text already consumed and dropped from buf
        eof = False

        def more() -> bool:
            nonlocal buf, eof
            if eof:
                return False
            try:
                chunk = handle.read(_CHUNK)
            except UnicodeDecodeError as exc:
                raise SourceFormatError(
                    path,
                    f"byte {exc.object[exc.start]:#04x} is not valid UTF-8",
                    line=lines_before + buf.count("\n") + 1,
                    hint="the importer expects UTF-8 JSON",
                ) from exc
            if not chunk:
                eof = True
                return False
            buf += chunk
            return True

        def skip_ws(pos: int) -> int:
            while True:
                while pos < len(buf) and buf[pos] in _WS:
                    pos += 1
                if pos < len(buf) or not more():
                    return pos

        pos = skip_ws(0)
        if pos >= len(buf) or buf[pos] != "[":
            found = "the end of the file" if pos >= len(buf) else repr(buf[pos])
            raise _decode_error(path, buf, pos, 0, f"expected '[' (a JSON array of records), found {found}")
        pos = skip_ws(pos + 1)
        if pos < len(buf) and buf[pos] == "]":
            return
        while True:
            while True:
                try:
                    value, end = _DECODER.raw_decode(buf, pos)
                    break
                except json.JSONDecodeError as exc:
                    # the record may run past the end of the buffer: read more and retry
                    if not more():
                        raise _decode_error(path, buf, exc.pos, lines_before, exc.msg) from None
            yield lines_before + buf.count("\n", 0, pos) + 1, value
            pos = skip_ws(end)
            if pos >= len(buf):
                raise _decode_error(path, buf, pos, lines_before, "the array is not closed (file truncated?)")
            if buf[pos] == "]":
                return
            if buf[pos] != ",":
                raise _decode_error(
                    path, buf, pos, lines_before, f"expected ',' or ']' after a record, found {buf[pos]!r}"
                )
            pos = skip_ws(pos + 1)
            # drop what has been consumed, keeping line numbers right
            lines_before += buf.count("\n", 0, pos)
            buf = buf[pos:]
            pos = 0


def record_error(path: Path, line: int, index: int, problem: str, hint: str | None = None) -> SourceFormatError:
    """An error about record number `index` (0-based) that starts on `line`."""
    return SourceFormatError(path, f"record {index + 1}: {problem}", line=line, hint=hint)
