"""Property-based tests (hypothesis) for the importers' row reading and for named-query parameter binding.

- `read_csv` (hres_graph/importers/base.py): any table written as CSV (any text in the fields: quotes,
  commas, CR, LF, CRLF, any Unicode) reads back as the same values, with each record's physical
  start line, or, when a field holds a control character (NUL, ESC, U+FFFF…), is refused at the line
  and column of the first one; any bytes at all either read or raise SourceFormatError with a line
  number, never another exception.
- `NamedQuery.bind` / `.run` (hres_graph/queries.py, through its public API): any text given for a
  parameter is bound as one RDF term (a literal holding exactly that text, or an IRI) or refused with
  QueryError; the query's text is never changed, so its algebra cannot be: an injected `" } UNION {…} #`
  comes back as the value of one row, not as more rows.
"""

from __future__ import annotations

import csv
import io
import string
from pathlib import Path

import pyoxigraph as ox
import pytest

hypothesis = pytest.importorskip("hypothesis", reason="pip install hypothesis (in the test extras)")
import tempfile  # noqa: E402

from hypothesis.configuration import set_hypothesis_home_dir  # noqa: E402

set_hypothesis_home_dir(str(Path(tempfile.gettempdir()) / "hres-hypothesis"))  # no .hypothesis/ in the tree
from hypothesis import HealthCheck, assume, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from hres_graph.errors import QueryError, SourceFormatError  # noqa: E402
from hres_graph.importers.base import CONTROL_CHARACTER, read_csv  # noqa: E402

SETTINGS = settings(max_examples=120, deadline=2000, database=None, suppress_health_check=[HealthCheck.too_slow])

# --- read_csv ----------------------------------------------------------------------------------

FIELD_CHARS = st.characters(blacklist_categories=("Cs",))  # any code point that UTF-8 can hold
TRICKY = st.sampled_from(
    ['"', ",", "\r", "\n", "\r\n", '""', " ", "\x00", "\x1b", "\uffff", "\ufeff", "é", "😀", ";", "\t"]
)
FIELD = st.lists(st.one_of(TRICKY, st.text(FIELD_CHARS, max_size=6)), max_size=6).map("".join)
NAMES = st.lists(st.text(string.ascii_lowercase + "_", min_size=1, max_size=8), min_size=1, max_size=5, unique=True)


@st.composite
def tables(draw):
    header = draw(NAMES)
    rows = draw(st.lists(st.lists(FIELD, min_size=len(header), max_size=len(header)), max_size=8))
    terminator = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return header, rows, terminator


def _physical_lines(text: str) -> int:
    """Lines as an editor counts them: CR, LF and CRLF each end one."""
    return text.replace("\r\n", "\n").replace("\r", "\n").count("\n")


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("properties")


@SETTINGS
@given(table=tables())
def test_read_csv_reads_back_what_was_written(scratch, table):
    header, rows, terminator = table
    # fields with a CR or LF are always quoted (as every CSV writer does), so the line ends are data
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=terminator, quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    starts, expected = [], []
    for row in rows:
        line = _physical_lines(buffer.getvalue()) + 1
        csv.writer(
            buffer,
            lineterminator=terminator,
            quoting=csv.QUOTE_ALL if any(c in v for v in row for c in "\r\n") else csv.QUOTE_MINIMAL,
        ).writerow(row)
        if any(v.strip() for v in row):
            starts.append(line)
            expected.append(dict(zip(header, row)))
    path = scratch / "table.csv"
    text = buffer.getvalue()
    path.write_bytes(text.encode("utf-8"))
    control = CONTROL_CHARACTER.search(text)
    if control:  # refused where an editor shows it: the physical line, the column within it
        before = text[: control.start()]
        line_start = max(before.rfind("\n"), before.rfind("\r")) + 1
        with pytest.raises(SourceFormatError) as refused:
            list(read_csv(path, required=header))
        assert (refused.value.line, refused.value.column) == (
            _physical_lines(before) + 1,
            control.start() - line_start + 1,
        )
        assert f"U+{ord(control.group()):04X}" in str(refused.value)
        return
    got = list(read_csv(path, required=header))
    assert [r.values for r in got] == expected
    assert [r.line for r in got] == starts


@SETTINGS
@given(data=st.binary(max_size=400), header=NAMES)
def test_read_csv_on_any_bytes_reads_or_says_where(scratch, data, header):
    path = scratch / "bytes.csv"
    path.write_bytes(",".join(header).encode() + b"\n" + data)
    lines = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 2
    try:
        for row in read_csv(path, required=header):
            assert 2 <= row.line <= lines
    except SourceFormatError as exc:
        assert isinstance(exc.line, int) and 1 <= exc.line <= lines, exc
        assert str(path) in str(exc)


@SETTINGS
@given(data=st.text(FIELD_CHARS, max_size=300), header=NAMES)
def test_read_csv_on_any_text_reads_or_says_where(scratch, data, header):
    path = scratch / "text.csv"
    path.write_bytes((",".join(header) + "\n" + data).encode("utf-8"))
    lines = _physical_lines(data) + 2
    try:
        for row in read_csv(path, required=header):
            assert 2 <= row.line <= lines and len(row.values) == len(header)
    except SourceFormatError as exc:
        assert isinstance(exc.line, int) and 1 <= exc.line <= lines, exc


@SETTINGS
@given(
    before=st.integers(min_value=1, max_value=300),
    after=st.integers(min_value=0, max_value=50),
    bad=st.sampled_from([b"\xff", b"\xc3(", b"\xe2\x82", b"\xed\xa0\x80", b"\x80"]),
)
def test_read_csv_names_the_line_of_an_invalid_byte(scratch, before, after, bad):
    rows = [f"k{i},value number {i}".encode() for i in range(before + after)]
    rows[before - 1] = rows[before - 1] + bad
    path = scratch / "bad-byte.csv"
    path.write_bytes(b"key,name\n" + b"\n".join(rows) + b"\n")
    with pytest.raises(SourceFormatError) as caught:
        list(read_csv(path, required=("key", "name")))
    assert caught.value.line == before + 1  # the header is line 1


# --- named-query parameter binding ---------------------------------------------------------------

ALL_TYPES = """\
#+ title: Every parameter type (hardening property test)
#+ description: Echoes each parameter as a column (Oxigraph substitutes the projected variables).
#+ param: s string - "any text"
#+ param: i iri - "an IRI"
#+ param: n integer - "a whole number"
#+ param: d decimal - "a decimal"
#+ param: b boolean - "true or false"
#+ param: day date - "a date"
#+ param: y year - "a year"
#+ param: opt string - "an optional text"
#+ poa: hresid:recommendation/hres-plan-of-action/2 test
#+ columns: _s_string, _i_iri, _n_integer, _d_decimal, _b_boolean, _day_date, _y_year, __opt_string
SELECT ?_s_string ?_i_iri ?_n_integer ?_d_decimal ?_b_boolean ?_day_date ?_y_year ?__opt_string
WHERE { }
"""
BASE_VALUES = {
    "s": "x",
    "i": "https://w3id.org/hres/id/state/KEN",
    "n": "1",
    "d": "0.5",
    "b": "true",
    "day": "2014-06-12",
    "y": "2012",
}
HOSTILE = st.sampled_from(
    [
        '" } UNION { ?a ?b ?c } #',
        "> } ; DROP ALL #",
        "') } SERVICE <http://127.0.0.1:9/> {} #",
        "\\u0022",
        '"""',
        "'''",
        "\n} LIMIT 0 #",
        "?s",
        "$x",
        "<x:y>",
        "hresid:state/KEN",
        "https://w3id.org/hres/id/state/KEN> . ?s ?p ?o . <x:y",
        "1; DROP",
        "1e999",
        "NaN",
        "true",
        "2024-02-30",
        "0001",
        "x" * 2001,
        "\x00",
        "\x1b[31m",
        "",
        " ",
    ]
)
ANY_TEXT = st.one_of(HOSTILE, st.text(FIELD_CHARS, max_size=40), st.text(string.printable, max_size=40))


@pytest.fixture(scope="module")
def all_types(tmp_path_factory):
    from hres_graph.queries import load_named_query

    folder = tmp_path_factory.mktemp("catalogue") / "gaps"
    folder.mkdir()
    path = folder / "all-types.rq"
    path.write_text(ALL_TYPES, encoding="utf-8")
    return load_named_query(path)


@pytest.fixture(scope="module")
def empty_store(tmp_path_factory):
    from hres_graph.store.oxigraph import OxigraphStore

    path = tmp_path_factory.mktemp("empty-store") / "store"
    store = ox.Store(str(path))
    store.flush()
    del store
    return OxigraphStore(path, read_only=True)


@SETTINGS
@given(name=st.sampled_from(sorted(BASE_VALUES) + ["opt"]), value=ANY_TEXT)
def test_any_value_is_one_term_or_refused(all_types, empty_store, name, value):
    text_before = all_types.text
    params = {**BASE_VALUES, name: value}
    try:
        bound = all_types.bind(params)
    except QueryError:
        return  # refused, with a message naming the parameter
    assert all(isinstance(t, (ox.Literal, ox.NamedNode)) for t in bound.values())
    parameter = next(p for p in all_types.parameters if p.name == name)
    if value == "" and parameter.type != "string":
        return  # an empty value means "use the default" (none here): nothing to compare
    term = bound[ox.Variable(parameter.variable)]
    if parameter.type == "string":
        assert isinstance(term, ox.Literal) and term.value == value  # the very text, not a fragment of query
    if parameter.type == "iri":
        assert isinstance(term, ox.NamedNode) and not any(c in term.value for c in ' <>"{}|^`\\')
    result = all_types.run(empty_store, params)
    assert all_types.text == text_before
    assert result.variables == list(all_types.columns)
    assert len(result.rows) == 1  # the algebra is the same: one row, whatever the value
    column = result.variables.index(parameter.variable)
    assert str(result.rows[0][column]) == term.value


@SETTINGS
@given(
    params=st.dictionaries(st.one_of(st.sampled_from(sorted(BASE_VALUES)), st.text(max_size=12)), ANY_TEXT, max_size=4)
)
def test_unknown_or_missing_parameters_are_query_errors(all_types, params):
    try:
        all_types.bind(params)
    except QueryError:
        pass


def _catalogue():
    try:
        from hres_graph.queries import catalogue

        return sorted(catalogue().items())
    except Exception:  # noqa: BLE001 - the catalogue is being extended by others
        return []


CATALOGUE = _catalogue()


@pytest.mark.skipif(not CATALOGUE, reason="no named queries in queries/")
@SETTINGS
@given(entry=st.sampled_from(CATALOGUE or [None]), value=ANY_TEXT, data=st.data())
def test_catalogue_queries_bind_any_value_or_refuse(empty_store, entry, value, data):
    name, query = entry
    assume(query.parameters)
    parameter = data.draw(st.sampled_from(query.parameters))
    params = {p.name: p.default for p in query.parameters if p.default is not None}
    params[parameter.name] = value
    text_before = query.text
    try:
        bound = query.bind(params)
    except QueryError:
        return
    assert all(isinstance(t, (ox.Literal, ox.NamedNode)) for t in bound.values())
    result = query.run(empty_store, params)
    assert query.text == text_before
    assert result.variables == list(query.columns)
