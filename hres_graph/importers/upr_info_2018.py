"""UPR Info's database export of 2018-07-25 (sessions 1-27), merged with the 2015 export (source `upr-info`).

Upstream: maxarvid/data-studio `code/03_UPR/data/*-UPR-INFO-DATABASE-EXPORT-2018_07_25-*.csv`, UPR Info's
current export layout (read by `upr_info.iter_records`, layout "export-2018": semicolon-separated UTF-8
with a BOM, `SuR`, `RS`, two `Rgrp` and two `Org` columns, Supported / Noted).

Sessions 1-20 are the database that `upr-info` (the 2015 export) also holds. Each record of those sessions
is matched to its `upr-info` record (`_upr_match`: session, States, normalised text) and stated under the
*same* IRI, so one recommendation is one resource stated by both graphs; this graph keeps this export's
own wording, issue tags and action category where they differ. A response is the same resource when both
exports give the same status, else this export's is `<recommendation>/response/upr-info-2018`. Records
of those sessions with no match, and every record of the sessions `upr-info` lacks (21-27: the end of
cycle 2 and the first session of cycle 3), get IRIs by `upr-info`'s own rule. Which records are shared is
queryable as the IRIs typed hres:Recommendation in both graphs; the counts go to the import report.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from . import upr_info
from ._upr_match import ExportMatch, issue_set
from .base import ImportContext, ImportReport, Source, Triple

SOURCE_ID = "upr-info-2018"


def _earlier_path(ctx: ImportContext) -> Path | None:
    candidates = [ctx.source_paths.get("upr-info")]
    if ctx.data_root:
        candidates.append(Path(ctx.data_root) / upr_info.SOURCE.default_path)
    return next((Path(c) for c in candidates if c and Path(c).exists()), None)


def read_upr_info_2018(path: Path, ctx: ImportContext) -> Iterator[Triple]:
    earlier_path = _earlier_path(ctx)
    if earlier_path is None:
        ctx.report.note(
            "the 2015 UPR Info export (source upr-info) was not found: no record is matched to it, "
            "every record gets an IRI of its own"
        )
        yield from upr_info.record_triples(upr_info.iter_records(path, ctx), ctx, SOURCE_ID)
        return
    quiet = ImportContext(states=ctx.states, report=ImportReport("upr-info (for matching)"), data_root=ctx.data_root)
    with ExportMatch(upr_info.iter_records(earlier_path, quiet)) as earlier:
        only_here: list[str] = []
        merged = _merged(upr_info.iter_records(path, ctx), earlier, ctx.report, only_here)
        yield from upr_info.record_triples(merged, ctx, SOURCE_ID)
        _note(ctx.report, earlier, only_here)


def _merged(
    records: Iterator[upr_info.Record], earlier: ExportMatch, report: ImportReport, only_here: list[str]
) -> Iterator[upr_info.Record]:
    """The records, those matched to an earlier record under its IRI; `report` counts what happened."""
    for rec in records:
        if rec.pledge:  # the 2018 export has none; a pledge is not a recommendation to match
            yield rec
            continue
        if not earlier.covers(rec):
            report.count("match: in a session upr-info lacks (new)")
            yield rec
            continue
        found = earlier.match(rec)
        if found is None:
            report.count("match: in this export only")
            only_here.append(rec.where)
            yield rec
            continue
        rec.iri = found.iri
        report.count("match: same text" if found.exact else "match: same text once normalised")
        if found.status != rec.status:
            rec.response_id = SOURCE_ID
            report.count("match: response differs")
        if found.action != rec.action:
            report.count("match: action category differs")
        if found.issues != issue_set(rec):
            report.count("match: issue tags differ")
        yield rec


def _note(report: ImportReport, earlier: ExportMatch, only_here: list[str]) -> None:
    missing, examples = earlier.unmatched()
    report.count("match: in upr-info only", missing)
    c = report.counts
    matched = c["match: same text"] + c["match: same text once normalised"]
    report.note(
        f"matched {matched:,} recommendations to upr-info records, one resource each ({c['match: same text']:,} "
        f"with the same text, {c['match: same text once normalised']:,} only once accents, case, punctuation and "
        f"spacing are normalised); {len(only_here):,} recommendations of the sessions upr-info covers are in this "
        f"export only"
        + (f" ({', '.join(only_here[:5])})" if only_here else "")
        + f", {missing:,} upr-info records are not in this export"
        + (f" ({', '.join(examples)})" if examples else "")
        + f"; {c['match: in a session upr-info lacks (new)']:,} are in sessions upr-info lacks. Matched records "
        f"with another response: {c['match: response differs']:,}, another action category: "
        f"{c['match: action category differs']:,}, other issue tags: {c['match: issue tags differ']:,} (each graph "
        f"states its own)"
    )


SOURCE = Source(
    id=SOURCE_ID,
    title="UPR Info Database of Recommendations (export of 2018-07-25, sessions 1-27, via maxarvid/data-studio)",
    read=read_upr_info_2018,
    default_path="raw/upr-info-export-2018",
    license="No licence stated (UPR Info database export in a GitHub repository without LICENSE); "
    "recommendation texts are UN documents",
    upstream="https://github.com/maxarvid/data-studio (code/03_UPR/data); https://www.upr-info.org/en/database",
    needs=("upr-info",),
)
