"""The ontology and vocabularies keep the contract of ontology/README.md, and HermiT finds them consistent.

The expected terms and slugs are written out here on purpose: importers are written against those
IRIs, so a rename or a dropped concept must fail a test rather than pass silently.
"""

from __future__ import annotations

import socket
import urllib.request

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from hres_graph.errors import ConfigError
from hres_graph.quality.reasoner import ONTOLOGY_DIR, check_consistency, load_ontology, ontology_files

HRES = Namespace("https://w3id.org/hres/ontology#")
VOCAB = "https://w3id.org/hres/vocab/"
ONTOLOGY = URIRef("https://w3id.org/hres/ontology")
VANN = Namespace("http://purl.org/vocab/vann/")
PROV = Namespace("http://www.w3.org/ns/prov#")
ORG = Namespace("http://www.w3.org/ns/org#")

# ---- The contract (ontology/README.md, "Terms" and "Vocabularies") ----------------------------

SUBCLASSES = {  # class -> asserted superclasses (hres: names or external IRIs)
    "Instrument": [],
    "Treaty": ["Instrument"],
    "OptionalProtocol": ["Treaty"],
    "RegionalInstrument": ["Instrument"],
    "Declaration": ["Instrument"],
    "PoliticalCommitment": ["Instrument"],
    "InterpretiveText": ["Instrument"],
    "GeneralComment": ["InterpretiveText"],
    "Provision": [],
    "Article": ["Provision"],
    "Paragraph": ["Provision"],
    "Right": [SKOS.Concept],
    "Actor": [PROV.Agent],
    "State": ["Actor"],
    "Organisation": ["Actor", ORG.Organization],
    "IntergovernmentalOrganisation": ["Organisation"],
    "ObserverOrganisation": ["Organisation"],
    "Community": ["Actor"],
    "RegionalGroup": [ORG.Organization],
    "Mechanism": ["Actor"],
    "UniversalPeriodicReview": ["Mechanism"],
    "TreatyBody": ["Mechanism"],
    "SpecialProcedure": ["Mechanism"],
    "RegionalMechanism": ["Mechanism"],
    "Court": ["Mechanism"],
    "ParticipationEvent": [PROV.Activity],
    "Signature": ["ParticipationEvent"],
    "ConsentToBeBound": ["ParticipationEvent"],
    "Ratification": ["ConsentToBeBound"],
    "Accession": ["ConsentToBeBound"],
    "Succession": ["ConsentToBeBound"],
    "ProcedureAcceptance": ["ParticipationEvent"],
    "CommunicationsProcedureAcceptance": ["ProcedureAcceptance"],
    "InquiryProcedureAcceptance": ["ProcedureAcceptance"],
    "RatificationStatusTable": [PROV.Entity],
    "Cycle": [PROV.Activity],
    "Session": [PROV.Activity],
    "Review": [PROV.Activity],
    "ObservationMission": [PROV.Activity],
    "Election": [PROV.Activity],
    "Document": [PROV.Entity],
    "Meeting": [PROV.Activity],
    "Initiative": ["Organisation"],
    "FollowUpMechanism": ["Organisation"],
    "ActionItem": [PROV.Entity],
    "Recommendation": ["ActionItem"],
    "VoluntaryPledge": ["ActionItem"],
    "ElectionTheme": [SKOS.Concept],
    "ElectionRelatedRecommendation": ["Recommendation"],
    "Response": [PROV.Entity],
    "Finding": [PROV.Entity],
    "Decision": ["Finding"],
    "ImplementationAssessment": [PROV.Entity],
    "SimilarityLink": [PROV.Entity],
    "Resolution": ["Document"],
    "RollCallVote": [PROV.Entity],
}
OBJECT_PROPERTIES = [
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
    "qualifiedRepeat",
    "qualifiedEcho",
    "linkedItem",
    "similarityMethod",
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
    "textMentionsRight",
    "hasAssessment",
    "competenceAccepted",
    "tableOf",
    "recordsKind",
    "listsState",
    "sameActAs",
    "currentParticipation",
    "statusContradictedBy",
    "mainSponsor",
    "voteOn",
    "voter",
    "votePosition",
    "keywordMatchedRight",
]
DATATYPE_RANGES = {
    "text": RDFS.Literal,
    "number": XSD.string,
    "iso3166Alpha2": XSD.string,
    "iso3166Alpha3": XSD.string,
    "m49Code": XSD.string,
    "unSymbol": XSD.string,
    "paragraphNumber": XSD.string,
    "unMember": XSD.boolean,
    **{
        name: XSD.date
        for name in (
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
        )
    },
    "year": XSD.gYear,
    "cycleNumber": XSD.integer,
    "sessionNumber": XSD.integer,
    **{
        name: XSD.string
        for name in (
            "reservation",
            "evidence",
            "missionType",
            "electionType",
            "electedBody",
            "electionStatus",
            "location",
            "chiefObserver",
        )
    },
    "priority": XSD.boolean,
    "score": XSD.decimal,
    "similarityScore": XSD.decimal,
    "similarityThreshold": XSD.decimal,
    "statusDate": XSD.date,
    "turnout": XSD.decimal,
    "electorate": XSD.nonNegativeInteger,
    "votesCast": XSD.nonNegativeInteger,
    "validVotes": XSD.nonNegativeInteger,
    "earlyElection": XSD.boolean,
    "votingProcedure": XSD.string,
    "votesInFavour": XSD.integer,
    "votesAgainst": XSD.integer,
    "abstentions": XSD.integer,
}
CONCEPT_RANGED = [
    "theme",
    "concernsGroup",
    "actionCategory",
    "electoralProcessPart",
    "responseStatus",
    "implementationStatus",
    "outcome",
    "votePosition",
]
FUNCTIONAL = [
    "respondsTo",
    "assesses",
    "participant",
    "instrument",
    "eventDate",
    "similarityScore",
    "similarityThreshold",
    "tableOf",
    "statusDate",
    "voteOn",
    "voter",
    "votePosition",
    "votesInFavour",
    "votesAgainst",
    "abstentions",
]
SCHEMES = {
    "response-status": ["supported", "noted", "partially-supported", "pending", "rejected", "voluntary-pledge"],
    "implementation-status": [
        "fully-implemented",
        "mostly-implemented",
        "partially-implemented",
        "not-implemented",
        "reported-implemented",
        "no-information",
    ],
    "odihr-implementation-scale": ["fully", "mostly", "partially", "not"],
    "upr-info-implementation-scale": ["implemented", "partially-implemented", "not-implemented"],
    "upr-position": ["supported", "noted"],
    "action-category": ["1", "2", "3", "4", "5"],
    "electoral-process-part": [
        "legal-framework",
        "electoral-system",
        "boundary-delimitation",
        "election-administration",
        "voter-registration",
        "voter-education",
        "candidate-registration",
        "campaign",
        "campaign-finance",
        "media",
        "complaints-and-appeals",
        "voting-counting-tabulation",
        "results",
        "participation-of-women-minorities-pwd",
        "civil-society-observers",
        "security-violence",
    ],
    "un-regional-group": ["african", "asia-pacific", "eastern-european", "grulac", "weog"],
    "rights": [
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
    ],
    "decision-outcome": ["violation", "no-violation", "inadmissible", "discontinued", "other"],
    "rights-holder-group": [
        "women",
        "persons-with-disabilities",
        "minorities",
        "indigenous-peoples",
        "youth",
        "persons-deprived-of-liberty",
        "refugees-and-asylum-seekers",
        "migrants",
        "lgbti-persons",
        "people-living-in-poverty",
        "internally-displaced-persons",
        "stateless-persons",
    ],
    "gc-concerned-group": [
        "children",
        "women-girls",
        "persons-with-disabilities",
        "migrants",
        "indigenous-peoples",
        "persons-deprived-of-their-liberty",
        "refugees-asylum-seekers",
        "adolescents",
        "persons-living-in-rural-remote-areas",
        "persons-affected-by-armed-conflict",
        "persons-living-in-poverty",
        "persons-in-street-situations",
        "internally-displaced-persons",
        "children-in-alternative-care",
        "non-citizens-and-stateless",
        "persons-living-with-hiv-aids",
        "lgbti",
        "roma-gypsies-sinti-and-travellers",
        "persons-affected-by-natural-disasters",
    ],
}
# electoral_process_part values of the observer data (curated eom-missions/findings.csv)
OBSERVER_SPELLINGS = {
    "legal framework": "legal-framework",
    "electoral system": "electoral-system",
    "election administration": "election-administration",
    "voter registration": "voter-registration",
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

CLASSES = list(SUBCLASSES)
TERMS = CLASSES + OBJECT_PROPERTIES + list(DATATYPE_RANGES)
CONCEPTS = [(scheme, slug) for scheme, slugs in SCHEMES.items() for slug in slugs]


def concept(scheme: str, slug: str) -> URIRef:
    return URIRef(f"{VOCAB}{scheme}/{slug}")


def langs(graph: Graph, subject, predicate) -> set[str | None]:
    return {o.language for o in graph.objects(subject, predicate) if isinstance(o, Literal)}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "hres.ttl", format="turtle")


@pytest.fixture(scope="module")
def combined() -> Graph:
    return load_ontology()


# ---- Files ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ontology_files(), ids=lambda p: p.name)
def test_file_parses(path):
    assert len(Graph().parse(path, format="turtle")) > 0


def test_one_vocab_file_per_scheme():
    assert sorted(p.stem for p in ontology_files()[1:]) == sorted(SCHEMES)
    assert ontology_files()[0] == ONTOLOGY_DIR / "hres.ttl"


# ---- Header -----------------------------------------------------------------------------------

HEADER = {
    "type": (RDF.type, OWL.Ontology),
    "versionIRI": (OWL.versionIRI, URIRef("https://w3id.org/hres/ontology/0.1.0")),
    "versionInfo": (OWL.versionInfo, Literal("0.1.0")),
    "license": (DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")),
    "creator": (DCTERMS.creator, Literal("HRES Graph contributors")),
    "created": (DCTERMS.created, Literal("2026-11-24", datatype=XSD.date)),
    "modified": (DCTERMS.modified, Literal("2026-11-24", datatype=XSD.date)),
    "preferredNamespacePrefix": (VANN.preferredNamespacePrefix, Literal("hres")),
}


@pytest.mark.parametrize("predicate, expected", HEADER.values(), ids=list(HEADER))
def test_header_value(ontology, predicate, expected):
    assert expected in set(ontology.objects(ONTOLOGY, predicate))


@pytest.mark.parametrize(
    "predicate", [DCTERMS.title, DCTERMS.description, RDFS.label], ids=["title", "description", "label"]
)
def test_header_text_in_english(ontology, predicate):
    assert "en" in langs(ontology, ONTOLOGY, predicate)


def test_header_namespace_uri(ontology):
    assert {str(o) for o in ontology.objects(ONTOLOGY, VANN.preferredNamespaceUri)} == {str(HRES)}


def test_no_owl_imports(ontology):
    assert not list(ontology.objects(ONTOLOGY, OWL.imports)), "declare external terms instead"


# ---- Terms ------------------------------------------------------------------------------------


def test_terms_are_exactly_the_contract(ontology):
    declared = {
        str(s)[len(HRES) :]
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
        for s in ontology.subjects(RDF.type, kind)
        if str(s).startswith(str(HRES))
    }
    assert sorted(set(TERMS) - declared) == [], "README terms missing from hres.ttl"
    assert sorted(declared - set(TERMS)) == [], "terms not in the README: add them there and here"


@pytest.mark.parametrize("name", TERMS)
def test_term_annotations(ontology, name):
    term = HRES[name]
    assert "en" in langs(ontology, term, RDFS.label), "rdfs:label@en"
    assert "en" in langs(ontology, term, SKOS.definition), "skos:definition@en"
    assert (term, RDFS.isDefinedBy, ONTOLOGY) in ontology


@pytest.mark.parametrize("name", CLASSES)
def test_class(ontology, name):
    cls = HRES[name]
    assert (cls, RDF.type, OWL.Class) in ontology
    assert {"en", "fr", "es"} <= langs(ontology, cls, RDFS.label)
    expected = {s if isinstance(s, URIRef) else HRES[s] for s in SUBCLASSES[name]}
    assert expected <= set(ontology.objects(cls, RDFS.subClassOf))


@pytest.mark.parametrize("name", OBJECT_PROPERTIES)
def test_object_property(ontology, name):
    prop = HRES[name]
    assert (prop, RDF.type, OWL.ObjectProperty) in ontology
    assert len(list(ontology.objects(prop, RDFS.domain))) == 1, "exactly one rdfs:domain"
    assert len(list(ontology.objects(prop, RDFS.range))) == 1, "exactly one rdfs:range"
    if name in CONCEPT_RANGED:
        assert ontology.value(prop, RDFS.range) == SKOS.Concept


@pytest.mark.parametrize("name, datatype", DATATYPE_RANGES.items(), ids=list(DATATYPE_RANGES))
def test_datatype_property(ontology, name, datatype):
    prop = HRES[name]
    assert (prop, RDF.type, OWL.DatatypeProperty) in ontology
    assert len(list(ontology.objects(prop, RDFS.domain))) == 1, "exactly one rdfs:domain"
    assert set(ontology.objects(prop, RDFS.range)) == {datatype}


@pytest.mark.parametrize("name", FUNCTIONAL)
def test_functional(ontology, name):
    assert (HRES[name], RDF.type, OWL.FunctionalProperty) in ontology


def test_axioms(ontology):
    assert (HRES.Recommendation, OWL.disjointWith, HRES.VoluntaryPledge) in ontology
    assert (HRES.State, OWL.disjointWith, HRES.Mechanism) in ontology
    assert (HRES.sameRecommendationAs, RDF.type, OWL.SymmetricProperty) in ontology
    assert (HRES.sameActAs, RDF.type, OWL.SymmetricProperty) in ontology
    assert (HRES.inRegionalGroup, RDFS.subPropertyOf, ORG.memberOf) in ontology
    assert (HRES.memberOf, RDFS.subPropertyOf, ORG.memberOf) in ontology


def test_every_union_is_a_list_of_declared_classes_or_restrictions(ontology):
    """owl:unionOf members must be declared classes (or anonymous restrictions in a defined class),
    or the domain silently means something else."""
    classes = set(ontology.subjects(RDF.type, OWL.Class))
    for union in ontology.subjects(OWL.unionOf, None):
        members = list(ontology.items(ontology.value(union, OWL.unionOf)))
        named = {m for m in members if isinstance(m, URIRef)}
        anonymous = [m for m in members if not isinstance(m, URIRef)]
        assert len(members) >= 2 and named <= classes, members
        assert all((m, RDF.type, OWL.Restriction) in ontology for m in anonymous), members


def test_every_predicate_and_class_is_declared(combined):
    """OWL 2 DL needs every property and class typed; external ones are declared in hres.ttl."""
    builtin = (str(RDF), str(RDFS), str(OWL))
    declared_props = {
        s
        for kind in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
        for s in combined.subjects(RDF.type, kind)
    }
    used = {p for p in combined.predicates() if not str(p).startswith(builtin)}
    assert sorted(used - declared_props) == []
    classes = set(combined.subjects(RDF.type, OWL.Class))
    referenced = {
        o
        for p in (RDF.type, RDFS.subClassOf, RDFS.domain, RDFS.range, OWL.disjointWith)
        for o in combined.objects(None, p)
        if isinstance(o, URIRef) and not str(o).startswith((*builtin, str(XSD)))
    }
    assert sorted(referenced - classes) == []


# ---- Vocabularies -----------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", SCHEMES)
def test_scheme(combined, scheme):
    iri = URIRef(VOCAB + scheme)
    assert (iri, RDF.type, SKOS.ConceptScheme) in combined
    for predicate in (SKOS.prefLabel, RDFS.label):
        assert {"en", "fr", "es"} <= langs(combined, iri, predicate), predicate
    assert "en" in langs(combined, iri, DCTERMS.description)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_scheme_has_exactly_the_contract_slugs(combined, scheme):
    iri = URIRef(VOCAB + scheme)
    members = {str(c)[len(iri) + 1 :] for c in combined.subjects(SKOS.inScheme, iri)}
    assert members == set(SCHEMES[scheme])


@pytest.mark.parametrize("scheme, slug", CONCEPTS, ids=[f"{s}/{c}" for s, c in CONCEPTS])
def test_concept(combined, scheme, slug):
    iri, scheme_iri = concept(scheme, slug), URIRef(VOCAB + scheme)
    assert (iri, RDF.type, SKOS.Concept) in combined
    assert (iri, SKOS.inScheme, scheme_iri) in combined
    assert (iri, SKOS.topConceptOf, scheme_iri) in combined or (iri, SKOS.broader, None) in combined
    for predicate in (SKOS.prefLabel, RDFS.label):
        assert {"en", "fr", "es"} <= langs(combined, iri, predicate), predicate
        for lang in ("en", "fr", "es"):
            assert len([o for o in combined.objects(iri, predicate) if o.language == lang]) == 1
    assert "en" in langs(combined, iri, SKOS.definition)


def test_top_concepts_mirror_top_concept_of(combined):
    assert set(combined.subject_objects(SKOS.topConceptOf)) == {
        (c, s) for s, c in combined.subject_objects(SKOS.hasTopConcept)
    }


def test_no_concept_outside_the_contract(combined):
    ours = {c for c in combined.subjects(RDF.type, SKOS.Concept) if str(c).startswith(VOCAB)}
    assert ours == {concept(s, c) for s, c in CONCEPTS}


@pytest.mark.parametrize("slug", SCHEMES["un-regional-group"])
def test_regional_groups_are_regional_groups(combined, slug):
    assert (concept("un-regional-group", slug), RDF.type, HRES.RegionalGroup) in combined


def test_weog_wikidata(combined):
    assert (
        concept("un-regional-group", "weog"),
        SKOS.exactMatch,
        URIRef("http://www.wikidata.org/entity/Q3117820"),
    ) in combined


@pytest.mark.parametrize("slug", SCHEMES["rights"])
def test_rights_are_rights(combined, slug):
    assert (concept("rights", slug), RDF.type, HRES.Right) in combined


@pytest.mark.parametrize("slug", SCHEMES["action-category"])
def test_action_category_notation(combined, slug):
    assert list(combined.objects(concept("action-category", slug), SKOS.notation)) == [Literal(slug)]


@pytest.mark.parametrize("spelling, slug", OBSERVER_SPELLINGS.items(), ids=list(OBSERVER_SPELLINGS))
def test_observer_spelling_is_an_alt_label(combined, spelling, slug):
    labels = {str(o) for o in combined.objects(concept("electoral-process-part", slug), SKOS.altLabel)}
    assert spelling in labels


MAPPINGS = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch)


@pytest.mark.parametrize("target", ["odihr-implementation-scale", "upr-info-implementation-scale", "upr-position"])
def test_implementation_status_is_mapped_to(combined, target):
    mapped = {
        o
        for s in combined.subjects(SKOS.inScheme, URIRef(VOCAB + "implementation-status"))
        for p in MAPPINGS
        for o in combined.objects(s, p)
    }
    assert any(str(o).startswith(f"{VOCAB}{target}/") for o in mapped)


def test_mappings_inside_vocab_resolve_and_related_matches_are_explained(combined):
    known = {concept(s, c) for s, c in CONCEPTS}
    for p in MAPPINGS:
        for s, o in combined.subject_objects(p):
            if str(o).startswith(VOCAB):
                assert o in known, f"{s} {p} {o}: no such concept"
            if p == SKOS.relatedMatch:
                assert "en" in langs(combined, s, SKOS.scopeNote), f"{s}: relatedMatch needs a scopeNote"


# ---- Reasoner ---------------------------------------------------------------------------------

SAMPLE_ABOX = """
@prefix hres: <https://w3id.org/hres/ontology#> .
@prefix id:   <https://w3id.org/hres/id/> .
@prefix v:    <https://w3id.org/hres/vocab/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

id:state\\/SVN a hres:State ; rdfs:label "Slovenia"@en ; hres:iso3166Alpha3 "SVN" ;
    hres:iso3166Alpha2 "SI" ; hres:m49Code "705" ; hres:unMember true ;
    hres:inRegionalGroup v:un-regional-group\\/eastern-european ; hres:memberOf id:org\\/osce ;
    skos:exactMatch <http://www.wikidata.org/entity/Q215> .
id:state\\/KEN a hres:State ; hres:inRegionalGroup v:un-regional-group\\/african .
id:state\\/FRA a hres:State ; hres:inRegionalGroup v:un-regional-group\\/weog .
id:org\\/osce a hres:IntergovernmentalOrganisation .
id:org\\/un a hres:IntergovernmentalOrganisation .
id:org\\/eu a hres:IntergovernmentalOrganisation , hres:ObserverOrganisation .

id:instrument\\/iccpr a hres:Treaty ; skos:notation "ICCPR" ; hres:adoptedBy id:org\\/un ;
    hres:adoptionDate "1966-12-16"^^xsd:date ; hres:entryIntoForceDate "1976-03-23"^^xsd:date .
id:instrument\\/iccpr-op1 a hres:OptionalProtocol ; hres:optionalProtocolTo id:instrument\\/iccpr .
id:instrument\\/iccpr\\/art\\/25 a hres:Article ; hres:partOf id:instrument\\/iccpr ; hres:number "25" ;
    hres:groundsRight v:rights\\/take-part-in-public-affairs .
id:instrument\\/iccpr\\/art\\/25\\/para\\/b a hres:Paragraph ; hres:partOf id:instrument\\/iccpr ;
    hres:subProvisionOf id:instrument\\/iccpr\\/art\\/25 ; hres:number "b" ;
    hres:groundsRight v:rights\\/vote , v:rights\\/secret-ballot ; hres:text "To vote and to be elected ..."@en .
id:instrument\\/hrc-gc-25 a hres:GeneralComment ; hres:adoptedBy id:mechanism\\/ccpr ;
    hres:interprets id:instrument\\/iccpr\\/art\\/25 ; hres:unSymbol "CCPR/C/21/Rev.1/Add.7" .
id:instrument\\/hrc-gc-25\\/para\\/20 a hres:Paragraph ; hres:partOf id:instrument\\/hrc-gc-25 ;
    hres:interprets id:instrument\\/iccpr\\/art\\/25\\/para\\/b .
id:mechanism\\/ccpr a hres:TreatyBody ; hres:monitors id:instrument\\/iccpr , id:instrument\\/iccpr-op1 .

id:participation\\/SVN\\/iccpr\\/succession a hres:Succession ; hres:participant id:state\\/SVN ;
    hres:instrument id:instrument\\/iccpr ; hres:eventDate "1992-07-06"^^xsd:date .
id:participation\\/FRA\\/iccpr\\/accession a hres:Accession ; hres:participant id:state\\/FRA ;
    hres:instrument id:instrument\\/iccpr ; hres:year "1980"^^xsd:gYear ; hres:reservation "..." .

id:mechanism\\/upr a hres:UniversalPeriodicReview .
id:mechanism\\/upr\\/cycle\\/2 a hres:Cycle ; hres:ofMechanism id:mechanism\\/upr ; hres:cycleNumber 2 .
id:mechanism\\/upr\\/session\\/20 a hres:Session ; hres:ofMechanism id:mechanism\\/upr ;
    hres:inCycle id:mechanism\\/upr\\/cycle\\/2 ; hres:sessionNumber 20 ;
    hres:startDate "2014-10-27"^^xsd:date ; hres:endDate "2014-11-07"^^xsd:date .
id:review\\/upr\\/20\\/SVN a hres:Review ; hres:ofMechanism id:mechanism\\/upr ;
    hres:inSession id:mechanism\\/upr\\/session\\/20 ; hres:reviewOf id:state\\/SVN .
id:document\\/a-hrc-28-15 a hres:Document ; hres:unSymbol "A/HRC/28/15" .
v:upr-info-issue\\/elections a skos:Concept .

id:recommendation\\/upr-info\\/r1 a hres:Recommendation ; hres:text "Ratify ..."@en ;
    hres:recommendingActor id:state\\/FRA ; hres:issuedBy id:mechanism\\/upr ;
    hres:addressedTo id:state\\/SVN ; hres:madeInReview id:review\\/upr\\/20\\/SVN ;
    hres:inCycleOf id:mechanism\\/upr\\/cycle\\/2 ; hres:sourceDocument id:document\\/a-hrc-28-15 ;
    hres:paragraphNumber "115.23" ; hres:theme v:upr-info-issue\\/elections ;
    hres:actionCategory v:action-category\\/5 ; hres:concernsRight v:rights\\/vote ;
    hres:concernsInstrument id:instrument\\/iccpr-op1 ;
    hres:sameRecommendationAs id:recommendation\\/ohchr\\/r1 ; dcterms:source <https://example.org/upr> .
id:recommendation\\/ohchr\\/r1 a hres:Recommendation ; prov:wasDerivedFrom id:document\\/a-hrc-28-15 .
id:recommendation\\/upr-info\\/r1\\/response\\/upr-info a hres:Response ;
    hres:respondsTo id:recommendation\\/upr-info\\/r1 ; hres:respondent id:state\\/SVN ;
    hres:responseStatus v:response-status\\/supported ; hres:responseDate "2015-03-19"^^xsd:date .
id:recommendation\\/upr-info\\/r1\\/assessment\\/x a hres:ImplementationAssessment ;
    hres:assesses id:recommendation\\/upr-info\\/r1 ; hres:assessor id:state\\/SVN ;
    hres:implementationStatus v:implementation-status\\/reported-implemented ;
    hres:assessmentDate "2017-01-01"^^xsd:date ; hres:evidence "..." ; hres:score 0.5 .
id:recommendation\\/upr-info\\/p1 a hres:VoluntaryPledge ; hres:issuedBy id:state\\/SVN .
id:recommendation\\/upr-info\\/p1\\/response\\/upr-info a hres:Response ;
    hres:respondsTo id:recommendation\\/upr-info\\/p1 ; hres:responseStatus v:response-status\\/voluntary-pledge .

id:election\\/KEN\\/2022-08-09 a hres:Election ; hres:electionIn id:state\\/KEN ;
    hres:electionDate "2022-08-09"^^xsd:date ; hres:electionType "general" .
id:mission\\/eu\\/KEN\\/2022-08-09 a hres:ObservationMission ; hres:deployedBy id:org\\/eu ;
    hres:observes id:election\\/KEN\\/2022-08-09 ; hres:missionType "EOM" ; hres:chiefObserver "..." .
id:finding\\/eom\\/f1 a hres:Finding ; hres:madeByMission id:mission\\/eu\\/KEN\\/2022-08-09 ;
    hres:issuedBy id:org\\/eu ; hres:concernsState id:state\\/KEN ;
    hres:electoralProcessPart v:electoral-process-part\\/campaign-finance .
id:recommendation\\/eom\\/r1 a hres:Recommendation ; hres:madeByMission id:mission\\/eu\\/KEN\\/2022-08-09 ;
    hres:basedOnFinding id:finding\\/eom\\/f1 ; hres:priority true ;
    hres:electoralProcessPart v:electoral-process-part\\/campaign-finance ;
    hres:echoes id:recommendation\\/upr-info\\/r1 ; hres:repeats id:recommendation\\/eom\\/r0 .
id:recommendation\\/eom\\/r0 a hres:Recommendation .
id:finding\\/tb\\/d1 a hres:Decision ; hres:issuedBy id:mechanism\\/ccpr ; hres:concernsState id:state\\/KEN ;
    hres:outcome v:decision-outcome\\/violation ; hres:concernsProvision id:instrument\\/iccpr\\/art\\/25\\/para\\/b .

id:hres\\/initiative a hres:Initiative ; hres:memberOf id:org\\/un .
id:hres\\/meeting\\/2017-02-geneva a hres:Meeting ; hres:meetingOf id:hres\\/initiative ; hres:location "Geneva" .
id:org\\/election-community a hres:Community .
id:org\\/nmirf-svn a hres:FollowUpMechanism ; hres:followUpMechanismOf id:state\\/SVN ; hres:score 2.5 .
"""


@pytest.fixture()
def no_network(monkeypatch):
    """Any attempt by Python code (owlready2) to open a connection fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)


@pytest.mark.slow
def test_hermit_consistent_and_all_classes_satisfiable(no_network):
    report = check_consistency()
    assert report.reasoner.startswith("HermiT")
    assert report.consistent
    assert report.unsatisfiable == []


@pytest.mark.slow
def test_hermit_consistent_with_sample_data(combined, no_network):
    graph = Graph()
    graph += combined
    graph.parse(data=SAMPLE_ABOX, format="turtle")
    assert len(graph) > len(combined) + 100
    report = check_consistency(graph)
    assert report.consistent, "an axiom contradicts the sample data that importers produce"
    assert report.unsatisfiable == []


@pytest.mark.slow
@pytest.mark.parametrize(
    "data",
    [
        "<urn:x:a> a hres:Recommendation , hres:VoluntaryPledge .",
        "<urn:x:s> a hres:State , hres:Mechanism .",
        "<urn:x:r> a hres:Recommendation ; hres:repeats <urn:x:r> .",
    ],
    ids=["recommendation-and-pledge", "state-and-mechanism", "repeats-itself"],
)
def test_hermit_detects_contradictions(combined, no_network, data):
    """Guards against a vacuous check: these data break the ontology's axioms on purpose."""
    graph = Graph()
    graph += combined
    graph.parse(data="@prefix hres: <https://w3id.org/hres/ontology#> .\n" + data, format="turtle")
    assert not check_consistency(graph).consistent


@pytest.mark.slow
def test_hermit_reports_unsatisfiable_class(combined, no_network):
    graph = Graph()
    graph += combined
    bad = URIRef("urn:x:PledgedRecommendation")
    graph.add((bad, RDF.type, OWL.Class))
    graph.add((bad, RDFS.subClassOf, HRES.Recommendation))
    graph.add((bad, RDFS.subClassOf, HRES.VoluntaryPledge))
    report = check_consistency(graph)
    assert report.consistent and report.unsatisfiable == [str(bad)]


def test_missing_java_is_a_clear_error(monkeypatch):
    import owlready2

    monkeypatch.setattr(owlready2, "JAVA_EXE", "/nonexistent/java")
    with pytest.raises(ConfigError, match="Java not found"):
        check_consistency(Graph())


def test_owl_imports_are_dropped_before_reasoning(combined, no_network):
    """An owl:imports left in data must not make owlready2 or HermiT fetch the imported IRI."""
    graph = Graph()
    graph += combined
    graph.add((ONTOLOGY, OWL.imports, URIRef("http://www.w3.org/2004/02/skos/core")))
    graph.add((BNode(), RDFS.comment, Literal("unrelated")))
    assert check_consistency(graph).consistent
