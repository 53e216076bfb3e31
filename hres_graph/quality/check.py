"""`hres check`: the hand-edited RDF parses, passes the QC queries, and HermiT finds it consistent; the
data checks (queries/qc/ with `#+ scope: data`) run over the current built store when there is one."""

from __future__ import annotations

from .qc import Violation, load_hand_edited, qc_checks, run_check

SHOWN = 50  # rows printed per check


def run_checks(*, reasoner: bool = True, echo=print, settings=None) -> list[str]:
    problems: list[str] = []
    store = load_hand_edited()
    echo(f"parsed the ontology, vocabularies and reference data: {len(store):,} triples")
    for check in qc_checks("hand-edited"):
        problems += _report(check, run_check(check, store), echo)
    problems += _data_checks(settings, echo)
    if reasoner:
        from .reasoner import check_consistency

        report = check_consistency()
        echo(
            f"{'ok  ' if report.consistent and not report.unsatisfiable else 'FAIL'}  reasoner "
            f"({report.reasoner}, {report.seconds:.1f} s): consistent={report.consistent}, "
            f"unsatisfiable classes={len(report.unsatisfiable)}"
        )
        if not report.consistent:
            problems.append("the ontology is inconsistent")
        problems += [f"unsatisfiable class {c}" for c in report.unsatisfiable]
    return problems


def run_data_checks(store, echo=print, shown: int | None = None) -> list[str]:
    """The data checks over a built store (an OxigraphStore, a SparqlStore or an in-memory pyoxigraph
    Store), printed as `hres check` prints them (`shown` rows of each; the build shows none, only the counts);
    returns the ERROR rows (the data checks shipped are WARN)."""
    problems: list[str] = []
    for check in qc_checks("data"):
        problems += _report(check, run_check(check, store), echo, SHOWN if shown is None else shown)
    return problems


def _data_checks(settings, echo) -> list[str]:
    from ..config import load_settings
    from ..errors import HresError
    from ..store.oxigraph import open_store

    try:
        store = open_store(settings if settings is not None else load_settings())
    except HresError as exc:  # no build yet (a fresh checkout, CI): the hand-edited checks still count
        echo(f"skip  data checks: {exc}")
        return []
    where = getattr(store, "path", None) or "the SPARQL store"
    echo(f"data checks over {where}")
    return run_data_checks(store, echo)


def _report(check, violations: list[Violation], echo, shown: int = SHOWN) -> list[str]:
    errors = [v for v in violations if v.severity == "ERROR"]
    status = "FAIL" if errors else (violations[0].severity.lower().ljust(4) if violations else "ok  ")
    echo(f"{status}  {check.name}: {len(violations)} row(s)")
    for v in violations[:shown]:
        echo(f"      {v}")
    if len(violations) > shown and shown:
        echo(f"      … {len(violations) - shown} more")
    if violations and check.header.get("fix"):
        echo(f"      what to do: {check.header['fix']}")
    return [str(v) for v in errors]
