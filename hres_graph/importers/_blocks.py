"""internacia-db block files (`intblocks/<category>_<ID>.yaml`) and the corrections we apply to them.

Private helper of importers.states (and of importers.nmirf, which cross-checks regional groups).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import SourceFormatError
from .base import ImportReport

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader when libyaml is present: 10x faster

# UN regional-group blocks -> concept slugs of the un-regional-group scheme.
GROUPS = {
    "AFRICANGROUP": "african",
    "ASIAPACIFICGROUP": "asia-pacific",
    "EEG": "eastern-european",
    "GRULAC": "grulac",
    "WEOG": "weog",
}
# Block id -> organisation slug (id/org/<slug>); other blocks use their lower-cased id.
ORG_SLUGS = {"OSCEPA": "osce-pa", "ECHR": "ecthr-parties"}
# Organisations also described in ontology/reference/mechanisms.ttl: we emit only their type and label.
SHARED_ORGS = {"un", "eu", "osce", "oas", "au", "commonwealth", "ecowas", "sadc", "coe"}
ORG_LABELS = {
    "OIC": "Organisation of Islamic Cooperation",  # upstream still has the pre-2011 name "... Islamic Conference"
    "ASEAN": "Association of Southeast Asian Nations",
    "ECHR": "States parties under the jurisdiction of the European Court of Human Rights",
}
ORG_COMMENTS = {
    "ECHR": "The States parties to the European Convention on Human Rights, under the jurisdiction of the "
    "European Court of Human Rights (internacia-db block court/ECHR); not an organisation of its own.",
    "CARICOM": "The internacia-db membership list mixes full members with associate members (British overseas "
    "territories, Curaçao) without distinguishing them; memberOf is recorded as listed.",
}
# Memberships listed upstream that are wrong: (block id, ISO alpha-2) -> why we drop them.
DROPPED = {
    ("ASIAPACIFICGROUP", "AM"): "Armenia belongs to the Eastern European Group only (listed in both upstream)",
    ("ASIAPACIFICGROUP", "AZ"): "Azerbaijan belongs to the Eastern European Group only (listed in both upstream)",
    ("ASIAPACIFICGROUP", "AU"): "Australia belongs to the Western European and Others Group only "
    "(listed in both upstream)",
    ("ASIAPACIFICGROUP", "NZ"): "New Zealand belongs to the Western European and Others Group only "
    "(listed in both upstream)",
    ("COE", "RU"): "the Russian Federation was expelled from the Council of Europe on 16 March 2022",
    ("ECOWAS", "ML"): "Mali's withdrawal from ECOWAS took effect on 29 January 2025",
    ("ECOWAS", "BF"): "Burkina Faso's withdrawal from ECOWAS took effect on 29 January 2025",
    ("ECOWAS", "NE"): "Niger's withdrawal from ECOWAS took effect on 29 January 2025",
}


@dataclass
class Block:
    id: str
    label: str
    path: Path
    members: list[str] = field(default_factory=list)  # ISO alpha-2 codes, as listed
    wikidata: str | None = None
    comment: str | None = None


def org_slug(block_id: str) -> str:
    return ORG_SLUGS.get(block_id, block_id.lower())


def load_yaml(path: Path) -> dict:
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except UnicodeDecodeError as exc:
        raise SourceFormatError(
            path, f"byte {exc.object[exc.start]:#04x} is not valid UTF-8", hint="save the file as UTF-8"
        ) from exc
    except yaml.YAMLError as exc:
        mark, context = getattr(exc, "problem_mark", None), getattr(exc, "context", None)
        problem = f"invalid YAML: {getattr(exc, 'problem', None) or exc}"
        if context and getattr(exc, "context_mark", None):
            problem += f" ({context}, which starts at line {exc.context_mark.line + 1})"
        raise SourceFormatError(
            path,
            problem,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
            hint="fix the indentation or quoting at that line",
        ) from exc
    if not isinstance(doc, dict):
        raise SourceFormatError(path, "expected a YAML mapping (key: value lines) at the top level", line=1)
    return doc


def read_blocks(files: list[Path]) -> list[Block]:
    blocks = []
    for path in files:
        doc = load_yaml(path)
        block_id = doc.get("id")
        if not block_id or not isinstance(doc.get("includes"), list):
            raise SourceFormatError(
                path, "a block file needs 'id' and a list 'includes'", hint="is this an internacia-db intblocks file?"
            )
        members = []
        for n, item in enumerate(doc["includes"], 1):
            if not isinstance(item, dict) or not item.get("id"):
                raise SourceFormatError(path, f"entry {n} of 'includes' has no 'id' (ISO alpha-2 code)")
            if item.get("type", "country") == "country" and item.get("status", "member") == "member":
                members.append(str(item["id"]))
        names = {n.get("id"): n.get("name") for n in doc.get("other_names") or [] if isinstance(n, dict)}
        label = ORG_LABELS.get(block_id) or names.get("en") or doc.get("name") or block_id
        # The ECHR block's Wikidata item is the Court, not the set of States under its jurisdiction.
        wikidata = None if block_id == "ECHR" else doc.get("wikidata_id")
        blocks.append(Block(block_id, label, path, members, wikidata, ORG_COMMENTS.get(block_id)))
    return blocks


def corrected_memberships(
    blocks: list[Block], report: ImportReport | None = None
) -> tuple[dict[str, set[str]], dict[str, list[str]]]:
    """Members per block after DROPPED, and the correction comments per ISO alpha-2 code."""
    members = {b.id: set(b.members) for b in blocks}
    labels = {b.id: b.label for b in blocks}
    comments: dict[str, list[str]] = {}
    for (block_id, iso2), reason in DROPPED.items():
        if block_id not in members:
            continue
        if iso2 not in members[block_id]:
            if report:
                report.note(f"correction no longer needed: {iso2} is not listed in {block_id} any more")
            continue
        members[block_id].discard(iso2)
        comments.setdefault(iso2, []).append(
            f"not recorded as a member of the {labels[block_id]} although internacia-db lists it, because {reason}."
        )
        if report:
            report.note(f"corrected: {iso2} removed from {block_id}, because {reason}")
            report.count("corrections")
    return members, comments


def regional_groups(intblocks: Path) -> dict[str, str]:
    """ISO alpha-2 -> UN regional-group slug, after corrections (for cross-checks by other importers)."""
    blocks = read_blocks(sorted(p for p in intblocks.glob("unregionalblocks_*.yaml")))
    members, _ = corrected_memberships(blocks)
    return {iso2: GROUPS[b] for b, codes in members.items() if b in GROUPS for iso2 in codes}
