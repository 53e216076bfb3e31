"""The DTD guard for contributed RDF/XML: what a document may declare before Oxigraph parses it.

Design notes: hres_graph/validation/README.md, "xml_entities.py".
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from xml.parsers import expat

from ..errors import SourceFormatError

MIB = 1024 * 1024
_EXTERNAL = re.compile(rb"<!(ENTITY|DOCTYPE)[^>]*\b(SYSTEM|PUBLIC)\b", re.I)
_REFERENCE = re.compile(r"&([A-Za-z_:][\w.:-]*);")
_HINT = "remove the DOCTYPE, or replace the entities by their text"


class _RootReached(Exception):
    """Raised from expat's first start-element callback: the DTD has been read."""


def check_dtd(path: Path, data: bytes, *, max_expansion: int | None = None) -> None:
    """Refuse what the module docstring lists; return quietly for a document without a DTD."""
    external = _EXTERNAL.search(data)
    if external:
        raise SourceFormatError(
            path,
            "the RDF/XML declares an external entity or DTD (SYSTEM/PUBLIC); "
            "external entities are refused and never fetched",
            line=_line(data, external.start()),
            hint=_HINT,
        )
    if b"<!DOCTYPE" not in data and b"<!ENTITY" not in data:
        return
    entities, body_start = _declarations(path, data)
    if not entities:
        return
    limit = max_expansion if max_expansion is not None else max(MIB, len(data))
    sizes = _expanded_sizes(path, entities, limit)
    body = data[body_start:].decode("utf-8", "replace")
    uses = Counter(name for name in _REFERENCE.findall(body) if name in sizes)
    total = sum(sizes[name] * count for name, count in uses.items())
    if total > limit:
        worst = max(uses, key=lambda n: sizes[n] * uses[n])
        raise SourceFormatError(
            path,
            f"the RDF/XML's entity references would expand to {total:,} characters "
            f"(more than {limit:,}; &{worst}; alone gives {sizes[worst] * uses[worst]:,}); "
            "entity expansion is bounded to stop memory bombs such as 'billion laughs'",
            hint=_HINT,
        )


def _declarations(path: Path, data: bytes) -> tuple[dict[str, str], int]:
    """Internal general entities (name -> replacement text) and the byte offset of the root element."""
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    entities: dict[str, str] = {}
    problems: list[str] = []

    def declared(name, is_parameter, value, base, system_id, public_id, notation):
        if is_parameter:
            problems.append(f"the RDF/XML declares a parameter entity (%{name};); parameter entities are refused")
        elif value is None:  # an unparsed or external entity the byte pattern did not see (another encoding)
            problems.append(
                f"the RDF/XML declares an external entity ({name}); external entities are refused and never fetched"
            )
        else:
            entities[name] = value

    def root(*_):
        raise _RootReached

    parser.EntityDeclHandler = declared
    parser.StartElementHandler = root
    try:
        parser.Parse(data, True)
    except _RootReached:
        pass
    except expat.ExpatError as exc:
        raise SourceFormatError(
            path,
            f"the RDF/XML is not well-formed XML: {expat.ErrorString(exc.code)}",
            line=exc.lineno,
            column=exc.offset + 1,
            hint="fix the XML at that place",
        ) from None
    if problems:
        raise SourceFormatError(path, problems[0], line=1, hint=_HINT)
    return entities, parser.CurrentByteIndex


def _expanded_sizes(path: Path, entities: dict[str, str], limit: int) -> dict[str, int]:
    """Length of each entity once every reference inside it is expanded (capped just above `limit`)."""
    sizes: dict[str, int] = {}

    def size(name: str, chain: tuple[str, ...]) -> int:
        if name in sizes:
            return sizes[name]
        if name in chain:
            raise SourceFormatError(
                path, f"the RDF/XML's entity &{name}; refers to itself ({' -> '.join((*chain, name))})", hint=_HINT
            )
        value = entities[name]
        total = len(_REFERENCE.sub("", value))
        for ref in _REFERENCE.findall(value):
            total += size(ref, (*chain, name)) if ref in entities else len(ref) + 2
            total = min(total, limit + 1)  # enough to know it is too big; stops the numbers themselves exploding
        sizes[name] = total
        return total

    for name in entities:
        size(name, ())
    too_big = [n for n, s in sizes.items() if s > limit]
    if too_big:
        raise SourceFormatError(
            path,
            f"the RDF/XML's entity &{too_big[0]}; expands to more than {limit:,} "
            "characters; entity expansion is bounded to stop memory bombs such as "
            "'billion laughs'",
            hint=_HINT,
        )
    return sizes


def _line(data: bytes, offset: int) -> int:
    return data[:offset].count(b"\n") + 1


__all__ = ["check_dtd"]
