"""Commission on Human Rights (1946-2006) and Human Rights Council (2006-) resolutions and roll-call votes.

Upstream: `lszoszk/hrc-voting` (Ł. Szoszkiewicz; harvested from the OHCHR Search Library's "Voting"
collection, MARCXML). Licence: PolyForm Noncommercial 1.0.0 (non-commercial use only), with a required
notice that the graph carries (dcterms:rights on graph/hrc-voting). `path` is the folder holding:
- `resolutions.csv`: one row per record (6,346): `record_id` (the library's record number), `symbol`,
  `title` ("… : resolution /"), `date` (ISO), `body`, `vote_type`, `agenda_subject` (the OHCHR subject
  heading), `main_sponsors` (comma-separated State names, "X (on behalf of Y)"), the official totals `yes`,
  `no`, `abstain` (empty when none were published), `n_rollcall`, `record_url`.
- `dashboard_data.js`: `window.DATA = {…};`, JSON after the `=` (read with json.loads, never evaluated).
  `res` lists the 1,705 records with a roll-call; `votes` maps an ISO3 code to `{"r": [index into res],
  "v": "YNA.-…"}`, one code per index: Y yes, N no, A abstain, `.` absent, `-` no position recorded (not
  a member at the time, upstream's empty code).

Output (graph `hrc-voting`):
- each record -> `id/resolution/hrc-voting/<record_id>` hres:Resolution: rdfs:label (the title without the
  catalogue's " : resolution /" ending, whose kind goes to dcterms:type as a literal: resolution, decision,
  amendment, presidential statement), hres:unSymbol, hres:issuedDate (the record's date: the meeting at
  which it was acted on, adopted or not), hres:issuedBy (id/org/hrc, or id/org/chr declared here),
  hres:votingProcedure (the source's vote type), hres:theme (a concept of `vocab/ohchr-subject`, declared
  here), hres:mainSponsor for each sponsoring State that resolves (the whole field also as a skos:note),
  hres:votesInFavour / hres:votesAgainst / hres:abstentions (the official totals, when published),
  rdfs:seeAlso the library record.
- each roll-call vote -> `<resolution>/vote/<ISO3>` hres:RollCallVote: hres:voteOn, hres:voter
  (id/state/<ISO3>), hres:votePosition (a concept of `vocab/vote-position`, declared here). The former
  States of the source (SUN, YUG, CSK, DDR: ISO 3166-3 codes) keep their code and get a label here; the
  source's non-ISO `GER` (Federal Republic of Germany, 1975-1990) is DEU, the code ISO gave it in 1974.
  A State listed twice for one resolution with the same code (2 cases) is one vote.
- hres:keywordMatchedRight: the machine-made link of a record on participation in public affairs,
  elections or democracy to the electoral rights it concerns, by the keyword rule RIGHT_RULES below,
  matched against its subject heading and title (case-insensitive). It says what the words match, not
  what the body meant; hres:concernsRight is left to people.

Checks (report): official totals against the roll-call tallies (upstream says ~148 disagree), the
`n_rollcall` column against the votes found, unresolved sponsor names.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Iterator

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from ..errors import SourceFormatError
from ..namespaces import GRAPH, HRES, ID, VOCAB, state
from .base import ImportContext, Row, Source, date_literal, iri_safe, parse_date, read_csv, slug, text_literal

RESOLUTION, ROLL_CALL_VOTE = HRES.Resolution, HRES.RollCallVote
MAIN_SPONSOR, VOTE_ON, VOTER, VOTE_POSITION = HRES.mainSponsor, HRES.voteOn, HRES.voter, HRES.votePosition
KEYWORD_MATCHED_RIGHT, VOTING_PROCEDURE = HRES.keywordMatchedRight, HRES.votingProcedure
IN_FAVOUR, AGAINST, ABSTENTIONS = HRES.votesInFavour, HRES.votesAgainst, HRES.abstentions

RESOLUTIONS, DASHBOARD = "resolutions.csv", "dashboard_data.js"
COLUMNS = ("record_id", "symbol", "title", "date", "body", "vote_type", "agenda_subject", "main_sponsors")
COLUMNS += ("yes", "no", "abstain", "n_rollcall", "record_url")
BODIES = {"Human Rights Council": ("HRC", ID["org/hrc"]), "Commission on Human Rights": ("CHR", ID["org/chr"])}
SUBJECT_SCHEME, POSITION_SCHEME = VOCAB["ohchr-subject"], VOCAB["vote-position"]
POSITIONS = {  # source code -> (slug, en, fr, es, definition)
    "Y": ("yes", "Yes", "Pour", "A favor", "The State voted in favour."),
    "N": ("no", "No", "Contre", "En contra", "The State voted against."),
    "A": ("abstain", "Abstention", "Abstention", "Abstención", "The State abstained."),
    ".": ("absent", "Absent", "Absent", "Ausente", "The State was a member but absent or did not take part."),
    "-": (
        "no-position-recorded",
        "No position recorded",
        "Aucune position enregistrée",
        "Ninguna posición registrada",
        "The roll-call lists the State with no vote code: not a member at the time, or no position recorded.",
    ),
}
FORMER_STATES = {  # codes of the source that are no ISO 3166-1 State of the states source
    "SUN": "Union of Soviet Socialist Republics",
    "YUG": "Yugoslavia",
    "CSK": "Czechoslovakia",
    "DDR": "German Democratic Republic",
}
CODE_ALIASES = {"GER": "DEU"}  # "Germany, Federal Republic Of": ISO 3166-1 gave the FRG DEU in 1974
KIND = re.compile(r"\s*:?\s*(resolution|decision|amendment|presidential statement)\s*/\s*$", re.IGNORECASE)
NOTICE = (
    "Required Notice: Copyright © 2026 Łukasz Szoszkiewicz — https://github.com/lszoszk/hrc-voting. "
    "Licensed under the PolyForm Noncommercial License 1.0.0 "
    "(https://polyformproject.org/licenses/noncommercial/1.0.0/): research, education, non-profit and "
    "personal use only; commercial use requires a separate licence from the author. The underlying voting "
    "records are public United Nations documents (OHCHR Search Library)."
)

# The keyword rule (hres:keywordMatchedRight): a record is about participation in public affairs, elections or
# democracy when its subject heading or title, lower-cased, matches a pattern; it is linked to that pattern's
# right. Country names containing "democratic" (the Democratic Republic of the Congo, the Democratic People's
# Republic of Korea, Democratic Kampuchea, the Lao People's Democratic Republic, Democratic Yemen...) are
# blanked first, and the election of a body's own members or officers is not an election of the rule.
# Known over-matches, kept because the words do match: "democratic and equitable international order" and
# "incompatibility between democracy and racism" (both filed under DEMOCRACY AND HUMAN RIGHTS).
NOT_DEMOCRACY = re.compile(r"people'?s democratic|democratic (republic|people|kampuchea|yemen|socialist|federal)")
NOT_ELECTION = re.compile(r"election (of|to fill)[^|]*(members?|membership|vacanc|officers|chair|bureau)")
RIGHT_RULES = (
    (
        "take-part-in-public-affairs",
        re.compile(
            r"public affairs|political participation|popular participation|participation in (political|public) life"
        ),
    ),
    ("take-part-in-public-affairs", re.compile(r"democra(cy|cies|tic|tisation|tization)")),
    ("periodic-elections", re.compile(r"(^|[^a-z])(elections?|electoral)([^a-z]|$)")),
    ("free-expression-of-will", re.compile(r"genuine elections|free and fair|free expression of the will")),
    ("universal-suffrage", re.compile(r"suffrage")),
    ("vote", re.compile(r"right to vote")),
)


def keyword_rights(subject: str, title: str) -> list[str]:
    """The rights slugs whose rule matches the subject heading or the title (each once, in RIGHT_RULES order)."""
    text = f"{subject} | {title}".lower()
    text = NOT_ELECTION.sub(" ", NOT_DEMOCRACY.sub(" ", text))
    return list(dict.fromkeys(right for right, pattern in RIGHT_RULES if pattern.search(text)))


def resolution(record_id: str) -> URIRef:
    return ID[f"resolution/hrc-voting/{iri_safe(record_id)}"]


def read_hrc_voting(path: Path, ctx: ImportContext) -> Iterator[tuple]:
    folder = path.parent if path.is_file() else path
    csv_file, js_file = folder / RESOLUTIONS, folder / DASHBOARD
    for needed in (csv_file, js_file):
        if not needed.is_file():
            raise SourceFormatError(needed, "file not found", hint="point the 'hrc-voting' source at its folder")
    yield GRAPH["hrc-voting"], DCTERMS.rights, Literal(NOTICE, lang="en")
    rollcall: dict[str, int] = {}  # record id -> n_rollcall, checked against the votes read
    subjects: dict[str, str] = {}
    for row in ctx.progress(read_csv(csv_file, required=COLUMNS), csv_file.name):
        yield from _resolution(row, ctx, subjects)
        rollcall[row["record_id"].strip()] = _count(row, "n_rollcall") or 0
    yield from _votes(js_file, ctx, rollcall)
    yield from _schemes(subjects)
    yield from _bodies()


def _resolution(row: Row, ctx: ImportContext, subjects: dict[str, str]) -> Iterator[tuple]:
    record_id = row["record_id"].strip()
    if not record_id.isdigit():
        raise row.error(f"record_id {record_id!r} is not a record number", column="record_id")
    r = resolution(record_id)
    ctx.report.count("resolutions")
    yield r, RDF.type, RESOLUTION
    title = " ".join(row["title"].split())
    kind = KIND.search(title)
    label = KIND.sub("", title).strip() if kind else title
    yield r, RDFS.label, Literal(label or row["symbol"].strip(), lang="en")
    if kind:
        yield r, DCTERMS.type, Literal(kind.group(1).lower())
    if row["symbol"].strip():
        yield r, HRES.unSymbol, Literal(row["symbol"].strip())
    day = parse_date(row["date"])
    if day is None:
        raise row.error(f"date {row['date']!r} is not a date", column="date")
    yield r, HRES.issuedDate, date_literal(day)
    body = row["body"].strip()
    if body not in BODIES:
        raise row.error(f"body {body!r} is neither of {', '.join(BODIES)}", column="body")
    ctx.report.count(f"body:{BODIES[body][0]}")
    yield r, HRES.issuedBy, BODIES[body][1]
    procedure = " ".join(row["vote_type"].split())
    if procedure:
        yield r, VOTING_PROCEDURE, Literal(procedure)
    subject = " ".join(row["agenda_subject"].split())
    if subject:
        key = slug(subject)
        subjects.setdefault(key, subject)
        yield r, HRES.theme, VOCAB[f"ohchr-subject/{key}"]
    sponsors = " ".join(row["main_sponsors"].split())
    if sponsors:
        yield r, SKOS.note, text_literal(f"Main sponsors: {sponsors}")
        for name in sponsor_names(sponsors):
            # "Saudi Arabia and Egypt": two States, unless the whole name is one ("Trinidad and Tobago")
            parts = name.split(" and ")
            if ctx.states.resolve(name) is None and len(parts) > 1 and all(ctx.states.resolve(p) for p in parts):
                names = parts
            else:
                names = [name]
            for one in names:
                iso3 = ctx.state(one, f"{row.where} (column main_sponsors)")
                if iso3:
                    yield r, MAIN_SPONSOR, state(iso3)
                    ctx.report.count("sponsorships")
    totals = [(p, _count(row, c)) for p, c in ((IN_FAVOUR, "yes"), (AGAINST, "no"), (ABSTENTIONS, "abstain"))]
    if all(n is not None for _, n in totals):
        ctx.report.count("with-official-totals")
        for p, n in totals:
            yield r, p, Literal(n, datatype=XSD.integer)
    url = row["record_url"].strip()
    if re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", url):
        yield r, RDFS.seeAlso, URIRef(url)
    rights = keyword_rights(subject, title)
    for right in rights:
        ctx.report.count(f"keyword-right:{right}")
        yield r, KEYWORD_MATCHED_RIGHT, VOCAB[f"rights/{right}"]
    if rights:
        ctx.report.count("keyword-matched-resolutions")


def sponsor_names(field: str) -> list[str]:
    """'Canada, Finland (on behalf of the European Union)' -> ['Canada', 'Finland']: split on the commas outside
    parentheses, drop an "(on behalf of …)" part and a leading "the"."""
    names, depth, current = [], 0, []
    for ch in field:
        depth += (ch == "(") - (ch == ")")
        if ch == "," and depth == 0:
            names.append("".join(current))
            current = []
        else:
            current.append(ch)
    names.append("".join(current))
    out = []
    for name in names:
        name = re.sub(r"\s*\(?\bon behalf of\b.*$", "", name, flags=re.IGNORECASE).strip()
        name = re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)
        if name and not re.match(r"except\b", name, flags=re.IGNORECASE):
            out.append(name)
    return out


def _count(row: Row, column: str) -> int | None:
    value = row[column].strip()
    if not value:
        return None
    if not value.isdigit():
        raise row.error(f"column {column!r} has {value!r}; expected a whole number", column=column)
    return int(value)


def read_dashboard(js_file: Path) -> dict:
    """The JSON object after `window.DATA =` (a trailing `;` allowed); parsed, never evaluated."""
    text = js_file.read_text(encoding="utf-8")
    head, sep, body = text.partition("=")
    if not sep or not re.fullmatch(r"\s*(window\.|var\s+|const\s+|let\s+)?[\w.]+\s*", head):
        raise SourceFormatError(js_file, "expected 'window.DATA = {…};'", line=1)
    body = body.strip()
    body = body[:-1] if body.endswith(";") else body
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        raise SourceFormatError(js_file, f"the data is not JSON: {exc.msg}", line=exc.lineno) from None
    if not isinstance(data, dict) or not isinstance(data.get("res"), list) or not isinstance(data.get("votes"), dict):
        raise SourceFormatError(js_file, "expected an object with a 'res' list and a 'votes' object")
    return data


def _votes(js_file: Path, ctx: ImportContext, rollcall: dict[str, int]) -> Iterator[tuple]:
    data = read_dashboard(js_file)
    res_ids = [str(entry.get("id", "")) for entry in data["res"]]
    unknown = [i for i in res_ids if i not in rollcall]
    if unknown:
        raise SourceFormatError(js_file, f"roll-calls for records not in {RESOLUTIONS}: {', '.join(unknown[:5])}")
    names = {c.get("iso3"): c.get("name", "") for c in data.get("countries", []) if isinstance(c, dict)}
    found: Counter = Counter()
    tallies: dict[str, Counter] = {}
    seen: set[tuple[str, str]] = set()
    for code in sorted(data["votes"]):
        entry = data["votes"][code]
        indices, positions = entry.get("r"), entry.get("v")
        if not isinstance(indices, list) or not isinstance(positions, str) or len(indices) != len(positions):
            raise SourceFormatError(js_file, f"votes of {code!r}: 'r' and 'v' must be of equal length")
        iso3 = CODE_ALIASES.get(code, code)
        if iso3 not in ctx.states.codes and iso3 not in FORMER_STATES:
            ctx.report.unresolved_name(code, f"{js_file.name} (votes)")
            ctx.report.count("unresolved-voter-codes")
            continue
        if iso3 in FORMER_STATES:
            ctx.report.count("former-state-votes", len(indices))
        voter = state(iso3)
        for index, position in zip(indices, positions):
            if not isinstance(index, int) or not 0 <= index < len(res_ids):
                raise SourceFormatError(js_file, f"votes of {code}: index {index!r} is outside 'res'")
            if position not in POSITIONS:
                raise SourceFormatError(js_file, f"votes of {code}: vote code {position!r} is not one of Y N A . -")
            record_id = res_ids[index]
            if (record_id, iso3) in seen:
                ctx.report.count("duplicate-votes")
                ctx.report.note(f"{js_file.name}: {code} is listed twice in the roll-call of record {record_id}")
                continue
            seen.add((record_id, iso3))
            found[record_id] += 1
            tallies.setdefault(record_id, Counter())[position] += 1
            ctx.report.count(f"vote:{POSITIONS[position][0]}")
            ctx.report.count("roll-call-votes")
            vote = URIRef(f"{resolution(record_id)}/vote/{iso3}")
            yield vote, RDF.type, ROLL_CALL_VOTE
            yield vote, VOTE_ON, resolution(record_id)
            yield vote, VOTER, voter
            yield vote, VOTE_POSITION, VOCAB[f"vote-position/{POSITIONS[position][0]}"]
    ctx.report.count("resolutions-with-roll-call", len(found))
    for iso3, name in sorted(FORMER_STATES.items()):
        if any(CODE_ALIASES.get(c, c) == iso3 for c in data["votes"]):
            yield state(iso3), RDFS.label, Literal(name, lang="en")
            yield (
                state(iso3),
                SKOS.note,
                text_literal(f"Former State (ISO 3166-3 code {iso3}); source name {names.get(iso3)!r}"),
            )
    _check_rollcall(js_file, data, ctx, rollcall, found, tallies)


def _check_rollcall(js_file, data, ctx, rollcall, found, tallies) -> None:
    for record_id, n in sorted(rollcall.items()):
        if n != found.get(record_id, 0):
            ctx.report.count("n-rollcall-mismatches")
            ctx.report.note(
                f"record {record_id}: n_rollcall says {n}, {js_file.name} has {found.get(record_id, 0)} votes"
            )
    for entry in data["res"]:
        tally = tallies.get(str(entry.get("id")), Counter())
        if (entry.get("y"), entry.get("n"), entry.get("a")) != (tally["Y"], tally["N"], tally["A"]):
            ctx.report.count("totals-not-matching-roll-call")


def _scheme(scheme: URIRef, **labels: str) -> Iterator[tuple]:
    yield scheme, RDF.type, SKOS.ConceptScheme
    for lang, text in labels.items():
        yield scheme, RDFS.label, Literal(text, lang=lang)
        yield scheme, SKOS.prefLabel, Literal(text, lang=lang)


def _schemes(subjects: dict[str, str]) -> Iterator[tuple]:
    yield from _scheme(
        SUBJECT_SCHEME,
        en="OHCHR Search Library subject headings (voting records)",
        fr="Vedettes-matière de la bibliothèque numérique du HCDH (votes)",
        es="Encabezamientos de materia de la biblioteca digital del ACNUDH (votaciones)",
    )
    for key, text in sorted(subjects.items()):
        c = VOCAB[f"ohchr-subject/{key}"]
        yield c, RDF.type, SKOS.Concept
        yield c, SKOS.inScheme, SUBJECT_SCHEME
        yield c, SKOS.prefLabel, Literal(text, lang="en")
        yield c, RDFS.label, Literal(text, lang="en")
    yield from _scheme(
        POSITION_SCHEME,
        en="Roll-call vote position",
        fr="Position lors d'un vote enregistré",
        es="Posición en una votación registrada",
    )
    for code, (key, en, fr, es, definition) in POSITIONS.items():
        c = VOCAB[f"vote-position/{key}"]
        yield c, RDF.type, SKOS.Concept
        yield c, SKOS.inScheme, POSITION_SCHEME
        yield c, SKOS.topConceptOf, POSITION_SCHEME
        yield POSITION_SCHEME, SKOS.hasTopConcept, c
        for lang, text in (("en", en), ("fr", fr), ("es", es)):
            yield c, SKOS.prefLabel, Literal(text, lang=lang)
            yield c, RDFS.label, Literal(text, lang=lang)
        yield c, SKOS.definition, Literal(definition, lang="en")
        yield c, SKOS.notation, Literal(code)


def _bodies() -> Iterator[tuple]:
    chr_ = BODIES["Commission on Human Rights"][1]
    yield chr_, RDF.type, HRES.Organisation
    for lang, text in (
        ("en", "Commission on Human Rights"),
        ("fr", "Commission des droits de l'homme"),
        ("es", "Comisión de Derechos Humanos"),
    ):
        yield chr_, RDFS.label, Literal(text, lang=lang)
    yield chr_, SKOS.notation, Literal("CHR")
    yield chr_, HRES.memberOf, ID["org/un"]
    yield (
        chr_,
        DCTERMS.description,
        Literal(
            "Functional commission of the UN Economic and Social Council (1946-2006), replaced by the Human Rights "
            "Council.",
            lang="en",
        ),
    )


SOURCE = Source(
    id="hrc-voting",
    title="Commission on Human Rights and Human Rights Council resolutions and roll-call votes, 1946-2026",
    read=read_hrc_voting,
    default_path="raw/hrc-voting",
    license="PolyForm-Noncommercial-1.0.0",
    upstream="https://github.com/lszoszk/hrc-voting",
)
