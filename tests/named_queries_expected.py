"""Expected answers of the named queries, computed independently from the raw files of ../shared/data.

Plain Python and csv (xlrd for the OHCHR .xls sheets, yaml for the internacia files): no SPARQL, no
rdflib, none of the project's importers. Where a query needs facts the project curates (which provisions
ground which electoral right, the keyword table of the rights), they are read from the shipped files
(ontology/vocab/rights.ttl, ontology/reference/instruments.ttl, the .rq keyword table) and the joins are
done here. tests/test_named_queries.py compares these answers with the queries' results on the real build.

Encodings follow each folder's PROVENANCE.md: the UPR Info export is Mac Roman with CR line ends, the
working-group parse is legacy 8-bit Mac Roman with mixed line ends, the rest is UTF-8.
"""

from __future__ import annotations

import csv
import html
import json
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

import yaml

from tests import upr_exports_expected as upr_exports

ROOT = Path(__file__).resolve().parent.parent
ID = "https://w3id.org/hres/id/"
VOCAB = "https://w3id.org/hres/vocab/"


def state_iri(iso3: str) -> str:
    return f"{ID}state/{iso3}"


# --- States --------------------------------------------------------------------------------------


def name_keys(name: str) -> tuple[str, str]:
    """Two keys, case, '&', a leading 'the', punctuation and spaces ignored: accents folded ('Côte' is
    'cote'), and every non-ASCII character dropped, which also drops the debris of the re-encoded
    working-group parse ('C\u2122te d\u00d5Ivoire' and 'Côte d'Ivoire' are both 'ctedivoire')."""
    text = re.sub(r"^the\s+", "", html.unescape(name).strip(), flags=re.I).replace("&", " and ").replace("'", "")
    folded = unicodedata.normalize("NFKD", re.sub(r"[\u2019\u00d5\u00cd\ufffd]", "", text))
    return (
        "".join(re.findall(r"[a-z]+", folded.encode("ascii", "ignore").decode().lower())),
        "".join(re.findall(r"[a-z]+", re.sub(r"[^\x00-\x7f]", "", text).lower())),
    )


# Spellings in the sources that the internacia name fields do not carry, written for this test
# from the rows that did not resolve (one per line; ISO 3166-1 alpha-3).
SPELLINGS = {
    "Bolivia": "BOL",
    "Bosnia & Herzegovina": "BIH",
    "Brunei Darussalam": "BRN",
    "Cape Verde": "CPV",
    "Congo": "COG",
    "Democratic Republic of Congo": "COD",
    "DR Congo": "COD",
    "Czech Republic": "CZE",
    "Czechia": "CZE",
    "DPR Korea": "PRK",
    "Republic of Korea": "KOR",
    "South Korea": "KOR",
    "North Korea": "PRK",
    "Brunei": "BRN",
    "Iran": "IRN",
    "Laos": "LAO",
    "Macedonia": "MKD",
    "Micronesia": "FSM",
    "Moldova": "MDA",
    "Palestine": "PSE",
    "State of Palestine": "PSE",
    "Holy See": "VAT",
    "Russia": "RUS",
    "Russian Federation": "RUS",
    "Syria": "SYR",
    "Tanzania": "TZA",
    "United States": "USA",
    "United Kingdom": "GBR",
    "Venezuela": "VEN",
    "Viet Nam": "VNM",
    "Swaziland": "SWZ",
    "Turkey": "TUR",
    "Kyrgyzstan": "KGZ",
    "Saint Kitts and Nevis": "KNA",
    "Saint Lucia": "LCA",
    "Gambia": "GMB",
    "Saint Vincent and the Grenadines": "VCT",
    "Sao Tome and Principe": "STP",
    "Timor Leste": "TLS",
    "Cabo Verde": "CPV",
    "Eswatini": "SWZ",
    "North Macedonia": "MKD",
    "Türkiye": "TUR",
    "United Kingdom of Great Britain and Northern Ireland": "GBR",
    "United States of America": "USA",
    "The former Yugoslav Republic of Macedonia": "MKD",
    "Lao People's Democratic Republic": "LAO",
    "Democratic People's Republic of Korea": "PRK",
    "Democratic Republic of the Congo": "COD",
    "United Republic of Tanzania": "TZA",
    "Syrian Arab Republic": "SYR",
    "Republic of Moldova": "MDA",
    "East Timor": "TLS",
    "Cote d'Ivoire": "CIV",
    "Côte d'Ivoire": "CIV",
    "Libyan Arab Jamahiriya": "LBY",
    "Libya": "LBY",
    "Union of Myanmar": "MMR",
    "Federation of Saint Kitts and Nevis": "KNA",
    "Occupied Palestinian Territories": "PSE",
    "Republic of Bostwana": "BWA",
    "Republic of Iceland": "ISL",
    "Republic of Kiribati": "KIR",
    "Republic of Maldives": "MDV",
    "Republic of Congo": "COG",
    "Yemen": "YEM",
    "Egypt": "EGY",
    "Myanmar": "MMR",
    "Slovakia": "SVK",
    "Bahamas": "BHS",
    # misspelt States under review of the working-group parse (2008: the Republic of Korea, session 2)
    "kyrgysztan": "KGZ",
    "Centeral African Republic": "CAF",
    "Korea": "KOR",
}


@dataclass
class States:
    iso3: dict[str, str]  # ISO alpha-2 -> alpha-3
    names: dict[str, str]  # name key -> alpha-3
    un_members: set[str]  # alpha-3
    groups: dict[str, set[str]]  # alpha-3 -> UN regional group slugs
    labels: dict[str, str] = field(default_factory=dict)  # alpha-3 -> English name (the file's "en" name)

    def resolve(self, name: str) -> str | None:
        """By name; then without a UN-style qualifier: 'Bolivia (Plurinational State of)' is Bolivia."""
        for candidate in (name, re.sub(r"\s*\(.*?\)", "", name)):
            for key in name_keys(candidate):
                if key in self.names:
                    return self.names[key]
        return None


GROUP_BLOCKS = {
    "AFRICANGROUP": "african",
    "ASIAPACIFICGROUP": "asia-pacific",
    "EEG": "eastern-european",
    "GRULAC": "grulac",
    "WEOG": "weog",
}
# internacia-states/PROVENANCE.md: "Fix AM/AZ -> EEG only and AU/NZ -> WEOG only".
GROUP_FIXES = {"ARM": "eastern-european", "AZE": "eastern-european", "AUS": "weog", "NZL": "weog"}


@lru_cache(maxsize=2)
def states(data_root: Path) -> States:
    folder = data_root / "raw" / "internacia-states"
    iso3, names, labels = {}, {}, {}
    for path in sorted((folder / "countries").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        iso3[doc["code"]] = doc["iso3code"]
        english = [n["name"] for n in doc.get("other_names") or () if n.get("id") == "en"]
        labels[doc["iso3code"]] = english[0] if english else doc["name"]
        for name in (doc["name"], doc.get("official_name"), doc["iso3code"]):
            for key in name_keys(name) if name else ():
                names.setdefault(key, doc["iso3code"])
    for name, code in SPELLINGS.items():
        names.update(dict.fromkeys(name_keys(name), code))

    def members(block: str) -> set[str]:
        doc = yaml.safe_load((folder / "intblocks" / f"{block}.yaml").read_text(encoding="utf-8"))
        return {iso3[item["id"]] for item in doc["includes"]}

    groups: dict[str, set[str]] = defaultdict(set)
    for block, slug in GROUP_BLOCKS.items():
        for code in members(f"unregionalblocks_{block}"):
            groups[code].add(slug)
    for code, slug in GROUP_FIXES.items():
        groups[code] = {slug}
    # the UN block is the membership list (PROVENANCE: Guinea-Bissau's country file says otherwise)
    return States(iso3, names, members("political_UN"), dict(groups), labels)


# --- UPR Info export of 2015 (sessions 1-20) --------------------------------------------------------------


def cycle_of(session: int) -> int:
    # PROVENANCE: sessions 1-12 cycle 1, 13-26 cycle 2, 27-40 cycle 3 (upr-info-export-2018)
    return 1 if session <= 12 else 2 if session <= 26 else 3


# PROVENANCE: 1-3: 2008, 4-6: 2009, 7-9: 2010, 10-12: 2011, 13-14: 2012, 15-17: 2013, 18-20: 2014;
# nmirf-urg-cehdi/upr_sessions.csv: 21-23: 2015, 24-26: 2016, 27-28: 2017
def year_of(session: int) -> int:
    return next(
        year
        for last, year in (
            (3, 2008),
            (6, 2009),
            (9, 2010),
            (12, 2011),
            (14, 2012),
            (17, 2013),
            (20, 2014),
            (23, 2015),
            (26, 2016),
            (28, 2017),
        )
        if session <= last
    )


def issue_slug(tag: str) -> str:
    """The IRI slug of a UPR Info issue: 'Women's rights' -> womens-rights (checked against the store)."""
    text = unicodedata.normalize("NFKD", tag).encode("ascii", "ignore").decode().lower().replace("'", "")
    return "-".join(re.findall(r"[a-z0-9]+", text))


@dataclass(frozen=True)
class UprRow:
    line: int  # row number in its file (duplicate rows are distinct records)
    file: str
    sur: str | None
    recommender: str | None  # None for '(Unknown)' and for voluntary pledges
    text: str
    response: str  # Accepted, Noted, Voluntary Pledge
    action: str
    issues: tuple[str, ...]
    session: int

    @property
    def pledge(self) -> bool:
        return self.response == "Voluntary Pledge"

    @property
    def cycle(self) -> int:
        return cycle_of(self.session)

    @property
    def year(self) -> int:
        return year_of(self.session)

    @property
    def key(self) -> tuple:
        return (self.file, self.line)


@lru_cache(maxsize=2)
def upr_rows(data_root: Path) -> tuple[UprRow, ...]:
    s = states(data_root)
    rows = []
    for path in sorted((data_root / "raw" / "upr-info-terman" / "upr-info-export").glob("*.csv")):
        with open(path, encoding="mac_roman", newline="") as handle:
            for number, row in enumerate(csv.DictReader(handle), 2):
                sender = html.unescape(row["From"]).strip()
                pledge = row["Response"].strip() == "Voluntary Pledge"
                rows.append(
                    UprRow(
                        number,
                        path.name,
                        s.resolve(row["To"]),
                        None if pledge or sender == "(Unknown)" else s.resolve(sender),
                        row["Text"],
                        row["Response"].strip(),
                        row["Action"].strip(),
                        tuple(t.strip() for t in row["Issue"].split(",") if t.strip()),
                        int(row["Session"]),
                    )
                )
    return tuple(rows)


def recommendations(data_root: Path) -> list[UprRow]:
    return [r for r in upr_rows(data_root) if not r.pledge]


def unresolved_names(data_root: Path) -> set[str]:
    """Names of the export that this module cannot resolve (the test requires none besides '(Unknown)')."""
    s = states(data_root)
    out = set()
    for path in sorted((data_root / "raw" / "upr-info-terman" / "upr-info-export").glob("*.csv")):
        with open(path, encoding="mac_roman", newline="") as handle:
            for row in csv.DictReader(handle):
                for name in (row["To"], html.unescape(row["From"]).strip()):
                    if name != "(Unknown)" and not s.resolve(name):
                        out.add(name)
    return out


# --- the UPR Info queries ----------------------------------------------------------------------------


def pct(part: int, whole: int, digits: int) -> float:
    """ROUND(10^digits * part / whole) / 10^digits, SPARQL's ROUND (half away from zero)."""
    from decimal import ROUND_HALF_UP, Decimal

    scaled = (Decimal(part) * 100 * 10**digits / Decimal(whole)).quantize(Decimal(1), ROUND_HALF_UP)
    return float(scaled / 10**digits)


def themed(data_root: Path, theme: str, cycle: int | None = None) -> list[UprRow]:
    return [
        r
        for r in recommendations(data_root)
        if any(issue_slug(t) == theme for t in r.issues) and (cycle is None or r.cycle == cycle)
    ]


# --- both UPR Info exports merged (every query above and below that reads both graphs) -----------------------


@dataclass(frozen=True)
class Merged:
    """One recommendation of the two exports: a 2018 row (with the 2015 record it is, when the matching of
    tests/upr_exports_expected.py pairs them), or a 2015 record the 2018 export lacks."""

    sur: str | None
    recommender: str | None  # None for '(Unknown)'
    session: int
    response: str  # supported | noted: the 2018 export's where it has the record
    issues: frozenset[str]  # issue slugs tagged by either export
    text: str = ""  # as written: the 2018 export's where it has the record
    action: str = ""  # action category 1-5: the 2018 export's where it has the record
    key: tuple | None = None  # the 2015 record's (file, line), the key of reported_implemented; None if 2018 only

    @property
    def cycle(self) -> int:
        return cycle_of(self.session)

    @property
    def year(self) -> int:
        return year_of(self.session)


@lru_cache(maxsize=2)
def merged_recommendations(data_root: Path) -> tuple[Merged, ...]:
    """The recommendations of both exports, each once (no voluntary pledges: the 2018 export has none)."""
    s = states(data_root)

    def sender(name: str) -> str | None:
        return None if name == "(Unknown)" else s.resolve(name)

    def slugs(*rows: upr_exports.ExportRow) -> frozenset[str]:
        return frozenset(issue_slug(t) for r in rows for t in r.issues)

    matching = upr_exports.match(data_root, s.resolve)
    partner = {id(new): old for new, old in matching.pairs}
    out = [
        Merged(
            s.resolve(r.sur),
            sender(r.sender),
            int(r.session),
            {"Supported": "supported", "Noted": "noted"}[r.response.strip()],
            slugs(r, partner[id(r)]) if id(r) in partner else slugs(r),
            r.text,
            r.action.strip(),
            (partner[id(r)].file, partner[id(r)].line) if id(r) in partner else None,
        )
        for r in upr_exports.rows_2018(data_root)
    ]
    paired = {id(old) for old in partner.values()}
    out += [
        Merged(
            s.resolve(r.sur),
            sender(r.sender),
            int(r.session),
            RESPONSES[r.response.strip()],
            slugs(r),
            r.text,
            r.action.strip(),
            (r.file, r.line),
        )
        for r in upr_exports.rows_2015(data_root)
        if id(r) not in paired
    ]
    return tuple(out)


def merged_in(
    data_root: Path,
    cycle: int | None = None,
    from_session: int | None = None,
    to_session: int | None = None,
    theme: str | None = None,
) -> list[Merged]:
    return [
        r
        for r in merged_recommendations(data_root)
        if (cycle is None or r.cycle == cycle)
        and (from_session is None or r.session >= from_session)
        and (to_session is None or r.session <= to_session)
        and (theme is None or theme in r.issues)
    ]


RESPONSES = {"Accepted": "supported", "Noted": "noted"}


def theme_share(data_root: Path, theme: str, cycle: int | None = None, from_session=None, to_session=None) -> dict:
    every = merged_in(data_root, cycle, from_session, to_session)
    rows = [r for r in every if theme in r.issues]
    supported = sum(r.response == "supported" for r in rows)
    return {
        "recommendations": len(every),
        "themed": len(rows),
        "sharePercent": pct(len(rows), len(every), 2),
        "supported": supported,
        "supportedPercent": pct(supported, len(rows), 1) if rows else 0.0,
    }


def theme_recommendations(
    data_root: Path, theme: str, state: str | None = None, cycle: int | None = None, from_session=None, to_session=None
) -> Counter:
    """(State IRI, cycle, response slug) -> recommendations."""
    return Counter(
        (state_iri(r.sur), r.cycle, r.response)
        for r in merged_in(data_root, cycle, from_session, to_session, theme)
        if r.sur and (state is None or r.sur == state)
    )


def regional_flows(data_root: Path, theme: str | None = None, from_session=None, to_session=None) -> Counter:
    """(from group, to group) -> recommendations, both States in a group."""
    groups = states(data_root).groups
    flows: Counter = Counter()
    for r in merged_in(data_root, None, from_session, to_session, theme):
        for a in groups.get(r.recommender or "", ()):
            for b in groups.get(r.sur or "", ()):
                flows[(a, b)] += 1
    return flows


def regional_flow_shares(
    data_root: Path, theme: str, from_session=None, to_session=None
) -> dict[tuple[str, str], tuple[int, float, float, float]]:
    """(from, to) -> (recommendations, sharePercent, fromGroupSharePercent, toGroupSharePercent)."""
    flows = regional_flows(data_root, theme, from_session, to_session)
    total = sum(flows.values())
    by_from, by_to = Counter(), Counter()
    for (a, b), n in flows.items():
        by_from[a] += n
        by_to[b] += n
    return {
        (a, b): (n, pct(n, total, 1), pct(by_from[a], total, 1), pct(by_to[b], total, 1)) for (a, b), n in flows.items()
    }


def low_specificity(data_root: Path, cycle: int | None = None) -> dict[str, tuple[int, int, float]]:
    """Recommending State IRI -> (recommendations, in action categories 1-2, share in per cent), both exports
    merged (the 2018 export's action category where it has the record)."""
    every, low = Counter(), Counter()
    for r in merged_in(data_root, cycle):
        if r.recommender and r.action:
            every[r.recommender] += 1
            low[r.recommender] += r.action in ("1", "2")
    return {state_iri(k): (n, low[k], pct(low[k], n, 1)) for k, n in every.items()}


# --- ratification -------------------------------------------------------------------------------

# ratification-status-wpdl/PROVENANCE.md: file -> instrument (the slugs of ontology/reference/instruments.ttl)
WPDL_FILES = {
    "icerd": "icerd",
    "iccpr": "iccpr",
    "icescr": "icescr",
    "cedaw": "cedaw",
    "cat": "cat",
    "crc": "crc",
    "icmw": "icmw",
    "cped": "cped",
    "crpd": "crpd",
    "icescr_op": "icescr-op",
    "iccpr_op1": "iccpr-op1",
    "iccpr_op2": "iccpr-op2",
    "op_cedaw": "cedaw-op",
    "op_crc_ac": "crc-opac",
    "op_crc_sc": "crc-opsc",
    "op_crc_ic": "crc-opic",
    "opcat": "opcat",
    "op_crpd": "crpd-op",
}
# The OHCHR sheets (ohchr-ratification-9-core-2020/, ohchr-ratification-exports/) are read by plain xlrd in
# tests/importers/ratification_raw.py: the communications column of ICCPR, ICESCR, CEDAW, CRC and CRPD dates consent
# to their optional protocol; the sheets date no signature of a protocol.
WPDL_AS_OF = date(2022, 6, 13)  # ratification-status-wpdl/PROVENANCE.md: files last changed 2022-06-13


@dataclass
class Ratification:
    consent: set[tuple[str, str]] = field(default_factory=set)  # (ISO3, instrument slug), current status
    signed: set[tuple[str, str]] = field(default_factory=set)
    signature_dates: dict[tuple[str, str], set[date]] = field(default_factory=dict)


@lru_cache(maxsize=2)
def ratification(data_root: Path) -> Ratification:
    """The current status by the newest-source rule (queries/derived/current-participation.rq): for each State,
    instrument and kind of act (consent, signature), the newest table that lists the State and records that kind
    decides. Tables: the wpdl file of each instrument (mid-2022: consent; signature of non-parties) and each OHCHR
    sheet (its "Last Updated" date: consent and signature of its treaty, consent only to its protocol)."""
    from tests.importers.ratification_raw import sheet_acts

    s = states(data_root)
    tables = []  # (as of, {(ISO3, slug, mode): date | None}, {slug: listed States}, modes)
    wpdl_acts, wpdl_listed = {}, {}
    for stem, slug in WPDL_FILES.items():
        path = data_root / "raw" / "ratification-status-wpdl" / f"hr_status_{stem}.csv"
        wpdl_listed[slug] = set()
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                # East Timor still has its old ISO code TP there: the name decides when the code is unknown
                code = s.iso3.get(row["iso2"].strip()) or s.resolve(row["member"])
                wpdl_listed[slug].add(code)
                if row["status"].strip() == "state party":
                    wpdl_acts[(code, slug, "consent")] = None
                elif row["status"].strip() == "signatory state":
                    wpdl_acts[(code, slug, "signature")] = None
    tables.append((WPDL_AS_OF, wpdl_acts, wpdl_listed, lambda slug: ("signature", "consent")))
    dated_signatures = defaultdict(set)
    for folder in ("ohchr-ratification-9-core-2020", "ohchr-ratification-exports"):
        acts, stamps, listed, modes = sheet_acts(data_root / "raw" / folder, s.resolve)
        for slug in listed:
            tables.append((stamps[slug], {a[:3]: a[3] for a in acts if a[1] == slug}, {slug: listed[slug]}, modes.get))
        for code, slug, mode, when in acts:
            if mode == "signature":
                dated_signatures[(code, slug)].add(when)
    newest = {}
    for as_of, _, listed, modes in tables:
        for slug, codes in listed.items():
            for code in codes:
                for mode in ("consent", "signature"):
                    if mode in modes(slug):
                        newest[(code, slug, mode)] = max(as_of, newest.get((code, slug, mode), as_of))
    out = Ratification()
    for as_of, acts, _, _ in tables:
        for (code, slug, mode), when in acts.items():
            if mode not in ("consent", "signature") or newest[(code, slug, mode)] != as_of:
                continue
            if mode == "consent":
                out.consent.add((code, slug))
            else:
                out.signed.add((code, slug))
                # an undated signature is the same act as every dated record of it (hres:sameActAs)
                out.signature_dates[(code, slug)] = {when} if when else dated_signatures.get((code, slug), set())
    return out


def instruments_not_ratified(data_root: Path, state: str | None = None) -> set[tuple]:
    """(State IRI, instrument IRI, 'signed' | 'no action', signature date or None) for UN members."""
    r = ratification(data_root)
    out = set()
    for code in states(data_root).un_members:
        if state and code != state:
            continue
        for slug in WPDL_FILES.values():
            if (code, slug) not in r.consent:
                for when in r.signature_dates.get((code, slug)) or {None}:
                    out.add(
                        (
                            state_iri(code),
                            f"{ID}instrument/{slug}",
                            "signed" if (code, slug) in r.signed else "no action",
                            when,
                        )
                    )
    return out


# --- facts the project curates, read from the shipped Turtle (canonical layout: one block per subject) ----


@lru_cache(maxsize=1)
def reference_blocks() -> dict[str, str]:
    """Subject IRI -> its block of Turtle, from ontology/reference/instruments.ttl and ontology/vocab/rights.ttl."""
    out = {}
    for path in (ROOT / "ontology" / "reference" / "instruments.ttl", ROOT / "ontology" / "vocab" / "rights.ttl"):
        text = path.read_text(encoding="utf-8")
        prefixes = dict(re.findall(r"@prefix\s+(\w*):\s*<([^>]+)>", text))
        for block in re.split(r"\n\s*\n", text):
            match = re.match(r"\s*(<[^>]+>|\w+:[\w/.-]+)\s", block)
            if match and not block.lstrip().startswith("@"):
                out[expand(match.group(1), prefixes)] = (block, prefixes)
    return out


def expand(term: str, prefixes: dict[str, str]) -> str:
    if term.startswith("<"):
        return term[1:-1]
    prefix, local = term.split(":", 1)
    return prefixes[prefix] + local


def instrument_names(slug: str) -> tuple[str, list[str]]:
    """(English title, notations) of an instrument."""
    block, _ = reference_blocks()[f"{ID}instrument/{slug}"]
    title = re.search(r'rdfs:label[^;]*?"([^"]+)"@en', block, re.S).group(1)
    notations = re.search(r"skos:notation\s+([^;]+?)\s*[;.]\s*\n", block).group(1)
    return title, re.findall(r'"([^"]+)"', notations)


def grounds(data_root: Path | None = None) -> dict[str, set[str]]:
    """Provision IRI -> the right IRIs it grounds (hres:groundsRight)."""
    out = {}
    for subject, (block, prefixes) in reference_blocks().items():
        match = re.search(r"hres:groundsRight\s+([^;.]+?)\s*[;.]\s*(\n|$)", block)
        if match:
            out[subject] = {expand(t.strip(), prefixes) for t in match.group(1).split(",")}
    return out


def rights() -> dict[str, str]:
    """Right IRI -> English label (the concepts of vocab:rights)."""
    return {
        s: re.search(r'rdfs:label[^;]*?"([^"]+)"@en', b, re.S).group(1)
        for s, (b, _) in reference_blocks().items()
        if "/vocab/rights/" in s and "skos:Concept" in b
    }


# --- states not party, and what the UPR asked them -----------------------------------------------------

RATIFY = re.compile(
    r"ratif|accede|accession|adhere|adhesion|become (a )?part(y|ies)|(^|[^a-z])sign(s|ed|ing|ature)?"
    r"([^a-z]|$)",
    re.I,
)


def states_not_party(data_root: Path, slug: str) -> Counter:
    """(State IRI, signed, session, recommending State IRI, response slug) -> rows; the recommendation
    columns are None for a State that received no such recommendation."""
    r = ratification(data_root)
    title, notations = instrument_names(slug)
    name = re.sub(r"^International ", "", title).lower()
    by_notation = re.compile(rf"(^|[^A-Za-z-])({'|'.join(map(re.escape, notations))})([^A-Za-z-]|$)")
    parties = {code for code, s in r.consent if s == slug}
    out: Counter = Counter()
    asked = defaultdict(list)
    for rec in recommendations(data_root):
        if rec.sur and RATIFY.search(rec.text) and (name in rec.text.lower() or by_notation.search(rec.text)):
            asked[rec.sur].append(rec)
    for code in states(data_root).un_members - parties:
        signed = (code, slug) in r.signed
        for rec in asked.get(code, ()):
            out[
                (
                    state_iri(code),
                    signed,
                    rec.session,
                    rec.recommender and state_iri(rec.recommender),
                    RESPONSES[rec.response],
                )
            ] += 1
        if code not in asked:
            out[(state_iri(code), signed, None, None, None)] += 1
    return out


# --- "implemented" in the working-group reports, matched to UPR Info records ---------------------------


def words(text: str) -> str:
    """The matching key of a text: ASCII letters and digits only (apostrophes and re-encoding debris go)."""
    return " ".join(re.findall(r"[a-z0-9]+", re.sub(r"[^\x00-\x7f]|'", "", text).lower()))


def _wg_lines(path: Path) -> list[dict]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("mac_roman")
    reader = csv.reader(io_lines(text))
    header = [h.strip().lstrip("\ufeff").lower() for h in next(reader)]
    return [dict(zip(header, row)) for row in reader if any(v.strip() for v in row)]


def io_lines(text: str):
    import io

    return io.StringIO(text.replace("\r\n", "\n").replace("\r", "\n"), newline="")


def _trailing_states(text: str, resolve) -> tuple[str, list[str]]:
    """'Ratify CRPD (Canada);' -> ('Ratify CRPD', ['CAN']): peel trailing '(State[, State and State])' groups."""
    codes: list[str] = []
    rest = text
    while True:
        rest = re.sub(r"\)\s*\d{1,2}$", ")", rest.rstrip(' ;,.:"\u201d'))
        match = re.search(r"\(([^()]*(?:\([^()]*\)[^()]*)*)\)$", rest)
        if not match and rest.endswith(")") and rest.count(")") > rest.count("("):
            rest = rest[:-1]  # debris: '(United States of America). );'
            continue
        if not match:
            return rest, codes
        found = [resolve(match.group(1))] if resolve(match.group(1)) else []
        for part in [] if found else re.split(r"[,;/]", match.group(1)):
            part = re.sub(r"^\s*(and\s+)?(the\s+)?", "", part, flags=re.I).strip()
            found += [resolve(part)] if resolve(part) else [resolve(p) for p in re.split(r"\s+and\s+", part)]
        if not found or not all(found):
            return rest, codes
        codes = found + codes
        rest = rest[: match.start()]


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


@lru_cache(maxsize=2)
def reported_implemented(data_root: Path) -> dict[tuple, int]:
    """UPR Info record key -> the earliest year of a working-group report row 'implemented' matched to it.

    The same review (State under review, the session held in the report's year or the year before) and the
    same recommending State; the same words, else the best token-set Jaccard >= 0.8."""
    s = states(data_root)
    blocks: dict[tuple, list[tuple[tuple, str]]] = defaultdict(list)
    sessions: dict[tuple[str, int], set[int]] = defaultdict(set)
    for r in recommendations(data_root):
        if r.sur:
            sessions[(r.sur, r.year)].add(r.session)
            if r.recommender:
                blocks[(r.sur, r.session, r.recommender)].append((r.key, words(r.text)))
    out: dict[tuple, int] = {}
    for path in sorted((data_root / "raw" / "upr-info-terman" / "wg-report-parse").glob("*.csv")):
        for row in _wg_lines(path):
            if row["decision"].strip().lower() != "implemented":
                continue
            year, sur = int(row["year"]), s.resolve(row["to"])
            session = next(
                (
                    next(iter(found))
                    for found in (sessions.get((sur, year)), sessions.get((sur, year - 1)))
                    if found and len(found) == 1
                ),
                None,
            )
            text = re.sub(r"^\s*\d+(\.+\d+)*\.?[\s,.]*", "", " ".join(row["text"].split()))
            body, named = _trailing_states(text, s.resolve)
            sender = " ".join(row["from"].split()).strip(" ;,.")
            senders = (
                [s.resolve(sender)]
                if s.resolve(sender)
                else [s.resolve(p) for p in re.split(r"\s+and\s+|\s+", sender)]
                if sender
                else []
            )
            if not senders or not all(senders):
                senders = named[:1]
            key = words(body)
            for sender_code in dict.fromkeys(senders):
                candidates = blocks.get((sur, session, sender_code), [])
                hit = next((k for k, w in candidates if w == key), None)
                if hit is None:
                    tokens, best = set(key.split()), 0.0
                    for k, w in candidates:
                        score = jaccard(tokens, set(w.split()))
                        if score >= 0.8 and score > best:
                            hit, best = k, score
                if hit is not None:
                    out[hit] = min(year, out.get(hit, year))
    return out


def supported_unassessed(data_root: Path, state: str, cycle: int | None = None) -> Counter:
    """(cycle, session, recommending State IRI or None, text with its spaces collapsed) -> supported
    recommendations never assessed, both exports merged (the 2018 export's response and text where it has the
    record; only 2015 records are assessed)."""
    assessed = reported_implemented(data_root)
    return Counter(
        (r.cycle, r.session, r.recommender and state_iri(r.recommender), " ".join(r.text.split()))
        for r in merged_in(data_root, cycle)
        if r.sur == state and r.response == "supported" and r.key not in assessed
    )


def implementation_status_counts(
    data_root: Path, theme: str, state: str | None = None, cycle: int | None = None
) -> Counter:
    """(State IRI, cycle, status IRI or None) -> recommendations on the theme."""
    assessed = reported_implemented(data_root)
    status = f"{VOCAB}implementation-status/reported-implemented"
    return Counter(
        (state_iri(r.sur), r.cycle, status if r.key in assessed else None)
        for r in themed(data_root, theme, cycle)
        if r.sur and (state is None or r.sur == state)
    )


def repeated_without_assessment(data_root: Path, state: str, theme: str | None = None) -> dict:
    """(theme IRI, earlier cycle, later cycle) -> (earlier recommendations, later ones, later review's year),
    kept when no earlier one was assessed before the later review's year; both exports merged (a theme either
    tags)."""
    assessed = reported_implemented(data_root)
    per: dict[tuple[str, int], list[Merged]] = defaultdict(list)
    for r in merged_recommendations(data_root):
        if r.sur == state:
            for tag in sorted(r.issues):
                if theme is None or tag == theme:
                    per[(tag, r.cycle)].append(r)
    out = {}
    for (tag, earlier), old in per.items():
        for (other, later), new in per.items():
            if other != tag or later <= earlier:
                continue
            later_year = min(r.year for r in new)
            first = min((assessed[r.key] for r in old if r.key in assessed), default=None)
            if first is None or first >= later_year:
                out[(f"{VOCAB}upr-info-issue/{tag}", earlier, later)] = (len(old), len(new), later_year)
    return out


# --- elections after a review ------------------------------------------------------------------------


def _display_date(text: str) -> date | None:
    """ElectionGuide's 'Nov. 10, 2020', 'June 8, 2023', 'Sept. 3, 2019'; None for 'None' or a bare year."""
    text = text.strip().replace("Sept.", "Sep.")
    for fmt in ("%b. %d, %Y", "%B %d, %Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


@lru_cache(maxsize=2)
def election_days(data_root: Path) -> dict[str, dict[date, int]]:
    """ISO3 -> election day -> elections held that day: ElectionGuide rows with status Held (one per distinct
    body) and, as one more, the election each observation mission observed (its own record, no status)."""
    s = states(data_root)
    bodies: dict[tuple[str, date], set[str]] = defaultdict(set)
    path = data_root / "raw" / "electionguide-dates" / "election_df.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            day, code = _display_date(row["date"]), s.resolve(row["country"])
            if day and code and row["status"].strip() == "Held":
                bodies[(code, day)].add(" ".join(row["election"].split()).lower())
    path = data_root / "curated" / "eom-missions" / "missions.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if len(row["election_date"]) == 10:
                bodies[(row["country_iso3"], date.fromisoformat(row["election_date"]))].add("observed")
    out: dict[str, dict[date, int]] = defaultdict(dict)
    for (code, day), names in bodies.items():
        out[code][day] = len(names)
    return out


def elections_after_review(data_root: Path, theme: str, state: str | None = None) -> dict:
    """(State IRI, review session, review year, election day) -> (elections that day, recommendations on the
    theme, supported, without an assessment in the election's year or earlier), for the first election day in a
    later year than each review with such recommendations; both exports merged (a theme either tags, the 2018
    export's response where it has the record)."""
    assessed = reported_implemented(data_root)
    days = election_days(data_root)
    reviews: dict[tuple[str, int], list[Merged]] = defaultdict(list)
    for r in merged_in(data_root, theme=theme):
        if r.sur and (state is None or r.sur == state):
            reviews[(r.sur, r.session)].append(r)
    out = {}
    for (code, session), rows in reviews.items():
        later = [d for d in days.get(code, {}) if d.year > year_of(session)]
        if not later:
            continue
        day = min(later)
        unassessed = sum(r.key not in assessed or assessed[r.key] > day.year for r in rows)
        out[(state_iri(code), session, year_of(session), day)] = (
            days[code][day],
            len(rows),
            sum(r.response == "supported" for r in rows),
            unassessed,
        )
    return out


# --- coverage gaps: which recommendations and findings bear on which electoral right ------------------

KEYWORDS_TSV = ROOT / "queries" / "derived" / "right-keywords.tsv"
KEYWORDS_RQ = ROOT / "queries" / "gaps" / "rights-without-recommendation.rq"


@lru_cache(maxsize=1)
def keyword_table() -> tuple[tuple[str, re.Pattern], ...]:
    """(right slug, case-insensitive pattern): the project's keyword table of the rights, read from its shipped
    file (queries/derived/right-keywords.tsv, SLUG<TAB>PATTERN), else from the query's own table."""
    if KEYWORDS_TSV.exists():
        lines = [
            line.split("\t", 1)
            for line in KEYWORDS_TSV.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")
        ]
    else:
        lines = [
            (slug, pattern)
            for pattern, slug in re.findall(
                r'IF\(REGEX\(\?text, "((?:[^"\\]|\\.)*)", "i"\), " ([a-z-]+)", ""\)', KEYWORDS_RQ.read_text()
            )
        ]
    assert len(lines) >= 20, "the keyword table was not found"
    return tuple((slug, re.compile(pattern, re.IGNORECASE)) for slug, pattern in lines)


def keyword_rights(text: str) -> set[str]:
    """The right IRIs whose keyword pattern occurs in the text."""
    return {f"{VOCAB}rights/{slug}" for slug, pattern in keyword_table() if pattern.search(text)}


# The rights an observer's finding or recommendation on each part of the electoral process concerns by
# definition (the curated choice documented with the eom-missions source: HRC General Comment 25's
# paragraphs), keyed by the spelling of findings.csv's electoral_process_part column.
PART_RIGHTS = {
    "legal framework": "take-part-in-public-affairs",
    "electoral system": "equal-suffrage",
    "boundary delimitation": "equal-suffrage",
    "election administration": "take-part-in-public-affairs",
    "voter registration": "vote",
    "voter education": "vote",
    "candidate registration": "stand-for-election",
    "campaign": "freedom-of-expression peaceful-assembly",
    "campaign finance": "free-expression-of-will",
    "media": "freedom-of-expression",
    "complaints and appeals": "effective-remedy",
    "voting/counting/tabulation": "secret-ballot free-expression-of-will",
    "results": "free-expression-of-will",
    "participation of women/minorities/PwD": "participation-of-women minorities persons-with-disabilities",
    "civil society/observers": "freedom-of-association",
    "security/violence": "security-of-person",
}


@dataclass(frozen=True)
class Addressed:
    """A recommendation to a State, from any mechanism: its text and the rights it names itself."""

    state: str
    text: str
    upr: bool
    rights: frozenset = frozenset()


@dataclass(frozen=True)
class ObserverItem:
    mission: str
    state: str
    kind: str  # finding | recommendation
    topic: str
    text: str
    rights: frozenset


@lru_cache(maxsize=2)
def observer_items(data_root: Path) -> tuple[ObserverItem, ...]:
    folder = data_root / "curated" / "eom-missions"
    with open(folder / "missions.csv", encoding="utf-8", newline="") as handle:
        country = {row["mission_key"]: row["country_iso3"] for row in csv.DictReader(handle)}
    with open(folder / "findings.csv", encoding="utf-8", newline="") as handle:
        return tuple(
            ObserverItem(
                row["mission_key"],
                country[row["mission_key"]],
                row["kind"],
                " ".join(row["topic"].split()),
                row["summary"],
                frozenset(f"{VOCAB}rights/{slug}" for slug in PART_RIGHTS[row["electoral_process_part"]].split()),
            )
            for row in csv.DictReader(handle)
        )


@lru_cache(maxsize=2)
def addressed(data_root: Path) -> tuple[Addressed, ...]:
    """Every recommendation to a State: the UPR Info exports, the working-group reports, the Slovenia matrices
    (all UPR) and the observer missions' recommendations."""
    s = states(data_root)
    out = [Addressed(r.sur, r.text, True) for r in recommendations(data_root) if r.sur]
    # the 2018 UPR Info export: every text, its own wording of a record both exports hold included
    out += [Addressed(s.resolve(r.sur), r.text, True) for r in upr_exports.rows_2018(data_root) if s.resolve(r.sur)]
    for path in sorted((data_root / "raw" / "upr-info-terman" / "wg-report-parse").glob("*.csv")):
        out += [
            Addressed(s.resolve(row["to"].strip()), row["text"], True)
            for row in _wg_lines(path)
            if s.resolve(row["to"].strip())
        ]
    path = data_root / "raw" / "ohchr-upr-matrices-slovenia" / "slovenia_upr_matrices_flat.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        out += [
            Addressed(s.resolve(row["state_under_review"]), row["recommendation_text"], True)
            for row in csv.DictReader(handle)
        ]
    out += [
        Addressed(item.state, item.text, False, item.rights)
        for item in observer_items(data_root)
        if item.kind == "recommendation"
    ]
    return tuple(out)


def rights_raised(data_root: Path, upr_only: bool) -> dict[str, set[str]]:
    """ISO3 -> the rights some recommendation to it (from the UPR only, or from any mechanism) bears on: named,
    or its text matches the keyword table."""
    return _rights_raised(data_root)[upr_only]


@lru_cache(maxsize=2)
def _rights_raised(data_root: Path) -> dict[bool, dict[str, set[str]]]:
    out: dict[bool, dict[str, set[str]]] = {False: defaultdict(set), True: defaultdict(set)}
    matched: dict[str, set[str]] = {}  # the same text comes from several sources: matched once
    for item in addressed(data_root):
        text = " ".join(item.text.split())
        if text not in matched:
            matched[text] = keyword_rights(text)
        for upr_only in (False, True) if item.upr else (False,):
            out[upr_only][item.state] |= item.rights | matched[text]
    return out


def rights_without_recommendation(data_root: Path, state: str) -> dict[str, tuple[str, int | None]]:
    """Right IRI -> (English label, provisions grounding it, None when none) for the rights no recommendation
    to the State bears on."""
    provisions = Counter(right for targets in grounds().values() for right in targets)
    raised = rights_raised(data_root, False).get(state, set())
    return {right: (label, provisions.get(right)) for right, label in rights().items() if right not in raised}


# A treaty body's cited "Art. N" can mean the treaty's article or its optional protocol's (the decisions do not
# say which). The electoral articles whose numbers a communication procedure's articles share, and the
# paragraphs each has in the official texts: only a paragraph the treaty's article has and the protocol's
# lacks makes the citation the treaty's. (ICCPR-OP1 arts. 1-5, CEDAW-OP arts. 1-7 and CRPD-OP arts. 1-5
# are the procedure; ICCPR art. 2 has paragraphs 1, 2 and 3(a)-(c), OP1 art. 2 none; CEDAW art. 4 has
# 1 and 2, CEDAW-OP art. 4 has 1 and 2(a)-(e); CEDAW art. 7 has (a)-(c), CEDAW-OP art. 7 has 1-5.)
TREATIES = {"CCPR": "iccpr", "CEDAW": "cedaw", "CRPD": "crpd"}
SHARED_NUMBERS = {
    ("iccpr", "2"): ({("1",), ("2",), ("3",), ("3", "a"), ("3", "b"), ("3", "c")}, set()),
    ("iccpr", "3"): (set(), set()),
    ("cedaw", "4"): ({("1",), ("2",)}, {("1",), ("2",)} | {("2", c) for c in "abcde"}),
    ("cedaw", "7"): ({("a",), ("b",), ("c",)}, {(str(n),) for n in range(1, 6)}),
}


def cited_article(treaty: str, citation: str) -> str | None:
    """'Art. 25(b)' -> 'iccpr/art/25' when it can only be the treaty's article; a glued caption
    ('Art. 19(Freedomofopinion)') is no paragraph."""
    match = re.match(r"\s*Art\.?\s*0*(\d+)\s*((?:\(\s*[0-9A-Za-z]+\s*\)\s*)*)", citation, re.I)
    if not match:
        return None
    number = match.group(1)
    path = tuple(p.lower() for p in re.findall(r"\(\s*([0-9A-Za-z]+)\s*\)", match.group(2)))
    if any(len(p) > 4 and not p.isdigit() for p in path):
        path = ()
    if (treaty, number) in SHARED_NUMBERS:
        own, protocols = SHARED_NUMBERS[(treaty, number)]
        if path not in own or path in protocols:
            return None
    return f"{treaty}/art/{number}"


@dataclass(frozen=True)
class Finding:
    iri: str | None  # a decision's; None for an observer's (its IRI is a digest)
    observed: tuple[str, str, str] | None  # an observer's: (mission key, topic, summary)
    state: str
    right: str
    source: str


@lru_cache(maxsize=2)
def findings(data_root: Path) -> tuple[Finding, ...]:
    """Observer missions' findings, and treaty-body decisions finding a violation, per right they concern."""
    out = [
        Finding(
            None, (item.mission, item.topic, " ".join(item.text.split())), item.state, right, "election observation"
        )
        for item in observer_items(data_root)
        if item.kind == "finding"
        for right in item.rights
    ]
    s = states(data_root)
    grounded = grounds()
    path = data_root / "raw" / "unhrd-documents-metadata" / "jurisprudence_documents.json"
    for record in json.loads(path.read_text(encoding="utf-8")):
        if record.get("outcome") != "violation_found" or not record.get("country"):
            continue
        code = s.resolve(record["country"])
        assert code, f"{path.name}: {record['country']!r} does not resolve"
        assert re.fullmatch(r"[a-z0-9-]+", record["docId"]), record["docId"]
        iri = f"{ID}finding/un-decision/{record['docId']}"
        for citation in record.get("articlesCited") or ():
            article = cited_article(TREATIES[record["committee"]], citation)
            for right in grounded.get(f"{ID}instrument/{article}", ()) if article else ():
                out.append(Finding(iri, None, code, right, "treaty body"))
    return tuple(out)


def findings_without_upr_recommendation(data_root: Path, state: str | None = None) -> dict:
    """(State IRI, right IRI, source) -> (State label, right label, findings, the least decision IRI (None for
    observers), the observers' findings as {(topic, summary)}) for the findings on a right no UPR recommendation
    to the State bears on."""
    raised = rights_raised(data_root, True)
    groups: dict[tuple, set[Finding]] = defaultdict(set)
    for f in findings(data_root):
        if (state is None or f.state == state) and f.right not in raised.get(f.state, set()):
            groups[(f.state, f.right, f.source)].add(f)
    labels, names = states(data_root).labels, rights()
    return {
        (state_iri(code), right, source): (
            labels.get(code),
            names[right],
            len({f.iri or f.observed for f in group}),
            min((f.iri for f in group if f.iri), default=None),
            {f.observed[1:] for f in group if f.observed},
        )
        for (code, right, source), group in groups.items()
    }
