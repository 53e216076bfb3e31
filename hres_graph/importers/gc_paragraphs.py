"""Treaty-body General Comments and Recommendations by paragraph, with the groups each paragraph concerns.

Upstream: UN Treaty Bodies Search (Szoszkiewicz, MIT; PROVENANCE). `json_data/Annotated_<BODY>…G[CR]<n>….json`,
one per General Comment, each an array of `{"ID": "1.", "Labels": ["Children", …], "Text": "…"}`;
`GC-info.json` lists the files (`File PATH`) with their `Committee` ("CRC, CMW" for a joint one).

Output (graph `gc-paragraphs`):
- each General Comment under the IRI `un-documents` gives it (_general_comments: `gc-<body>-<n>`, CCPR 25 =
  reference data's `hrc-gc-25`), from the file name's committee and number (joint ones under the first
  committee, as there): hres:GeneralComment, hres:adoptedBy each committee of GC-info. Its name, symbol,
  date and articles are un-documents' (GC-info's symbols and dates are partly page references);
- each paragraph -> hres:Paragraph `<gc>/para/<n>`: hres:partOf, hres:number, rdfs:label, hres:text (@en,
  line ends as LF, outer blanks trimmed), hres:concernsGroup for each label (vocab gc-concerned-group,
  mapped there to the project's rights-holder groups). Paragraphs reach the articles through their
  comment's hres:interprets; reference data links some GC 25 paragraphs to sub-paragraphs of art. 25.

Quirks handled: IDs with trailing blanks or no-break spaces ("4.\u00a0"); three paragraphs without ID,
whose text starts with their number ("49. Human rights…"), numbered from it; a number repeated in one file
(CRC GC 18 / CEDAW GR 31: "31." twice, then "33.") renumbered to the one after the previous; CRC GC 5's
unnumbered introduction, which the source numbers "0.", kept as para 0; one GC-info entry whose file is
not in the release (Annotated_CRC-GC18-Harmful.json, superseded by the revised text), noted.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

from rdflib import Literal
from rdflib.namespace import RDF, RDFS

from ..errors import SourceFormatError
from ..namespaces import HRES, concept, instrument, mechanism
from ._general_comments import BODIES, REFERENCE_LABELS, general_comment_key, paragraph
from ._json_records import iter_json_array, record_error
from .base import ImportContext, Source, Triple, slug

INFO = "GC-info.json"
FOLDER = "json_data"
SCHEME = "gc-concerned-group"
CONCERNED_GROUPS = (  # the source's labels, as vocab/gc-concerned-group.ttl gives them (slug = their slug)
    "Children",
    "Women/girls",
    "Persons with disabilities",
    "Migrants",
    "Indigenous peoples",
    "Persons deprived of their liberty",
    "Refugees & asylum-seekers",
    "Adolescents",
    "Persons living in rural/remote areas",
    "Persons affected by armed conflict",
    "Persons living in poverty",
    "Persons in street situations",
    "Internally displaced persons",
    "Children in alternative care",
    "Non-citizens and stateless",
    "Persons living with HIV/AIDS",
    "LGBTI+",
    "Roma, Gypsies, Sinti and Travellers",
    "Persons affected by natural disasters",
)
_FILE = re.compile(r"Annotated_(?P<code>[A-Z]+)(?:[_-][A-Z]+)?[_-]G[CR](?P<number>\d+)(?!\d)")
_CODES = {"ESCR": "CESCR"}  # file-name spellings of committee codes
_LEADING_NUMBER = re.compile(r"\s*(\d+)\.")
_SOFT_BREAK = re.compile(r" *[\v\f] *")
RECOMMENDING_BODIES = {"cedaw", "cerd"}  # whose texts are called General Recommendations


def read_gc_paragraphs(path: Path, ctx: ImportContext) -> Iterator[Triple]:
    folder = path / FOLDER
    if not folder.is_dir():
        raise SourceFormatError(
            path, f"no {FOLDER}/ folder here", hint="point the 'gc-paragraphs' source at the gc-paragraphs folder"
        )
    committees = _committees_by_file(path / INFO, folder, ctx)
    files = sorted(folder.glob("Annotated_*.json"))
    for file in ctx.progress(files, "general comments", total=len(files)):
        yield from _general_comment(file, committees.get(file.name), ctx)


def _committees_by_file(info: Path, folder: Path, ctx: ImportContext) -> dict[str, list[str]]:
    """File name -> the codes of the committees that adopted it, from GC-info.json."""
    out: dict[str, list[str]] = {}
    for index, (line, rec) in enumerate(iter_json_array(info)):
        if not isinstance(rec, dict) or not rec.get("File PATH") or not rec.get("Committee"):
            raise record_error(info, line, index, "expected an object with 'File PATH' and 'Committee'")
        name = Path(str(rec["File PATH"])).name
        codes = [code.strip() for code in str(rec["Committee"]).split(",")]
        for code in codes:
            if code not in BODIES:
                raise record_error(
                    info,
                    line,
                    index,
                    f"unknown committee {code!r}",
                    hint="add the treaty body to BODIES in _general_comments.py",
                )
        if (folder / name).exists():
            out[name] = codes
        else:
            ctx.report.count("gc-info-without-file")
            ctx.report.note(f"{INFO}:{line}: {name} is listed but not in {FOLDER}/; skipped")
    return out


def _general_comment(file: Path, codes: list[str] | None, ctx: ImportContext) -> Iterator[Triple]:
    m = _FILE.match(file.name)
    if not m:
        raise SourceFormatError(
            file,
            "cannot read the committee and number from the file name",
            hint="expected Annotated_<COMMITTEE>…GC<n>… or …GR<n>…",
        )
    code, number = _CODES.get(m["code"], m["code"]), m["number"]
    if code not in BODIES:
        raise SourceFormatError(file, f"unknown committee {code!r} in the file name")
    if codes is None:
        ctx.report.note(f"{file.name} is not listed in {INFO}: adopted by {code} (from the file name)")
        codes = [code]
    elif code not in codes:
        raise SourceFormatError(file, f"the file name says {code} but {INFO} says {', '.join(codes)}")
    body = BODIES[code][0]
    key = general_comment_key(body, number)
    gc = instrument(key)
    kind = "General Recommendation" if body in RECOMMENDING_BODIES else "General Comment"
    label = REFERENCE_LABELS.get(key, f"{code} {kind} {number}")
    ctx.report.count("general-comments")
    yield gc, RDF.type, HRES.GeneralComment
    for other in codes:
        yield gc, HRES.adoptedBy, mechanism(BODIES[other][0])
    yield from _paragraphs(file, key, label, ctx)


def _paragraphs(file: Path, key: str, label: str, ctx: ImportContext) -> Iterator[Triple]:
    """The paragraphs of one General Comment's file, numbered as printed (see the module's quirks)."""
    gc = instrument(key)
    used: set[str] = set()
    previous: int | None = None
    for index, (line, rec) in enumerate(iter_json_array(file)):
        if not isinstance(rec, dict) or not isinstance(rec.get("Text"), str):
            raise record_error(file, line, index, "expected an object with 'Text'")
        text = _clean(rec["Text"], ctx)
        if not text:
            raise record_error(file, line, index, "paragraph without text")
        n = _number(rec.get("ID"), text, used, previous, f"{file.name}:{line}", ctx)
        if n is None:
            raise record_error(
                file,
                line,
                index,
                f"paragraph number {rec.get('ID')!r} is neither a number nor new in this file",
                hint="expected IDs such as '12.'",
            )
        used.add(n)
        previous = int(n)
        para = paragraph(key, n)
        yield para, RDF.type, HRES.Paragraph
        yield para, HRES.partOf, gc
        yield para, HRES.number, Literal(n)
        yield para, RDFS.label, Literal(f"{label} para. {n}", lang="en")
        yield para, HRES.text, Literal(text, lang="en")
        for group in sorted(_groups(rec.get("Labels"), file, line, index)):
            yield para, HRES.concernsGroup, concept(SCHEME, slug(group))
            ctx.report.count("group-links")
        ctx.report.count("paragraphs")


def _clean(text: str, ctx: ImportContext) -> str:
    """LF line ends, no outer blanks; a vertical tab or form feed (Word's manual line break, mid-sentence in
    CCPR GC 9 para. 2) becomes a space, as RDF/XML and SPARQL XML results cannot carry it."""
    text, soft = _SOFT_BREAK.subn(" ", text)
    if soft:
        ctx.report.count("soft-line-breaks", soft)
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _number(raw, text: str, used: set[str], previous: int | None, where: str, ctx: ImportContext) -> str | None:
    """The paragraph's number as printed, or None when it cannot be told."""
    n = "" if raw is None else str(raw).strip(" .\u00a0\t")
    if not n:
        m = _LEADING_NUMBER.match(text)
        if not m:
            return None
        n = m.group(1)
        ctx.report.count("numbers-from-text")
        ctx.report.note(f"{where}: no ID; numbered {n} from its text")
    if not n.isdigit():
        return None
    n = str(int(n))
    if n in used:
        if previous is None or str(previous + 1) in used:
            return None
        ctx.report.count("numbers-repeated")
        ctx.report.note(f"{where}: ID {n} repeated; numbered {previous + 1}, the one after the previous")
        n = str(previous + 1)
    return n


def _groups(labels, file: Path, line: int, index: int) -> set[str]:
    if labels is None:
        return set()
    if not isinstance(labels, list):
        raise record_error(file, line, index, "'Labels' is not a list")
    unknown = sorted(set(map(str, labels)) - set(CONCERNED_GROUPS))
    if unknown:
        raise record_error(
            file,
            line,
            index,
            f"unknown concerned group {unknown[0]!r}",
            hint="add it to CONCERNED_GROUPS and to ontology/vocab/gc-concerned-group.ttl",
        )
    return set(labels)


SOURCE = Source(
    id="gc-paragraphs",
    title="Treaty-body General Comments and Recommendations by paragraph, with concerned groups "
    "(UN Treaty Bodies Search)",
    read=read_gc_paragraphs,
    default_path="raw/gc-paragraphs",
    license="MIT (LICENSE.md, Copyright (c) 2024 Łukasz Szoszkiewicz); underlying UN documents under UN terms",
    upstream="https://github.com/lszoszk/UN-TreatyBodiesDocSearch (json_data/Annotated_*.json and GC-info.json "
    "at 897d4fb, Release 1.0; Zenodo DOI 10.5281/zenodo.10495719)",
)
