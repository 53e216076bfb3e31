"""Entity resolution for states: every spelling our sources use, mapped to one ISO 3166-1 alpha-3 code.

Names come from the internacia country files (short, official and other-language names, ISO codes)
plus ALIASES below for the spellings of UPR Info, the UPR working-group reports, OHCHR, IFES and
the treaty-body database that no country file carries. Matching is on a normalised key (accents,
case, '&' vs 'and', punctuation and spaces ignored), so "Bosnia & Herzegovina",
"bosniaandherzegovina" and "BIH" all resolve to BIH.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import yaml

from ..errors import SourceFormatError

# Spellings seen in our sources that no country file carries, by the code they mean.
# Keep one line per state; the comment names the source that uses the spelling.
ALIASES: dict[str, tuple[str, ...]] = {
    "BOL": ("Bolivia", "Bolivia (Plurinational State of)", "Plurinational State of Bolivia"),
    "BRN": ("Brunei", "Brunei Darussalam"),
    "CIV": ("Cote d'Ivoire", "Ivory Coast", "Côte d’Ivoire"),
    "COD": (
        "DR Congo",
        "Democratic Republic of Congo",
        "Democratic Republic of the Congo",
        "Congo (Democratic Republic)",
        "Congo, DR",
        "Congo (Kinshasa)",
        "drc",
        "Congo, The Democratic Republic Of The",
    ),  # ratification-status-wpdl (ISO 3166 style)
    "COG": ("Congo", "Republic of the Congo", "Congo (Republic)", "Congo (Brazzaville)", "Republic of Congo"),
    "CPV": ("Cape Verde", "Cabo Verde"),
    "CZE": ("Czech Republic", "Czechia"),
    "FSM": ("Micronesia", "Micronesia (Federated States of)", "Federated States of Micronesia"),
    "GBR": (
        "United Kingdom",
        "UK",
        "Great Britain",
        "United Kingdom of Great Britain and Northern Ireland",
        # treaty-body decisions about territories for which the UK answers
        "United Kingdom of Great Britain and Northern Ireland (Crown Dependencies)",
        "United Kingdom of Great Britain and Northern Ireland (Overseas Territory)",
        "United Kingdom of Great Britain and Northern Ireland (Hong Kong)",
    ),
    "GMB": ("Gambia", "The Gambia", "Gambia (Republic of The)"),
    "IRN": ("Iran", "Iran (Islamic Republic of)", "Islamic Republic of Iran"),
    "KOR": ("Republic of Korea", "South Korea", "Korea (Republic of)", "Korea, Republic of", "Korea"),
    "PRK": (
        "DPR Korea",
        "Democratic People's Republic of Korea",
        "North Korea",
        "DPRK",
        "Korea (Democratic People's Republic of)",
        "Korea, Democratic People's Republic of",
    ),
    "LAO": ("Laos", "Lao PDR", "Lao People's Democratic Republic", "Lao"),
    "MDA": ("Moldova", "Republic of Moldova", "Moldova, Republic of"),
    "MKD": (
        "Macedonia",
        "North Macedonia",
        "The former Yugoslav Republic of Macedonia",
        "FYR Macedonia",
        "TFYR Macedonia",
        "Former Yugoslav Republic of Macedonia",
        "Macedonia, FYR",
        "Republic of North Macedonia",
    ),
    "PSE": (
        "Palestine",
        "State of Palestine",
        "Palestine, State of",
        "Occupied Palestinian Territory",
        "Occupied Palestinian Territories",
    ),
    "RUS": ("Russia", "Russian Federation"),
    "STP": ("Sao Tome and Principe", "Sao Tome & Principe"),
    "SWZ": ("Swaziland", "Eswatini", "Kingdom of Eswatini"),
    "SYR": ("Syria", "Syrian Arab Republic"),
    "TLS": ("Timor-Leste", "Timor Leste", "East Timor"),
    "TUR": ("Turkey", "Türkiye", "Turkiye"),
    "TZA": ("Tanzania", "United Republic of Tanzania", "Tanzania, United Republic of"),
    "USA": ("United States", "USA", "United States of America", "US"),
    "VAT": ("Holy See", "Vatican", "Holy See (Vatican City State)"),
    "VEN": ("Venezuela", "Venezuela (Bolivarian Republic of)", "Bolivarian Republic of Venezuela"),
    "VNM": ("Viet Nam", "Vietnam"),
    "KNA": (
        "Saint Kitts and Nevis",
        "Federation of Saint Kitts and Nevis",
        "St Kitts and Nevis",
        "St. Kitts and Nevis",
    ),
    "LCA": ("Saint Lucia", "St Lucia", "St. Lucia"),
    "VCT": (
        "Saint Vincent and the Grenadines",
        "St Vincent and the Grenadines",
        "St. Vincent and the Grenadines",
        "Saint Vincent & the Grenadines",
    ),
    "MMR": ("Myanmar", "Burma", "Union of Myanmar"),
    "LBY": ("Libya", "Libyan Arab Jamahiriya"),
    "KGZ": ("Kyrgyzstan", "Kyrgyz Republic", "Kyrgysztan"),
    "SVK": ("Slovakia", "Slovak Republic"),
    "YEM": ("Yemen",),
    "EGY": ("Egypt",),
    "BHS": ("Bahamas", "The Bahamas"),
    "CAF": ("Central African Republic", "Centeral African Republic"),  # misspelt in the 2011 WG parse
    "BWA": ("Botswana", "Republic of Bostwana"),  # IFES misspelling
    "ISL": ("Iceland", "Republic of Iceland"),
    "KIR": ("Kiribati", "Republic of Kiribati"),
    "MDV": ("Maldives", "Republic of Maldives"),
    "HKG": ("Hong Kong", "Hong Kong Special Administrative Region"),
    "MAC": ("Macao", "Macau", "Macau Special Administrative Region"),
    "GUM": ("Guam", "Territory of Guam"),
    "NCL": ("New Caledonia", "Territory of New Caledonia and Dependencies"),
    "PYF": ("French Polynesia", "Overseas Lands of French Polynesia"),
    "SXM": ("Sint Maarten", "Country of Sint Maarten"),
    "FLK": ("Falkland Islands", "Falkland Islands (Malvinas)"),
    "PCN": ("Pitcairn", "Pitcairn, Henderson, Ducie, and Oeno Islands"),
    "NLD": ("Netherlands", "The Netherlands", "Netherlands (Kingdom of the)", "Kingdom of the Netherlands"),
}


# libyaml's loader when it is there: ten times faster on 252 country files
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def name_key(name: str) -> str:
    """Normalised matching key: accents, case, '&'/'and', 'St.'/'Saint' and punctuation do not matter."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = text.replace("&", " and ")
    text = re.sub(r"\bst\.?\s", "saint ", text)
    return re.sub(r"[^a-z0-9]", "", text)


class StateResolver:
    """Maps any spelling of a state (or its ISO alpha-2/alpha-3 code) to its alpha-3 code."""

    def __init__(self, names: dict[str, str], codes: dict[str, dict]):
        self._by_key = names
        self.codes = codes  # alpha-3 -> facts from the country file (name, iso2, ...)

    @classmethod
    def from_internacia(cls, countries_dir: Path) -> "StateResolver":
        files = sorted(countries_dir.glob("*.yaml"))
        if not files:
            raise SourceFormatError(
                countries_dir,
                "no country files (*.yaml) found",
                hint="point the 'states' source at the internacia-states folder",
            )
        names: dict[str, str] = {}
        ambiguous: set[str] = set()
        codes: dict[str, dict] = {}
        for path in files:
            try:
                doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                raise SourceFormatError(
                    path, f"invalid YAML: {getattr(exc, 'problem', exc)}", line=mark.line + 1 if mark else None
                ) from exc
            iso3 = (doc or {}).get("iso3code")
            if not iso3:
                continue  # entries such as AN/KV/JG have no alpha-3 code: not states we can name
            codes[iso3] = doc
            spellings = [doc.get("name"), doc.get("official_name"), doc.get("code"), iso3]
            spellings += [n.get("name") for n in doc.get("other_names") or [] if n.get("id") in ("en", "fr", "es")]
            for spelling in filter(None, spellings):
                for variant in _variants(str(spelling)):
                    key = name_key(variant)
                    if key in names and names[key] != iso3:
                        ambiguous.add(key)
                    names.setdefault(key, iso3)
        for key in ambiguous:  # a spelling shared by two countries resolves to neither...
            names.pop(key, None)
        for iso3, aliases in ALIASES.items():  # ...unless an alias says which one is meant
            for alias in aliases:
                names[name_key(alias)] = iso3
        return cls(names, codes)

    def resolve(self, name: str) -> str | None:
        key = name_key(name)
        return self._by_key.get(key) if key else None


def _variants(name: str) -> list[str]:
    """'Bolivia, Plurinational State of' also answers to 'Bolivia'; 'X (Y)' to 'X'."""
    out = [name]
    base = re.sub(r"\s*\(.*?\)\s*", " ", name).strip()
    if base != name:
        out.append(base)
    if "," in name:
        out.append(name.split(",", 1)[0].strip())
    return out
