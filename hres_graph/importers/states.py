"""States, UN membership, UN regional groups and intergovernmental blocks, from internacia-db.

Upstream: datenoio/internacia-db (MIT), copied as
- `countries/<ISO2>.yaml`: keys used are `code` (ISO alpha-2), `iso3code`, `m49_code`, `name` (World Bank
  style), `official_name`, `wikidata_id`, `un_member`, `other_names` [{id: language, name}];
- `intblocks/<category>_<ID>.yaml`: `id`, `name`, `wikidata_id`, `other_names`, `includes` [{id: ISO2}].

`path` is the folder holding both, the `countries/` folder alone, or one country file.

Typing decision: `hres:State` for the 193 UN members, the two observer States (Holy See, State of
Palestine), and the Cook Islands and Niue (not UN members, but the UN Secretary-General recognises their
full treaty-making capacity and OHCHR lists them as parties to treaties in their own right, so
participation events need them as States). Every other entry (dependent territories, Kosovo, Taiwan,
Western Sahara, the dissolved Netherlands Antilles, the Channel Islands grouping, Antarctica) is an
`hres:Actor` with a `skos:note` saying why it is not typed as a State.

Corrections of the upstream data are in `_blocks.DROPPED` and the supplements below. Each one is written
to the report ("corrected: …, because …") and as an `rdfs:comment` on the state, so it can be queried.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from rdflib import Literal
from rdflib.namespace import RDF, RDFS, SKOS

from ..errors import SourceFormatError
from ..namespaces import HRES, WD, concept, organisation, state
from ._blocks import GROUPS, SHARED_ORGS, Block, corrected_memberships, load_yaml, org_slug, read_blocks
from .base import ImportContext, Source, text_literal

# Non-UN-members typed hres:State, and why (a skos:note on the state).
NON_MEMBER_STATES = {
    "VAT": "Non-member observer State at the United Nations (the Holy See).",
    "PSE": "Non-member observer State at the United Nations (since 2012).",
    "COK": "Not a UN member: a State in free association with New Zealand whose full treaty-making capacity "
    "the UN Secretary-General recognises; it is a party to UN human-rights treaties in its own right.",
    "NIU": "Not a UN member: a State in free association with New Zealand whose full treaty-making capacity "
    "the UN Secretary-General recognises; it is a party to UN human-rights treaties in its own right.",
}
# Why an entry is not typed hres:State (default: _TERRITORY).
_TERRITORY = "Not typed as a State: a dependent territory or area, neither a UN member nor an observer State."
ACTOR_NOTES = {
    "KSV": "Not typed as a State: Kosovo is not a UN member and its statehood is disputed.",
    "TWN": "Not typed as a State: Taiwan is not a UN member and is not recognised as a State by the UN.",
    "ESH": "Not typed as a State: Western Sahara is a non-self-governing territory on the UN list.",
    "ANT": "Not typed as a State: the Netherlands Antilles were dissolved in 2010.",
    "CHI": "Not typed as a State: a statistical grouping of Jersey and Guernsey (World Bank).",
    "ATA": "Not typed as a State: Antarctica (Antarctic Treaty area).",
}
# Codes that are not (or no longer) ISO 3166-1: no iso3166Alpha2/Alpha3 for them; KSV also has no M49 code.
NOT_ISO = {
    "KSV": "KSV/KV are World Bank codes, not ISO 3166-1",
    "CHI": "CHI/JG are World Bank codes, not ISO 3166-1",
    "ANT": "ANT/AN were deleted from ISO 3166-1 in 2010",
}
NOT_M49 = {"KSV"}
# UN names (en, fr, es) where the upstream names differ; the upstream names become skos:altLabel.
LABELS = {
    "VAT": ("Holy See", "Saint-Siège", "Santa Sede"),
    "PSE": ("State of Palestine", "État de Palestine", "Estado de Palestina"),
}
# Data gaps in three UN members' files (no wikidata_id, no other_names): Wikidata item, French, Spanish name.
SUPPLEMENTS = {
    "COL": ("Q739", "Colombie", "Colombia"),
    "NIC": ("Q811", "Nicaragua", "Nicaragua"),
    "PRT": ("Q45", "Portugal", "Portugal"),
}
KIRIBATI = (
    "Kiribati is kept in the Asia-Pacific Group as internacia-db lists it: the UN list of regional "
    "groups of Member States (DGACM) now includes it there, although older accounts say it belongs "
    "to no group."
)


def read_states(path: Path, ctx: ImportContext) -> Iterator[tuple]:
    country_files, block_files = _files(path)
    blocks = read_blocks(block_files)
    members, comments = corrected_memberships(blocks, ctx.report)
    un_block = members.get("UN")
    in_group: dict[str, list[str]] = {}
    for block_id, group in GROUPS.items():
        for iso2 in sorted(members.get(block_id, ())):
            in_group.setdefault(iso2, []).append(group)

    known: set[str] = set()
    for file in ctx.progress(country_files, "country files", len(country_files)):
        doc = load_yaml(file)
        iso2, iso3 = _require(doc, file, "code"), _require(doc, file, "iso3code")
        _require(doc, file, "name")
        known.add(iso2)
        flag = bool(doc.get("un_member"))
        un_member = iso2 in un_block if un_block is not None else flag
        if un_member != flag:
            comments.setdefault(iso2, []).append(
                f"unMember corrected to {str(un_member).lower()}: the country file says un_member "
                f"{str(flag).lower()}, but the UN membership list says otherwise."
            )
            ctx.report.note(
                f"corrected: {iso3} unMember {flag} -> {un_member}, because the UN block "
                f"{'lists' if un_member else 'does not list'} it"
            )
            ctx.report.count("corrections")
        yield from _state_triples(doc, iso2, iso3, un_member, ctx)
        for group in in_group.get(iso2, ()):
            yield state(iso3), HRES.inRegionalGroup, concept("un-regional-group", group)
            ctx.report.count(f"group:{group}")
        if un_member and len(in_group.get(iso2, ())) != 1 and un_block is not None:
            ctx.report.note(f"{iso3} is in {len(in_group.get(iso2, ()))} UN regional groups after corrections")
            ctx.report.count("group-violations")
        for block in blocks:
            if block.id not in GROUPS and iso2 in members[block.id]:
                yield state(iso3), HRES.memberOf, organisation(org_slug(block.id))
                ctx.report.count(f"members:{org_slug(block.id)}")
        for comment in comments.get(iso2, ()):
            yield state(iso3), RDFS.comment, text_literal(f"Correction to internacia-db: {comment}")
        if iso3 == "KIR" and "asia-pacific" in in_group.get(iso2, ()):
            yield state(iso3), RDFS.comment, text_literal(KIRIBATI)
            ctx.report.note(f"decision: {KIRIBATI}")

    for block in blocks:
        unknown = sorted(set(block.members) - known)
        if unknown:
            raise SourceFormatError(
                block.path,
                f"members {', '.join(unknown)} have no country file",
                hint="add the country files or check the ISO alpha-2 codes in 'includes'",
            )
        if block.id not in GROUPS:
            yield from _org_triples(block)
            ctx.report.count("organisations")


def _state_triples(doc: dict, iso2: str, iso3: str, un_member: bool, ctx: ImportContext) -> Iterator[tuple]:
    s = state(iso3)
    is_state = un_member or iso3 in NON_MEMBER_STATES
    yield s, RDF.type, HRES.State if is_state else HRES.Actor
    ctx.report.count("entities")
    ctx.report.count("states" if is_state else "other-actors")
    if un_member:
        ctx.report.count("un-members")
    note = NON_MEMBER_STATES.get(iso3) if is_state else ACTOR_NOTES.get(iso3, _TERRITORY)
    if note:
        yield s, SKOS.note, text_literal(note)
    names = {n.get("id"): n.get("name") for n in doc.get("other_names") or [] if n.get("name")}
    wikidata, fr, es = doc.get("wikidata_id"), names.get("fr"), names.get("es")
    if iso3 in SUPPLEMENTS and not (wikidata or fr or es):
        wikidata, fr, es = SUPPLEMENTS[iso3]
        yield (
            s,
            RDFS.comment,
            text_literal(
                f"Correction to internacia-db: the country file has no Wikidata item and "
                f"no French or Spanish name; {wikidata}, {fr!r} and {es!r} were added."
            ),
        )
        ctx.report.note(f"corrected: {iso3} Wikidata {wikidata} and fr/es names added, because its file has none")
        ctx.report.count("corrections")
    label = state_label(doc)
    yield s, RDFS.label, Literal(label, lang="en")
    for other in dict.fromkeys((doc.get("name"), doc.get("official_name"), names.get("en"))):
        if other and other != label:
            yield s, SKOS.altLabel, Literal(other, lang="en")
    if iso3 in LABELS:
        for lang, upstream, un_name in (("fr", fr, LABELS[iso3][1]), ("es", es, LABELS[iso3][2])):
            if upstream and upstream != un_name:
                yield s, SKOS.altLabel, Literal(upstream, lang=lang)
        fr, es = LABELS[iso3][1:]
    if fr:
        yield s, RDFS.label, Literal(fr, lang="fr")
    if es:
        yield s, RDFS.label, Literal(es, lang="es")
    if iso3 in NOT_ISO:
        yield s, RDFS.comment, text_literal(f"No ISO 3166-1 code: {NOT_ISO[iso3]}.")
    else:
        yield s, HRES.iso3166Alpha2, Literal(iso2)
        yield s, HRES.iso3166Alpha3, Literal(iso3)
    if doc.get("m49_code") and iso3 not in NOT_M49:
        yield s, HRES.m49Code, Literal(str(doc["m49_code"]).zfill(3))
    if wikidata:
        yield s, SKOS.exactMatch, WD[str(wikidata)]
    yield s, HRES.unMember, Literal(un_member)


def _org_triples(block: Block) -> Iterator[tuple]:
    o = organisation(org_slug(block.id))
    yield o, RDF.type, HRES.IntergovernmentalOrganisation
    yield o, RDFS.label, Literal(block.label, lang="en")
    if org_slug(block.id) in SHARED_ORGS:
        return  # described in ontology/reference/mechanisms.ttl: only type and label here
    yield o, SKOS.notation, Literal(block.id)
    if block.wikidata:
        yield o, SKOS.exactMatch, WD[block.wikidata]
    if block.comment:
        yield o, RDFS.comment, text_literal(block.comment)


# un_member flags that are wrong upstream (read_states corrects them from the UN block and reports it).
UN_FLAG_ERRORS = {"GNB"}


def un_member(doc: dict) -> bool:
    """UN membership from a country file alone (for importers that only have the resolver's country data)."""
    return bool(doc.get("un_member")) != (doc.get("iso3code") in UN_FLAG_ERRORS)


def state_label(doc: dict) -> str:
    """The English name we show for a country file: the UN name where it differs, else the common English name."""
    if doc.get("iso3code") in LABELS:
        return LABELS[doc["iso3code"]][0]
    names = {n.get("id"): n.get("name") for n in doc.get("other_names") or []}
    return names.get("en") or doc["name"]


def _files(path: Path) -> tuple[list[Path], list[Path]]:
    if path.is_file():
        return [path], []
    if (path / "countries").is_dir():
        countries, blocks = sorted((path / "countries").glob("*.yaml")), sorted((path / "intblocks").glob("*.yaml"))
    else:
        countries, blocks = sorted(path.glob("*.yaml")), []
    if not countries:
        raise SourceFormatError(
            path, "no country files (*.yaml) found", hint="point the 'states' source at the internacia-states folder"
        )
    return countries, blocks


def _require(doc: dict, path: Path, key: str) -> str:
    value = doc.get(key)
    if not value or not isinstance(value, str):
        raise SourceFormatError(
            path,
            f"key {key!r} is missing or empty",
            column=key,
            hint="every country file needs 'code' (ISO alpha-2), 'iso3code' and 'name'",
        )
    return value


SOURCE = Source(
    id="states",
    title="States, UN membership, UN regional groups and intergovernmental organisations (internacia-db)",
    read=read_states,
    default_path="raw/internacia-states",
    license="MIT",
    upstream="https://github.com/datenoio/internacia-db",
)
