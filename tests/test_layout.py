"""The house (issue 15): no import circles, no reaching into another module's private names, a small top
level, and the development suites kept out of the wheel."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("hres_graph", "server")


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> list[tuple[str, list[str], int]]:
    """(imported module, names taken from it, line) for every import of the module, lazy ones included."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, [], node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:  # `from package import module` imports the module
                if f"{target}.{alias.name}" in MODULES:
                    found.append((f"{target}.{alias.name}", [], node.lineno))
                else:
                    found.append((target, [alias.name], node.lineno))
    return [(t, names, line) for t, names, line in found if t in MODULES]


def _graph() -> dict[str, set[str]]:
    graph = {}
    for name, path in MODULES.items():
        targets = set()
        for target, _, _ in _imports(name, path):
            # importing a.b.c runs a and a.b first: a module depends on its parents' __init__ too
            parts = target.split(".")
            targets |= {".".join(parts[:i]) for i in range(1, len(parts) + 1)} & MODULES.keys()
        graph[name] = targets - {name} - {p for p in _parents(name)}
    return graph


def _parents(name: str) -> set[str]:
    parts = name.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts))}


def test_the_package_has_no_import_circle():
    graph, state, circles = _graph(), {}, []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                circles.append(trail[trail.index(nxt) :] + [nxt] if nxt in trail else [node, nxt])
            elif nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = "done"

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert not circles, "import circles:\n" + "\n".join(" -> ".join(c) for c in circles)


def _private(dotted: str) -> bool:
    return dotted.startswith("_") and not dotted.startswith("__")


def test_no_module_imports_another_modules_private_names():
    """A `_name` is private to its module; a `_module` is private to its folder (importers/_blocks.py is the
    importers' own)."""
    offences = []
    for name, path in MODULES.items():
        folder = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for target, names, line in _imports(name, path):
            private = [n for n in names if _private(n)]
            if private and target != name:
                offences.append(f"{path.relative_to(ROOT)}:{line} takes {', '.join(private)} from {target}")
            target_folder, _, module = target.rpartition(".")
            if _private(module) and not folder.startswith(target_folder):
                offences.append(f"{path.relative_to(ROOT)}:{line} imports {target}, private to {target_folder}")
    assert not offences, "\n".join(offences)


def test_the_top_level_of_the_package_is_small():
    top = sorted(p.name for p in (ROOT / "hres_graph").glob("*.py"))
    assert len(top) <= 12, top


@pytest.mark.slow
def test_the_wheel_holds_no_development_suite(tmp_path):
    source = tmp_path / "source"  # a copy: setuptools writes build/ beside the sources it packs
    at_root = {"var", "node_modules", "tests", "build"}
    shutil.copytree(
        ROOT,
        source,
        ignore=lambda folder, names: [
            n
            for n in names
            if n.startswith(".")
            or n == "__pycache__"
            or n.endswith(".egg-info")
            or (Path(folder) == ROOT and n in at_root)
        ],
    )
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    wheel = next(tmp_path.glob("hres_graph-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    packages = {n.split("/")[0] for n in names if n.endswith(".py")}
    assert packages == {"hres_graph", "server"}, packages
    for suite in ("hardening", "benchmarks", "scale", "suites"):
        assert not [n for n in names if f"/{suite}/" in n or n.startswith(f"{suite}/")], suite
    assert "hres_graph/build/pipeline.py" in names and "server/app.py" in names
