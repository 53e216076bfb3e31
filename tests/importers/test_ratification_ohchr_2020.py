"""importers.ratification_ohchr_2020: the nine OHCHR sheets of 16 September 2020, compared with the raw files
read by plain xlrd (tests/importers/ratification_raw.py), and the disagreements with the newer sources."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from rdflib import Literal
from rdflib.namespace import RDF, RDFS, SKOS

from hres_graph.importers import ratification_ohchr, ratification_wpdl
from hres_graph.importers._participation import participation, status_table
from hres_graph.importers.base import date_literal
from hres_graph.importers.ratification_ohchr_2020 import SOURCE
from hres_graph.namespaces import HRES, instrument, mechanism

from .helpers import run_real
from .ratification_raw import SHEETS, graph_acts, sheet_acts, wpdl_acts

KEYS = {key for pair in SHEETS.values() for key in pair if key}


@pytest.fixture(scope="module")
def paths(data_root):
    return {s.id: data_root / s.default_path for s in (ratification_wpdl.SOURCE, ratification_ohchr.SOURCE)}


@pytest.fixture(scope="module")
def real(data_root, state_resolver, paths):
    return run_real(SOURCE, state_resolver, data_root, source_paths=paths)


@pytest.fixture(scope="module")
def raw(data_root, state_resolver):
    return sheet_acts(data_root / SOURCE.default_path, state_resolver.resolve)


@pytest.mark.real_data
def test_every_dated_act_of_the_sheets_and_nothing_else(real, raw):
    acts = raw[0]
    assert graph_acts(real.graph) == acts
    # dated ratification events per treaty, from the raw cells (PROVENANCE's table counts the European Union's
    # row too: CRPD 182 ratifications and 164 signatures there)
    per_treaty = Counter(
        key for _, key, mode, _ in acts if mode == "consent" and key in {k for k, _ in SHEETS.values()}
    )
    assert per_treaty == {
        "icerd": 182,
        "iccpr": 173,
        "icescr": 171,
        "cedaw": 189,
        "cat": 170,
        "crc": 196,
        "icmw": 55,
        "crpd": 181,
        "cped": 63,
    }
    assert len(acts) == sum(
        real.report.counts[f"{k}:{m}-dates"]
        for k in KEYS
        for m in ("signature", "consent", "communications", "inquiry")
    )


@pytest.mark.real_data
def test_one_exact_date_per_event_and_no_subclass_of_consent(real):
    g = real.graph
    for event in set(g.subjects(HRES.participant, None)):
        (when,) = set(g.objects(event, HRES.eventDate))
        assert str(event).endswith("/" + str(when)), event  # the date is part of the act's IRI
    assert not {HRES.Ratification, HRES.Accession, HRES.Succession} & set(g.objects(None, RDF.type))


@pytest.mark.real_data
def test_procedure_acceptances(real, raw):
    g = real.graph
    # who accepts that the Human Rights Committee hears individual complaints (e.g. under ICCPR art. 25)
    ccpr = {e for e in g.subjects(HRES.competenceAccepted, mechanism("ccpr"))}
    assert {e for e in ccpr if (e, RDF.type, HRES.CommunicationsProcedureAcceptance) in g} == ccpr
    assert len(ccpr) == len({a for a in raw[0] if a[1:3] == ("iccpr", "communications")}) == 117
    # ICERD art. 14 declarations: the committee is CERD
    first = participation("CRI", "icerd", "communications", date(1974, 1, 8))
    assert (first, HRES.competenceAccepted, mechanism("cerd")) in g
    assert (first, HRES.eventDate, date_literal(date(1974, 1, 8))) in g
    # Afghanistan, CAT (PROVENANCE's sample): signed 1985-02-04, ratified 1987-04-01, inquiry accepted 2018-04-17
    for mode, when in (("signature", date(1985, 2, 4)), ("consent", date(1987, 4, 1)), ("inquiry", date(2018, 4, 17))):
        assert (participation("AFG", "cat", mode, when), HRES.instrument, instrument("cat")) in g, mode
    assert not {a for a in raw[0] if a[:3] == ("AFG", "cat", "communications")}
    assert not set(g.subjects(HRES.instrument, instrument("cat"))) & {
        e for e in g.subjects(HRES.participant, None) if "/AFG/cat/communications" in str(e)
    }


@pytest.mark.real_data
def test_status_tables(real, raw):
    g = real.graph
    _, stamps, listed, modes = raw
    assert len(set(g.subjects(RDF.type, HRES.RatificationStatusTable))) == len(KEYS) == 14
    for key in KEYS:
        table = status_table(SOURCE.id, key)
        assert (table, HRES.statusDate, date_literal(stamps[key])) in g
        assert stamps[key] == date(2020, 9, 16)
        assert {str(s).rsplit("/", 1)[1] for s in g.objects(table, HRES.listsState)} == listed[key]
        kinds = {
            HRES.Signature: "signature",
            HRES.ConsentToBeBound: "consent",
            HRES.CommunicationsProcedureAcceptance: "communications",
            HRES.InquiryProcedureAcceptance: "inquiry",
        }
        assert {kinds[k] for k in g.objects(table, HRES.recordsKind)} == set(modes[key]), key


@pytest.mark.real_data
def test_same_iris_as_the_newer_sheets(real, data_root, state_resolver, paths):
    """An act both OHCHR sources state with the same date is one resource (two graphs), and only those."""
    newer = run_real(
        ratification_ohchr.SOURCE,
        state_resolver,
        data_root,
        source_paths={"ratification-wpdl": paths["ratification-wpdl"]},
    )
    both = set(real.graph.subjects(HRES.participant, None)) & set(newer.graph.subjects(HRES.participant, None))
    raw_2020 = sheet_acts(data_root / SOURCE.default_path, state_resolver.resolve)[0]
    raw_newer = sheet_acts(data_root / ratification_ohchr.SOURCE.default_path, state_resolver.resolve)[0]
    assert both == {participation(*a) for a in raw_2020 & raw_newer}
    assert participation("SVN", "iccpr", "consent", date(1992, 7, 6)) in both


@pytest.mark.real_data
def test_damaged_cell_is_reported_not_imported(real):
    assert real.report.counts["impossible-dates"] == 1
    assert any("BHS CEDAW communications dated 1900-01-01" in n for n in real.report.notes)
    assert not [
        e
        for e in real.graph.subjects(HRES.participant, None)
        if "/BHS/cedaw-op/" in str(e) or "/BHS/cedaw/communications" in str(e)
    ]


def _disagreements(
    mine: set, mine_as_of: date, theirs: set, theirs_as_of: date, listed: set, modes: set, wpdl: bool
) -> set[tuple]:
    """(ISO3, key, mode) where two sources' acts of one instrument disagree, by the rule of the docstring of
    importers._ratification_tables, recomputed here: the dates differ at the precision both give, or one has the
    act and the other not, unless the act is dated after the older source (or its date cannot tell)."""
    a = {(s, k, m): w for s, k, m, w in mine}
    b = {(s, k, m): w for s, k, m, w in theirs}
    older_as_of = min(mine_as_of, theirs_as_of)
    out = set()
    for key in {k for _, k, _ in a.keys() | b.keys()}:
        for state in listed:
            for mode in modes:
                if mode == "signature" and wpdl and (state, key, "consent") in b:
                    continue  # the wpdl table records no signature of a party
                x, y = a.get((state, key, mode), "absent"), b.get((state, key, mode), "absent")
                if x == "absent" and y == "absent":
                    continue
                if x != "absent" and y != "absent":
                    if x is None or y is None:
                        continue
                    if isinstance(x, date) and isinstance(y, date):
                        differ = x != y
                    else:
                        differ = (x if isinstance(x, int) else x.year) != (y if isinstance(y, int) else y.year)
                    if differ:
                        out.add((state, key, mode))
                    continue
                when, newer_has_it = (
                    (x, mine_as_of >= theirs_as_of) if x != "absent" else (y, theirs_as_of > mine_as_of)
                )
                explained = (
                    when is None
                    or (isinstance(when, int) and when >= older_as_of.year)
                    or (isinstance(when, date) and when > older_as_of)
                )
                if not (newer_has_it and explained):
                    out.add((state, key, mode))
    return out


@pytest.mark.real_data
def test_disagreements_recomputed_from_the_raw_files(real, raw, data_root, state_resolver):
    acts, stamps, listed, modes = raw
    w_acts, w_listed = wpdl_acts(data_root / ratification_wpdl.SOURCE.default_path, state_resolver.resolve)
    n_acts, n_stamps, n_listed, n_modes = sheet_acts(
        data_root / ratification_ohchr.SOURCE.default_path, state_resolver.resolve
    )
    expected = set()
    for key in modes:
        others = [(w_acts, date(2022, 6, 13), w_listed, ("signature", "consent"), True)]
        if key in n_modes:
            others.append((n_acts, n_stamps[key], n_listed, n_modes[key], False))
        for other_acts, other_as_of, other_listed, other_modes, wpdl in others:
            expected |= _disagreements(
                {a for a in acts if a[1] == key},
                stamps[key],
                {a for a in other_acts if a[1] == key},
                other_as_of,
                listed[key] & other_listed[key],
                set(modes[key]) & set(other_modes),
                wpdl,
            )
    notes = [n for n in real.report.notes if n.startswith("disagreement:")]
    print("\n".join(notes))
    got = Counter(tuple(n.split(":")[1].split()[:3]) for n in notes)
    assert got == Counter((s, k.upper(), m) for s, k, m in expected)  # each once, and the notations are the keys'
    assert real.report.counts["disagreements"] == len(notes) == 55
    # real cases: Trinidad and Tobago denounced ICCPR-OP1 (2000); the 2020 sheet still dates it, the 2023 one not
    tto = participation("TTO", "iccpr-op1", "consent", date(1980, 11, 14))
    assert any("2023-02-21 has no consent" in str(n) for n in real.graph.objects(tto, SKOS.note))
    # the 2022 table's year for the United States' ICERD ratification is the signature year
    assert any("USA ICERD consent" in n and "1994-10-21" in n and "1966" in n for n in notes)


@pytest.mark.real_data
def test_labels(real):
    g = real.graph
    event = participation("KEN", "crpd", "consent", date(2008, 5, 19))
    assert (event, HRES.participant, None) in g
    assert set(g.objects(event, RDFS.label)) == {Literal("Kenya: CRPD, consent to be bound (2008-05-19)", lang="en")}


@pytest.mark.real_data
def test_deterministic(real, data_root, state_resolver):
    assert run_real(SOURCE, state_resolver, data_root).triples == real.triples  # other sources via the data root
