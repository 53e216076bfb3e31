"""Which instrument an "Art. N(p)" citation of a treaty-body decision means: the treaty or its protocol.

UNHRD's `articlesCited` mixes Covenant/Convention articles with Optional-Protocol articles and never
says which (PROVENANCE). A citation is resolved only when exactly one of the two instruments can be
meant:
- the article must lie in the part of the instrument a communication can invoke (INVOCABLE: the
  substantive articles of the treaty, the communication-procedure articles of the protocol); numbers
  outside both are parsing noise upstream ("Art. 1737", "Art. 95");
- for the low article numbers both instruments share, the cited paragraph must exist (STRUCTURE,
  transcribed from the official texts): "Art. 5(4)" is ICCPR-OP1 art. 5(4), since ICCPR art. 5 has
  two paragraphs; "Art. 4(3)" is ICCPR art. 4(3), since ICCPR-OP1 art. 4 has two.
Citations both instruments can mean ("Art. 2", "Art. 5(1)") are left unlinked and counted.
"""

from __future__ import annotations

import re

# committee -> (treaty key, optional-protocol key) of the individual-communication procedure
PROCEDURES = {"CCPR": ("iccpr", "iccpr-op1"), "CEDAW": ("cedaw", "cedaw-op"), "CRPD": ("crpd", "crpd-op")}

INVOCABLE = {
    "iccpr": 27,  # Parts I-III
    "iccpr-op1": 5,  # competence, standing, admissibility, transmission, consideration
    "cedaw": 16,  # Parts I-IV
    "cedaw-op": 7,  # up to the consideration of communications and views
    "crpd": 33,  # up to national implementation and monitoring
    "crpd-op": 5,
}

_ALL_LETTERS = "abcdefghi"


def _paths(spec: str) -> frozenset[tuple[str, ...]]:
    """'1 2 3a 3b' -> {(), ('1',), ('2',), ('3',), ('3', 'a'), ('3', 'b')}."""
    out = {()}
    for token in spec.split():
        m = re.fullmatch(r"(\d*)([a-z]*)", token)
        num, letter = m.group(1), m.group(2)
        if num:
            out.add((num,))
        if letter:
            out.add(((num,) if num else ()) + (letter,))
    return frozenset(out)


def _letters(prefix: str, last: str) -> str:
    return " ".join(prefix + c for c in _ALL_LETTERS[: _ALL_LETTERS.index(last) + 1])


# Paragraph structure of articles 1-7 (the numbers a treaty and its protocol share in INVOCABLE).
STRUCTURE: dict[str, dict[str, frozenset]] = {
    "iccpr": {
        "1": _paths("1 2 3"),
        "2": _paths("1 2 3a 3b 3c"),
        "3": _paths(""),
        "4": _paths("1 2 3"),
        "5": _paths("1 2"),
    },
    "iccpr-op1": {"1": _paths(""), "2": _paths(""), "3": _paths(""), "4": _paths("1 2"), "5": _paths("1 2a 2b 3 4")},
    "cedaw": {
        "1": _paths(""),
        "2": _paths(_letters("", "g")),
        "3": _paths(""),
        "4": _paths("1 2"),
        "5": _paths("a b"),
        "6": _paths(""),
        "7": _paths("a b c"),
    },
    "cedaw-op": {
        "1": _paths(""),
        "2": _paths(""),
        "3": _paths(""),
        "4": _paths("1 " + _letters("2", "e")),
        "5": _paths("1 2"),
        "6": _paths("1 2"),
        "7": _paths("1 2 3 4 5"),
    },
    "crpd": {
        "1": _paths(""),
        "2": _paths(""),
        "3": _paths(_letters("", "h")),
        "4": _paths(_letters("1", "i") + " 2 3 4 5"),
        "5": _paths("1 2 3 4"),
    },
    "crpd-op": {
        "1": _paths("1 2"),
        "2": _paths(_letters("", "f")),
        "3": _paths(""),
        "4": _paths("1 2"),
        "5": _paths(""),
    },
}

CITATION = re.compile(r"Art\.?\s*(\d+)((?:\s*\([0-9a-z]+\))*)", re.I)


def parse_citation(text: str) -> tuple[str, tuple[str, ...]] | None:
    """'Art. 5(2)(a)' -> ('5', ('2', 'a')); 'Art. 19(Freedomofopinion)' -> ('19', ()); else None."""
    m = CITATION.match(text.strip())
    if not m:
        return None
    subs = tuple(s.lower() for s in re.findall(r"\(([0-9a-z]+)\)", m.group(2), re.I))
    if any(len(s) > 4 and not s.isdigit() for s in subs):
        subs = ()  # a caption glued on by the upstream parser, not a paragraph
    return str(int(m.group(1))), subs


def _possible(key: str, number: str, subs: tuple[str, ...]) -> bool:
    if not 1 <= int(number) <= INVOCABLE[key]:
        return False
    known = STRUCTURE[key].get(number)
    return known is None or subs in known


def resolve(committee: str, citation: str) -> tuple[str | None, str, str]:
    """(instrument key or None, article number, why): why is 'resolved', 'ambiguous', 'out-of-range',
    'unparsed' or 'no-procedure-table'."""
    parsed = parse_citation(citation)
    if parsed is None:
        return None, "", "unparsed"
    number, subs = parsed
    if committee not in PROCEDURES:  # a committee whose treaty/protocol pair is not tabled above
        return None, number, "no-procedure-table"
    candidates = [key for key in PROCEDURES[committee] if _possible(key, number, subs)]
    if len(candidates) == 1:
        return candidates[0], number, "resolved"
    return None, number, "ambiguous" if candidates else "out-of-range"
