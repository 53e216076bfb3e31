"""Compare UPR Info's regional-group coding (To-Rgrp, From-Rgrp) with the internacia UN regional groups.

Nothing is emitted: group membership belongs to the states graph. The comparison only counts and
notes disagreements, so a person can see where the two codings differ. It runs when the internacia
block files are found beside the data root and is skipped otherwise.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from .base import ImportContext

# UPR Info group code -> internacia block id
_BLOCKS = {"Africa": "AFRICANGROUP", "Asia": "ASIAPACIFICGROUP", "EEG": "EEG", "GRULAC": "GRULAC", "WEOG": "WEOG"}


def _block_dir(ctx: ImportContext) -> Path | None:
    candidates = []
    if ctx.source_paths.get("states"):
        base = Path(ctx.source_paths["states"])
        candidates += [base / "intblocks", base.parent / "intblocks"]
    if ctx.data_root:
        candidates.append(Path(ctx.data_root) / "raw" / "internacia-states" / "intblocks")
    return next((c for c in candidates if (c / "unregionalblocks_WEOG.yaml").is_file()), None)


class GroupCheck:
    def __init__(self, ctx: ImportContext):
        self.ctx = ctx
        self.coded: dict[str, set[str]] = {}  # iso3 -> UPR Info codes seen
        self.names: dict[str, str] = {}
        self.members: dict[str, set[str]] | None = None
        folder = _block_dir(ctx)
        if folder is None:
            return
        iso2to3 = {doc.get("code"): iso3 for iso3, doc in ctx.states.codes.items()}
        self.members = {}
        for code, block in _BLOCKS.items():
            doc = yaml.safe_load((folder / f"unregionalblocks_{block}.yaml").read_text(encoding="utf-8"))
            for item in doc.get("includes") or []:
                iso3 = iso2to3.get(item.get("id"))
                if iso3:
                    self.members.setdefault(iso3, set()).add(code)

    def check(self, rec) -> None:
        if self.members is None or rec.pledge:
            return
        pairs = [(rec.sur, rec.sur_name, rec.groups[0])]
        if len(rec.recommenders) == 1:
            pairs.append((rec.recommenders[0], rec.from_name, rec.groups[1]))
        for iso3, name, code in pairs:
            if iso3 and code in _BLOCKS:
                self.coded.setdefault(iso3, set()).add(code)
                self.names[iso3] = name

    def finish(self) -> None:
        if self.members is None:
            self.ctx.report.note("regional-group comparison skipped: internacia block files not found")
            return
        differ = sorted(iso3 for iso3, codes in self.coded.items() if not codes <= self.members.get(iso3, set()))
        self.ctx.report.count("states whose UPR Info regional group differs from internacia", len(differ))
        if not differ:
            self.ctx.report.note(
                f"UPR Info regional-group coding agrees with the internacia UN regional groups "
                f"for all {len(self.coded)} States it codes"
            )
        else:
            detail = "; ".join(
                f"{self.names[i]} ({i}): UPR Info {'/'.join(sorted(self.coded[i]))}, internacia "
                f"{'/'.join(sorted(self.members.get(i, set()))) or 'none'}"
                for i in differ
            )
            self.ctx.report.note(
                f"UPR Info regional-group coding differs from the internacia UN regional groups "
                f"for {len(differ)} of {len(self.coded)} States: {detail}"
            )
