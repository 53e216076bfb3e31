"""Text similarity of two recommendations or findings: the cosine of their sets of normalised word stems.

Design notes: hres_graph/build/README.md, "similarity.py".
"""

from __future__ import annotations

import math
import re

from ..importers.upr_common import norm_text, peel_states

METHOD = "set-cosine-1"
METHOD_DESCRIPTION = (
    "Cosine of the sets of normalised word stems (Ochiai coefficient), hres_graph/build/similarity.py: trailing "
    "name groups dropped; accents, case, punctuation, function words, generic recommendation verbs, words "
    "under 3 letters and the State's own name removed; words cut to 6 letters (elect* = elect); "
    "score = |A and B| / sqrt(|A| |B|), 0 to 1."
)

STOP_WORDS = frozenset(
    """
a about above after again against all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have having
he her here hers him his how i if in into is it its itself just may me more most must my no nor not now of
off on once only or other our ours out over own same shall she should so some such than that the their
theirs them then there these they this those through to too under until up upon very was we were what when
where which while who whom why will with within without would you your
adopt adopted adopting continue continued continues continuing consider considered considering ensure ensured
ensures ensuring further including measure measures necessary particular particularly pursue step steps
strengthen strengthened strengthening strengthens take taken takes taking undertake undertaken efforts effort
view order need needed needs
""".split()
)
_STEM = 6
_NAME_WORD = re.compile(r"^(?:[A-Z\u00C0-\u00DE][\w'\u2019.-]*|of|the|and|de|du|des|la|le|d[’']\w+)$")


def _is_name(text: str) -> bool:
    """A parenthetical group made only of capitalised words, none all capitals: a State's name, not an
    acronym such as 'CRPD' or 'OP-CAT' (which stays: a text may name a treaty by its acronym only)."""
    words = text.replace("(", " ").replace(")", " ").split()
    return bool(words) and all(_NAME_WORD.match(w) and not w.isupper() for w in words)


def stem(word: str) -> str:
    return "elect" if word.startswith("elect") else word[:_STEM]


def tokens(text: str, drop: frozenset[str] = frozenset()) -> list[str]:
    """The stems of a text that count for similarity (steps 1-4 of the method); `drop` holds stems."""
    kept, _ = peel_states(text, _is_name)
    out = []
    for word in norm_text(kept).split():
        if len(word) < 3 or word in STOP_WORDS:
            continue
        s = stem(word)
        if s not in drop:
            out.append(s)
    return out


def name_stems(*names: str) -> frozenset[str]:
    """Stems of the words of names (e.g. a State's labels), to pass as `drop`."""
    return frozenset(stem(w) for name in names for w in norm_text(name).split() if len(w) >= 3 and w not in STOP_WORDS)


def set_cosine(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / math.sqrt(len(a) * len(b)) if a and b else 0.0


def similarity(a: str, b: str, drop: frozenset[str] = frozenset()) -> float:
    """The score of two texts (steps 1-5 of the method)."""
    return set_cosine(frozenset(tokens(a, drop)), frozenset(tokens(b, drop)))
