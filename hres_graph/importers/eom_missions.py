"""Election observation missions and their findings and recommendations (hand-compiled, curated/eom-missions).

Upstream: two UTF-8 CSV files compiled for this project from public web pages (see PROVENANCE.md).

missions.csv: organization, mission_type, country_iso3, country_name, election_type, election_date
    (yyyy-mm-dd, yyyy-mm or yyyy), final_report_date, n_recommendations, n_priority_recommendations,
    prior_recommendations_assessed, chief_observer, key_topics (';'-separated), source_url, notes,
    mission_key (organization+ISO3+election date[+follow-up|+needs assessment|+<body of 'other'>]).
findings.csv: mission_key, kind (finding | recommendation), topic, electoral_process_part, summary,
    right_or_standard, priority (yes | unknown), source_url.

Each mission becomes an hres:ObservationMission at `id/mission/<org>/<ISO3>/<date>[/<suffix>]` that
hres:observes the hres:Election `id/election/<ISO3>/<date>` (described here too: state, date or year,
type); each finding row an hres:Finding or hres:Recommendation with its process part and the rights
that part concerns by definition (RIGHTS_BY_PROCESS_PART). Organisations are linked, never described.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from rdflib import Literal
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from ..errors import SourceFormatError
from ..namespaces import HRES, ID, concept, instrument, organisation, state
from ._eom_missions_rows import Mission, mission_triples, read_missions, source_object
from .base import ImportContext, Row, Source, Triple, read_csv, stable_key, text_literal

FINDING_COLUMNS = (
    "mission_key",
    "kind",
    "topic",
    "electoral_process_part",
    "summary",
    "right_or_standard",
    "priority",
    "source_url",
)

# The findings' process-part labels -> slugs of the electoral-process-part scheme (ontology/README.md).
PROCESS_PARTS: dict[str, str] = {
    "legal framework": "legal-framework",
    "electoral system": "electoral-system",
    "boundary delimitation": "boundary-delimitation",
    "election administration": "election-administration",
    "voter registration": "voter-registration",
    "voter education": "voter-education",
    "candidate registration": "candidate-registration",
    "campaign": "campaign",
    "campaign finance": "campaign-finance",
    "media": "media",
    "complaints and appeals": "complaints-and-appeals",
    "voting/counting/tabulation": "voting-counting-tabulation",
    "results": "results",
    "participation of women/minorities/PwD": "participation-of-women-minorities-pwd",
    "civil society/observers": "civil-society-observers",
    "security/violence": "security-violence",
}

# Rights (slugs of the `rights` scheme) that a finding on each process part concerns BY DEFINITION:
# the part is where that right is exercised or protected, following Human Rights Committee General
# Comment 25 (paragraph numbers given). Gap queries ("findings on an electoral right with no UPR
# recommendation on it") rely on this table, so it stays conservative: a link is listed only when no
# reading of a finding on that part could miss the right. Topic-level links are not derived here.
RIGHTS_BY_PROCESS_PART: dict[str, tuple[str, ...]] = {
    # the framework implements article 25 as a whole
    "legal-framework": ("take-part-in-public-affairs",),
    # one person, one vote; allocation of votes and boundaries must not distort it (GC 25 para. 21)
    "electoral-system": ("equal-suffrage",),
    "boundary-delimitation": ("equal-suffrage",),
    # the independent authority conducts the process through which article 25 is exercised (para. 20)
    "election-administration": ("take-part-in-public-affairs",),
    # registration and voter education make the right to vote effective (para. 11)
    "voter-registration": ("vote",),
    "voter-education": ("vote",),
    "candidate-registration": ("stand-for-election",),  # paras. 15-17
    # campaigning is speech and assembly (paras. 12, 25)
    "campaign": ("freedom-of-expression", "peaceful-assembly"),
    # spending limits exist so that voters' free choice is not undermined (para. 19)
    "campaign-finance": ("free-expression-of-will",),
    "media": ("freedom-of-expression",),  # para. 25
    "complaints-and-appeals": ("effective-remedy",),  # para. 20: judicial review of the process
    # secrecy of the ballot and honest counting secure the free expression of the will (paras. 19-20)
    "voting-counting-tabulation": ("secret-ballot", "free-expression-of-will"),
    "results": ("free-expression-of-will",),
    # the part groups the three; a finding on one group is still filed under all three
    "participation-of-women-minorities-pwd": ("participation-of-women", "minorities", "persons-with-disabilities"),
    "civil-society-observers": ("freedom-of-association",),  # para. 26
    "security-violence": ("security-of-person",),  # voting free of violence or threat (para. 19)
}

# right_or_standard values that name an instrument of our reference data. Only the Copenhagen Document
# is named as such; "OSCE commitments; Council of Europe standards" is broader than any one instrument
# and the SADC Principles are not in the reference data, so those stay as a note.
STANDARDS: dict[str, str] = {"OSCE Copenhagen Document 1990": "osce-copenhagen-1990"}

KINDS = {"finding": ("finding", HRES.Finding), "recommendation": ("recommendation", HRES.Recommendation)}
PRIORITY = {"yes": True, "unknown": None, "": None}  # `no` is never asserted by the source


def read_eom_missions(path: Path, ctx: ImportContext) -> Iterator[Triple]:
    """Stream missions, their elections, and findings/recommendations from the curated folder."""
    if not path.is_dir():
        raise SourceFormatError(
            path,
            "expected the folder holding missions.csv and findings.csv",
            hint="give the eom-missions folder, not one of its files",
        )
    missions: dict[str, Mission] = {}
    yield from mission_triples(read_missions(path / "missions.csv", ctx), missions, ctx)
    yield from _findings(path / "findings.csv", missions, ctx)

    report = ctx.report
    report.count("missions with findings", sum(1 for m in missions.values() if m.n_findings))
    report.count("countries", len({m.iso3 for m in missions.values()}))


def _findings(file: Path, missions: dict[str, Mission], ctx: ImportContext) -> Iterator[Triple]:
    report = ctx.report
    keys: dict[str, int] = {}  # item IRI key -> line, to keep two rows from sharing an IRI
    for row in ctx.progress(read_csv(file, required=FINDING_COLUMNS), "eom findings"):
        mission = missions.get(row["mission_key"].strip())
        if mission is None:
            raise row.error(
                f"mission_key {row['mission_key']!r} names no mission of missions.csv",
                column="mission_key",
                hint="correct the key or add the mission to missions.csv",
            )
        kind = row["kind"].strip()
        if kind not in KINDS:
            raise row.error(f"kind {kind!r} is not one of {', '.join(KINDS)}", column="kind")
        part_label = " ".join(row["electoral_process_part"].split())
        part = PROCESS_PARTS.get(part_label)
        if part is None:
            raise row.error(
                f"electoral_process_part {part_label!r} is unknown; expected one of: {'; '.join(PROCESS_PARTS)}",
                column="electoral_process_part",
                hint="fix the cell or add a mapping in importers/eom_missions.py:PROCESS_PARTS",
            )
        priority_value = row["priority"].strip().lower()
        if priority_value not in PRIORITY:
            raise row.error(f"priority {row['priority']!r} is not 'yes' or 'unknown'", column="priority")
        topic, summary = row["topic"].strip(), row["summary"].strip()
        if not topic or not summary:
            raise row.error("topic and summary must both be given", column="topic" if not topic else "summary")

        segment, cls = KINDS[kind]
        key = stable_key(mission.key, kind, topic)
        if key in keys:  # same mission, kind and topic: the summary tells them apart
            key = stable_key(mission.key, kind, topic, summary)
            if key in keys:
                raise row.error(
                    f"repeats line {keys[key]} (same mission, kind, topic and summary)", hint="delete the duplicate row"
                )
        keys[key] = row.line
        item = ID[f"{segment}/eom/{key}"]

        mission.n_findings += 1
        report.count(f"{kind}s")
        report.count(f"items of organization:{mission.row['organization'].strip()}")
        report.count(f"part:{part}")
        yield item, RDF.type, cls
        yield item, RDFS.label, text_literal(topic)
        yield item, HRES.text, text_literal(summary)
        yield item, HRES.madeByMission, mission.iri
        yield item, HRES.issuedBy, organisation(mission.org)
        if cls is HRES.Finding:
            yield item, HRES.concernsState, state(mission.iso3)
        else:
            yield item, HRES.addressedTo, state(mission.iso3)
        yield item, HRES.electoralProcessPart, concept("electoral-process-part", part)
        for right in RIGHTS_BY_PROCESS_PART[part]:
            yield item, HRES.concernsRight, concept("rights", right)
        if PRIORITY[priority_value]:
            report.count("priority")
            yield item, HRES.priority, Literal(True, datatype=XSD.boolean)
        yield from _standard(item, row, ctx)
        if row["source_url"].strip():
            yield item, DCTERMS.source, source_object(row["source_url"], report)


def _standard(item, row: Row, ctx: ImportContext) -> Iterator[Triple]:
    named = " ".join(row["right_or_standard"].split())
    if not named:
        return
    ctx.report.count("standards named")
    yield item, SKOS.note, text_literal(f"Standard named by the source page: {named}")
    if named in STANDARDS:
        ctx.report.count("standards linked to an instrument")
        yield item, HRES.concernsInstrument, instrument(STANDARDS[named])


SOURCE = Source(
    id="eom-missions",
    title="Election observation missions and their findings and recommendations (hand-compiled, 2001-2025)",
    read=read_eom_missions,
    default_path="curated/eom-missions",
    license="Facts compiled for HRES Graph; summaries and labels are original wording. Cite each "
    "organisation's report, using the source_url given per row.",
    upstream="Hand-compiled from public web pages of observer organisations, news outlets and report mirrors "
    "(see curated/eom-missions/PROVENANCE.md)",
)

__all__ = ["SOURCE", "read_eom_missions", "PROCESS_PARTS", "RIGHTS_BY_PROCESS_PART", "STANDARDS"]
