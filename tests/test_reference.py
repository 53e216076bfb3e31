"""Checks of the hand-edited reference data in ontology/reference/*.ttl against the contract in
ontology/README.md (IRI patterns, canonical keys and slugs, term names).

Needs only rdflib: the reference files must stay usable without the hres_graph package.
Floors (minimum counts) are asserted so that a file that loses resources fails.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "ontology" / "README.md"
REFERENCE = ROOT / "ontology" / "reference"
OUR_FILES = ("instruments.ttl", "mechanisms.ttl", "hres-initiative.ttl")
# Memberships of States (hres:memberOf), whose subjects are described in graph/states, not here: checked by
# tests/test_open_world.py, not by the per-resource checks below.
STATE_MEMBERSHIP_FILES = ("au-members.ttl",)

HRES = Namespace("https://w3id.org/hres/ontology#")
ORGNS = Namespace("http://www.w3.org/ns/org#")
ID = "https://w3id.org/hres/id/"
RIGHTS = "https://w3id.org/hres/vocab/rights/"

# --------------------------------------------------------------------------------------------------
# The contract, hard-coded (and cross-checked against the README text below)
# --------------------------------------------------------------------------------------------------

HRES_CLASSES = {
    "Instrument",
    "Treaty",
    "OptionalProtocol",
    "RegionalInstrument",
    "Declaration",
    "PoliticalCommitment",
    "InterpretiveText",
    "GeneralComment",
    "Provision",
    "Article",
    "Paragraph",
    "Right",
    "Actor",
    "State",
    "Organisation",
    "IntergovernmentalOrganisation",
    "ObserverOrganisation",
    "Community",
    "RegionalGroup",
    "Mechanism",
    "UniversalPeriodicReview",
    "TreatyBody",
    "SpecialProcedure",
    "RegionalMechanism",
    "Court",
    "ParticipationEvent",
    "Signature",
    "ConsentToBeBound",
    "Ratification",
    "Accession",
    "Succession",
    "Cycle",
    "Session",
    "Review",
    "ObservationMission",
    "Election",
    "Document",
    "Meeting",
    "Initiative",
    "FollowUpMechanism",
    "ActionItem",
    "Recommendation",
    "VoluntaryPledge",
    "ElectionTheme",
    "ElectionRelatedRecommendation",
    "Response",
    "Finding",
    "Decision",
    "ImplementationAssessment",
}
HRES_PROPERTIES = {
    "partOf",
    "subProvisionOf",
    "groundsRight",
    "interprets",
    "optionalProtocolTo",
    "adoptedBy",
    "inRegionalGroup",
    "memberOf",
    "participant",
    "instrument",
    "monitors",
    "ofMechanism",
    "inCycle",
    "inSession",
    "reviewOf",
    "deployedBy",
    "observes",
    "electionIn",
    "issuedBy",
    "recommendingActor",
    "addressedTo",
    "madeInReview",
    "madeByMission",
    "inCycleOf",
    "sourceDocument",
    "theme",
    "concernsRight",
    "concernsGroup",
    "concernsProvision",
    "concernsInstrument",
    "actionCategory",
    "electoralProcessPart",
    "basedOnFinding",
    "repeats",
    "echoes",
    "sameRecommendationAs",
    "concernsState",
    "respondsTo",
    "responseStatus",
    "respondent",
    "assesses",
    "implementationStatus",
    "assessor",
    "outcome",
    "meetingOf",
    "followUpMechanismOf",
    "text",
    "number",
    "iso3166Alpha2",
    "iso3166Alpha3",
    "m49Code",
    "unSymbol",
    "paragraphNumber",
    "unMember",
    "adoptionDate",
    "entryIntoForceDate",
    "eventDate",
    "issuedDate",
    "responseDate",
    "assessmentDate",
    "electionDate",
    "reportDate",
    "startDate",
    "endDate",
    "year",
    "cycleNumber",
    "sessionNumber",
    "reservation",
    "evidence",
    "missionType",
    "electionType",
    "electedBody",
    "electionStatus",
    "location",
    "chiefObserver",
    "priority",
    "score",
}
# Non-hres classes a reference resource may also carry.
EXTERNAL_CLASSES = {ORGNS.Organization, PROV.Agent, PROV.Activity, PROV.Entity, SKOS.Concept}
# Non-hres predicates the reference files may use.
EXTERNAL_PREDICATES = {
    RDF.type,
    RDFS.label,
    RDFS.comment,
    SKOS.notation,
    SKOS.exactMatch,
    DCTERMS.description,
    DCTERMS.source,
    DCTERMS.identifier,
    DCTERMS.isPartOf,
    DCTERMS.creator,
    PROV.wasDerivedFrom,
}

RIGHT_SLUGS = {
    "vote",
    "stand-for-election",
    "universal-suffrage",
    "equal-suffrage",
    "secret-ballot",
    "periodic-elections",
    "free-expression-of-will",
    "take-part-in-public-affairs",
    "equal-access-public-service",
    "freedom-of-expression",
    "freedom-of-association",
    "peaceful-assembly",
    "freedom-of-movement",
    "security-of-person",
    "effective-remedy",
    "non-discrimination",
    "access-to-information",
    "participation-of-women",
    "persons-with-disabilities",
    "minorities",
    "indigenous-peoples",
    "youth",
}
UN_KEYS = [
    "udhr",
    "iccpr",
    "iccpr-op1",
    "iccpr-op2",
    "icescr",
    "icescr-op",
    "icerd",
    "cedaw",
    "cedaw-op",
    "cat",
    "opcat",
    "crc",
    "crc-opac",
    "crc-opsc",
    "crc-opic",
    "icmw",
    "crpd",
    "crpd-op",
    "cped",
]
REGIONAL_KEYS = [
    "achpr",
    "acdeg",
    "echr-p1",
    "echr",
    "achr",
    "iadc",
    "osce-copenhagen-1990",
    "hrc-gc-25",
    "dop-ieo-2005",
    "hres-plan-of-action-2017",
]
OPTIONAL_PROTOCOLS = {
    "iccpr-op1": "iccpr",
    "iccpr-op2": "iccpr",
    "icescr-op": "icescr",
    "cedaw-op": "cedaw",
    "opcat": "cat",
    "crc-opac": "crc",
    "crc-opsc": "crc",
    "crc-opic": "crc",
    "crpd-op": "crpd",
    "echr-p1": "echr",
}
TREATY_BODIES = {
    "ccpr": {"iccpr", "iccpr-op1", "iccpr-op2"},
    "cescr": {"icescr", "icescr-op"},
    "cerd": {"icerd"},
    "cedaw": {"cedaw", "cedaw-op"},
    "cat": {"cat"},
    "spt": {"opcat"},
    "crc": {"crc", "crc-opac", "crc-opsc", "crc-opic"},
    "cmw": {"icmw"},
    "crpd": {"crpd", "crpd-op"},
    "ced": {"cped"},
}
SPECIAL_PROCEDURES = [
    "sr-expression",
    "sr-assembly-association",
    "sr-human-rights-defenders",
    "sr-independence-judges-lawyers",
    "sr-minority-issues",
    "wg-discrimination-women",
]
REGIONAL_MECHANISMS = ["aprm", "achpr-commission", "iachr", "venice-commission", "ecthr"]
ORG_SLUGS = [
    "un",
    "ohchr",
    "hrc",
    "eu",
    "osce",
    "osce-odihr",
    "carter-center",
    "au",
    "oas",
    "commonwealth",
    "ndi",
    "iri",
    "ecowas",
    "sadc",
    "pace",
    "ep",
    "enemo",
    "ecf-sadc",
    "democracy-international",
    "coe",
    "upr-info",
    "election-community",
    "human-rights-community",
]
# Provisions the brief requires (IRI suffix after …/id/instrument/).
REQUIRED_PROVISIONS = [
    *[f"udhr/art/{a}" for a in ("2", "7", "13", "19", "20", "21")],
    *[f"udhr/art/21/para/{p}" for p in ("1", "2", "3")],
    *[f"iccpr/art/{a}" for a in ("2", "3", "9", "12", "14", "19", "21", "22", "25", "26", "27")],
    "iccpr/art/2/para/1",
    "iccpr/art/2/para/3",
    *[f"iccpr/art/25/para/{p}" for p in ("a", "b", "c")],
    "icerd/art/5/para/c",
    "cedaw/art/4",
    "cedaw/art/7",
    *[f"cedaw/art/7/para/{p}" for p in ("a", "b", "c")],
    "crpd/art/29",
    "crpd/art/29/para/a",
    "crpd/art/21",
    "icmw/art/41",
    "icmw/art/42",
    "achpr/art/13",
    "acdeg/art/3",
    "acdeg/art/17",
    *[f"echr/art/{a}" for a in ("10", "11", "13", "14")],
    "echr-p1/art/3",
    *[f"achr/art/{a}" for a in ("13", "16", "23")],
    *[f"iadc/art/{a}" for a in ("3", "23", "24")],
    *[f"osce-copenhagen-1990/para/{p}" for p in ("5", "6", "7", "8")],
    *[f"osce-copenhagen-1990/para/7.{i}" for i in range(1, 10)],
    *[f"hrc-gc-25/para/{p}" for p in ("1", "8", "9", "10", "11", "12", "19", "20", "25")],
]

# Floors: current counts; lower them only on purpose.
MIN_INSTRUMENTS = 29
MIN_PROVISIONS = 111
MIN_MECHANISMS = 22
MIN_ORGS = 24
MIN_ACTION_STEPS = 7
N_CYCLES = 4
N_SESSIONS = 54
N_MEETINGS = 5

# --------------------------------------------------------------------------------------------------
# IRI patterns (ontology/README.md, "IRI policy")
# --------------------------------------------------------------------------------------------------

SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
NUM = r"[0-9]+[a-z]?"
PARA = r"[0-9a-z]+(?:\.[0-9a-z]+)*"
E = re.escape(ID)
IRI_KINDS = {
    "instrument": re.compile(rf"^{E}instrument/{SLUG}$"),
    "article": re.compile(rf"^{E}instrument/{SLUG}/art/{NUM}$"),
    "paragraph": re.compile(rf"^{E}instrument/{SLUG}/(?:art/{NUM}/)?para/{PARA}$"),
    "org": re.compile(rf"^{E}org/{SLUG}$"),
    "mechanism": re.compile(rf"^{E}mechanism/{SLUG}$"),
    "cycle": re.compile(rf"^{E}mechanism/upr/cycle/[1-9][0-9]*$"),
    "session": re.compile(rf"^{E}mechanism/upr/session/[1-9][0-9]*$"),
    "initiative": re.compile(rf"^{E}hres/initiative$"),
    "meeting": re.compile(rf"^{E}hres/meeting/[0-9]{{4}}-[0-9]{{2}}-{SLUG}$"),
    "recommendation": re.compile(rf"^{E}recommendation/hres-plan-of-action/[1-9][0-9]*$"),
    # tags minted by importers, classified here (election-themes.ttl)
    "imported-theme": re.compile(r"^https://w3id\.org/hres/vocab/(upr-info-issue|uhri-theme)/[a-z0-9-]+$"),
}
INSTRUMENT_CLASSES = {
    "Instrument",
    "Treaty",
    "OptionalProtocol",
    "RegionalInstrument",
    "Declaration",
    "PoliticalCommitment",
    "InterpretiveText",
    "GeneralComment",
    "Document",
}
MECHANISM_CLASSES = {
    "Mechanism",
    "UniversalPeriodicReview",
    "TreatyBody",
    "SpecialProcedure",
    "RegionalMechanism",
    "Court",
}
ORG_CLASSES = {
    "Organisation",
    "IntergovernmentalOrganisation",
    "ObserverOrganisation",
    "Community",
    "RegionalMechanism",
}
KIND_CLASSES = {
    "instrument": INSTRUMENT_CLASSES,
    "article": {"Article"},
    "paragraph": {"Paragraph"},
    "org": ORG_CLASSES,
    "mechanism": MECHANISM_CLASSES,
    "cycle": {"Cycle"},
    "session": {"Session"},
    "initiative": {"Initiative"},
    "meeting": {"Meeting"},
    "recommendation": {"Recommendation"},
    "imported-theme": {"ElectionTheme"},
}


def H(name: str) -> URIRef:
    return HRES[name]


def inst(key: str) -> URIRef:
    return URIRef(f"{ID}instrument/{key}")


def mech(slug: str) -> URIRef:
    return URIRef(f"{ID}mechanism/{slug}")


def org(slug: str) -> URIRef:
    return URIRef(f"{ID}org/{slug}")


def local(term: URIRef) -> str:
    return str(term)[len(str(HRES)) :]


@pytest.fixture(scope="module")
def g() -> Graph:
    graph = Graph()
    for name in OUR_FILES:
        graph.parse(REFERENCE / name, format="turtle")
    for path in sorted(REFERENCE.glob("*.ttl")):
        if path.name not in OUR_FILES + STATE_MEMBERSHIP_FILES:
            graph.parse(path, format="turtle")
    return graph


def typed(g: Graph, cls: str) -> set[URIRef]:
    return set(g.subjects(RDF.type, H(cls)))


def instruments(g: Graph) -> set[URIRef]:
    return {s for c in INSTRUMENT_CLASSES - {"Document"} for s in typed(g, c)}


def provisions(g: Graph) -> set[URIRef]:
    return typed(g, "Article") | typed(g, "Paragraph") | typed(g, "Provision")


# --------------------------------------------------------------------------------------------------
# The hard-coded contract matches the README
# --------------------------------------------------------------------------------------------------


def test_hard_coded_contract_matches_readme():
    text = README.read_text(encoding="utf-8")
    for name in HRES_CLASSES | HRES_PROPERTIES:
        assert f"`{name}`" in text, f"hres:{name} not named in ontology/README.md"
    rights_row = next(line for line in text.splitlines() if line.startswith("| `rights` |"))
    assert set(re.findall(r"`([a-z-]+)`", rights_row)) - {"rights"} == RIGHT_SLUGS
    for key in UN_KEYS + REGIONAL_KEYS:
        assert f"`{key}`" in text, key
    for slug in ORG_SLUGS + list(TREATY_BODIES) + SPECIAL_PROCEDURES + REGIONAL_MECHANISMS + ["upr"]:
        assert f"`{slug}`" in text, slug


# --------------------------------------------------------------------------------------------------
# Every resource
# --------------------------------------------------------------------------------------------------


def test_files_parse_and_are_commented(g):
    assert len(g) > 1500
    for name in OUR_FILES:
        first = (REFERENCE / name).read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# Hand-edited reference data"), name


def test_every_subject_has_type_and_english_label(g):
    subjects = {s for s in g.subjects() if isinstance(s, URIRef)}
    assert subjects
    for s in subjects:
        assert list(g.objects(s, RDF.type)), f"{s} has no rdf:type"
        en = [o for o in g.objects(s, RDFS.label) if isinstance(o, Literal) and o.language == "en"]
        assert len(en) == 1, f"{s} needs exactly one English rdfs:label, has {en}"
        for o in g.objects(s, RDFS.label):
            assert isinstance(o, Literal) and o.language in {"en", "fr", "es"}, (s, o)
        langs = Counter(o.language for o in g.objects(s, RDFS.label))
        assert max(langs.values()) == 1, f"{s} has two labels in one language"


def test_types_are_contract_terms(g):
    for cls in set(g.objects(None, RDF.type)):
        if str(cls).startswith(str(HRES)):
            assert local(cls) in HRES_CLASSES, f"rdf:type {cls} is not an hres: class of the README"
        else:
            assert cls in EXTERNAL_CLASSES, f"rdf:type {cls} is not allowed"


def test_predicates_are_contract_terms(g):
    for p in set(g.predicates()):
        if str(p).startswith(str(HRES)):
            assert local(p) in HRES_PROPERTIES, f"{p} is not an hres: property of the README"
        else:
            assert p in EXTERNAL_PREDICATES, f"predicate {p} is not allowed"


def test_every_iri_follows_the_patterns(g):
    for s in {s for s in g.subjects() if isinstance(s, URIRef)}:
        kinds = [k for k, rx in IRI_KINDS.items() if rx.match(str(s))]
        assert len(kinds) == 1, f"{s} matches {kinds or 'no'} IRI pattern"
        types = {local(t) for t in g.objects(s, RDF.type) if str(t).startswith(str(HRES))}
        assert types, s
        assert types <= KIND_CLASSES[kinds[0]], f"{s} ({kinds[0]}) has types {types}"


def test_no_dangling_references(g):
    """Every …/id/ IRI used as an object is defined (typed) in the reference files."""
    defined = set(g.subjects(RDF.type, None))
    for s, p, o in g:
        if isinstance(o, URIRef) and str(o).startswith(ID):
            assert o in defined, f"{s} {p} {o}: object not defined"


def test_typed_literals(g):
    date_props = ("adoptionDate", "entryIntoForceDate", "startDate", "endDate")
    for p in date_props:
        for o in g.objects(None, H(p)):
            assert o.datatype == XSD.date, (p, o)
    for o in g.objects(None, H("year")):
        assert o.datatype == XSD.gYear and re.fullmatch(r"(19|20)[0-9]{2}", str(o)), o
    for p in ("cycleNumber", "sessionNumber"):
        for o in g.objects(None, H(p)):
            assert o.datatype == XSD.integer, (p, o)
    for p in ("text", "number", "location", "unSymbol", "paragraphNumber"):
        for o in g.objects(None, H(p)):
            assert isinstance(o, Literal) and o.datatype in (None, XSD.string), (p, o)


# --------------------------------------------------------------------------------------------------
# Instruments and provisions
# --------------------------------------------------------------------------------------------------


def test_canonical_instruments_exist(g):
    found = instruments(g)
    assert len(found) >= MIN_INSTRUMENTS, len(found)
    for key in UN_KEYS + REGIONAL_KEYS:
        assert inst(key) in found, key
        assert list(g.objects(inst(key), SKOS.notation)), f"{key} has no skos:notation"
    assert (inst("udhr"), RDF.type, H("Declaration")) in g
    assert g.value(inst("udhr"), H("adoptionDate")) == Literal("1948-12-10", datatype=XSD.date)
    assert (inst("hrc-gc-25"), RDF.type, H("GeneralComment")) in g
    assert (inst("dop-ieo-2005"), RDF.type, H("Declaration")) in g
    assert (inst("osce-copenhagen-1990"), RDF.type, H("PoliticalCommitment")) in g
    for key in UN_KEYS:
        assert (inst(key), H("adoptedBy"), org("un")) in g, key
        assert g.value(inst(key), H("adoptionDate")) is not None, key
        labels = {o.language for o in g.objects(inst(key), RDFS.label)}
        assert labels == {"en", "fr", "es"}, (key, labels)
        if key != "udhr":
            assert g.value(inst(key), H("entryIntoForceDate")) is not None, key


def test_entry_into_force_after_adoption(g):
    for s in instruments(g):
        a, e = g.value(s, H("adoptionDate")), g.value(s, H("entryIntoForceDate"))
        if a is not None and e is not None:
            assert a.toPython() < e.toPython(), s


def test_optional_protocols(g):
    treaties = typed(g, "Treaty") | typed(g, "OptionalProtocol")
    for op, parent in OPTIONAL_PROTOCOLS.items():
        assert (inst(op), RDF.type, H("OptionalProtocol")) in g, op
        assert set(g.objects(inst(op), H("optionalProtocolTo"))) == {inst(parent)}, op
        assert inst(parent) in treaties, parent
    for s, o in g.subject_objects(H("optionalProtocolTo")):
        assert (s, RDF.type, H("OptionalProtocol")) in g and o in treaties, (s, o)


def test_provisions(g):
    provs = provisions(g)
    assert len(provs) >= MIN_PROVISIONS, len(provs)
    insts = instruments(g)
    rights = {URIRef(RIGHTS + slug) for slug in RIGHT_SLUGS}
    grounded = Counter()
    for p in provs:
        parts = set(g.objects(p, H("partOf")))
        assert len(parts) == 1 and parts <= insts, f"{p} partOf {parts}"
        (part,) = parts
        assert str(p).startswith(str(part) + "/"), f"{p} is not under its instrument {part}"
        rs = set(g.objects(p, H("groundsRight")))
        assert rs and rs <= rights, f"{p} grounds {rs - rights or 'nothing'}"
        grounded.update(rs)
        number = g.value(p, H("number"))
        assert number is not None and str(p).endswith("/" + str(number)), (p, number)
        # our paraphrase is a description; hres:text is kept for the verbatim text the treaty-texts source adds
        assert g.value(p, H("text")) is None, p
        summary = g.value(p, DCTERMS.description)
        assert summary is not None and 20 <= len(str(summary)) <= 400, p
        label = g.value(p, RDFS.label)
        assert str(number) in str(label), (p, label)
    # every right of the scheme is grounded by at least one provision
    for slug in RIGHT_SLUGS:
        assert grounded[URIRef(RIGHTS + slug)] >= 1, slug
    assert grounded[URIRef(RIGHTS + "vote")] >= 15


def test_paragraph_structure(g):
    provs = provisions(g)
    for p in typed(g, "Paragraph"):
        m = re.match(rf"^(.*)/para/({PARA})$", str(p))
        parent_iri, number = m.group(1), m.group(2)
        parents = set(g.objects(p, H("subProvisionOf")))
        if "/art/" in str(p):
            assert parents == {URIRef(parent_iri)}, (p, parents)
        elif "." in number:  # e.g. Copenhagen para 7.1 under para 7
            assert parents == {URIRef(parent_iri + "/para/" + number.rsplit(".", 1)[0])}, (p, parents)
        else:
            assert not parents, p
        assert parents <= provs, p
        for parent in parents:
            assert g.value(parent, H("partOf")) == g.value(p, H("partOf")), p
    for p in typed(g, "Article"):
        assert not list(g.objects(p, H("subProvisionOf"))), p


def test_required_provisions(g):
    provs = provisions(g)
    for suffix in REQUIRED_PROVISIONS:
        assert inst(suffix) in provs, suffix
    assert g.value(inst("iccpr/art/25/para/b"), RDFS.label) == Literal("ICCPR art. 25(b)", lang="en")
    b = set(g.objects(inst("iccpr/art/25/para/b"), H("groundsRight")))
    for slug in (
        "vote",
        "stand-for-election",
        "universal-suffrage",
        "equal-suffrage",
        "secret-ballot",
        "periodic-elections",
        "free-expression-of-will",
    ):
        assert URIRef(RIGHTS + slug) in b, slug
    assert URIRef(RIGHTS + "participation-of-women") in set(g.objects(inst("cedaw/art/7/para/a"), H("groundsRight")))
    assert URIRef(RIGHTS + "persons-with-disabilities") in set(g.objects(inst("crpd/art/29"), H("groundsRight")))


def test_general_comment_25_interprets_article_25(g):
    targets = set(g.objects(inst("hrc-gc-25"), H("interprets")))
    assert {inst("iccpr/art/25")} | {inst(f"iccpr/art/25/para/{x}") for x in "abc"} <= targets
    assert (inst("hrc-gc-25"), H("adoptedBy"), mech("ccpr")) in g
    provs = provisions(g)
    for s, o in g.subject_objects(H("interprets")):
        assert set(g.objects(s, RDF.type)) & {H("InterpretiveText"), H("GeneralComment")} or s in provs, s
        assert o in provs, f"{s} interprets {o}, which is not a provision"
    gc_paras = {p for p in provs if g.value(p, H("partOf")) == inst("hrc-gc-25")}
    assert len(gc_paras) >= 15
    for p in gc_paras:
        targets = set(g.objects(p, H("interprets")))
        assert targets and all(str(t).startswith(str(inst("iccpr/art/"))) for t in targets), p
    assert (inst("hrc-gc-25/para/9"), H("interprets"), inst("iccpr/art/25/para/b")) in g


# --------------------------------------------------------------------------------------------------
# Organisations and mechanisms
# --------------------------------------------------------------------------------------------------


def test_organisations(g):
    orgs = {s for s in g.subjects(RDF.type, None) if IRI_KINDS["org"].match(str(s))}
    assert len(orgs) >= MIN_ORGS, len(orgs)
    for slug in ORG_SLUGS:
        assert org(slug) in orgs, slug
    for slug in ("election-community", "human-rights-community"):
        assert (org(slug), RDF.type, H("Community")) in g
    assert (org("osce-odihr"), RDF.type, H("ObserverOrganisation")) in g
    assert (org("osce-odihr"), RDF.type, H("RegionalMechanism")) in g
    for sub, parent in (("osce-odihr", "osce"), ("ohchr", "un"), ("hrc", "un")):
        assert (org(sub), H("memberOf"), org(parent)) in g, sub
    observers = typed(g, "ObserverOrganisation")
    assert len(observers) >= 15, len(observers)


def test_mechanisms(g):
    mechs = {s for s in g.subjects(RDF.type, None) if IRI_KINDS["mechanism"].match(str(s))}
    assert len(mechs) >= MIN_MECHANISMS, len(mechs)
    assert (mech("upr"), RDF.type, H("UniversalPeriodicReview")) in g
    for slug in SPECIAL_PROCEDURES:
        assert (mech(slug), RDF.type, H("SpecialProcedure")) in g, slug
    for slug in REGIONAL_MECHANISMS:
        assert mech(slug) in mechs, slug
    assert (mech("ecthr"), RDF.type, H("Court")) in g


def test_treaty_bodies_monitor_instruments(g):
    bodies = typed(g, "TreatyBody")
    assert bodies == {mech(slug) for slug in TREATY_BODIES}, bodies
    insts = instruments(g)
    for slug, expected in TREATY_BODIES.items():
        monitored = set(g.objects(mech(slug), H("monitors")))
        assert len(monitored) >= 1 and monitored <= insts, slug
        assert monitored == {inst(k) for k in expected}, (slug, monitored)


def test_upr_cycles_and_sessions(g):
    cycles = typed(g, "Cycle")
    sessions = typed(g, "Session")
    assert len(cycles) == N_CYCLES and len(sessions) == N_SESSIONS
    ranges = {1: range(1, 13), 2: range(13, 27), 3: range(27, 41), 4: range(41, 55)}
    cycle_by_number = {}
    for c in cycles:
        n = g.value(c, H("cycleNumber")).toPython()
        assert str(c).endswith(f"/cycle/{n}")
        assert g.value(c, H("ofMechanism")) == mech("upr")
        cycle_by_number[n] = c
    assert set(cycle_by_number) == set(ranges)
    years = {}
    for s in sessions:
        n = g.value(s, H("sessionNumber")).toPython()
        assert str(s).endswith(f"/session/{n}")
        in_cycles = set(g.objects(s, H("inCycle")))
        assert len(in_cycles) == 1, f"session {n} is in {len(in_cycles)} cycles"
        (c,) = in_cycles
        assert n in ranges[g.value(c, H("cycleNumber")).toPython()], n
        assert g.value(s, H("ofMechanism")) == mech("upr")
        years[n] = int(str(g.value(s, H("year"))))
    assert sorted(years) == list(range(1, 55))
    assert [years[n] for n in sorted(years)] == sorted(years.values()), "session years must not decrease"
    assert years[1] == 2008 and years[12] == 2011 and years[13] == 2012 and years[26] == 2016
    assert years[27] == 2017 and years[40] == 2022 and years[41] == 2022


# --------------------------------------------------------------------------------------------------
# HRES initiative
# --------------------------------------------------------------------------------------------------


def test_hres_initiative(g):
    initiative = URIRef(ID + "hres/initiative")
    assert (initiative, RDF.type, H("Initiative")) in g
    assert {org("ohchr"), org("carter-center")} <= set(g.objects(initiative, DCTERMS.creator))
    meetings = typed(g, "Meeting")
    assert len(meetings) == N_MEETINGS
    for m in meetings:
        assert g.value(m, H("meetingOf")) == initiative
        assert g.value(m, H("location")) is not None and g.value(m, H("year")) is not None
    locations = Counter(str(g.value(m, H("location"))).split(",")[0] for m in meetings)
    assert locations == {"Atlanta": 3, "Geneva": 2}


def test_plan_of_action_steps(g):
    plan = inst("hres-plan-of-action-2017")
    assert (plan, RDF.type, H("Document")) in g
    communities = {org("election-community"), org("human-rights-community")}
    steps = {s for s in typed(g, "Recommendation") if str(s).startswith(ID + "recommendation/hres-plan-of-action/")}
    assert len(steps) >= MIN_ACTION_STEPS, len(steps)
    for s in steps:
        assert g.value(s, H("issuedBy")) == URIRef(ID + "hres/initiative"), s
        assert g.value(s, H("sourceDocument")) == plan, s
        addressed = set(g.objects(s, H("addressedTo")))
        assert addressed and addressed <= communities, s
        assert g.value(s, H("text")) is not None, s
        assert g.value(s, RDFS.comment) is not None, s
    both = [s for s in steps if set(g.objects(s, H("addressedTo"))) == communities]
    assert len(both) >= 4
