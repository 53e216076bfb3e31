"""A small synthetic dataset shaped like the real one, for the quick benchmarks and their tests.

`build(Settings(var_dir=…, sources=[]))` gives the ontology, the vocabularies and the reference data
(instruments, UPR cycles and sessions) but no States, ratifications or recommendations, so the gap
queries would have nothing to count. `add_fixture` writes, deterministically from a seed:

* graph `states`: 48 States with English labels, UN membership and their UN regional group;
* graph `ratification-ohchr`: consents to be bound (and some signatures) to the core treaties;
* graph `upr-info`: UPR reviews, recommendations (theme, recommending and reviewed State, cycle,
  review, text, some asking to ratify a treaty), their responses, a few voluntary pledges;
* graph `upr-wg-reports`: implementation assessments of some supported recommendations.

The IRIs and properties are the importers' own, so every named query of queries/gaps and
queries/follow-up runs on it with its examples (the States of the examples are included).
"""

from __future__ import annotations

import random
from pathlib import Path

import pyoxigraph as ox

HRES = "https://w3id.org/hres/ontology#"
ID = "https://w3id.org/hres/id/"
VOCAB = "https://w3id.org/hres/vocab/"
GRAPH = "https://w3id.org/hres/graph/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
SKOS = "http://www.w3.org/2004/02/skos/core#"
XSD = "http://www.w3.org/2001/XMLSchema#"

STATES = [  # ISO 3166-1 alpha-3, English name, UN regional group
    ("KEN", "Kenya", "african"),
    ("NGA", "Nigeria", "african"),
    ("ZAF", "South Africa", "african"),
    ("EGY", "Egypt", "african"),
    ("GHA", "Ghana", "african"),
    ("SEN", "Senegal", "african"),
    ("ETH", "Ethiopia", "african"),
    ("UGA", "Uganda", "african"),
    ("MAR", "Morocco", "african"),
    ("DZA", "Algeria", "african"),
    ("CMR", "Cameroon", "african"),
    ("ZWE", "Zimbabwe", "african"),
    ("CHN", "China", "asia-pacific"),
    ("IND", "India", "asia-pacific"),
    ("IDN", "Indonesia", "asia-pacific"),
    ("PAK", "Pakistan", "asia-pacific"),
    ("JPN", "Japan", "asia-pacific"),
    ("PHL", "Philippines", "asia-pacific"),
    ("THA", "Thailand", "asia-pacific"),
    ("IRN", "Iran (Islamic Republic of)", "asia-pacific"),
    ("SAU", "Saudi Arabia", "asia-pacific"),
    ("VNM", "Viet Nam", "asia-pacific"),
    ("SVN", "Slovenia", "eastern-european"),
    ("POL", "Poland", "eastern-european"),
    ("UKR", "Ukraine", "eastern-european"),
    ("RUS", "Russian Federation", "eastern-european"),
    ("HUN", "Hungary", "eastern-european"),
    ("ROU", "Romania", "eastern-european"),
    ("SRB", "Serbia", "eastern-european"),
    ("GEO", "Georgia", "eastern-european"),
    ("BRA", "Brazil", "grulac"),
    ("MEX", "Mexico", "grulac"),
    ("ARG", "Argentina", "grulac"),
    ("CHL", "Chile", "grulac"),
    ("COL", "Colombia", "grulac"),
    ("CUB", "Cuba", "grulac"),
    ("PER", "Peru", "grulac"),
    ("VEN", "Venezuela (Bolivarian Republic of)", "grulac"),
    ("USA", "United States of America", "weog"),
    ("FRA", "France", "weog"),
    ("DEU", "Germany", "weog"),
    ("GBR", "United Kingdom", "weog"),
    ("CAN", "Canada", "weog"),
    ("NOR", "Norway", "weog"),
    ("SWE", "Sweden", "weog"),
    ("ESP", "Spain", "weog"),
    ("AUS", "Australia", "weog"),
    ("ITA", "Italy", "weog"),
]
CORE = [
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
THEMES = [
    ("elections", "Elections", 0.08),
    ("women-s-rights", "Women's rights", 0.2),
    ("torture-and-other-cid-treatment", "Torture and other CID treatment", 0.15),
    ("rights-of-the-child", "Rights of the Child", 0.2),
    ("international-instruments", "International instruments", 0.2),
]
TEXTS = [
    "Ratify the International Covenant on Civil and Political Rights",
    "Consider acceding to the Convention on the Rights of Persons with Disabilities",
    "Ratify CEDAW and its Optional Protocol",
    "Become a party to the International Convention on the Elimination of All Forms of Racial Discrimination",
    "Ensure free and fair elections and guarantee the independence of the electoral commission",
    "Strengthen the participation of women in political and public life",
    "Take measures to prevent torture in places of detention",
    "Continue efforts to register every child at birth",
    "Guarantee freedom of expression and of peaceful assembly during electoral campaigns",
]


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _lit(value, datatype: str | None = None, lang: str | None = None) -> ox.Literal:
    if lang:
        return ox.Literal(str(value), language=lang)
    return ox.Literal(str(value), datatype=_n(XSD + datatype)) if datatype else ox.Literal(str(value))


def fixture_quads(recommendations: int = 2000, seed: int = 1):
    """The synthetic quads (a generator)."""
    rng = random.Random(seed)
    states_g, ratif_g, upr_g, wg_g = (
        _n(GRAPH + g) for g in ("states", "ratification-ohchr", "upr-info", "upr-wg-reports")
    )
    state = {code: _n(f"{ID}state/{code}") for code, _, _ in STATES}
    for code, name, group in STATES:
        s = state[code]
        yield ox.Quad(s, RDF_TYPE, _n(HRES + "State"), states_g)
        yield ox.Quad(s, LABEL, _lit(name, lang="en"), states_g)
        yield ox.Quad(s, _n(HRES + "unMember"), _lit("true", "boolean"), states_g)
        yield ox.Quad(s, _n(HRES + "iso3166Alpha3"), _lit(code), states_g)
        yield ox.Quad(s, _n(HRES + "inRegionalGroup"), _n(f"{VOCAB}un-regional-group/{group}"), states_g)
        for instrument in CORE:
            roll = rng.random()
            if code == "USA" and instrument not in ("iccpr", "icerd", "cat", "crc-opac", "crc-opsc"):
                roll = 0.9 if instrument in ("icescr", "cedaw", "crc", "crpd") else 0.99
            kind = "consent" if roll < 0.7 else "signature" if roll < 0.92 else None
            if kind:
                event = _n(f"{ID}participation/{code}/{instrument}/{kind}")
                yield ox.Quad(
                    event, RDF_TYPE, _n(HRES + ("ConsentToBeBound" if kind == "consent" else "Signature")), ratif_g
                )
                yield ox.Quad(event, _n(HRES + "participant"), s, ratif_g)
                yield ox.Quad(event, _n(HRES + "instrument"), _n(f"{ID}instrument/{instrument}"), ratif_g)
                yield ox.Quad(
                    event,
                    _n(HRES + "eventDate"),
                    _lit(f"{rng.randint(1970, 2020)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}", "date"),
                    ratif_g,
                )
    for slug, label, _ in THEMES:
        theme = _n(f"{VOCAB}upr-info-issue/{slug}")
        yield ox.Quad(theme, RDF_TYPE, _n(SKOS + "Concept"), upr_g)
        yield ox.Quad(theme, LABEL, _lit(label, lang="en"), upr_g)
        yield ox.Quad(theme, _n(SKOS + "inScheme"), _n(f"{VOCAB}upr-info-issue"), upr_g)
    codes = [code for code, _, _ in STATES]
    reviews = set()
    supported = _n(f"{VOCAB}response-status/supported")
    noted = _n(f"{VOCAB}response-status/noted")
    for i in range(recommendations):
        session = rng.randint(1, 20)
        cycle = 1 if session <= 12 else 2
        under_review = rng.choice(codes)
        review = _n(f"{ID}review/upr/{session}/{under_review}")
        if review not in reviews:
            reviews.add(review)
            yield ox.Quad(review, RDF_TYPE, _n(HRES + "Review"), upr_g)
            yield ox.Quad(review, _n(HRES + "inSession"), _n(f"{ID}mechanism/upr/session/{session}"), upr_g)
            yield ox.Quad(review, _n(HRES + "reviewOf"), state[under_review], upr_g)
        rec = _n(f"{ID}recommendation/upr-info/fixture-{i:05d}")
        pledge = rng.random() < 0.02
        yield ox.Quad(rec, RDF_TYPE, _n(HRES + ("VoluntaryPledge" if pledge else "Recommendation")), upr_g)
        yield ox.Quad(rec, _n(HRES + "addressedTo"), state[under_review], upr_g)
        yield ox.Quad(rec, _n(HRES + "inCycleOf"), _n(f"{ID}mechanism/upr/cycle/{cycle}"), upr_g)
        yield ox.Quad(rec, _n(HRES + "madeInReview"), review, upr_g)
        yield ox.Quad(rec, _n(HRES + "issuedBy"), _n(f"{ID}mechanism/upr"), upr_g)
        yield ox.Quad(rec, _n(HRES + "text"), _lit(rng.choice(TEXTS), lang="en"), upr_g)
        yield ox.Quad(rec, LABEL, _lit(f"Fixture recommendation {i} (UPR session {session})", lang="en"), upr_g)
        for slug, _, share in THEMES:
            if rng.random() < share:
                yield ox.Quad(rec, _n(HRES + "theme"), _n(f"{VOCAB}upr-info-issue/{slug}"), upr_g)
        if pledge:
            continue
        yield ox.Quad(
            rec, _n(HRES + "recommendingActor"), state[rng.choice([c for c in codes if c != under_review])], upr_g
        )
        reply = _n(f"{rec.value}/response/upr-info")
        status = supported if rng.random() < 0.65 else noted
        yield ox.Quad(reply, RDF_TYPE, _n(HRES + "Response"), upr_g)
        yield ox.Quad(reply, _n(HRES + "respondsTo"), rec, upr_g)
        yield ox.Quad(reply, _n(HRES + "respondent"), state[under_review], upr_g)
        yield ox.Quad(reply, _n(HRES + "responseStatus"), status, upr_g)
        if status == supported and rng.random() < 0.15:
            assessment = _n(f"{rec.value}/assessment/fixture")
            yield ox.Quad(assessment, RDF_TYPE, _n(HRES + "ImplementationAssessment"), wg_g)
            yield ox.Quad(assessment, _n(HRES + "assesses"), rec, wg_g)
            yield ox.Quad(
                assessment,
                _n(HRES + "implementationStatus"),
                _n(f"{VOCAB}implementation-status/reported-implemented"),
                wg_g,
            )


def add_fixture(store_path: Path, recommendations: int = 2000, seed: int = 1) -> int:
    """Write the fixture into a built store (no server may have it open); the number of quads added."""
    store = ox.Store(str(store_path))
    try:
        quads = list(fixture_quads(recommendations, seed))
        store.extend(quads)
        store.flush()
    finally:
        del store
    return len(quads)
