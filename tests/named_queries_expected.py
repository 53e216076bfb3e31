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
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
ID = "https://w3id.org/hres/id/"
VOCAB = "https://w3id.org/hres/vocab/"


def state_iri(iso3: str) -> str:
    return f"{ID}state/{iso3}"


# --- States --------------------------------------------------------------------------------------

def name_key(name: str) -> str:
    """Accents, case, '&', 'the', punctuation and spaces ignored."""
    text = unicodedata.normalize("NFKD", html.unescape(name)).encode("ascii", "ignore").decode().lower()
    text = text.replace("&", " and ")
    return "".join(re.findall(r"[a-z]+", re.sub(r"^the\s+", "", text.strip())))


# Spellings in the sources that the internacia name fields do not carry, written for this test
# from the rows that did not resolve (one per line; ISO 3166-1 alpha-3).
SPELLINGS = {
    "Bolivia": "BOL", "Bosnia & Herzegovina": "BIH", "Brunei Darussalam": "BRN", "Cape Verde": "CPV",
    "Congo": "COG", "Democratic Republic of Congo": "COD", "DR Congo": "COD", "Czech Republic": "CZE",
    "DPR Korea": "PRK", "Republic of Korea": "KOR", "Iran": "IRN", "Laos": "LAO", "Macedonia": "MKD",
    "Micronesia": "FSM", "Moldova": "MDA", "Palestine": "PSE", "State of Palestine": "PSE", "Holy See": "VAT",
    "Russia": "RUS", "Russian Federation": "RUS", "Syria": "SYR", "Tanzania": "TZA", "United States": "USA",
    "United Kingdom": "GBR", "Venezuela": "VEN", "Viet Nam": "VNM", "Swaziland": "SWZ", "Turkey": "TUR",
    "Kyrgyzstan": "KGZ", "Saint Kitts and Nevis": "KNA", "Saint Lucia": "LCA", "Gambia": "GMB",
    "Saint Vincent and the Grenadines": "VCT", "Sao Tome and Principe": "STP", "Timor Leste": "TLS", "Cabo Verde": "CPV", "Eswatini": "SWZ", "North Macedonia": "MKD",
    "Türkiye": "TUR", "East Timor": "TLS",
    "Cote d'Ivoire": "CIV", "Libya": "LBY", "Republic of Congo": "COG", "Yemen": "YEM", "Egypt": "EGY", "Myanmar": "MMR", "Slovakia": "SVK", "Bahamas": "BHS",
}


@dataclass
class States:
    iso3: dict[str, str]                 # ISO alpha-2 -> alpha-3
    names: dict[str, str]                # name key -> alpha-3
    un_members: set[str]                 # alpha-3
    groups: dict[str, set[str]]          # alpha-3 -> UN regional group slugs
    labels: dict[str, str] = field(default_factory=dict)

    def resolve(self, name: str) -> str | None:
        """By name; then without a UN-style qualifier: 'Bolivia (Plurinational State of)' is Bolivia."""
        return self.names.get(name_key(name)) or self.names.get(name_key(re.sub(r"\s*\(.*?\)", "", name)))


GROUP_BLOCKS = {"AFRICANGROUP": "african", "ASIAPACIFICGROUP": "asia-pacific", "EEG": "eastern-european",
                "GRULAC": "grulac", "WEOG": "weog"}
# internacia-states/PROVENANCE.md: "Fix AM/AZ -> EEG only and AU/NZ -> WEOG only".
GROUP_FIXES = {"ARM": "eastern-european", "AZE": "eastern-european", "AUS": "weog", "NZL": "weog"}


@lru_cache(maxsize=2)
def states(data_root: Path) -> States:
    folder = data_root / "raw" / "internacia-states"
    iso3, names, labels = {}, {}, {}
    for path in sorted((folder / "countries").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        iso3[doc["code"]] = doc["iso3code"]
        labels[doc["iso3code"]] = doc["name"]
        for name in (doc["name"], doc.get("official_name"), doc["iso3code"]):
            if name:
                names.setdefault(name_key(name), doc["iso3code"])
    for name, code in SPELLINGS.items():
        names[name_key(name)] = code

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


# --- UPR Info export (sessions 1-20) --------------------------------------------------------------

def cycle_of(session: int) -> int:
    return 1 if session <= 12 else 2  # PROVENANCE: sessions 1-12 cycle 1, 13-26 cycle 2


# PROVENANCE: 1-3: 2008, 4-6: 2009, 7-9: 2010, 10-12: 2011, 13-14: 2012, 15-17: 2013, 18-20: 2014
def year_of(session: int) -> int:
    return next(year for last, year in ((3, 2008), (6, 2009), (9, 2010), (12, 2011), (14, 2012), (17, 2013),
                                        (20, 2014)) if session <= last)


def issue_slug(tag: str) -> str:
    """The IRI slug of a UPR Info issue: 'Women's rights' -> womens-rights (checked against the store)."""
    text = unicodedata.normalize("NFKD", tag).encode("ascii", "ignore").decode().lower().replace("'", "")
    return "-".join(re.findall(r"[a-z0-9]+", text))


@dataclass(frozen=True)
class UprRow:
    line: int                      # row number in its file (duplicate rows are distinct records)
    file: str
    sur: str | None
    recommender: str | None        # None for '(Unknown)' and for voluntary pledges
    text: str
    response: str                  # Accepted, Noted, Voluntary Pledge
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
                rows.append(UprRow(
                    number, path.name, s.resolve(row["To"]),
                    None if pledge or sender == "(Unknown)" else s.resolve(sender), row["Text"],
                    row["Response"].strip(), row["Action"].strip(),
                    tuple(t.strip() for t in row["Issue"].split(",") if t.strip()), int(row["Session"])))
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

    scaled = (Decimal(part) * 100 * 10 ** digits / Decimal(whole)).quantize(Decimal(1), ROUND_HALF_UP)
    return float(scaled / 10 ** digits)


def themed(data_root: Path, theme: str, cycle: int | None = None) -> list[UprRow]:
    return [r for r in recommendations(data_root)
            if any(issue_slug(t) == theme for t in r.issues) and (cycle is None or r.cycle == cycle)]


def theme_share(data_root: Path, theme: str, cycle: int | None = None) -> dict:
    every = [r for r in recommendations(data_root) if cycle is None or r.cycle == cycle]
    rows = themed(data_root, theme, cycle)
    supported = sum(r.response == "Accepted" for r in rows)
    return {"recommendations": len(every), "themed": len(rows), "sharePercent": pct(len(rows), len(every), 2),
            "supported": supported, "supportedPercent": pct(supported, len(rows), 1) if rows else 0.0}


RESPONSES = {"Accepted": "supported", "Noted": "noted"}


def theme_recommendations(data_root: Path, theme: str, state: str | None = None,
                          cycle: int | None = None) -> Counter:
    """(State IRI, cycle, response slug) -> recommendations."""
    return Counter((state_iri(r.sur), r.cycle, RESPONSES[r.response]) for r in themed(data_root, theme, cycle)
                   if r.sur and (state is None or r.sur == state))


def regional_flows(data_root: Path, theme: str | None = None) -> Counter:
    """(from group, to group) -> recommendations, both States in a group."""
    groups = states(data_root).groups
    rows = themed(data_root, theme) if theme else recommendations(data_root)
    flows: Counter = Counter()
    for r in rows:
        for a in groups.get(r.recommender or "", ()):
            for b in groups.get(r.sur or "", ()):
                flows[(a, b)] += 1
    return flows


def regional_flow_shares(data_root: Path, theme: str) -> dict[tuple[str, str], tuple[int, float, float, float]]:
    """(from, to) -> (recommendations, sharePercent, fromGroupSharePercent, toGroupSharePercent)."""
    flows = regional_flows(data_root, theme)
    total = sum(flows.values())
    by_from, by_to = Counter(), Counter()
    for (a, b), n in flows.items():
        by_from[a] += n
        by_to[b] += n
    return {(a, b): (n, pct(n, total, 1), pct(by_from[a], total, 1), pct(by_to[b], total, 1))
            for (a, b), n in flows.items()}


def low_specificity(data_root: Path, cycle: int | None = None) -> dict[str, tuple[int, int, float]]:
    """Recommending State IRI -> (recommendations, in action categories 1-2, share in per cent)."""
    every, low = Counter(), Counter()
    for r in recommendations(data_root):
        if r.recommender and r.action and (cycle is None or r.cycle == cycle):
            every[r.recommender] += 1
            low[r.recommender] += r.action in ("1", "2")
    return {state_iri(k): (n, low[k], pct(low[k], n, 1)) for k, n in every.items()}


# --- ratification -------------------------------------------------------------------------------

# ratification-status-wpdl/PROVENANCE.md: file -> instrument (the slugs of ontology/reference/instruments.ttl)
WPDL_FILES = {"icerd": "icerd", "iccpr": "iccpr", "icescr": "icescr", "cedaw": "cedaw", "cat": "cat", "crc": "crc",
              "icmw": "icmw", "cped": "cped", "crpd": "crpd", "icescr_op": "icescr-op", "iccpr_op1": "iccpr-op1",
              "iccpr_op2": "iccpr-op2", "op_cedaw": "cedaw-op", "op_crc_ac": "crc-opac", "op_crc_sc": "crc-opsc",
              "op_crc_ic": "crc-opic", "opcat": "opcat", "op_crpd": "crpd-op"}
# ohchr-ratification-exports/PROVENANCE.md: the individual-communications column of the ICCPR and ICESCR
# sheets is consent to their optional protocol; CAT's is a declaration (not consent to an instrument).
OHCHR_FILES = {"ICCPR": ("iccpr", "iccpr-op1"), "CAT": ("cat", None), "ICESCR": ("icescr", "icescr-op")}


@dataclass
class Ratification:
    consent: set[tuple[str, str]] = field(default_factory=set)        # (ISO3, instrument slug)
    signed: set[tuple[str, str]] = field(default_factory=set)
    signature_dates: dict[tuple[str, str], date] = field(default_factory=dict)


@lru_cache(maxsize=2)
def ratification(data_root: Path) -> Ratification:
    import xlrd

    s = states(data_root)
    out = Ratification()
    for stem, slug in WPDL_FILES.items():
        path = data_root / "raw" / "ratification-status-wpdl" / f"hr_status_{stem}.csv"
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                # East Timor still has its old ISO code TP there: the name decides when the code is unknown
                code = s.iso3.get(row["iso2"].strip()) or s.resolve(row["member"])
                if row["status"].strip() == "state party":
                    out.consent.add((code, slug))
                elif row["status"].strip() == "signatory state":
                    out.signed.add((code, slug))
    for path in sorted((data_root / "raw" / "ohchr-ratification-exports").glob("*.xls")):
        main, protocol = OHCHR_FILES[path.stem.split("_")[1]]
        book = xlrd.open_workbook(str(path))
        sheet = book.sheet_by_index(0)
        for i in range(2, sheet.nrows):
            name, signed, ratified, communications = sheet.row_values(i)[:4]
            if not name or name.startswith(("Definitions", "Source")) or name == "European Union":
                continue
            code = s.resolve(name)
            assert code, f"{path.name} row {i + 1}: {name!r} does not resolve"
            if ratified != "":
                out.consent.add((code, main))
            if signed != "":
                out.signed.add((code, main))
                out.signature_dates[(code, main)] = xlrd.xldate_as_datetime(signed, book.datemode).date()
            if protocol and communications != "":
                out.consent.add((code, protocol))
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
                out.add((state_iri(code), f"{ID}instrument/{slug}",
                         "signed" if (code, slug) in r.signed else "no action",
                         r.signature_dates.get((code, slug))))
    return out
