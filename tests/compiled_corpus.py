"""Documents for the compiled path's tests: every field of every type that compiles, with fragments,
aliases, directives, arguments, pages and cursors, and the errors the resolvers give. Each document
names its ids as variables, so the same documents run on the seed graph and on a synthetic one
(bench/synthetic.py); `variables(document, graph)` picks the values it declares."""

from __future__ import annotations

import re
from typing import Any

SEED = {
    "measure": "measure:us-vehicle-tariff-2025",
    "threat": "measure:us-threatened-tariffs-eu-coordination",
    "retaliation": "measure:ca-retaliatory-tariffs",
    "person": "person:mark-carney",
    "former": "person:justin-trudeau",  # a tenure that ended
    "country": "country:CA",
    "party": "party:ca-liberal",
    "org": "org:eu",
    "office": "office:ca-prime-minister",
    "event": "event:trump-carney-call-2025",
    "election": "event:ca-general-election-2025",
    "statement": "statement:carney-us-no-longer-reliable",
    "position": "position:poilievre-opposes-us-vehicle-tariff",
    "source": "source:us-canada-tariff-call",
    "words": "auto tariffs",
    "day": "2025-04-03",
}
SYNTHETIC = {
    **SEED,
    "measure": "measure:m1",
    "threat": "measure:m2",
    "retaliation": "measure:m3",
    "person": "person:p1",
    "former": "person:p2",
    "country": "country:XB",
    "office": "office:o1",
    "statement": "statement:s1",
    "position": "position:s1",
    "source": "source:synthetic",
    "words": "measure 1",
    "day": "2025-06-15",
}
GRAPHS = {"seed": SEED, "synthetic": SYNTHETIC}

_VARIABLE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)\s*:")

# A node of each kind (and of each measure's status), named by its variable.
KINDS_OF_NODE = ("measure", "threat", "retaliation", "person", "country", "party", "org", "office", "event",
                 "election", "statement", "position", "source")  # fmt: skip

# Fragments over every field of every node type, nested lists included.
NODE_FIELDS = """
fragment Dates on FuzzyDate { iso precision asWritten yearStated earliest latest relativeToSource __typename }
fragment Spans on Evidence { quote span { start end } source { id title } statement { id } }
fragment Actorish on Actor {
  __typename id name aliases wikidata edited { createdAt createdBy updatedAt updatedBy }
  said: statements(first: 3) { id quote } held: positions(first: 2) { id stance } measuresImposed { id }
  targetedBy(first: 5) { id name } evidence { ...Spans }
  ... on Country { isoCode offices { id name } }
  ... on Person { tenures { from { ...Dates } to { ...Dates } office { id name } holder { id } evidence { quote } } }
  ... on Party { description country { id isoCode } offices(first: 1) { id } }
  ... on Organization { orgKind: kind }
}
fragment Everything on Node {
  id __typename edited { createdAt }
  ...Actorish
  ... on Office { name of { id __typename name } holders { holder { name } from { iso } to { iso } office { id } evidence { ...Spans } } evidence { quote } }
  ... on Measure {
    name kind status rate aliases condition sectors products
    value { amount currency approximate asWritten __typename }
    effects { description amount unit approximate likely evidence { quote span { start end } statement { id } } }
    announcedOn { ...Dates } effectiveFrom { ...Dates } effectiveTo { ...Dates }
    imposedBy { id name } targets { id } conditionInvolves { name } retaliatesAgainst { id rate }
    retaliatedBy(first: 2) { id } partOf { id name } parts { id effectiveFrom { iso } }
    positions { id stance actor { name } } opposed: positions(stance: OPPOSE, first: 10) { id }
    statements(first: 4) { id speaker { name } } evidence { ...Spans }
  }
  ... on Event {
    name eventKind: kind eventStatus: status date { ...Dates } end { iso } timing topics participants { id name }
    location { id isoCode } after { id name } statements { id quote } evidence { ...Spans }
  }
  ... on Statement {
    quote direct span { start end } saidOn { ...Dates } timing channel
    speaker { id name } role { id name } atEvent { id name } about { id __typename ... on Measure { name } }
    source { id title checksum } evidence { ...Spans context(chars: 25) { before quote after truncatedBefore truncatedAfter } }
  }
  ... on Position {
    stance basis confidence note validFrom { ...Dates } validTo { iso } actor { id name ... on Person { tenures(on: "2025-04-03") { office { id } } } }
    on { id __typename } statements { id direct span { start } } evidence { ...Spans context { before after } }
  }
  ... on Source { title publisher publishedOn { iso } writtenOn { ...Dates } url language checksum statements(first: 2) { id } }
}
"""

# Documents that select a field left to the resolvers (FALLBACK): their root fields are resolved.
LEFT_TO_RESOLVERS = ("inForce(", "held {", "evidence { quote } } } } }", "snippet {", "inRange {")

DOCUMENTS: list[str] = [
    # README's questions
    """{ positions(onText: "auto tariffs") { totalCount nodes { stance confidence actor { name }
         evidence { quote span { start end } source { title } statement { speaker { name } } } } } }""",
    """query($words: String!) { positions(onText: $words) { totalCount nodes { stance confidence actor { name }
         evidence { quote span { start end } source { title } statement { speaker { name } } } } } }""",
    """query($measure: ID!) { positions(on: $measure, first: 20) { nodes {
         stance confidence actor { name } evidence { quote span { start end } source { title } } } } }""",
    """query($day: Day!) { measures(filter: {inForceOn: $day}, first: 20) { totalCount nodes {
         name rate imposedBy { name } targets { name } } } }""",
    """query($person: ID!) { statements(by: $person, first: 20, orderBy: {field: SAID_ON}) { nodes {
         quote saidOn { iso precision } about { id } source { title } } } }""",
    """query($office: ID!) { officeHolders(office: $office, on: "2025-06-01") { holder { name } from { iso } } }""",
    """query($office: ID!) { officeHolders(office: $office) { holder { name } from { iso } to { iso } office { name } } }""",
    """{ measures(filter: {status: THREATENED}) { nodes { condition targets { name } conditionInvolves { name } } } }""",
    """query($statement: ID!) { provenance(id: $statement) { quote span { start end } source { title }
         context(chars: 40) { before quote after truncatedBefore truncatedAfter } } }""",
    """query($position: ID!) { provenance(id: $position) { quote statement { id } source { title } context { before after } } }""",
    """query($measure: ID!) { provenance(id: $measure) { quote span { start end } statement { id } } }""",
    """query($person: ID!) { provenance(id: $person) { quote } }""",
    """{ search(text: "tariffs") { totalCount edges { score node { id } } } }""",
    """{ search(text: "Carney", kinds: [PERSON, EVENT]) { edges { cursor node { id __typename ... on Actor { name } } } pageInfo { hasNextPage endCursor } } }""",
    # every field, on every kind of node
    *(
        NODE_FIELDS + f"query(${name}: ID!) {{ node(id: ${name}) {{ ...Everything }} }}"
        for name in KINDS_OF_NODE
    ),
    NODE_FIELDS
    + """query($measure: ID!, $person: ID!, $statement: ID!) {
      nodes(ids: [$measure, $person, "person:nobody", $statement, $measure]) { ...Everything } }""",
    """{ nodes(ids: []) { id } }""",
    # aliases, merged fields, inline fragments, directives, __typename
    """query($person: ID!, $yes: Boolean!, $no: Boolean!) { __typename n: node(id: $person) {
         __typename kind: __typename id ident: id
         ... on Person { name n2: name name statements(first: 2) { id } s: statements(first: 1) { quote @include(if: $yes) id @skip(if: $yes) } }
         ... on Actor { name aliases @skip(if: $no) }
         ... @include(if: $no) { id edited { createdAt } } } }""",
    """query($measure: ID!) { node(id: $measure) { ... on Measure { x: name y: status imposedBy { i: id ... on Country { isoCode } ... on Person { name } } } } }""",
    """query($statement: ID!) { node(id: $statement) { ... on Statement { about { ... on Measure { id name } ... on Actor { id name } ... on Event { id } } } } }""",
    # lists: orderings, filters, pages, cursors
    """{ actors(orderBy: {field: NAME, direction: DESC}, first: 5) { totalCount edges { cursor node { id name __typename } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor __typename } __typename } }""",
    """{ actors(filter: {kind: PERSON, nameContains: "ar"}) { totalCount nodes { name ... on Person { tenures { office { name } } } } } }""",
    """{ actors(filter: {kind: COUNTRY}, first: 0) { totalCount nodes { id } pageInfo { hasNextPage startCursor } } }""",
    """query($country: ID!) { measures(filter: {imposedBy: $country}, orderBy: {field: RATE, direction: DESC}) { totalCount nodes { id rate } } }""",
    """query($country: ID!, $day: Day) { measures(filter: {target: $country, inForceOn: $day}, orderBy: {field: EFFECTIVE_FROM}) { nodes { id effectiveFrom { iso } } } }""",
    """{ measures(filter: {kind: TARIFF, sector: "sector 1"}, orderBy: {field: NAME}) { nodes { id name sectors } } }""",
    """{ measures(first: 3, orderBy: {field: NAME, direction: DESC}) { edges { cursor node { name } } pageInfo { endCursor hasNextPage } } }""",
    """query($person: ID!, $measure: ID!) { statements(by: $person, about: $measure) { totalCount nodes { id } } }""",
    """query($person: ID!) { statements(by: $person, filter: {direct: true}, orderBy: {field: SOURCE_POSITION, direction: DESC}, first: 3) { totalCount edges { cursor node { quote span { start } } } pageInfo { hasNextPage endCursor } } }""",
    """{ statements(filter: {saidFrom: "2025-03-01", saidTo: "2025-06-30"}, first: 4) { totalCount nodes { id saidOn { iso } } } }""",
    """query($measure: ID!) { positions(on: $measure, orderBy: {field: CONFIDENCE, direction: DESC}) { nodes { id confidence } } }""",
    """query($measure: ID!, $person: ID!) { positions(on: $measure, filter: {actor: $person, minConfidence: 0.1}) { totalCount nodes { id actor { id } } } }""",
    """query($measure: ID!) { positions(on: $measure, stance: OPPOSE, filter: {stance: OPPOSE}) { totalCount } }""",
    """query($words: String!) { positions(onText: $words, first: 1) { totalCount edges { cursor node { id on { id } } } pageInfo { hasNextPage endCursor } } }""",
    """{ sources { totalCount nodes { id title } edges { cursor } } }""",
    # positions of every basis, all of them or by basis; temporal questions at each certainty
    """{ positions(first: 50) { totalCount nodes { id basis stance actor { id } on { id } } } }""",
    """query($measure: ID!) { positions(on: $measure, filter: {basis: ACTION}) { totalCount nodes { id basis evidence { quote statement { id } } } } }""",
    """{ positions(filter: {basis: STATEMENT}, orderBy: {field: CONFIDENCE}, first: 5) { totalCount edges { cursor node { id } } pageInfo { endCursor } } }""",
    """query($day: Day!) { measures(filter: {inForceOn: $day, certainty: POSSIBLE}) { totalCount nodes { id effectiveFrom { iso earliest latest precision } } } }""",
    """{ measures(filter: {inForceOn: "2020-01-01"}) { totalCount nodes { id } } }""",
    """{ measures(filter: {inForceOn: "2020-01-01", certainty: POSSIBLE}) { totalCount nodes { id } } }""",
    """query($office: ID!) { officeHolders(office: $office, on: "2010-01-01") { holder { name } } }""",
    """query($office: ID!) { officeHolders(office: $office, on: "2010-01-01", certainty: POSSIBLE) { holder { name } from { earliest latest } } }""",
    """query($person: ID!) { node(id: $person) { ... on Person { tenures(on: "2025-03-20", certainty: POSSIBLE) { office { id } from { ...D } to { ...D } } } } }
       fragment D on FuzzyDate { iso earliest latest relativeToSource }""",
    """{ events(first: 20) { totalCount nodes { id name date { iso earliest latest precision relativeToSource asWritten } participants { id } } } }""",
    """{ events(filter: {kind: CALL}) { totalCount nodes { id eventKind: kind } } }""",
    """{ events(filter: {from: "2025-03-01", to: "2025-04-30"}) { totalCount nodes { id } } }""",
    """{ events(filter: {from: "2025-03-01", to: "2025-04-30", certainty: POSSIBLE}, orderBy: {field: DATE, direction: DESC}) { totalCount edges { cursor node { id } } } }""",
    """query($person: ID!) { events(filter: {participant: $person}) { totalCount nodes { id } } }""",
    """{ sources(orderBy: {field: TITLE, direction: DESC}, first: 1) { nodes { title text } } }""",
    # an actor's timeline: every part, tenures included, ranges at each certainty, pages and cursors
    NODE_FIELDS
    + """query($person: ID!) { timeline(actor: $person, first: 100) { totalCount edges { cursor node {
         __typename kind summary date { ...Dates } node { ...Everything } } } pageInfo { hasNextPage endCursor } } }""",
    """query($person: ID!) { timeline(actor: $person, first: 2) { totalCount nodes { kind summary date { iso earliest latest } } pageInfo { hasNextPage endCursor } } }""",
    """query($country: ID!) { timeline(actor: $country, first: 4) { totalCount edges { cursor node { kind summary node { id } } } pageInfo { hasNextPage endCursor } } }""",
    """query($person: ID!) { timeline(actor: $person, from: "2025-03-01", to: "2025-04-30") { totalCount nodes { kind summary date { iso } } } }""",
    """query($person: ID!) { timeline(actor: $person, from: "2025-03-01", to: "2025-04-30", certainty: POSSIBLE) { totalCount nodes { kind summary } } }""",
    """query($person: ID!) { timeline(actor: $person, to: "2025-03-31", includeUndated: false) { totalCount nodes { kind summary } } }""",
    """query($party: ID!) { timeline(actor: $party) { totalCount nodes { kind summary node { __typename id } } } }""",
    """query($former: ID!) { timeline(actor: $former) { totalCount edges { cursor node { kind summary date { ...D } } } } }
       fragment D on FuzzyDate { iso precision asWritten yearStated earliest latest relativeToSource }""",
    """query($former: ID!) { timeline(actor: $former, from: "2025-03-14", to: "2025-03-14") { totalCount nodes { kind } } }""",
    """query($org: ID!) { timeline(actor: $org, from: "2025-01-01") { totalCount nodes { kind } } }""",
    # walks: neighbourhoods at each depth, with types, provenance and limits that cut them short;
    # retaliation chains each way and to each depth; every retaliation
    """query($person: ID!) { neighbourhood(id: $person) { __typename truncated nodes { id __typename ... on Actor { name said: statements(first: 2) { id about { id } } } ... on Statement { quote speaker { name } } } edges { type from to __typename } } }""",
    """query($measure: ID!) { neighbourhood(id: $measure, depth: 2, limit: 500) { truncated n: nodes { id } nodes { ... on Measure { name imposedBy { id } } } edges { type from to } } }""",
    """query($country: ID!) { neighbourhood(id: $country, depth: 2, limit: 3) { truncated nodes { id } edges { type from to } } }""",
    """query($person: ID!) { neighbourhood(id: $person, limit: 1) { truncated nodes { id } edges { from } } }""",
    """query($statement: ID!) { neighbourhood(id: $statement, depth: 2, limit: 30, includeProvenance: true) { truncated nodes { id } edges { type from to } } }""",
    """query($source: ID!) { neighbourhood(id: $source, depth: 2, limit: 6, includeProvenance: true) { truncated nodes { id } edges { type from to } } }""",
    """query($source: ID!) { neighbourhood(id: $source) { truncated nodes { id } edges { type } } }""",
    # ids alone are answered from the walk; ids under other keys for some kinds need the nodes read
    """query($person: ID!) { a: neighbourhood(id: $person) { nodes { a: id b: id } } b: neighbourhood(id: $person) { nodes { key: id ... on Person { other: id } } edges { type } } }""",
    """query($measure: ID!) { neighbourhood(id: $measure, depth: 2, types: [RETALIATES_AGAINST, IMPOSED_BY, TARGETS]) { truncated nodes { id } edges { type from to } } }""",
    """query($person: ID!) { neighbourhood(id: $person, depth: 2, types: [QUOTED_IN]) { truncated nodes { id } edges { type from to } } }""",
    """query($measure: ID!) { a: retaliationChain(measure: $measure) { __typename truncated nodes { id ... on Measure { name rate } } edges { type from to } }
         b: retaliationChain(measure: $measure, direction: BY, maxDepth: 1) { nodes { id } edges { from to } }
         c: retaliationChain(measure: $measure, direction: AGAINST) { nodes { id } edges { from to } } }""",
    """query($retaliation: ID!, $threat: ID!) { a: retaliationChain(measure: $retaliation, direction: AGAINST, maxDepth: 10) { nodes { id } edges { from to } }
         b: retaliationChain(measure: $threat) { truncated nodes { id } edges { from } } }""",
    """{ a: retaliations { __typename truncated nodes { id __typename ... on Measure { name } } edges { type from to } } b: retaliations(limit: 1) { truncated nodes { id } edges { from to } } }""",
    # fields left to the resolvers send their root field there, in the same response
    """query($measure: ID!, $office: ID!) { node(id: $measure) { ... on Measure { name inForce(on: "2025-04-03") { certainty why } imposers { actor { id } office { id } actingFor { id } } } }
         officeHolders(office: $office, on: "2025-04-03") { holder { name } held { certainty why } } }""",
    """query($source: ID!) { node(id: $source) { ... on Source { writtenOn { iso earliest latest evidence { quote } } } } }""",
    """{ search(text: "car tariffs") { totalCount edges { node { id } snippet { field text highlights { start end } } } } }""",
    # compiled and resolved root fields in one response
    """query($person: ID!, $measure: ID!) { timeline(actor: $person, first: 3, from: "2025-01-01") { nodes { kind summary inRange { certainty } } }
         positions(on: $measure) { totalCount } neighbourhood(id: $measure) { nodes { id } }
         retaliations(limit: 2) { edges { from to } } node(id: $person) { id } }""",
    # errors keep their codes, messages and paths
    """{ node(id: "person:nobody") { id } }""",
    """{ node(id: "not an id") { id } }""",
    """{ a: node(id: "person:nobody") { id } b: node(id: "country:CA") { id } }""",
    """query($person: ID!) { node(id: $person) { ... on Actor { statements(first: 101) { id } } } }""",
    """query($person: ID!) { node(id: $person) { ... on Actor { statements(first: -1) { id } } } }""",
    """query($statement: ID!) { node(id: $statement) { ... on Statement { evidence { context(chars: 5000) { before } } } } }""",
    """{ nodes(ids: ["person:x", "bad id"]) { id } }""",
    """{ positions(on: "measure:nope") { totalCount } }""",
    """{ positions(on: "person:mark-carney") { totalCount } }""",
    """{ positions { totalCount } }""",
    """query($measure: ID!) { positions(on: $measure, stance: SUPPORT, filter: {stance: OPPOSE}) { totalCount } }""",
    """{ positions(onText: "   ") { totalCount } }""",
    """{ statements(by: "person:nobody") { totalCount nodes { id } } }""",
    """{ statements(about: "measure:nope", first: 2) { nodes { id } } }""",
    """{ measures(filter: {imposedBy: "country:ZZ"}) { nodes { id } } }""",
    """{ measures(filter: {imposedBy: "measure:us-vehicle-tariff-2025"}) { nodes { id } } }""",
    """{ actors(first: 101) { totalCount } }""",
    """{ actors(after: "not a cursor") { totalCount } }""",
    """{ actors(filter: {nameContains: "a\\nb"}) { totalCount } }""",
    """{ officeHolders(office: "office:nope") { holder { id } } }""",
    """{ officeHolders(office: "person:mark-carney") { holder { id } } }""",
    """{ provenance(id: "statement:nope") { quote } }""",
    """{ search(text: "the of and") { totalCount } }""",
    """{ timeline(actor: "person:nobody") { totalCount } }""",
    """{ timeline(actor: "measure:us-vehicle-tariff-2025") { totalCount } }""",
    """query($person: ID!) { timeline(actor: $person, from: "2025-05-01", to: "2025-04-01") { totalCount } }""",
    """query($person: ID!) { timeline(actor: $person, first: 101) { totalCount } }""",
    """query($person: ID!) { timeline(actor: $person, certainty: NO) { totalCount } }""",
    """query($person: ID!) { timeline(actor: $person, after: "junk") { totalCount } }""",
    """{ events(filter: {from: "2025-05-01", to: "2025-04-01"}) { totalCount } }""",
    """{ events(filter: {participant: "person:nobody"}) { totalCount } }""",
    """{ measures(filter: {inForceOn: "2025-04-03", certainty: NO}) { totalCount } }""",
    """query($office: ID!) { officeHolders(office: $office, on: "2025-04-03", certainty: NO) { holder { id } } }""",
    """{ positions(on: "measure:us-vehicle-tariff-2025", onText: "tariffs") { totalCount } }""",
    """{ search(text: "tariffs", first: 500) { totalCount } }""",
    """{ neighbourhood(id: "person:nobody") { nodes { id } } }""",
    """{ neighbourhood(id: "not an id", depth: 3) { nodes { id } } }""",
    """query($person: ID!) { neighbourhood(id: $person, depth: 3) { nodes { id } } }""",
    """query($person: ID!) { neighbourhood(id: $person, limit: 501) { nodes { id } } }""",
    """query($person: ID!) { neighbourhood(id: $person, limit: 0) { nodes { id } } }""",
    """{ retaliationChain(measure: "measure:nope") { nodes { id } } }""",
    """query($person: ID!) { retaliationChain(measure: $person) { nodes { id } } }""",
    """query($measure: ID!) { retaliationChain(measure: $measure, maxDepth: 0) { nodes { id } } }""",
    """query($measure: ID!) { retaliationChain(measure: $measure, maxDepth: 11) { nodes { id } } }""",
    """{ retaliations(limit: 501) { nodes { id } } }""",
]


def variables(document: str, graph: str) -> dict[str, Any]:
    """The values of the variables a document declares, for a graph ("seed" or "synthetic")."""
    values = {**GRAPHS[graph], "yes": True, "no": False}
    return {name: values[name] for name in dict.fromkeys(_VARIABLE.findall(document))}
