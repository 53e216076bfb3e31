"""The importer registry: one module per source, each exposing `SOURCE` (see base.Source).

`hres import <id> <path>` and `hres build` both go through IMPORTERS, so the command line and
the build configuration always run the same code.
"""

from __future__ import annotations

from importlib import import_module

from .base import ImportContext, ImportReport, Source

# Build order: states first (everything else refers to states), then sources that others link to.
_MODULES = (
    "states",
    "treaty_texts",
    "ratification_wpdl",
    "ratification_ohchr",
    "ratification_ohchr_2020",
    "upr_info",
    "upr_info_2018",
    "upr_wg_reports",
    "uhri_matrices",
    "uhri_matrices_china",
    "treaty_body_documents",
    "gc_paragraphs",
    "elections",
    "elections_idea",
    "elections_parlgov",
    "eom_missions",
    "hudoc",
    "nmirf",
    "hrc_voting",
)


def _load() -> dict[str, Source]:
    sources: dict[str, Source] = {}
    for name in _MODULES:
        source = import_module(f"{__name__}.{name}").SOURCE
        if source.id in sources:
            raise RuntimeError(f"two importers claim the source id {source.id!r}")
        sources[source.id] = source
    return sources


_registry: dict[str, Source] | None = None


def __getattr__(name: str):
    # Loaded on first use, so importing one importer module does not import all of them.
    global _registry
    if name == "IMPORTERS":
        if _registry is None:
            _registry = _load()
        return _registry
    raise AttributeError(name)


__all__ = ["IMPORTERS", "ImportContext", "ImportReport", "Source"]
