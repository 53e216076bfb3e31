"""Richer HTML entity pages: what a reader wants to see first about a State, a recommendation or an instrument.

`entity_context(iri, about)` returns extra template context for `templates/ui/entity.html`, which shows it
above the generic description (every property, incoming links) that `resources.describe` already gathers:

- a **State**: its treaty participation as a timeline, the recommendations it received by UPR cycle and
  response (a table, and a stacked-bar chart when the chart bundle is installed), its elections with the
  observation missions, its roll-call votes at the Human Rights Council, and the named gap queries that take a State, prefilled (listed by static/entity.js
  from GET /api/queries);
- a **recommendation** (or pledge, finding): its text, where it comes from, the responses, the
  implementation assessments (its own, graph/derived's hres:hasAssessment, and those of its records in other
  sources: `assessments_of`), and the records that repeat, echo or duplicate it (both directions);
- an **instrument**: its articles and its parties and signatories.

Aggregates run as SPARQL in the query workers (time limit and row cap, as for /sparql); one-hop lookups
use the store's pattern index directly, as resources.py does. A section that fails or times out says so;
the rest of the page is still shown.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict

import pyoxigraph as ox
from flask import current_app

from hres_graph.namespaces import BASE, PREFIXES

from .backend import get_backend
from .pool import PoolBusy, QueryTimedOut, WorkerLost
from .ui_labels import current_language, translator

HRES = PREFIXES["hres"]
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABELS = (
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://purl.org/dc/terms/title",
)
STATE = {HRES + "State"}
RECOMMENDATION = {HRES + c for c in ("Recommendation", "VoluntaryPledge", "ActionItem", "Finding", "Decision")}
INSTRUMENT = {
    HRES + c
    for c in (
        "Instrument",
        "Treaty",
        "OptionalProtocol",
        "RegionalInstrument",
        "Declaration",
        "PoliticalCommitment",
        "InterpretiveText",
        "GeneralComment",
    )
}
SECTION_TIMEOUT = 5.0
SECTION_ROWS = 5000
SHOWN = 300  # rows shown per list on a page


class SectionFailed(Exception):
    pass


def node(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def term(iri: str) -> str:
    """The IRI as a SPARQL term: checked by the RDF library (which refuses `>`, `{`, spaces…) and
    written as it serialises it, so no text from a request URL is pasted into a query."""
    return str(ox.NamedNode(iri))


def select(text: str) -> list[dict]:
    """Run a SELECT in a query worker; rows as {var: SPARQL-JSON term}."""
    backend, limits = get_backend(), current_app.extensions["hres.limits"]
    job = {
        "op": "query",
        "text": text,
        "format": "json",
        "row_cap": SECTION_ROWS,
        "byte_cap": limits.max_answer_bytes,
        "default_graphs": [],
        "named_graphs": [],
        "base_iri": current_app.config["BASE_IRI"],
        "has_from": False,
        "from_iris": [],
        "allow_remote": [],
    }
    try:
        answer = backend.pool.run(job, timeout=min(SECTION_TIMEOUT, limits.query_timeout), wait=limits.queue_timeout)
    except (PoolBusy, QueryTimedOut, WorkerLost) as exc:
        raise SectionFailed(exc.__class__.__name__) from None
    if answer[0] == "error":
        raise SectionFailed(str(answer[2])[:200])
    body = answer[3]
    return json.loads(body if isinstance(body, (str, bytes)) else bytes(body))["results"]["bindings"]


class Labeller:
    """Labels in the page's language (then English, then any), from the store's pattern index."""

    def __init__(self, lang: str):
        self.lang, self.store, self.cache = lang, get_backend().store, {}

    def __call__(self, iri: str | None) -> str:
        if not iri:
            return ""
        if iri not in self.cache:
            values = [
                q.object
                for p in LABELS
                for q in self.store.quads_for_pattern(node(iri), node(p), None, None)
                if isinstance(q.object, ox.Literal)
            ]
            pick = [v for v in values if v.language == self.lang] or [v for v in values if v.language == "en"] or values
            self.cache[iri] = pick[0].value if pick else short(iri)
        return self.cache[iri]


def short(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def value(row: dict, var: str) -> str | None:
    term = row.get(var)
    return term["value"] if term else None


def objects(iri: str, predicate: str) -> list:
    return [q.object for q in get_backend().store.quads_for_pattern(node(iri), node(predicate), None, None)]


def first(iri: str, predicate: str, lang: str = "en") -> str | None:
    found = objects(iri, predicate)
    literals = [o for o in found if isinstance(o, ox.Literal)]
    pick = [o for o in literals if o.language == lang] or [o for o in literals if o.language in ("en", None)] or found
    return pick[0].value if pick else None


def guarded(function, *args) -> dict:
    try:
        return {"ok": True, **function(*args)}
    except SectionFailed as exc:
        return {"ok": False, "why": str(exc)}


# --- a State ------------------------------------------------------------------------------------------


def participation(iri: str, label) -> dict:
    rows = select(f"""SELECT ?event ?type ?instrument ?year ?date WHERE {{
      ?event hres:participant {term(iri)} ; a ?type ; hres:instrument ?instrument .
      OPTIONAL {{ ?event hres:year ?year }} OPTIONAL {{ ?event hres:eventDate ?date }} }}""")
    events: dict[str, dict] = {}
    for r in rows:
        event = events.setdefault(
            value(r, "event"),
            {
                "iri": value(r, "event"),
                "types": set(),
                "instrument": value(r, "instrument"),
                "date": value(r, "date"),
                "year": value(r, "year"),
            },
        )
        event["types"].add(value(r, "type"))
    out = []
    for e in events.values():
        when = e["date"] or e["year"] or ""
        out.append(
            {
                **e,
                "when": when,
                "sort": when or "9999",
                "consent": HRES + "ConsentToBeBound" in e["types"],
                "type_label": ", ".join(sorted(label(t) for t in e["types"])),
                "instrument_label": label(e["instrument"]),
            }
        )
    return {"events": sorted(out, key=lambda e: (e["sort"], e["instrument_label"]))}


RECS_BY_CYCLE = """SELECT ?cycle ?status (COUNT(DISTINCT ?rec) AS ?n) WHERE {{
  ?rec hres:addressedTo {iri} ; a hres:Recommendation .
  OPTIONAL {{ ?rec hres:inCycleOf ?cycle }}
  OPTIONAL {{ ?response hres:respondsTo ?rec ; hres:responseStatus ?status }}
}} GROUP BY ?cycle ?status ORDER BY ?cycle ?status"""


def recommendations_by_cycle(iri: str, label, t) -> dict:
    text = RECS_BY_CYCLE.format(iri=term(iri))
    rows = select(text)
    cycles, statuses, counts = [], [], defaultdict(int)
    for r in rows:
        cycle, status, n = value(r, "cycle") or "", value(r, "status") or "", int(value(r, "n") or 0)
        if cycle not in cycles:
            cycles.append(cycle)
        if status not in statuses:
            statuses.append(status)
        counts[(cycle, status)] += n

    def cycle_key(c: str):
        number = re.search(r"(\d+)$", c)
        return (0, int(number.group(1))) if c and number else (1, c)

    cycles.sort(key=cycle_key)
    statuses.sort(key=lambda s: (s == "", label(s)))
    cycle_label = {c: (label(c) if c else t("no_cycle")) for c in cycles}
    status_label = {s: (label(s) if s else t("no_response")) for s in statuses}
    chart = [
        {"cycle": cycle_label[c], "status": status_label[s], "n": counts[(c, s)]}
        for c in cycles
        for s in statuses
        if counts[(c, s)]
    ]
    return {
        "cycles": [(c, cycle_label[c]) for c in cycles],
        "statuses": [(s, status_label[s]) for s in statuses],
        "counts": {f"{c}|{s}": counts[(c, s)] for c in cycles for s in statuses},
        "row_totals": {c: sum(counts[(c, s)] for s in statuses) for c in cycles},
        "col_totals": {s: sum(counts[(c, s)] for c in cycles) for s in statuses},
        "total": sum(counts.values()),
        "chart": chart,
        "query": text,
    }


def elections(iri: str, label) -> dict:
    rows = select(f"""SELECT ?election ?date ?body ?mission WHERE {{
      ?election hres:electionIn {term(iri)} .
      OPTIONAL {{ ?election hres:electionDate ?date }} OPTIONAL {{ ?election hres:electedBody ?body }}
      OPTIONAL {{ ?mission hres:observes ?election }} }} ORDER BY DESC(?date) ?election""")
    found: dict[str, dict] = {}
    for r in rows:
        e = found.setdefault(
            value(r, "election"),
            {
                "iri": value(r, "election"),
                "date": value(r, "date") or "",
                "body": value(r, "body") or "",
                "missions": [],
            },
        )
        mission = value(r, "mission")
        if mission and mission not in [m[0] for m in e["missions"]]:
            e["missions"].append((mission, label(mission)))
    listed = list(found.values())
    for e in listed[:SHOWN]:
        e["label"] = label(e["iri"])
    return {
        "elections": listed[:SHOWN],
        "more": len(listed) > SHOWN,
        "observed": sum(1 for e in listed if e["missions"]),
    }


def votes(iri: str, label) -> dict:
    """The State's roll-call votes at the Human Rights Council and the Commission on Human Rights: how often
    it voted each way, and its latest votes (graph/hrc-voting; non-commercial licence, see /void)."""
    voter = term(iri)
    totals = select(f"""SELECT ?position (COUNT(DISTINCT ?vote) AS ?n) WHERE {{
      ?vote hres:voter {voter} ; hres:votePosition ?position }} GROUP BY ?position ORDER BY DESC(?n) ?position""")
    latest = select(f"""SELECT DISTINCT ?resolution ?date ?symbol ?position WHERE {{
      ?vote hres:voter {voter} ; hres:voteOn ?resolution ; hres:votePosition ?position .
      OPTIONAL {{ ?resolution hres:issuedDate ?date }} OPTIONAL {{ ?resolution hres:unSymbol ?symbol }}
    }} ORDER BY DESC(?date) ?resolution LIMIT {SHOWN_VOTES}""")
    return {
        "totals": [(label(value(r, "position")), int(value(r, "n"))) for r in totals],
        "latest": [
            {
                "iri": value(r, "resolution"),
                "date": value(r, "date") or "",
                "symbol": value(r, "symbol") or "",
                "label": label(value(r, "resolution")),
                "position": label(value(r, "position")),
            }
            for r in latest
        ],
    }


SHOWN_VOTES = 20


# --- a recommendation ---------------------------------------------------------------------------------

SOURCE_FACTS = (
    "issuedBy",
    "recommendingActor",
    "addressedTo",
    "madeInReview",
    "inCycleOf",
    "madeByMission",
    "sourceDocument",
    "basedOnFinding",
    "year",
    "paragraphNumber",
    "theme",
    "concernsRight",
    "concernsProvision",
    "concernsInstrument",
    "actionCategory",
    "electoralProcessPart",
    "priority",
)
RELATIONS = ("repeats", "echoes", "sameRecommendationAs", "basedOnFinding")


def recommendation(iri: str, label, lang: str) -> dict:
    store = get_backend().store
    facts = []
    for name in SOURCE_FACTS:
        for o in objects(iri, HRES + name):
            facts.append(
                {
                    "property": HRES + name,
                    "name": name,
                    "iri": o.value if isinstance(o, ox.NamedNode) else None,
                    "text": label(o.value) if isinstance(o, ox.NamedNode) else o.value,
                }
            )
    for o in objects(iri, "http://purl.org/dc/terms/source"):
        facts.append(
            {
                "property": "http://purl.org/dc/terms/source",
                "name": "dcterms:source",
                "iri": o.value if isinstance(o, ox.NamedNode) else None,
                "text": o.value,
            }
        )

    def incoming(predicate: str, target: str = iri) -> list[str]:
        return list(
            dict.fromkeys(  # once, though several graphs state it (both UPR Info exports)
                q.subject.value
                for q in store.quads_for_pattern(None, node(HRES + predicate), node(target), None)
                if isinstance(q.subject, ox.NamedNode)
            )
        )

    responses = [
        {
            "iri": r,
            "status": first(r, HRES + "responseStatus"),
            "respondent": first(r, HRES + "respondent"),
            "date": first(r, HRES + "responseDate"),
            "source": first(r, "http://purl.org/dc/terms/source"),
        }
        for r in incoming("respondsTo")
    ]
    assessments = [
        {
            "iri": a,
            "status": first(a, HRES + "implementationStatus"),
            "assessor": first(a, HRES + "assessor"),
            "date": first(a, HRES + "assessmentDate") or first(a, HRES + "year"),
            "source": first(a, "http://purl.org/dc/terms/source"),
            "evidence": first(a, HRES + "evidence", lang),
            "record": next((r for r in assessed if r != iri), None) if iri not in assessed else None,
        }
        for a, assessed in assessments_of(iri, incoming).items()
    ]
    for item in responses + assessments:
        for key in ("status", "respondent", "assessor", "record"):
            if item.get(key):
                item[key + "_label"] = label(item[key])
    related = []
    for name in RELATIONS:
        for o in objects(iri, HRES + name):
            if isinstance(o, ox.NamedNode):
                related.append({"relation": name, "direction": "out", "iri": o.value})
        for s in incoming(name):
            if name != "sameRecommendationAs" or s not in [r["iri"] for r in related]:
                related.append({"relation": name, "direction": "in", "iri": s})
    for r in related[:SHOWN]:
        r["label"] = label(r["iri"])
        r["year"] = first(r["iri"], HRES + "year")
    return {
        "text": first(iri, HRES + "text", lang),
        "facts": facts,
        "responses": responses,
        "assessments": assessments,
        "related": related[:SHOWN],
    }


def assessments_of(iri: str, incoming) -> dict[str, list[str]]:
    """The implementation assessments of a recommendation, each once, with the records each assesses: those
    that assess it (`?a hres:assesses ?rec`), those graph/derived links to it (`?rec hres:hasAssessment ?a`,
    queries/derived/has-assessment.rq), and those that assess a record of the same recommendation in another
    source (hres:sameRecommendationAs, either direction: e.g. the working-group report's row the State
    declared implemented), as the follow-up queries count them."""
    found: dict[str, list[str]] = {}
    twins = [o.value for o in objects(iri, HRES + "sameRecommendationAs") if isinstance(o, ox.NamedNode)]
    twins += incoming("sameRecommendationAs")
    for record in dict.fromkeys([iri, *twins]):
        for a in incoming("assesses", record):
            found.setdefault(a, [])
            if record not in found[a]:
                found[a].append(record)
    for a in objects(iri, HRES + "hasAssessment"):
        if isinstance(a, ox.NamedNode) and a.value not in found:
            found[a.value] = [q.value for q in objects(a.value, HRES + "assesses") if isinstance(q, ox.NamedNode)]
    return found


# --- an instrument ------------------------------------------------------------------------------------


def articles(iri: str, label, lang: str) -> dict:
    store = get_backend().store
    found = []
    for q in store.quads_for_pattern(None, node(HRES + "partOf"), node(iri), None):
        subject = q.subject
        if not isinstance(subject, ox.NamedNode) or not any(
            True for _ in store.quads_for_pattern(subject, RDF_TYPE, node(HRES + "Article"), None)
        ):
            continue
        number = first(subject.value, HRES + "number") or ""
        found.append(
            {
                "iri": subject.value,
                "number": number,
                "label": label(subject.value),
                "text": (first(subject.value, HRES + "text", lang) or ""),
            }
        )
    found = list({a["iri"]: a for a in found}.values())
    found.sort(key=lambda a: (int(m.group(0)) if (m := re.match(r"\d+", a["number"])) else 10**6, a["number"]))
    return {"articles": found}


def parties(iri: str, label) -> dict:
    rows = select(f"""SELECT ?state ?type ?year ?date WHERE {{
      ?event hres:instrument {term(iri)} ; hres:participant ?state ; a ?type .
      OPTIONAL {{ ?event hres:year ?year }} OPTIONAL {{ ?event hres:eventDate ?date }} }}""")
    states: dict[str, dict] = {}
    for r in rows:
        s = states.setdefault(value(r, "state"), {"iri": value(r, "state"), "signature": "", "consent": ""})
        when = value(r, "date") or value(r, "year") or "✓"
        key = (
            "consent"
            if value(r, "type") == HRES + "ConsentToBeBound"
            else ("signature" if value(r, "type") == HRES + "Signature" else None)
        )
        if key and (not s[key] or when < s[key]):
            s[key] = when
    listed = sorted(states.values(), key=lambda s: label(s["iri"]))
    for s in listed:
        s["label"] = label(s["iri"])
    return {"parties": listed, "consents": sum(1 for s in listed if s["consent"])}


# --- the entry point ----------------------------------------------------------------------------------


def entity_context(iri: str, about) -> dict:
    """Extra context for templates/ui/entity.html (`kind`, `sections`, `label` in the page's language)."""
    lang = current_language()
    t, label = translator(lang), Labeller(lang)
    types = {q.object.value for q in about if q.predicate.value == RDF_TYPE.value}
    sections: dict = {}
    if types & STATE:
        kind = "state"
        sections["participation"] = guarded(participation, iri, label)
        sections["recommendations"] = guarded(recommendations_by_cycle, iri, label, t)
        sections["elections"] = guarded(elections, iri, label)
        sections["votes"] = guarded(votes, iri, label)
    elif types & RECOMMENDATION:
        kind = "recommendation"
        sections["recommendation"] = guarded(recommendation, iri, label, lang)
    elif types & INSTRUMENT:
        kind = "instrument"
        sections["articles"] = guarded(articles, iri, label, lang)
        sections["parties"] = guarded(parties, iri, label)
    else:
        kind = None
    own = label(iri)
    context = {
        "kind": kind,
        "sections": sections,
        "type_labels": {t_: label(t_) for t_ in types},
        "local_iri": iri[len(BASE) :] if iri.startswith(BASE) else None,
    }
    if own != short(iri):
        context["label"] = own
    return context
