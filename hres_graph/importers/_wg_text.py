"""Reading the UPR working-group report parse (rochelleterman/uprs v.1/Data/year-csvs): bytes to clean rows.

The files are legacy 8-bit text: Mac Roman, but several files went through one or two extra rounds of
"read as Windows-1252, save as Mac Roman", so that "’" is stored as the bytes of "Õ" (one round) or
"Í" (two rounds). `mangling_depth` tells the rounds from the byte that carries the apostrophe;
`repair` undoes them character by character. Line ends are CR, CRLF or mixed; 2009data.csv omits the
empty trailing `notes` field on every row; haiti2011.csv spells `from` in lower case and has no `notes`.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import Callable, Iterator

from ..errors import SourceFormatError
from . import upr_common as upr
from .base import Row, read_csv

COLUMNS = ("text", "to", "decision", "from", "year")  # 'notes' is optional
DECISIONS = ("support", "consider", "reject", "noted", "implement", "implemented", "unknown")
# Characters that only appear as debris of a re-encoding round in these English texts.
_MARKERS = frozenset("ÕÓÒÔ™ÍªˆÑÐ‡¡œîï")


def _unround(ch: str) -> str | None:
    """Undo one round: the character's Windows-1252 byte read as Mac Roman ('Õ' -> '’')."""
    try:
        return ch.encode("cp1252").decode("mac_roman")
    except UnicodeError:
        return None


def sniff(path: Path) -> tuple[str, int]:
    """(encoding, rounds of mangling), from a streaming scan of the bytes."""
    counts = [0, 0, 0]  # byte of '’' after 0, 1, 2 rounds: 0xD5, 0xCD, 0xEA
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8, non_ascii = True, False
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(1 << 16):
                for i, byte in enumerate((0xD5, 0xCD, 0xEA)):
                    counts[i] += chunk.count(bytes([byte]))
                non_ascii = non_ascii or any(b > 127 for b in chunk)
                if utf8:
                    try:
                        decoder.decode(chunk)
                    except UnicodeDecodeError:
                        utf8 = False
    except OSError as exc:
        raise SourceFormatError(path, f"cannot open file: {exc.strerror}") from exc
    if utf8 and non_ascii:
        return "utf-8", 0
    return "mac_roman", max(range(3), key=lambda i: (counts[i], -i))


def repair(text: str, rounds: int) -> str:
    """Undo the re-encoding rounds of one field (see the module docstring)."""
    if text.isascii():
        return text
    return _NON_ASCII.sub(lambda m: _repair_char(m.group(), rounds), text)


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _repair_char(ch: str, rounds: int) -> str:
    if ch in _MARKERS:  # unmistakable debris: undo rounds until a real character appears
        fixed = ch
        for _ in range(3):
            nxt = _unround(fixed)
            if nxt is None:
                break
            fixed = nxt
            if fixed not in _MARKERS:
                break
        return fixed
    if rounds:  # a plausible character may still be debris ('Guaran’' for 'Guaraní'): keep it unless
        fixed: str | None = ch  # undoing the file's rounds gives a lower-case letter
        for _ in range(rounds):
            fixed = _unround(fixed) if fixed else None
        if fixed and fixed.isalpha() and fixed.islower():
            return fixed
    return ch


def read_rows(path: Path) -> Iterator[Row]:
    """Rows with lower-case column names, repaired text, and the unrepaired text under '_raw_text'."""
    encoding, rounds = sniff(path)
    # not strict: 2011data.csv closes a quote before debris ('"… (The Netherlands).";,denmark,…'); the
    # csv module keeps the debris in the field. The 2009 file leaves the empty notes field out.
    for row in read_csv(
        path, encoding=encoding, required=COLUMNS, strict=False, lower_header=True, may_omit_last="notes"
    ):
        values = {h: repair(v, rounds) for h, v in row.values.items()}
        values["_raw_text"] = row.values["text"]
        yield Row(path, row.line, values)


def joint_states(name: str, resolve: Callable[[str], str | None]) -> list[str]:
    """'Ecuador and Spain', 'Argentina Chile' -> both codes when every part is a State, else []."""
    parts = re.split(r"\s+and\s+", name) if " and " in name else name.split()
    if len(parts) < 2 or not all(len(p) >= 4 and p[0].isupper() for p in parts):  # not '(in Tonga)'
        return []
    codes = [resolve(p) for p in parts]
    return list(dict.fromkeys(codes)) if all(codes) else []


_PARA = re.compile(r"^\s*(\d+(?:\.+\d+)*)\.?[\s,.]*")
NO_STATE = frozenset({"NA", "None", "none", "N/A"})


def split_text(text: str, resolve: Callable[[str], str | None]) -> tuple[str, str, list[list[str]]]:
    """'67.1   Consider … (Canada);' -> ('67.1', 'Consider …', [['Canada']])."""
    text = " ".join(text.split())
    match = _PARA.match(text)
    number = re.sub(r"\.+", ".", match.group(1)) if match else ""
    body = text[match.end() :] if match else text
    body, groups = upr.peel_states(body, lambda n: resolve(n) or bool(joint_states(n, resolve)), skip=NO_STATE)
    return number, body, groups
