"""`hres check`: the hand-edited RDF parses, passes the QC queries, and HermiT finds it consistent."""

from __future__ import annotations

from .qc import load_hand_edited, qc_checks, run_check


def run_checks(*, reasoner: bool = True, echo=print) -> list[str]:
    problems: list[str] = []
    store = load_hand_edited()
    echo(f"parsed the ontology, vocabularies and reference data: {len(store):,} triples")
    for check in qc_checks():
        violations = run_check(check, store)
        errors = [v for v in violations if v.severity == "ERROR"]
        echo(f"{'FAIL' if errors else 'ok  '}  {check.name}: {len(violations)} row(s)")
        for v in violations[:50]:
            echo(f"      {v}")
        problems += [str(v) for v in errors]
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
