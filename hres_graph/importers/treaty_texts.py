"""Core UN human rights treaties and optional protocols: every article and paragraph, with its text.

Upstream: UNHRD (Szoszkiewicz & Kowalska), `_docs_internal/treaties/*.json` at commit e506789, one JSON
object per instrument: `abbr`, `name_full`, `term`, `committee_codes`, `year`, `source_file` and
`articles: [{"number": "25", "paragraphs": [{"num": "1" | null, "text": "..."}]}]`. The 18 file names
map to canonical instrument keys (cerd -> icerd, cmw -> icmw, ced -> cped; the others keep their name).

Output (graph `treaty-texts`), for instrument key K and article N:
- `id/instrument/K/art/N` a hres:Article: hres:partOf the instrument, hres:number "N", rdfs:label
  "ICCPR art. 25"@en, hres:text = all the article's items as given, one per line ("1. " before items
  the file numbers). The instruments themselves are reference data (ontology/reference/instruments.ttl).
- one hres:Paragraph per numbered or labelled item, IRI = parent IRI + `/para/<label>`, so
  ICCPR 25(b) is `…/iccpr/art/25/para/b` (the IRI reference data uses) and ICCPR 2(3)(a) is
  `…/iccpr/art/2/para/3/para/a`; hres:subProvisionOf the parent, hres:partOf the instrument,
  hres:number the label, rdfs:label "ICCPR art. 2(3)(a)"@en, hres:text the item without its label.
- hres:groundsRight for the electoral provisions of ELECTORAL_RIGHTS below.

Paragraph numbering, as printed, normalised thus:
- the label is the file's `num`, else a leading "2." / "1 ." (digits), "(b)" / "( b )" / "(d )"
  (letter), "(ii)" (roman; "(i)" is the letter i only right after "(h)" with no "(ii)" following),
  or "a." (a fourth level, CRC-OPSC art. 3); the label is dropped from hres:text;
- a chapeau printed in one item with its "(a)" ("... the right: (a) To vote ...", CEDAW art. 7) is
  split there, so (a) gets its paragraph like (b) and (c);
- unlabelled items (chapeaux, continuation lines, final clauses) and "&nbsp;" placeholders stay in the
  article's text only; a lettered list with no paragraph above it that does not start at (a) (its
  paragraph was lost upstream, e.g. CERD art. 2, 12) is kept in the article text only, never given a
  guessed IRI. Gaps in numbering (ICCPR art. 14(4), ICESCR art. 7(b) are missing upstream) are
  reported as notes, not filled in.
CRPD and several protocols hold a whole article in one item (PROVENANCE): those articles get no
paragraphs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from ..errors import SourceFormatError
from ..namespaces import HRES, concept, instrument
from ._treaty_parse import FILE_KEYS, NOTATIONS, InstrumentText, read_instrument
from .base import ImportContext, Source, Triple

# Electoral provisions and the rights (vocab/rights) they ground; the same choices as the provisions in
# ontology/reference/instruments.ttl. Every entry must be a provision this source mints (checked).
ELECTORAL_RIGHTS: dict[str, tuple[str, ...]] = {
    "iccpr/art/2": ("non-discrimination", "effective-remedy"),
    "iccpr/art/3": ("non-discrimination", "participation-of-women"),
    "iccpr/art/19": ("freedom-of-expression", "access-to-information"),
    "iccpr/art/21": ("peaceful-assembly",),
    "iccpr/art/22": ("freedom-of-association",),
    "iccpr/art/25": (
        "take-part-in-public-affairs",
        "vote",
        "stand-for-election",
        "universal-suffrage",
        "equal-suffrage",
        "secret-ballot",
        "periodic-elections",
        "free-expression-of-will",
        "equal-access-public-service",
        "non-discrimination",
    ),
    "iccpr/art/25/para/a": ("take-part-in-public-affairs",),
    "iccpr/art/25/para/b": (
        "vote",
        "stand-for-election",
        "periodic-elections",
        "universal-suffrage",
        "equal-suffrage",
        "secret-ballot",
        "free-expression-of-will",
    ),
    "iccpr/art/25/para/c": ("equal-access-public-service",),
    "iccpr/art/26": ("non-discrimination",),
    "iccpr/art/27": ("minorities",),
    "icerd/art/5/para/c": (
        "vote",
        "stand-for-election",
        "universal-suffrage",
        "equal-suffrage",
        "take-part-in-public-affairs",
        "equal-access-public-service",
        "non-discrimination",
    ),
    "cedaw/art/7": (
        "participation-of-women",
        "vote",
        "stand-for-election",
        "take-part-in-public-affairs",
        "equal-access-public-service",
        "freedom-of-association",
        "non-discrimination",
    ),
    "cedaw/art/7/para/a": ("participation-of-women", "vote", "stand-for-election"),
    "cedaw/art/7/para/b": ("participation-of-women", "take-part-in-public-affairs", "equal-access-public-service"),
    "cedaw/art/7/para/c": ("participation-of-women", "freedom-of-association"),
    "crpd/art/29": (
        "persons-with-disabilities",
        "vote",
        "stand-for-election",
        "secret-ballot",
        "take-part-in-public-affairs",
        "freedom-of-association",
    ),
    "icmw/art/41": ("vote", "stand-for-election", "take-part-in-public-affairs"),
    "icmw/art/42": ("take-part-in-public-affairs",),
}


def treaty_files(path: Path) -> list[Path]:
    """The treaty files of a folder (or one file), in a stable order."""
    if path.is_file():
        return [path]
    files = sorted(p for p in path.glob("*.json") if p.stem.lower() in FILE_KEYS)
    if not files:
        raise SourceFormatError(
            path,
            "no treaty files found (expected iccpr.json, cedaw.json, ...)",
            hint="point the 'treaty-texts' source at the unhrd-treaty-texts folder",
        )
    return files


def article_iri(key: str, number: str) -> URIRef:
    return URIRef(f"{instrument(key)}/art/{number}")


def provision_iri(key: str, number: str, path: tuple[str, ...]) -> URIRef:
    return URIRef(str(article_iri(key, number)) + "".join(f"/para/{label}" for label in path))


def read_treaty_texts(path: Path, ctx: ImportContext) -> Iterator[Triple]:
    minted: set[str] = set()
    keys: set[str] = set()
    for file in ctx.progress(treaty_files(path), "treaty files"):
        text = read_instrument(file)
        keys.add(text.key)
        yield from _instrument_triples(text, ctx, minted)
    if path.is_dir():  # a folder of full texts must hold every electoral provision of the table
        missing = sorted(k for k in ELECTORAL_RIGHTS if k.split("/")[0] in keys and k not in minted)
        if missing:
            raise SourceFormatError(
                path,
                f"electoral provisions not found in the texts: {', '.join(missing)}",
                hint="the files' paragraph structure changed; update ELECTORAL_RIGHTS",
            )


def _instrument_triples(text: InstrumentText, ctx: ImportContext, minted: set[str]) -> Iterator[Triple]:
    key, notation = text.key, NOTATIONS[text.key]
    whole = instrument(key)
    ctx.report.count(f"articles:{key}", len(text.articles))
    ctx.report.count("items", text.items)
    for art in text.articles:
        a = article_iri(key, art.number)
        yield a, RDF.type, HRES.Article
        yield a, RDFS.label, Literal(f"{notation} art. {art.number}", lang="en")
        yield a, HRES.number, Literal(art.number)
        yield a, HRES.partOf, whole
        yield a, HRES.text, Literal(art.text, lang="en")
        yield from _rights(a, f"{key}/art/{art.number}", minted)
        ctx.report.count("articles")
        for para in art.paragraphs:
            p = provision_iri(key, art.number, para.path)
            yield p, RDF.type, HRES.Paragraph
            yield (
                p,
                RDFS.label,
                Literal(f"{notation} art. {art.number}" + "".join(f"({x})" for x in para.path), lang="en"),
            )
            yield p, HRES.number, Literal(para.path[-1])
            yield p, HRES.partOf, whole
            yield p, HRES.subProvisionOf, provision_iri(key, art.number, para.path[:-1])
            if para.text:
                yield p, HRES.text, Literal(para.text, lang="en")
            yield from _rights(p, f"{key}/art/{art.number}" + "".join(f"/para/{x}" for x in para.path), minted)
            ctx.report.count("paragraphs")
            ctx.report.count(f"paragraphs:{key}")
        if art.anomalies:
            ctx.report.count("articles-with-gaps")
            ctx.report.note(f"{text.path.name}: {notation} art. {art.number}: {'; '.join(art.anomalies)}")


def _rights(subject: URIRef, local: str, minted: set[str]) -> Iterator[Triple]:
    for right in ELECTORAL_RIGHTS.get(local, ()):
        yield subject, HRES.groundsRight, concept("rights", right)
    if local in ELECTORAL_RIGHTS:
        minted.add(local)


SOURCE = Source(
    id="treaty-texts",
    title="Core UN human rights treaties and optional protocols: articles and paragraphs (UNHRD)",
    read=read_treaty_texts,
    default_path="raw/unhrd-treaty-texts",
    license="UN treaty texts (UN terms); article/paragraph segmentation CC BY-NC-SA 4.0 "
    "(Szoszkiewicz & Kowalska, UNHRD)",
    upstream="https://github.com/lszoszk/generalcomments/tree/e506789478aab6c88d93255c251994d3fe199bf8/"
    "_docs_internal/treaties",
)
