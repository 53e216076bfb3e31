"""The named gap and follow-up queries as plain SPARQL text, with an example's parameters written in.

Both servers of the benchmark get the same text through /sparql, and rdflib-endpoint knows nothing
of our parameter binding (Oxigraph's `substitutions`, used by /api/queries/<name>), so each bound
parameter is written into the text as `VALUES (?var …) { (<term> …) }` at the start of the WHERE
group of the outer query and of every sub-select that projects it: a sub-select is evaluated before the
outer join (bottom-up), so one VALUES at the top only would not restrict it, and a sub-select that does
not project it is not reached by Oxigraph's substitutions either. An optional parameter the example
leaves out stays a free variable, as with `NamedQuery.bind`.

The benchmark checks that /sparql with this text and /api/queries/<name> give the same number of rows
on hres serve, and reports any case where they do not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hres_graph.queries import NamedQuery, catalogue

# Enough of the SPARQL grammar to find comments, SELECT and `{` outside IRIs and strings.
_TOKEN = re.compile(
    r'''
  (?P<ws>\s+)
| (?P<comment>\#[^\r\n]*)
| (?P<iri><(?:[^<>"{}|^`\\\x00-\x20])*>)
| (?P<string>"""(?:(?:"|"")?(?:[^"\\]|\\.))*"""|\'\'\'(?:(?:\'|\'\')?(?:[^\'\\]|\\.))*\'\'\'
             |"(?:[^"\\\n\r]|\\.)*"|\'(?:[^\'\\\n\r]|\\.)*\')
| (?P<var>[?$][A-Za-z0-9_\u00B7\u00C0-\U000EFFFF]+)
| (?P<word>[A-Za-z_:\u00C0-\U000EFFFF](?:[A-Za-z0-9_\-.:%\u00B7\u00C0-\U000EFFFF])*)
| (?P<punct>.)
''',
    re.X | re.S,
)
TAGS = ("gaps", "follow-up")


@dataclass(frozen=True)
class Case:
    """One named query with one example's parameters: what the benchmark sends."""

    query: str  # catalogue name
    tag: str  # gaps | follow-up
    params: dict  # the example's text values
    sparql: str  # the text, parameters written in

    @property
    def label(self) -> str:
        args = " ".join(f"{k}={v.rsplit('/', 1)[-1]}" for k, v in self.params.items())
        return f"{self.tag}/{self.query}" + (f" {args}" if args else "")


def write_in(text: str, bound: dict[str, str]) -> str:
    """The text without comments, `VALUES` of `bound` (variable name -> SPARQL term) first in the
    WHERE group of every SELECT that names the variable before its WHERE (or is SELECT *). Oxigraph's
    substitutions reach only those; and Virtuoso 7 gave wrong rows for a VALUES of a variable a
    sub-select does not project (findings-without-upr-recommendation's MINUS of sub-selects)."""
    out, named = [], None  # named: variables between SELECT and its WHERE group, None outside
    for match in _TOKEN.finditer(text):
        kind, value = match.lastgroup, match.group()
        if kind == "comment":
            continue
        out.append(value)
        if kind == "word" and value.upper() == "SELECT":
            named, first = set(), True
        elif named is not None and kind != "ws":
            if kind == "var":
                named.add(value[1:])
            elif value == "*" and first:
                named.update(bound)
            elif value == "{":  # the WHERE group of that SELECT
                own = {k: v for k, v in bound.items() if k in named}
                if own:
                    out.append(
                        " VALUES ({}) {{ ({}) }} ".format(" ".join("?" + k for k in own), " ".join(own.values()))
                    )
                named = None
            first = first and kind == "word" and value.upper() in ("SELECT", "DISTINCT", "REDUCED")
    return "\n".join(line for line in "".join(out).splitlines() if line.strip()) + "\n"


def case(query: NamedQuery, params: dict) -> Case:
    bound = {var.value: str(term) for var, term in query.bind(params).items()}  # N-Triples = SPARQL terms
    return Case(query.name, query.tag, dict(params), write_in(query.text, bound))


def cases(mode: str = "values", names: list[str] | None = None, all_examples: bool = True) -> list[Case]:
    """Every example (or only the first) of each gap and follow-up query; a query without examples
    gives one case with no parameters. `mode` is "values" (`write_in`); "inline" is accepted as
    another name for it, for existing callers (the earlier rewrite that replaced each variable by its
    term gave invalid SPARQL for findings-without-upr-recommendation)."""
    if mode not in ("values", "inline"):
        raise ValueError(f"unknown mode {mode!r}: parameters are written in as VALUES")
    found = []
    for query in catalogue().values():
        if query.tag not in TAGS or (names and query.name not in names):
            continue
        examples = query.examples or ({},)
        found += [case(query, dict(example)) for example in (examples if all_examples else examples[:1])]
    return found
