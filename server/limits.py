"""Safety rules applied before a query or update reaches a worker, and the limits that bound it.

- Read-only: /sparql runs queries only; an update there is refused (400 as a query, 403 as an
  `update` parameter). /update exists only when UPDATE_TOKEN is configured (see update.py).
- No outbound requests: `SERVICE` and `LOAD` are refused unless their IRI starts with an entry of
  ALLOW_REMOTE; a `SERVICE ?var` is always refused. `FROM`/`FROM NAMED` IRIs that are not graphs
  of the store are refused by the worker, which has the store (worker.unknown_from_graphs).
- Bounds: QUERY_TIMEOUT (worker killed, 504), ROW_CAP and MAX_ANSWER_BYTES (answer truncated and
  marked so), MAX_REQUEST_BYTES (413), MAX_QUERY_BYTES (413, checked before the text is even
  tokenized), WORKER_MEMORY (each worker's RLIMIT_DATA), QUEUE_TIMEOUT (503 when every worker
  stays busy).

The SERVICE / LOAD refusal here reads the lexer's tokens, and is a courtesy: it gives the position.
The guarantee is the worker's confinement (worker.py): in the default configuration the worker
cannot open a network socket at all, whatever the engine makes of the text.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import BadRequest, Refused, TooLarge
from .lexer import Analysis

# Oxigraph parses and optimises recursively: nesting tens of thousands deep overflows any stack and
# kills the worker (SIGSEGV). Real queries nest a few dozen deep; the worker's 256 MiB stack holds
# far more than this bound (server/worker.py).
MAX_NESTING = 1000


@dataclass(frozen=True)
class Limits:
    query_timeout: float
    queue_timeout: float
    row_cap: int
    max_request_bytes: int
    allow_remote: tuple[str, ...]
    max_query_bytes: int = 262_144
    max_answer_bytes: int = 64 * 2**20
    worker_memory: int = 2 * 2**30

    @classmethod
    def from_config(cls, config) -> "Limits":
        return cls(
            float(config["QUERY_TIMEOUT"]),
            float(config["QUEUE_TIMEOUT"]),
            int(config["ROW_CAP"]),
            int(config["MAX_REQUEST_BYTES"]),
            tuple(config["ALLOW_REMOTE"]),
            int(config["MAX_QUERY_BYTES"]),
            int(config["MAX_ANSWER_BYTES"]),
            int(config["WORKER_MEMORY"]),
        )

    def check_size(self, text: str, what: str = "query") -> None:
        """413 for a text over MAX_QUERY_BYTES, before any work on it (tokenizing is linear, but a
        megabyte of it still held the web process for ~1 s; real queries are a few kilobytes)."""
        if len(text) > self.max_query_bytes or len(text.encode("utf-8")) > self.max_query_bytes:
            raise TooLarge(
                f"the {what} is {len(text.encode('utf-8')):,} bytes; at most {self.max_query_bytes:,} "
                "are accepted (MAX_QUERY_BYTES)"
            )

    def allowed(self, iri: str) -> bool:
        return bool(self.allow_remote) and not iri.startswith("?") and iri.startswith(self.allow_remote)

    def timeout_for(self, requested: str | None) -> float:
        """QUERY_TIMEOUT, or a shorter per-request `timeout` parameter (seconds)."""
        if not requested:
            return self.query_timeout
        try:
            value = float(requested)
        except ValueError:
            raise BadRequest(f"timeout={requested!r} is not a number of seconds") from None
        if not value > 0:  # also NaN, which compares false with everything
            raise BadRequest("timeout must be a positive number of seconds")
        return min(value, self.query_timeout)


def _where(analysis: Analysis, offset: int) -> str:
    line, column = analysis.position(offset)
    return f"line {line}, column {column}"


def _check_nesting(analysis: Analysis) -> None:
    if analysis.nesting > MAX_NESTING:
        line, column = analysis.position(analysis.nesting_offset)
        raise BadRequest(
            f"brackets nested more than {MAX_NESTING} deep (line {line}, column {column}); flatten the query",
            line=line,
            column=column,
        )


def _check_remote(analysis: Analysis, limits: Limits) -> None:
    hint = (
        "this endpoint makes no outbound requests"
        if not limits.allow_remote
        else "only IRIs starting with %s are allowed" % ", ".join(limits.allow_remote)
    )
    for target, offset in analysis.services:
        if not limits.allowed(target):
            what = "SERVICE with a variable endpoint" if target.startswith("?") else f"SERVICE <{target}>"
            raise Refused(
                f"{what} is refused ({_where(analysis, offset)}): {hint} "
                "(configure ALLOW_REMOTE to permit federated queries)",
                line=analysis.position(offset)[0],
                column=analysis.position(offset)[1],
            )
    for target, offset in analysis.loads:
        if not limits.allowed(target):
            raise Refused(
                f"LOAD <{target}> is refused ({_where(analysis, offset)}): {hint}",
                line=analysis.position(offset)[0],
                column=analysis.position(offset)[1],
            )


def check_query(analysis: Analysis, limits: Limits) -> None:
    if analysis.is_update:
        raise Refused(
            "this is a SPARQL Update; /sparql is read-only and runs queries only "
            "(updates go to /update, which is disabled unless configured)"
        )
    _check_nesting(analysis)
    _check_remote(analysis, limits)


def check_update(analysis: Analysis, limits: Limits, using: list[str], using_named: list[str]) -> None:
    if analysis.form is not None and not analysis.is_update:
        raise BadRequest(f"this is a SPARQL {analysis.form.upper()} query; send queries to /sparql")
    if (using or using_named) and (analysis.has_with or analysis.has_using):
        raise BadRequest(
            "using-graph-uri / using-named-graph-uri cannot be combined with USING or WITH "
            "in the update (SPARQL 1.1 Protocol 2.2.3)"
        )
    _check_nesting(analysis)
    _check_remote(analysis, limits)
