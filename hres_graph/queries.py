"""`.rq` files with `#+ key: value` headers (a subset of grlc's decorators).

One parser for every query file in queries/: QC checks (queries/qc/) today; the named gap and
follow-up queries build on the same headers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .config import PROJECT_ROOT
from .errors import QueryError

QUERIES_DIR = PROJECT_ROOT / "queries"
_HEADER = re.compile(r"^#\+\s*([a-z_-]+)\s*:\s*(.*?)\s*$")


@dataclass(frozen=True)
class QueryFile:
    path: Path
    name: str
    text: str
    header: dict[str, str] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return self.header.get("title", self.name)


def parse_query_file(path: Path) -> QueryFile:
    text = path.read_text(encoding="utf-8")
    header: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.startswith("#"):
            break
        match = _HEADER.match(line)
        if line.startswith("#+") and not match:
            raise QueryError(f"{path}:{number}: malformed header line {line!r}; expected '#+ key: value'")
        if match:
            header[match.group(1)] = match.group(2)
    return QueryFile(path, path.stem, text, header)


def query_files(folder: str) -> list[QueryFile]:
    return [parse_query_file(p) for p in sorted((QUERIES_DIR / folder).glob("*.rq"))]
