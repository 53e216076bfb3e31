"""Article and paragraph structure of the UNHRD treaty-text files (see treaty_texts.py for the rules).

Kept apart from the importer because treaty_body_documents also needs it: it resolves the article
numbers that decisions cite against the structure of the treaty and of its optional protocol.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SourceFormatError
from ._json_records import load_json_object

# file stem -> canonical instrument key (ontology/README.md)
FILE_KEYS = {
    "iccpr": "iccpr",
    "iccpr-op1": "iccpr-op1",
    "iccpr-op2": "iccpr-op2",
    "icescr": "icescr",
    "icescr-op": "icescr-op",
    "cerd": "icerd",
    "cedaw": "cedaw",
    "cedaw-op": "cedaw-op",
    "cat": "cat",
    "opcat": "opcat",
    "crc": "crc",
    "crc-opac": "crc-opac",
    "crc-opsc": "crc-opsc",
    "crc-opic": "crc-opic",
    "cmw": "icmw",
    "ced": "cped",
    "crpd": "crpd",
    "crpd-op": "crpd-op",
}
# instrument key -> notation used in provision labels (the first skos:notation of reference/instruments.ttl)
NOTATIONS = {
    "iccpr": "ICCPR",
    "iccpr-op1": "ICCPR-OP1",
    "iccpr-op2": "ICCPR-OP2",
    "icescr": "ICESCR",
    "icescr-op": "ICESCR-OP",
    "icerd": "ICERD",
    "cedaw": "CEDAW",
    "cedaw-op": "CEDAW-OP",
    "cat": "CAT",
    "opcat": "OPCAT",
    "crc": "CRC",
    "crc-opac": "CRC-OPAC",
    "crc-opsc": "CRC-OPSC",
    "crc-opic": "CRC-OPIC",
    "icmw": "ICMW",
    "cped": "CPED",
    "crpd": "CRPD",
    "crpd-op": "CRPD-OP",
}

_NUM = re.compile(r"^(\d+)\s*\.(?:\s+|$)(.*)$", re.S)  # "2." / "1 . In time of ..."
_PAREN = re.compile(r"^\(\s*([a-z]{1,5})\s*\)\s*(.*)$", re.S)  # "(b) To vote" / "( a ) Is" / "(d ) Rest"
_DOTLETTER = re.compile(r"^([a-z])\.\s+(.*)$", re.S)  # "a. Sexual exploitation"
_GLUED_A = re.compile(r"(?<=[:;])\s+(?=\(a\)\s)")  # "... the right: (a) To vote ..."
_ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii")


@dataclass
class Paragraph:
    path: tuple[str, ...]  # labels from the article down: ("3", "a"), ("b",), ("1", "a", "ii")
    text: str  # the item's text without its label ("" for a bare "2.")


@dataclass
class Article:
    number: str
    text: str  # every item of the article, as given, one per line
    paragraphs: list[Paragraph] = field(default_factory=list)
    anomalies: list[str] = field(default_factory=list)


@dataclass
class InstrumentText:
    key: str
    path: Path
    abbr: str
    items: int  # paragraph items in the file (PROVENANCE's "paragraph items")
    articles: list[Article]


def instrument_key(path: Path) -> str:
    key = FILE_KEYS.get(path.stem.lower())
    if key is None:
        raise SourceFormatError(
            path,
            f"unknown treaty file {path.name!r}; expected one of {', '.join(sorted(k + '.json' for k in FILE_KEYS))}",
            hint="the importer maps each UNHRD file name to a canonical instrument key",
        )
    return key


def clean(text: str) -> str:
    return " ".join(html.unescape(text).split())


def read_instrument(path: Path) -> InstrumentText:
    key = instrument_key(path)
    doc = load_json_object(path)
    articles = doc.get("articles")
    if not isinstance(articles, list) or not articles:
        raise SourceFormatError(
            path,
            "no 'articles' list",
            hint="expected {'abbr': ..., 'articles': [{'number': '1', 'paragraphs': [{'num': ..., 'text': ...}]}]}",
        )
    out, seen, items = [], set(), 0
    for i, art in enumerate(articles):
        number = str(art.get("number") or "").strip() if isinstance(art, dict) else ""
        paras = art.get("paragraphs") if isinstance(art, dict) else None
        if not re.fullmatch(r"\d+", number) or not isinstance(paras, list):
            raise SourceFormatError(
                path, f"articles[{i}]: expected a numeric 'number' and a 'paragraphs' list, found {str(art)[:80]!r}"
            )
        if number in seen:
            raise SourceFormatError(path, f"articles[{i}]: article {number} appears twice")
        seen.add(number)
        for j, p in enumerate(paras):
            if not isinstance(p, dict) or not isinstance(p.get("text"), str):
                raise SourceFormatError(path, f"articles[{i}].paragraphs[{j}]: expected {{'num': ..., 'text': ...}}")
            if p.get("num") not in (None, "") and not re.fullmatch(r"\d+", str(p["num"]).strip()):
                raise SourceFormatError(
                    path,
                    f"articles[{i}].paragraphs[{j}]: 'num' {p['num']!r} is not a paragraph number",
                    hint="expected digits or null",
                )
        items += len(paras)
        out.append(parse_article(number, paras))
    return InstrumentText(key, path, str(doc.get("abbr") or key.upper()), items, out)


def parse_article(number: str, paras: list[dict]) -> Article:
    """Split an article's items into numbered paragraphs and lettered / roman / 'a.' sub-items."""
    lines, raw = [], []
    for p in paras:
        text = clean(p["text"])
        if not text:
            continue  # "&nbsp;" placeholders
        num = str(p["num"]).strip() if p.get("num") not in (None, "") else None
        lines.append(f"{num}. {text}" if num else text)
        raw.append((num, text))
    article = Article(number, "\n".join(lines))
    labelled = _split_glued(raw)
    has_numbers = any(kind == "num" for kind, _, _ in labelled)
    parents: dict[int, tuple[str, ...]] = {}  # level -> path of the current provision at that level
    orphans: list[str] = []
    for i, (kind, label, text) in enumerate(labelled):
        if kind is None:
            continue  # chapeau, continuation or closing text: part of the article text only
        if kind == "paren":
            kind = _roman_or_letter(label, parents, labelled[i + 1 : i + 2])
        level = {"num": 1, "letter": 2, "roman": 3, "dotletter": 4}[kind]
        above = [parents[k] for k in range(level - 1, 0, -1) if k in parents]
        if level > 1 and not above and (has_numbers or (kind == "letter" and label != "a" and 2 not in parents)):
            # a list whose paragraph was lost upstream (CAT art. 5(1), CERD art. 2): no guessed IRI
            orphans.append(f"({label})")
            continue
        path = (above[0] if above else ()) + (label,)
        if any(p.path == path for p in article.paragraphs):
            article.anomalies.append(
                f"paragraph {'/'.join(path)} appears twice; the second is kept in the article text only"
            )
            continue
        _check_gap(article, parents.get(level), path, kind)
        article.paragraphs.append(Paragraph(path, text))
        parents = {k: v for k, v in parents.items() if k < level}
        parents[level] = path
    if orphans:
        article.anomalies.insert(
            0, f"items {' '.join(orphans)} have no paragraph above them (lost upstream); kept in the article text only"
        )
    return article


def _split_glued(raw: list[tuple[str | None, str]]) -> list[tuple[str | None, str, str]]:
    """Label the items, first splitting items that hold two provisions printed as one.

    "... the right: (a) To vote ..." (a chapeau and its "(a)") and "... that State. 2. States
    Parties shall ..." (paragraph 2 run into the item before it; split only when the article has
    no item numbered 2 and the number follows the current paragraph's).
    """
    printed = {num or (_NUM.match(text).group(1) if _NUM.match(text) else None) for num, text in raw}
    out: list[tuple[str | None, str, str]] = []
    current = 0
    for num, text in raw:
        pieces = _GLUED_A.split(text, maxsplit=1)
        head, rest = pieces[0], pieces[1:]
        first = _label(num, head)
        out.append(first)
        if first[0] == "num" and first[1].isdigit():
            current = int(first[1])
        for piece in [rest[0]] if rest else []:
            out.append(_label(None, piece))
        tail_index = len(out) - 1
        kind, label, body = out[tail_index]
        nxt = str(current + 1)
        m = re.search(rf"(?<=[.;:])\s+{nxt}\.\s+(?=[A-Z])", body)
        if m and nxt not in printed:
            out[tail_index] = (kind, label, body[: m.start()])
            out.append(("num", nxt, body[m.end() :]))
            current += 1
    return out


def _label(num: str | None, text: str) -> tuple[str | None, str, str]:
    if num is not None:
        return "num", num, text
    for pattern, kind in ((_NUM, "num"), (_PAREN, "paren"), (_DOTLETTER, "dotletter")):
        m = pattern.match(text)
        if m and (kind != "paren" or m.group(1) in _ROMAN or len(m.group(1)) == 1):
            return kind, m.group(1), m.group(2)
    return None, "", text


def _roman_or_letter(label: str, parents: dict, following: list) -> str:
    if label not in _ROMAN:
        return "letter"
    if len(label) > 1:
        return "roman"
    # "(i)", "(v)", "(x)" are letters only right after "(h)", "(u)", "(w)" and when no "(ii)" follows
    last_letter = parents.get(2, ())[-1:] or ("",)
    nxt = following[0][1] if following else ""
    if last_letter[0] == chr(ord(label) - 1) and not (label == "i" and nxt == "ii"):
        return "letter"
    return "roman"


def _check_gap(article: Article, previous: tuple[str, ...] | None, path: tuple[str, ...], kind: str) -> None:
    """Note a numbering gap (an item missing upstream), e.g. ICCPR art. 14(4) or ICESCR art. 7(b)."""
    label = path[-1]
    if previous is not None and previous[:-1] != path[:-1]:
        previous = None  # a new list under another parent
    if kind == "num":
        expected = str(int(previous[-1]) + 1) if previous else "1"
    elif kind == "letter" or kind == "dotletter":
        expected = chr(ord(previous[-1]) + 1) if previous else "a"
    else:
        expected = _ROMAN[_ROMAN.index(previous[-1]) + 1] if previous and previous[-1] in _ROMAN[:-1] else "i"
    if label != expected:
        article.anomalies.append(
            f"paragraph {'/'.join(path)} follows {'/'.join(previous) if previous else 'nothing'}; "
            f"({expected}) is missing upstream"
        )
