"""The one IRI of each treaty-body General Comment, shared by every source that describes one.

Two sources state facts about the same General Comments (`un-documents`: metadata and articles;
`gc-paragraphs`: the text by paragraph), so both mint its IRI here: `id/instrument/gc-<body>-<n>`,
except where reference data already names the text (CCPR GC 25 is `hrc-gc-25`).
"""

from __future__ import annotations

from rdflib import URIRef

from ..namespaces import instrument

BODIES = {  # committee code -> (mechanism slug, key of the treaty it monitors)
    "CCPR": ("ccpr", "iccpr"),
    "CESCR": ("cescr", "icescr"),
    "CERD": ("cerd", "icerd"),
    "CEDAW": ("cedaw", "cedaw"),
    "CAT": ("cat", "cat"),
    "CAT-OP": ("spt", "opcat"),
    "CRC": ("crc", "crc"),
    "CMW": ("cmw", "icmw"),
    "CRPD": ("crpd", "crpd"),
    "CED": ("ced", "cped"),
}
REFERENCE_KEYS = {("ccpr", "25"): "hrc-gc-25"}  # (body, number) -> key reference data gives the text
REFERENCE_LABELS = {"hrc-gc-25": "HRC General Comment 25"}  # how reference data names its paragraphs


def general_comment_key(body: str, number: str) -> str:
    """'ccpr', '34' -> 'gc-ccpr-34'; 'ccpr', '25' -> 'hrc-gc-25' (reference data's key)."""
    return REFERENCE_KEYS.get((body, number), f"gc-{body}-{number}")


def general_comment(body: str, number: str) -> URIRef:
    return instrument(general_comment_key(body, number))


def paragraph(key: str, number: str) -> URIRef:
    """A General Comment's paragraph: `id/instrument/<key>/para/<n>` (the IRI policy of paragraph-numbered texts)."""
    return instrument(f"{key}/para/{number}")
