"""Namespaces and the one canonical prefix map.

`HRES` is closed (`_fail = True`): a misspelt term such as `HRES.recomendedBy` raises instead of
minting a new IRI. tests/test_namespaces.py keeps this list equal to the terms of ontology/hres.ttl.
"""

from __future__ import annotations

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DefinedNamespace

from .prefixes import BASE, PREFIXES, sparql_prologue  # noqa: F401  (re-exported)

ONTOLOGY_IRI = URIRef(BASE + "ontology")
ID = Namespace(PREFIXES["hresid"])
VOCAB = Namespace(PREFIXES["vocab"])
GRAPH = Namespace(PREFIXES["graph"])
ORG = Namespace(PREFIXES["org"])
VOID = Namespace(PREFIXES["void"])
SPDX = Namespace("http://spdx.org/rdf/terms#")
WD = Namespace(PREFIXES["wd"])


class HRES(DefinedNamespace):
    _NS = Namespace(PREFIXES["hres"])
    _fail = True

    # Classes
    Instrument: URIRef
    Treaty: URIRef
    OptionalProtocol: URIRef
    RegionalInstrument: URIRef
    Declaration: URIRef
    PoliticalCommitment: URIRef
    InterpretiveText: URIRef
    GeneralComment: URIRef
    Provision: URIRef
    Article: URIRef
    Paragraph: URIRef
    Right: URIRef
    Actor: URIRef
    State: URIRef
    Organisation: URIRef
    IntergovernmentalOrganisation: URIRef
    ObserverOrganisation: URIRef
    Community: URIRef
    RegionalGroup: URIRef
    Mechanism: URIRef
    UniversalPeriodicReview: URIRef
    TreatyBody: URIRef
    SpecialProcedure: URIRef
    RegionalMechanism: URIRef
    Court: URIRef
    ParticipationEvent: URIRef
    Signature: URIRef
    ConsentToBeBound: URIRef
    Ratification: URIRef
    Accession: URIRef
    Succession: URIRef
    ProcedureAcceptance: URIRef
    CommunicationsProcedureAcceptance: URIRef
    InquiryProcedureAcceptance: URIRef
    RatificationStatusTable: URIRef
    Cycle: URIRef
    Session: URIRef
    Review: URIRef
    ObservationMission: URIRef
    Election: URIRef
    Document: URIRef
    Meeting: URIRef
    Initiative: URIRef
    FollowUpMechanism: URIRef
    ActionItem: URIRef
    Recommendation: URIRef
    ElectionRelatedRecommendation: URIRef
    ElectionTheme: URIRef
    VoluntaryPledge: URIRef
    Response: URIRef
    Finding: URIRef
    Decision: URIRef
    ImplementationAssessment: URIRef
    SimilarityLink: URIRef
    Resolution: URIRef
    RollCallVote: URIRef

    # Object properties
    partOf: URIRef
    subProvisionOf: URIRef
    groundsRight: URIRef
    interprets: URIRef
    optionalProtocolTo: URIRef
    adoptedBy: URIRef
    inRegionalGroup: URIRef
    memberOf: URIRef
    participant: URIRef
    instrument: URIRef
    competenceAccepted: URIRef
    tableOf: URIRef
    recordsKind: URIRef
    listsState: URIRef
    sameActAs: URIRef
    currentParticipation: URIRef
    statusContradictedBy: URIRef
    mainSponsor: URIRef
    voteOn: URIRef
    voter: URIRef
    votePosition: URIRef
    keywordMatchedRight: URIRef
    monitors: URIRef
    ofMechanism: URIRef
    inCycle: URIRef
    inSession: URIRef
    reviewOf: URIRef
    deployedBy: URIRef
    observes: URIRef
    electionIn: URIRef
    issuedBy: URIRef
    recommendingActor: URIRef
    addressedTo: URIRef
    madeInReview: URIRef
    madeByMission: URIRef
    inCycleOf: URIRef
    sourceDocument: URIRef
    theme: URIRef
    concernsRight: URIRef
    concernsGroup: URIRef
    concernsProvision: URIRef
    concernsInstrument: URIRef
    actionCategory: URIRef
    electoralProcessPart: URIRef
    basedOnFinding: URIRef
    repeats: URIRef
    echoes: URIRef
    sameRecommendationAs: URIRef
    textMentionsRight: URIRef
    hasAssessment: URIRef
    qualifiedRepeat: URIRef
    qualifiedEcho: URIRef
    linkedItem: URIRef
    similarityMethod: URIRef
    concernsState: URIRef
    respondsTo: URIRef
    responseStatus: URIRef
    respondent: URIRef
    assesses: URIRef
    implementationStatus: URIRef
    assessor: URIRef
    outcome: URIRef
    meetingOf: URIRef
    followUpMechanismOf: URIRef

    # Datatype properties
    text: URIRef
    number: URIRef
    iso3166Alpha2: URIRef
    iso3166Alpha3: URIRef
    m49Code: URIRef
    unSymbol: URIRef
    paragraphNumber: URIRef
    unMember: URIRef
    adoptionDate: URIRef
    entryIntoForceDate: URIRef
    eventDate: URIRef
    issuedDate: URIRef
    responseDate: URIRef
    assessmentDate: URIRef
    electionDate: URIRef
    reportDate: URIRef
    startDate: URIRef
    endDate: URIRef
    year: URIRef
    statusDate: URIRef
    cycleNumber: URIRef
    sessionNumber: URIRef
    reservation: URIRef
    evidence: URIRef
    missionType: URIRef
    electionType: URIRef
    electedBody: URIRef
    electionStatus: URIRef
    location: URIRef
    chiefObserver: URIRef
    priority: URIRef
    score: URIRef
    similarityScore: URIRef
    similarityThreshold: URIRef
    turnout: URIRef
    electorate: URIRef
    votesCast: URIRef
    validVotes: URIRef
    earlyElection: URIRef
    votingProcedure: URIRef
    votesInFavour: URIRef
    votesAgainst: URIRef
    abstentions: URIRef


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the canonical prefixes (and only those) so every serialisation reads the same."""
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True, replace=True)
    return graph


def concept(scheme: str, slug: str) -> URIRef:
    """IRI of a concept in one of our SKOS schemes, e.g. concept('response-status', 'supported')."""
    return VOCAB[f"{scheme}/{slug}"]


def state(iso3: str) -> URIRef:
    return ID[f"state/{iso3}"]


def instrument(key: str) -> URIRef:
    return ID[f"instrument/{key}"]


def mechanism(slug: str) -> URIRef:
    return ID[f"mechanism/{slug}"]


def organisation(slug: str) -> URIRef:
    return ID[f"org/{slug}"]
