"""The error hierarchy. Every message says where, what, and how to fix it.

The CLI maps each class to a documented exit code (see README, "Exit codes").
"""

from __future__ import annotations

from pathlib import Path


class HresError(Exception):
    """Base class: an error the user can act on (never a bug)."""

    exit_code = 2

    def __init__(self, problem: str, *, hint: str | None = None):
        self.problem = problem
        self.hint = hint
        super().__init__(str(self))

    def where(self) -> str:
        return ""

    def __reduce__(self):
        # pickled whole (a build's second import lane sends its errors through a pipe): the default
        # would call the class with str(self) alone, which no subclass's __init__ takes
        return _rebuild, (type(self), self.__dict__)

    def __str__(self) -> str:
        where = self.where()
        text = f"{where}: {self.problem}" if where else self.problem
        return f"{text}\n  hint: {self.hint}" if self.hint else text


class SourceFormatError(HresError):
    """A source file does not have the shape its importer expects."""

    def __init__(
        self,
        path: Path | str,
        problem: str,
        *,
        line: int | None = None,
        column: int | str | None = None,
        hint: str | None = None,
    ):
        self.path = Path(path)
        self.line = line
        self.column = column
        super().__init__(problem, hint=hint)

    def where(self) -> str:
        parts = [str(self.path)]
        if self.line is not None:
            parts.append(str(self.line))
        text = ":".join(parts)
        if self.column is not None:
            text += f" (column {self.column})" if isinstance(self.column, str) else f":{self.column}"
        return text


class ConfigError(HresError):
    """A setting is missing or invalid."""


class StoreError(HresError):
    """The store cannot be opened, read or written."""

    exit_code = 3


class QueryError(HresError):
    """A SPARQL query is malformed or refused."""

    line: int | None = None  # position of a syntax error, when known
    column: int | None = None


class OntologyError(HresError):
    """The ontology or vocabularies fail a check (inconsistency, missing annotation)."""

    exit_code = 1


def _rebuild(cls, state: dict) -> HresError:
    error = cls.__new__(cls)
    error.__dict__.update(state)
    Exception.__init__(error, str(error))
    return error
