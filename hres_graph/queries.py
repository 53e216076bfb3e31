"""`.rq` files with `#+ key: value` headers (a subset of grlc's decorators), and the named-query catalogue.

Design notes: queries/README.md, "queries.py".
"""

from __future__ import annotations

import datetime as _dt
import difflib
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from .config import PROJECT_ROOT
from .errors import QueryError

QUERIES_DIR = PROJECT_ROOT / "queries"
NAMED_FOLDERS = ("gaps", "follow-up", "browse")
_HEADER = re.compile(r"^#\+\s*([a-z_-]+)\s*:\s*(.*?)\s*$")

XSD = "http://www.w3.org/2001/XMLSchema#"
PARAM_TYPES = ("iri", "string", "integer", "decimal", "boolean", "date", "year")
VIEWS = ("table", "bar", "stacked-bar", "heatmap")
VIEW_ROLES = ("x", "y", "series", "label")
IRI_SCHEMES = ("http", "https", "urn")
MAX_VALUE_LENGTH = 2000
_PARAM_VAR = re.compile(r"[?$](__?)([a-z][a-z0-9_]*?)_(" + "|".join(PARAM_TYPES) + r")\b")
_PARAM_LINE = re.compile(r'^([a-z][a-z0-9_]*)\s+(\S+)(?:\s+class=(\S+))?\s+(\S+)\s+"(.*)"$')
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f]')
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_CURIE = re.compile(r"^([A-Za-z][\w-]*):([^/].*)$")
_INTEGER = re.compile(r"^[+-]?\d{1,18}$")
_YEAR = re.compile(r"^\d{4}$")
_BOOLEANS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


@dataclass(frozen=True)
class QueryFile:
    path: Path
    name: str
    text: str
    header: dict[str, str] = field(default_factory=dict)  # last value of each key
    entries: tuple[tuple[str, str], ...] = ()  # every header line, in order

    @property
    def title(self) -> str:
        return self.header.get("title", self.name)

    def values(self, key: str) -> list[str]:
        """Every value of a repeatable header key (`param`, `example`, `description`)."""
        return [v for k, v in self.entries if k == key]


def parse_query_file(path: Path) -> QueryFile:
    text = path.read_text(encoding="utf-8")
    header: dict[str, str] = {}
    entries: list[tuple[str, str]] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.startswith("#"):
            break
        match = _HEADER.match(line)
        if line.startswith("#+") and not match:
            raise QueryError(f"{path}:{number}: malformed header line {line!r}; expected '#+ key: value'")
        if match:
            header[match.group(1)] = match.group(2)
            entries.append((match.group(1), match.group(2)))
    return QueryFile(path, path.stem, text, header, tuple(entries))


def query_files(folder: str) -> list[QueryFile]:
    return [parse_query_file(p) for p in sorted((QUERIES_DIR / folder).glob("*.rq"))]


# --- parameters ---------------------------------------------------------------------------------


def expand_iri(value: str) -> str:
    """An absolute IRI, `<IRI>`, or a canonical prefixed name (`hresid:state/SVN`) -> the IRI text."""
    from .namespaces import PREFIXES

    value = value.strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    match = _CURIE.match(value)
    if match and match.group(1) in PREFIXES:
        value = PREFIXES[match.group(1)] + match.group(2)
    return value


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    required: bool
    default: str | None
    doc: str
    cls: str | None = None  # an iri parameter's expected class (absolute IRI): `class=` in its header line

    @property
    def variable(self) -> str:
        return f"{'_' if self.required else '__'}{self.name}_{self.type}"

    def convert(self, raw: str) -> ox.NamedNode | ox.Literal:
        """The typed RDF term for a text value; QueryError naming the parameter when it is not valid."""
        if not isinstance(raw, str):
            raise self._bad(raw, "a text value")
        if len(raw) > MAX_VALUE_LENGTH:
            raise self._bad(raw[:40] + "…", f"at most {MAX_VALUE_LENGTH} characters")
        value = raw if self.type == "string" else raw.strip()
        if self.type == "iri":
            return self._iri(value)
        if self.type == "string":
            if any(ord(c) < 32 and c not in "\t\n\r" for c in value):
                raise self._bad(raw, "text without control characters")
            return ox.Literal(value)
        if self.type == "integer":
            if not _INTEGER.match(value):
                raise self._bad(raw, "a whole number such as 2")
            return ox.Literal(str(int(value)), datatype=ox.NamedNode(XSD + "integer"))
        if self.type == "decimal":
            try:
                number = Decimal(value)
            except InvalidOperation:
                number = None
            if number is None or not number.is_finite() or not re.match(r"^[+-]?(\d+\.?\d*|\.\d+)$", value):
                raise self._bad(raw, "a decimal number such as 0.8")
            return ox.Literal(str(number), datatype=ox.NamedNode(XSD + "decimal"))
        if self.type == "boolean":
            if value.lower() not in _BOOLEANS:
                raise self._bad(raw, "true or false")
            return ox.Literal("true" if _BOOLEANS[value.lower()] else "false", datatype=ox.NamedNode(XSD + "boolean"))
        if self.type == "date":
            try:
                day = _dt.date.fromisoformat(value) if re.match(r"^\d{4}-\d{2}-\d{2}$", value) else None
            except ValueError:
                day = None
            if day is None:
                raise self._bad(raw, "a date such as 2014-06-12 (YYYY-MM-DD)")
            return ox.Literal(day.isoformat(), datatype=ox.NamedNode(XSD + "date"))
        if self.type == "year":
            if not _YEAR.match(value):
                raise self._bad(raw, "a four-digit year such as 2012")
            return ox.Literal(value, datatype=ox.NamedNode(XSD + "gYear"))
        raise QueryError(f"parameter {self.name!r} has an unknown type {self.type!r}")  # pragma: no cover

    def _iri(self, raw: str) -> ox.NamedNode:
        value = expand_iri(raw)
        scheme = _SCHEME.match(value)
        if not scheme:
            raise self._bad(
                raw,
                "an absolute IRI such as https://w3id.org/hres/id/state/SVN, or a prefixed "
                "name such as hresid:state/SVN",
            )
        if scheme.group(1).lower() not in IRI_SCHEMES:
            raise self._bad(raw, f"an IRI with one of the schemes {', '.join(IRI_SCHEMES)}")
        if _IRI_FORBIDDEN.search(value):
            raise self._bad(raw, 'an IRI without spaces or any of the characters < > " { } | ^ ` \\')
        try:
            return ox.NamedNode(value)
        except ValueError as exc:
            raise self._bad(raw, f"a valid IRI ({exc})") from None

    def _bad(self, raw, expected: str) -> QueryError:
        return QueryError(f"parameter {self.name!r} ({self.type}): {raw!r} is not valid; expected {expected}")

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "type": self.type,
            "required": self.required,
            "default": self.default,
            "description": self.doc,
            "variable": "?" + self.variable,
            "class": self.cls,
        }


def _parse_param(path: Path, line: str, required_by_body: dict[str, tuple[bool, str]]) -> Parameter:
    match = _PARAM_LINE.match(line)
    if not match or match.group(4).startswith("class="):
        raise QueryError(
            f"{path}: malformed '#+ param: {line}'; expected "
            "'#+ param: NAME TYPE [class=CLASS] DEFAULT \"DOC\"' (DEFAULT is - for none; class= only for iri)"
        )
    name, kind, cls, default, doc = match.groups()
    if kind not in PARAM_TYPES:
        raise QueryError(f"{path}: parameter {name!r} has type {kind!r}; expected one of {', '.join(PARAM_TYPES)}")
    if cls is not None:
        cls = _class_iri(path, name, kind, cls)
    if name not in required_by_body:
        raise QueryError(
            f"{path}: parameter {name!r} is declared but the query names neither ?_{name}_{kind} nor ?__{name}_{kind}"
        )
    required, body_type = required_by_body[name]
    if body_type != kind:
        raise QueryError(f"{path}: parameter {name!r} is declared {kind} but the query uses type {body_type}")
    parameter = Parameter(name, kind, required, None if default == "-" else default, doc, cls)
    if parameter.default is not None:
        if not required:
            raise QueryError(
                f"{path}: optional parameter {name!r} (?__{name}_{kind}) cannot have a default; "
                "make it required (?_{name}_{kind}) or give the default as - "
            )
        parameter.convert(parameter.default)  # a bad default fails when the catalogue loads
    return parameter


def _class_iri(path: Path, name: str, kind: str, written: str) -> str:
    """`class=hres:State` (a canonical prefixed name, or <IRI>) -> the class IRI; only an iri parameter has one."""
    from .prefixes import PREFIXES

    if kind != "iri":
        raise QueryError(f"{path}: parameter {name!r} is {kind}; only an iri parameter takes class=")
    match = _CURIE.match(written)
    if written.startswith("<") and written.endswith(">"):
        iri = written[1:-1]
    elif match and match.group(1) in PREFIXES:
        iri = PREFIXES[match.group(1)] + match.group(2)
    else:
        raise QueryError(
            f"{path}: parameter {name!r}: class={written} is neither <IRI> nor a prefixed name with a canonical "
            f"prefix ({', '.join(PREFIXES)})"
        )
    if not _SCHEME.match(iri) or _IRI_FORBIDDEN.search(iri):
        raise QueryError(f"{path}: parameter {name!r}: class={written} is not an absolute IRI")
    return iri


def _body_parameters(path: Path, body: str) -> dict[str, tuple[bool, str]]:
    found: dict[str, tuple[bool, str]] = {}
    for underscores, name, kind in _PARAM_VAR.findall(body):
        entry = (underscores == "_", kind)
        if found.setdefault(name, entry) != entry:
            raise QueryError(
                f"{path}: parameter {name!r} appears both required (?_{name}_…) and optional "
                f"(?__{name}_…), or with two types"
            )
    return found


# --- IRI parameters that must name something -------------------------------------------------------

Select = Callable[[str], list[dict[str, str]]]
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SUBCLASS_OF = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
SUGGEST_FROM_AT_MOST = 2000  # a class with more instances (hres:Recommendation: ~100k) gets no suggestions
SUGGESTIONS = 3
CHECK_ROWS = 20_000  # the most rows a check query may answer (labels of at most SUGGEST_FROM_AT_MOST instances)
SUGGEST_CUTOFF = 0.6  # difflib's ratio, as get_close_matches' default
_candidates_cache: dict[tuple[str, str], tuple[tuple[str, tuple[str, ...]], ...] | None] = {}


def _is_a(cls: str) -> str:
    """`rdf:type` of the class or of a subclass, as a path (full IRIs: the text needs no prefixes)."""
    return f"<{RDF_TYPE}>/<{SUBCLASS_OF}>* {ox.NamedNode(cls)}"


def _existence_query(checks: list[tuple[Parameter, str]]) -> str:
    branches = " UNION ".join(
        f'{{ {ox.NamedNode(iri)} {_is_a(p.cls)} BIND("{p.name}" AS ?found) }}' for p, iri in checks
    )
    return f"SELECT DISTINCT ?found WHERE {{ {branches} }}"


def store_select(store) -> Select:
    """A `select` for NamedQuery.check_resources over a store of hres_graph.store (Oxigraph or external)."""

    def select(text: str) -> list[dict[str, str]]:
        result = store.query(text)
        return [{v: str(t) for v, t in zip(result.variables, row) if t is not None} for row in result.rows]

    return select


def short_iri(iri: str) -> str:
    """A canonical prefixed name (hresid:state/KEN) when a prefix covers the IRI, else <IRI>."""
    from .prefixes import PREFIXES

    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        local = iri[len(ns) :]
        if iri.startswith(ns) and _CURIE.match(f"{prefix}:{local}") and not _IRI_FORBIDDEN.search(local):
            return f"{prefix}:{local}"
    return f"<{iri}>"


def _local(iri: str) -> str:
    return re.split(r"[/#]", iri.rstrip("/#"))[-1]


def _candidates(cls: str, select: Select, version: str | None):
    """The class's instances as (IRI, English labels), or None when it has too many to suggest from; cached
    per dataset version. Two queries: the instances (stopping after SUGGEST_FROM_AT_MOST + 1), then labels."""
    key = (version or "", cls)
    if version is not None and key in _candidates_cache:
        return _candidates_cache[key]
    instances = select(f"SELECT DISTINCT ?s WHERE {{ ?s {_is_a(cls)} }} LIMIT {SUGGEST_FROM_AT_MOST + 1}")
    if len(instances) > SUGGEST_FROM_AT_MOST:
        found = None
    else:
        labels: dict[str, set[str]] = {}
        # the language is tested here, not in a FILTER: Virtuoso 7 dropped most English labels under
        # FILTER(LANGMATCHES(LANG(?label), "en")) (or LANG(?label) = "en") beside the rdfs:subClassOf* path
        rows = select(
            f"SELECT DISTINCT ?s ?label (LANG(?label) AS ?lang) WHERE {{ ?s {_is_a(cls)} ; "
            "<http://www.w3.org/2000/01/rdf-schema#label>|<http://www.w3.org/2004/02/skos/core#prefLabel> ?label "
            f"}} LIMIT {CHECK_ROWS}"
        )
        for row in rows:
            if "s" in row and "label" in row and re.fullmatch(r"en(-.*)?", row.get("lang", "").lower()):
                labels.setdefault(row["s"], set()).add(row["label"])
        found = tuple(
            (row["s"], tuple(sorted(labels.get(row["s"], ()))))
            for row in instances
            if _SCHEME.match(row.get("s", ""))  # blank nodes have no name to offer
        )
    if version is not None:
        if len(_candidates_cache) > 64 or any(v != key[0] for v, _ in _candidates_cache):
            _candidates_cache.clear()
        _candidates_cache[key] = found
    return found


def nearest(iri: str, candidates) -> list[tuple[str, str]]:
    """Up to three (IRI, label) of `candidates` nearest to the IRI's last segment, by difflib's ratio against
    each candidate's last segment and English labels (case ignored); the IRI's own namespace first: when
    some candidates share it (…/id/state/), only those are ranked."""
    wanted = _local(iri).lower()
    namespace = iri[: len(iri.rstrip("/#")) - len(_local(iri))]
    same = [c for c in candidates if namespace and c[0].startswith(namespace)]
    scored = []
    matcher = difflib.SequenceMatcher(None, "", wanted)  # seq2 is the one difflib caches
    for candidate, labels in same or candidates:
        best = 0.0
        for key in (_local(candidate), *labels):
            matcher.set_seq1(key.lower())
            if matcher.real_quick_ratio() >= SUGGEST_CUTOFF and matcher.quick_ratio() >= SUGGEST_CUTOFF:
                best = max(best, matcher.ratio())
        if best >= SUGGEST_CUTOFF:
            scored.append((-best, labels[0] if labels else "", candidate))
    return [(candidate, label) for _, label, candidate in sorted(scored)[:SUGGESTIONS]]


def _not_found(p: Parameter, iri: str, select: Select, version: str | None) -> str:
    cls = short_iri(p.cls)
    message = f"parameter {p.name!r} (iri, class {cls}): <{iri}> names no {cls} in this store"
    candidates = _candidates(p.cls, select, version)
    if candidates is None:  # too many to rank (hres:Recommendation): not found, and that is all
        return message
    if not candidates:
        return message + f"; the store holds no {cls} at all"
    close = nearest(iri, candidates)
    if not close:
        return message + f"; no {cls} has a similar name or English label"
    return (
        message
        + "; did you mean "
        + ", ".join(
            f"{label} ({short_iri(candidate)})" if label else short_iri(candidate) for candidate, label in close
        )
        + "?"
    )


# --- named queries ------------------------------------------------------------------------------


@dataclass(frozen=True)
class NamedQuery:
    name: str
    tag: str
    path: Path
    text: str
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    examples: tuple[dict[str, str], ...]
    poa: str
    columns: tuple[str, ...]
    view: str
    view_roles: dict[str, str]
    header: dict[str, str]

    def parameter(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.parameters) or "none"
        raise QueryError(f"query {self.name!r} has no parameter {name!r} (its parameters: {known})")

    def bind(self, params: dict[str, str] | None = None) -> dict[ox.Variable, ox.NamedNode | ox.Literal]:
        """Validated typed terms for the given text values (defaults filled in), keyed by variable."""
        params = dict(params or {})
        for name in params:
            self.parameter(name)  # unknown names are an error, not silently ignored
        bound: dict[ox.Variable, ox.NamedNode | ox.Literal] = {}
        for p in self.parameters:
            value = params.get(p.name)
            if value is None or (value == "" and p.type != "string"):
                value = p.default
            if value is None:
                if p.required:
                    raise QueryError(f"query {self.name!r} needs parameter {p.name!r} ({p.type}): {p.doc}")
                continue
            bound[ox.Variable(p.variable)] = p.convert(value)
        return bound

    def bindings_text(self, params: dict[str, str] | None = None) -> dict[str, str]:
        """`bind` as {variable name: N-Triples term}: how the values cross a pipe to a query worker
        (the endpoint's named-query API and `hres query NAME`), to be parsed back there as terms."""
        return {variable.value: str(term) for variable, term in self.bind(params).items()}

    def resource_checks(self, params: dict[str, str] | None = None) -> list[tuple[Parameter, str]]:
        """(parameter, IRI) for each IRI the caller gave to a parameter declared with `class=`. A value left
        out, empty or equal to the default is not checked: defaults are the query author's, as before."""
        out = []
        for p in self.parameters:
            value = (params or {}).get(p.name)
            if p.cls is None or value is None or value.strip() == "":
                continue
            iri = p.convert(value).value
            if p.default is not None and iri == p.convert(p.default).value:
                continue
            out.append((p, iri))
        return out

    def check_resources(self, params: dict[str, str] | None, select: Select, version: str | None = None) -> None:
        """QueryError when an IRI given to a parameter with `class=` names no instance of that class (rdf:type
        of it or of a subclass, in any graph): an empty answer would say "nothing found" about a thing the
        store does not hold. One SELECT for every such parameter; on a miss, up to three of the class's
        instances nearest by name or English label are suggested (`select(text)` runs plain SPARQL on the
        store and gives rows as {variable: value}; `version`, the dataset version, keys the cache of labels)."""
        checks = self.resource_checks(params)
        if not checks:
            return
        found = {row.get("found") for row in select(_existence_query(checks))}
        missing = [(p, iri) for p, iri in checks if p.name not in found]
        if missing:
            raise QueryError(
                "\n".join(_not_found(p, iri, select, version) for p, iri in missing),
                hint="; ".join(f"{p.name}: {p.doc}" for p, _ in missing),
            )

    def run(self, store, params: dict[str, str] | None = None):
        """Run on a store (store.query(text, substitutions=…)); a QueryResult of the declared columns."""
        from .store.results import QueryResult

        result = store.query(self.text, substitutions=self.bind(params))
        if result.kind != "select":
            return result
        missing = [c for c in self.columns if c not in result.variables]
        if missing:
            raise QueryError(f"query {self.name!r} declares columns its SELECT does not give: {', '.join(missing)}")
        index = [result.variables.index(c) for c in self.columns]
        return QueryResult(
            "select", variables=list(self.columns), rows=[tuple(row[i] for i in index) for row in result.rows]
        )

    def to_dict(self) -> dict:
        """The catalogue entry (JSON): what the REST API, the UI and the docs show."""
        return {
            "name": self.name,
            "tag": self.tag,
            "title": self.title,
            "description": self.description,
            "parameters": [p.to_dict() for p in self.parameters],
            "examples": list(self.examples),
            "poa": self.poa,
            "columns": list(self.columns),
            "view": {"type": self.view, **self.view_roles},
            "file": f"queries/{self.tag}/{self.path.name}",
        }


def _examples(path: Path, lines: list[str], names: set[str]) -> tuple[dict[str, str], ...]:
    out = []
    for line in lines:
        try:
            parts = shlex.split(line)
        except ValueError as exc:
            raise QueryError(f"{path}: '#+ example: {line}' does not parse: {exc}") from None
        example = {}
        for part in parts:
            key, sep, value = part.partition("=")
            if not sep or key not in names:
                raise QueryError(
                    f"{path}: '#+ example: {line}': {part!r} is not NAME=VALUE for a parameter "
                    f"of this query ({', '.join(sorted(names)) or 'none'})"
                )
            example[key] = value
        out.append(example)
    return tuple(out)


def _view(path: Path, value: str, columns: tuple[str, ...]) -> tuple[str, dict[str, str]]:
    kind, *roles = value.split() or ["table"]
    if kind not in VIEWS:
        raise QueryError(f"{path}: '#+ view: {value}': the view is one of {', '.join(VIEWS)}")
    out = {}
    for role in roles:
        key, sep, column = role.partition("=")
        if not sep or key not in VIEW_ROLES or column not in columns:
            raise QueryError(
                f"{path}: '#+ view: {value}': {role!r} is not ROLE=COLUMN with ROLE one of "
                f"{', '.join(VIEW_ROLES)} and COLUMN a declared column"
            )
        out[key] = column
    return kind, out


def load_named_query(path: Path) -> NamedQuery:
    qf = parse_query_file(path)
    for key in ("title", "description", "columns", "poa"):
        if not qf.header.get(key):
            raise QueryError(f"{path}: the header has no '#+ {key}:' line")
    body = "\n".join(line for line in qf.text.splitlines() if not line.lstrip().startswith("#"))
    in_body = _body_parameters(path, body)
    parameters = tuple(_parse_param(path, line, in_body) for line in qf.values("param"))
    declared = {p.name for p in parameters}
    if len(declared) != len(parameters):
        raise QueryError(f"{path}: a parameter is declared twice")
    undeclared = sorted(set(in_body) - declared)
    if undeclared:
        raise QueryError(f"{path}: the query uses parameters without a '#+ param:' line: {', '.join(undeclared)}")
    columns = tuple(c.strip() for c in qf.header["columns"].split(",") if c.strip())
    view, roles = _view(path, qf.header.get("view", "table"), columns)
    return NamedQuery(
        name=path.stem,
        tag=path.parent.name,
        path=path,
        text=qf.text,
        title=qf.header["title"],
        description=" ".join(qf.values("description")),
        parameters=parameters,
        examples=_examples(path, qf.values("example"), declared),
        poa=qf.header["poa"],
        columns=columns,
        view=view,
        view_roles=roles,
        header=qf.header,
    )


@lru_cache(maxsize=4)
def catalogue(root: Path = QUERIES_DIR) -> dict[str, NamedQuery]:
    """Every named query under queries/{gaps,follow-up,browse}/, by file stem (loaded once per process)."""
    queries: dict[str, NamedQuery] = {}
    for folder in NAMED_FOLDERS:
        for path in sorted((root / folder).glob("*.rq")):
            query = load_named_query(path)
            if query.name in queries:
                raise QueryError(
                    f"{path}: the name {query.name!r} is also used by {queries[query.name].path}; "
                    "file stems must be unique across the catalogue"
                )
            queries[query.name] = query
    return queries


def named_query(name: str, root: Path = QUERIES_DIR) -> NamedQuery:
    """A catalogue entry by name (`gaps/states-not-party` or just `states-not-party`)."""
    queries = catalogue(root)
    stem = name.rsplit("/", 1)[-1]
    query = queries.get(stem)
    if query is None or ("/" in name and name.split("/")[0] != query.tag):
        raise QueryError(f"no named query {name!r}", hint="`hres query --list` or GET /api/queries lists them")
    return query


def is_named_query(text: str, root: Path = QUERIES_DIR) -> bool:
    """Whether a `hres query` argument is a catalogue name rather than SPARQL text."""
    candidate = text.strip()
    if not re.fullmatch(r"(?:[a-z-]+/)?[a-z0-9][a-z0-9-]*", candidate):
        return False
    try:
        named_query(candidate, root)
    except QueryError:
        return False
    return True
