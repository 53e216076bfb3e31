"""Benchmarks (scripts that print figures, not timed tests): their figures go in the README.

Commands and modules: suites/README.md, "Benchmarks".
"""

from __future__ import annotations

import sys

COMMANDS = ("http", "load")
USAGE = """usage: python -m suites.benchmarks http|load [--quick] [--store DIR] [--json FILE]

    http   hres serve against rdflib-endpoint, same data
    load   timeouts under load: pathological queries beside lookups, 32 clients for 60 s
    (also python -m suites.benchmarks.slow_clients and python -m suites.benchmarks.validation)"""


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in COMMANDS:
        print(USAGE, file=sys.stderr)
        return 2
    if argv[0] == "http":
        from .http import main as run
    else:
        from .load import main as run
    return run(argv[1:])
