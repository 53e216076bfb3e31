"""A source's file -> its import report and its triples as pyoxigraph terms.

One place for what the build, its child lanes (lanes.py) and `hres import` (replace.py) all
do before storing a source: find its file, give its importer a context, convert its triples.
"""

from __future__ import annotations

from .. import importers
from ..config import Settings
from ..errors import SourceFormatError
from ..importers import ImportContext, ImportReport, Source
from ..importers.state_names import StateResolver
from ..terms import to_ox


class LazyResolver:
    """Reads the country files the first time a source asks about a state, not before
    (a build of sources that name no state does not need the states data)."""

    def __init__(self, settings: Settings):
        self._settings = settings
        self._resolver: StateResolver | None = None

    def __getattr__(self, name: str):
        if self._resolver is None:
            folder = self._settings.source_path("states", importers.IMPORTERS["states"].default_path)
            self._resolver = StateResolver.from_internacia(
                folder / "countries" if (folder / "countries").is_dir() else folder
            )
        return getattr(self._resolver, name)


def open_source(settings: Settings, source: Source, resolver, progress: bool):
    """A source's file, its import report and its triples as pyoxigraph terms (read lazily)."""
    path = settings.source_path(source.id, source.default_path)
    if not path.exists():
        raise SourceFormatError(
            path,
            f"source {source.id!r} not found",
            hint=f"set its path in the build configuration or with HRES_DATA_ROOT "
            f"(expected <data root>/{source.default_path})",
        )
    report = ImportReport(source.id)
    ctx = ImportContext(
        states=resolver,
        report=report,
        data_root=settings.data_root,
        show_progress=progress,
        source_paths={s: settings.source_path(s, importers.IMPORTERS[s].default_path) for s in source.needs},
    )

    def triples():
        for s, p, o in source.read(path, ctx):
            try:
                yield to_ox(s), to_ox(p), to_ox(o)
            except (ValueError, TypeError) as exc:
                raise SourceFormatError(
                    path,
                    f"importer {source.id!r} produced an invalid triple ({s} {p} {o!r}): {exc}",
                    hint="this is a bug in the importer",
                ) from None

    return path, report, triples()
