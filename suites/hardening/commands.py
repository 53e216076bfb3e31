"""Hostile command lines (issue 14, items 1, 9 and 10), each run as its own `hres` process.

- `command_cases`: `hres query` given 60 KB of nested braces; `hres validate` and `hres query -f` given
  /dev/zero and a FIFO nobody writes to. Each must exit 2 with an `error:` line (click's usage errors
  say `Error: Invalid value …`) and no traceback, within a few seconds (a FIFO must not be waited on, /dev/zero not read to the memory limit).
- `import_guard`: on a store of its own, `hres import elections` of a header-only election_df.csv and
  of one with a NUL in a cell must exit 2, say why (the triple counts; the line and column), and leave
  the store unchanged; with `--force` the header-only file is imported.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..live_server import ROOT, hres, hres_env
from .common import build_small_store, run_bounded, store_checksum
from .faults import Fault

ELECTIONS_FIXTURE = ROOT / "tests" / "data" / "sources" / "elections" / "all_formats.csv"
STATES_FIXTURE = ROOT / "tests" / "data" / "sources" / "states"


@dataclass
class CommandCase:
    name: str
    argv: list[str]
    expect: frozenset = frozenset({2})
    within_s: float = 15.0
    message: str = ""  # a regex the error must match


@dataclass
class CommandOutcome:
    case: CommandCase
    code: int | None  # None: killed at the time limit
    seconds: float
    first_line: str
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def command_cases(folder: Path, var_dir: Path, *, quick: bool) -> list[CommandCase]:
    folder.mkdir(parents=True, exist_ok=True)
    fifo = folder / "nobody-writes.ttl"
    query_fifo = folder / "nobody-writes.rq"
    for path in (fifo, query_fifo):
        if not path.exists():
            os.mkfifo(path)
    store = ["--var-dir", str(var_dir)]
    braces = [
        ("60 KB of nested braces", "SELECT * WHERE " + "{" * 30_000 + "}" * 30_000),
        ("60 KB of opening braces", "ASK " + "{" * 60_000),
    ]
    if not quick:
        braces += [
            ("60 KB of nested parentheses", "ASK { FILTER(" + "(" * 30_000 + "1" + ")" * 30_000 + ") }"),
            ("60 KB of nested OPTIONAL", "ASK { " + "OPTIONAL { " * 6_000 + "}" * 6_000 + " }"),
        ]
    cases = [CommandCase(f"hres query: {name}", [*store, "query", text]) for name, text in braces]
    cases += [
        CommandCase("hres validate /dev/zero", ["validate", "/dev/zero"]),
        CommandCase("hres validate a FIFO nobody writes to", ["validate", str(fifo)]),
        CommandCase("hres query -f /dev/zero", [*store, "query", "-f", "/dev/zero"]),
        CommandCase("hres query -f a FIFO nobody writes to", [*store, "query", "-f", str(query_fifo)]),
    ]
    if not quick:
        cases += [
            CommandCase("hres validate /dev/zero as CSV", ["validate", "--format", "json", "/dev/zero"]),
            CommandCase("hres import --validate of a FIFO", [*store, "import", "--validate", "fifo", str(fifo)]),
        ]
    return cases


def run_commands(cases: list[CommandCase], *, address_space_mib: int = 4096) -> list[CommandOutcome]:
    """Each case in its own process, killed at twice its bound (so a hang is seen, not waited out)."""
    outcomes = []
    for case in cases:
        done = run_bounded(
            hres(*case.argv), timeout=2 * case.within_s, env=hres_env(), address_space_mib=address_space_mib
        )
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        first = next((line for line in lines if line.lower().startswith("error:")), lines[0] if lines else "")
        problems = []
        if done.returncode is None:
            problems.append(f"still running after {2 * case.within_s:g} s (killed)")
        elif done.returncode not in case.expect:
            problems.append(f"exit code {done.returncode}, expected {sorted(case.expect)}")
        elif done.seconds > case.within_s:
            problems.append(f"took {done.seconds:.1f} s (bound {case.within_s:g} s)")
        if "Traceback" in done.stderr:
            problems.append("a traceback was printed")
        if done.returncode == 2 and not first.lower().startswith("error:"):  # click's usage errors say "Error:"
            problems.append("no 'error:' line says what is wrong")
        if case.message and not re.search(case.message, done.stderr, re.I):
            problems.append(f"the message does not say /{case.message}/")
        outcomes.append(CommandOutcome(case, done.returncode, round(done.seconds, 2), first[:200], problems))
    return outcomes


def import_guard(workdir: Path) -> Fault:
    """`hres import elections` of files that would empty the source or store a NUL (issue 14, item 10)."""
    t0 = time.monotonic()
    fault = Fault("hres import refuses to empty a source or store a NUL")
    var_dir = workdir / "import-guard-var"
    build_small_store(var_dir)
    config = workdir / "import-guard.toml"
    config.write_text(f'[sources]\nonly = []\n[sources.paths]\nstates = "{STATES_FIXTURE}"\n', encoding="utf-8")
    base = ["--config", str(config), "--var-dir", str(var_dir)]

    def run(*args: str):
        return run_bounded(hres(*base, *args), timeout=120, env=hres_env())

    fixture = ELECTIONS_FIXTURE.read_text("utf-8")
    header = fixture.splitlines()[0]
    folder = workdir / "import-guard-files"
    folder.mkdir(exist_ok=True)
    (folder / "election_df.csv").write_text(fixture, encoding="utf-8")
    header_only = folder / "header-only" / "election_df.csv"
    header_only.parent.mkdir(exist_ok=True)
    header_only.write_text(header + "\n", encoding="utf-8")
    lines = fixture.splitlines()
    lines[2] = lines[2].replace(",", ",\x00", 1)  # a NUL at the start of line 3's second cell
    with_nul = folder / "nul" / "election_df.csv"
    with_nul.parent.mkdir(exist_ok=True)
    with_nul.write_text("\n".join(lines) + "\n", encoding="utf-8")
    nul_column = lines[2].index("\x00") + 1

    first = run("import", "elections", str(folder / "election_df.csv"))
    if first.returncode != 0:
        fault.skipped = f"importing the elections fixture failed ({first.returncode}): {first.stderr.strip()[-300:]}"
        return fault
    current = (var_dir / "current").resolve()
    before = store_checksum(current)
    emptied = run("import", "elections", str(header_only))
    fault.figures["header-only: exit, message"] = (emptied.returncode, emptied.stderr.strip().splitlines()[:1])
    fault.check("header-only file: exit 2", emptied.returncode == 2)
    fault.check(
        "header-only file: the message gives both triple counts and --force",
        re.search(r"graph/elections would go from [\d,]+ to 0 triples", emptied.stderr) is not None
        and "--force" in emptied.stderr,
    )
    nul = run("import", "elections", str(with_nul))
    fault.figures["NUL: exit, message"] = (nul.returncode, nul.stderr.strip().splitlines()[:1])
    fault.check("NUL in a cell: exit 2", nul.returncode == 2)
    fault.check(
        "NUL in a cell: the message names the file, line 3 and the column",
        f"election_df.csv:3:{nul_column}" in nul.stderr and "U+0000" in nul.stderr,
    )
    fault.check(
        "neither changed the store (current, checksum)",
        (var_dir / "current").resolve() == current and store_checksum(current) == before,
    )
    forced = run("import", "--force", "elections", str(header_only))
    fault.check(
        "--force imports the header-only file", forced.returncode == 0 and (var_dir / "current").resolve() != current
    )
    fault.seconds = time.monotonic() - t0
    return fault
