"""Where a query or update would reach beyond this server, read from a real SPARQL parse (rdflib's).

Used only where a query worker keeps network access, so the kernel cannot refuse connections for
it (see worker.confine_worker): when ALLOW_REMOTE names endpoints that SERVICE and LOAD may call,
and with HRES_BACKEND=sparql, where queries go to an external store that could itself federate.
There every SERVICE endpoint and LOAD source must be allow-listed, and the FROM / FROM NAMED /
USING / WITH graphs are returned so the worker can check that they are graphs of the store.

rdflib's parser reads the text as a SPARQL engine does (prefixed names and relative IRIs resolved,
keywords found by the grammar, not by a tokenizer), so no spelling hides a target. A text it cannot
parse is refused in these configurations. It costs 5-500 ms per query, which is why the default
configuration (no network at all) does not use it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib.plugins.sparql import algebra, parser
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Variable


class OutboundRefused(Exception):
    """The text names a target that is not allowed, or cannot be checked."""


@dataclass
class Targets:
    services: list[str] = field(default_factory=list)  # endpoint IRIs; "?name" for a variable endpoint
    loads: list[str] = field(default_factory=list)
    graphs: list[str] = field(default_factory=list)  # FROM, FROM NAMED, USING, USING NAMED, WITH


def targets(text: str, *, update: bool, base: str | None, prefixes: dict[str, str]) -> Targets:
    """Every outbound target of a query (update=False) or an update; OutboundRefused if rdflib
    cannot parse it."""
    try:
        if update:
            tree = algebra.translateUpdate(parser.parseUpdate(text), base=base, initNs=prefixes).algebra
        else:
            tree = algebra.translateQuery(parser.parseQuery(text), base=base, initNs=prefixes).algebra
    except Exception as exc:  # pyparsing's ParseException, and rdflib's errors while translating
        raise OutboundRefused(
            "in this configuration (ALLOW_REMOTE set, or an external store) every query is checked by "
            "rdflib's SPARQL 1.1 parser for the endpoints and graphs it would reach, and rdflib cannot "
            f"parse this one ({str(exc).splitlines()[0][:300] if str(exc) else exc.__class__.__name__}); "
            "write it in plain SPARQL 1.1"
        ) from None
    found = Targets()
    _walk(tree, found)
    return found


def _name(term) -> str:
    return f"?{term}" if isinstance(term, Variable) else str(term)


def _walk(node, found: Targets) -> None:
    stack = [node]
    while stack:  # iterative: a deeply nested query must not exhaust Python's recursion limit here
        item = stack.pop()
        if isinstance(item, CompValue):
            fields = dict(item)  # the raw values (CompValue's own get/[] evaluate them in a context)
            if item.name == "ServiceGraphPattern":
                found.services.append(_name(fields["term"]))
            elif item.name == "Load":
                found.loads.append(_name(fields["iri"]))
            elif item.name in ("DatasetClause", "UsingClause"):
                found.graphs.append(_name(fields.get("default") or fields.get("named")))
            elif item.name == "Modify" and fields.get("withClause") is not None:
                found.graphs.append(_name(fields["withClause"]))
            stack.extend(fields.values())
        elif isinstance(item, (list, tuple, set)):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())


def check(found: Targets, allow_remote: tuple[str, ...]) -> None:
    """OutboundRefused naming the first SERVICE or LOAD target that ALLOW_REMOTE does not list."""
    allowed = ", ".join(allow_remote) or "nothing"
    for kind, iris in (("SERVICE", found.services), ("LOAD", found.loads)):
        for iri in iris:
            if iri.startswith("?"):
                raise OutboundRefused(
                    f"{kind} with a variable endpoint ({iri}) is refused: this endpoint "
                    f"calls only the allow-listed endpoints ({allowed})"
                )
            if not (allow_remote and iri.startswith(allow_remote)):
                raise OutboundRefused(
                    f"{kind} <{iri}> is refused: this endpoint calls only IRIs starting "
                    f"with an ALLOW_REMOTE entry ({allowed})"
                )
