"""The data format of `network/` as one declarative table.

The loader validates against these field specs and `partnerbook schema` turns
the same specs into a JSON Schema, so the two cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..i18n.language import N_

ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"
DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"

PARTNER_KINDS = (
    "individual", "group", "organisation", "business", "government",
    "civil-society", "academic", "community", "funder", "multilateral",
)
NETWORKS = ("ivn", "ovn")
IVN_CRITERIA = ("develops", "agreement", "function", "joint-planning")
OVN_TYPES = (
    "complementor", "funder", "regulator", "competitor", "supplier",
    "channel", "customer", "community", "other",
)
STRATEGIES = ("supplier-upgrade", "co-innovation", "component-platform", "partnership-platform")
NATURES = ("tangible", "intangible")
AGREEMENT_TYPES = (
    "letter-of-intent", "mou", "contract", "partnership-agreement", "grant",
    "subgrant", "license", "charter", "other",
)
AGREEMENT_STATUSES = ("draft", "negotiating", "signed", "expired", "terminated")
RATINGS = ("full", "partial", "missing", "unknown", "n/a")
PERIODS = ("month", "quarter", "year")  # how often a recurring funding amount is paid
INSTRUMENTS = (
    "grant", "subgrant", "contract", "donation", "membership", "revenue",
    "investment", "in-kind",
)
PLAN_STATUSES = ("active", "inactive")  # a funding plan's status, as funding.json writes it
LEVELS = ("excluded", "informed", "consulted", "co-decides", "decides")
STRUCTURES = ("hub-and-spoke", "horizontal", "distributed")

# The Business Model Canvas blocks; their names are shown in the reader's language.
DEFAULT_ROLES = (
    ("customer-segments", N_("Customer segments")),
    ("value-propositions", N_("Value propositions")),
    ("channels", N_("Channels")),
    ("customer-relationships", N_("Customer relationships")),
    ("revenue-streams", N_("Revenue streams")),
    ("key-resources", N_("Key resources")),
    ("key-activities", N_("Key activities")),
    ("key-partnerships", N_("Key partnerships")),
    ("cost-structure", N_("Cost structure")),
)

DEFAULT_SCORECARD = (
    "who.partners", "who.representatives",
    "why.vision", "why.shared-objectives", "why.partner-objectives", "why.principles",
    "what.activities", "what.work-plan", "what.resources", "what.roles",
    "what.indicators", "what.sustainability",
    "how.governance", "how.decision-making", "how.communication",
    "how.conflict-resolution", "how.ip-and-data",
    "when.duration", "when.review", "when.exit",
)


@dataclass(frozen=True)
class Field:
    """One key of a record: its value type and what it means."""

    name: str
    type: str
    required: bool = False
    choices: tuple[str, ...] = ()
    ref: str | None = None  # the collection an id reference points into
    doc: str = ""
    fields: tuple[Field, ...] = ()  # type `records`: the keys of each entry of the list


# Value types understood by the loader:
#   id, string, markdown, date, url, number, bool, country, currency,
#   enum, enum-list, string-list, ref, ref-list, scorecard, participation,
#   identifier-list (scheme:value strings), role-map (partner id → free-text role),
#   count (a whole number ≥ 0), count-map (partner id → count), records (a list of mappings of `fields`)

# What an organisation reports of itself per year (funding.json `history`): shown beside the
# computed figures, labelled as reported, never added to payments.
REPORTED_FIELDS = (
    Field("year", "count", required=True),
    Field("currency", "currency", required=True, doc="ISO 4217"),
    Field("income", "number"),
    Field("expenses", "number"),
    Field("taxes", "number"),
    Field("description", "string"),
)
# What the focal organisation asks for (funding.json `plans`): never money received or committed.
PLAN_FIELDS = (
    Field("name", "string", required=True),
    Field("amount", "number", required=True, doc="0: any amount"),
    Field("currency", "currency", required=True, doc="ISO 4217"),
    Field("per", "enum", choices=PERIODS, doc="the amount asked each period; without it, once"),
    Field("status", "enum", choices=PLAN_STATUSES, doc="default active"),
    Field("url", "url"),
    Field("description", "string"),
)

NETWORK_FIELDS = (
    Field("name", "string", required=True, doc="title of the value network / handbook"),
    Field("focal", "ref", required=True, ref="partners", doc="the organisation the playbook is written from"),
    Field("structure", "enum", choices=STRUCTURES, doc="declared governance structure"),
    Field("as_of", "date", doc="the date the site describes; default: today"),
    Field("description", "markdown"),
    Field("reported", "records", fields=REPORTED_FIELDS,
          doc="yearly totals the focal organisation reports (income, expenses, taxes per currency)"),
    Field("plans", "records", fields=PLAN_FIELDS, doc="funding the focal organisation asks for"),
)

COLLECTIONS: dict[str, tuple[Field, ...]] = {
    "roles": (
        Field("id", "id", required=True),
        Field("name", "string", required=True),
        Field("description", "markdown"),
    ),
    "partners": (
        Field("id", "id", required=True),
        Field("name", "string", required=True),
        Field("kind", "enum", choices=PARTNER_KINDS, doc="default organisation"),
        Field("network", "enum", choices=NETWORKS, doc="required for every partner but the focal one"),
        Field("ivn_criteria", "enum-list", choices=IVN_CRITERIA),
        Field("ovn_type", "enum", choices=OVN_TYPES),
        Field("roles", "ref-list", ref="roles"),
        Field("provides", "string-list", doc="what the focal organisation needs from them"),
        Field("receives", "string-list", doc="what the focal organisation provides them"),
        Field("strategy", "enum", choices=STRATEGIES),
        Field("since", "date"),
        Field("until", "date"),
        Field("country", "country", doc="ISO 3166 alpha-2"),
        Field("website", "url"),
        Field("tags", "string-list"),
        Field("aliases", "string-list", doc="other names of the same partner (did-you-mean and importers match them)"),
        Field("identifiers", "identifier-list",
              doc="scheme:value, e.g. an IATI organisation identifier; unique across partners"),
        Field("summary", "string"),
        Field("description", "markdown"),
    ),
    "relationships": (
        Field("from", "ref", required=True, ref="partners"),
        Field("to", "ref", required=True, ref="partners"),
        Field("deliverable", "string", required=True),
        Field("nature", "enum", required=True, choices=NATURES),
        Field("kind", "string"),
        Field("agreement", "ref", ref="agreements"),
        Field("since", "date"),
        Field("until", "date"),
        Field("description", "markdown"),
    ),
    "agreements": (
        Field("id", "id", required=True),
        Field("title", "string", required=True),
        Field("type", "enum", choices=AGREEMENT_TYPES),
        Field("parties", "ref-list", required=True, ref="partners"),
        Field("status", "enum", choices=AGREEMENT_STATUSES),
        Field("signed", "date"),
        Field("expires", "date"),
        Field("url", "url"),
        Field("scorecard", "scorecard", choices=RATINGS),
        Field("notes", "markdown"),
    ),
    "funding": (
        Field("from", "ref", required=True, ref="partners"),
        Field("to", "ref", required=True, ref="partners"),
        Field("amount", "number", required=True),
        Field("currency", "currency", required=True, doc="ISO 4217"),
        Field("instrument", "enum", choices=INSTRUMENTS),
        Field("core", "bool", doc="funds the shared core rather than a partner's own product"),
        Field("agreement", "ref", ref="agreements"),
        Field("date", "date", doc="one payment on that day (not with since/until)"),
        Field("since", "date", doc="start of an arrangement over a period"),
        Field("until", "date", doc="end of the period"),
        Field("per", "enum", choices=PERIODS, doc="amount recurs each period from since to until (or ongoing)"),
        Field("purpose", "string"),
    ),
    "projects": (
        Field("id", "id", required=True),
        Field("title", "string", required=True),
        Field("partners", "role-map", required=True, ref="partners",
              doc="partner id → role in the project (free text, e.g. funding, implementing)"),
        Field("maintainers", "count-map", ref="partners",
              doc="partner id (one of `partners`) → how many of the project's maintainers it employs"),
        Field("independent_maintainers", "count", doc="maintainers who work for no organisation"),
        Field("unknown_maintainers", "count", doc="maintainers whose employer is not known"),
        Field("since", "date"),
        Field("until", "date"),
        Field("url", "url"),
        Field("description", "markdown"),
    ),
    "decisions": (
        Field("id", "id", required=True),
        Field("name", "string", required=True),
        Field("description", "string"),
        Field("process", "string"),
        Field("participation", "participation", choices=LEVELS, ref="partners"),
    ),
}

# Every record may be internal: only the internal edition shows it (data/editions.py).
VISIBILITIES = ("public", "internal")
VISIBILITY = Field("visibility", "enum", choices=VISIBILITIES,
                   doc="internal: shown only in the internal edition (default public)")
COLLECTIONS = {name: (*fields, VISIBILITY) for name, fields in COLLECTIONS.items()}

TOP_LEVEL_KEYS = ("network", *COLLECTIONS)

# Singular nouns for messages ("unknown partner 'x'").
NOUNS = {
    "roles": "role", "partners": "partner", "relationships": "relationship",
    "agreements": "agreement", "funding": "funding flow", "decisions": "decision",
    "projects": "project",
}

IDENTIFIER_PATTERN = r"^[^:\s]+:\S+$"


def _value_schema(spec: Field, scorecard: tuple[str, ...]) -> dict:
    string = {"type": "string"}
    date = {"type": ["string", "integer"], "pattern": DATE_PATTERN}
    simple: dict[str, dict[str, Any]] = {
        "id": {"type": "string", "pattern": ID_PATTERN},
        "string": string,
        "markdown": string,
        "date": date,
        "url": {"type": "string", "pattern": "^https?://"},
        "number": {"type": "number", "minimum": 0},
        "count": {"type": "integer", "minimum": 0},
        "bool": {"type": "boolean"},
        "country": {"type": "string", "pattern": "^[A-Z]{2}$"},
        "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
        "enum": {"enum": list(spec.choices)},
        "ref": {"type": "string", "pattern": ID_PATTERN},
    }
    if spec.type in simple:
        schema = dict(simple[spec.type])
    elif spec.type == "enum-list":
        schema = {"type": "array", "items": {"enum": list(spec.choices)}, "uniqueItems": True}
    elif spec.type == "string-list":
        schema = {"type": "array", "items": string}
    elif spec.type == "identifier-list":
        schema = {"type": "array", "items": {"type": "string", "pattern": IDENTIFIER_PATTERN}}
    elif spec.type == "count-map":
        schema = {"type": "object", "propertyNames": {"pattern": ID_PATTERN},
                  "additionalProperties": {"type": "integer", "minimum": 0}}
    elif spec.type == "records":
        schema = {"type": "array", "items": _record_schema(spec.fields, scorecard)}
    elif spec.type == "role-map":
        schema = {"type": "object", "propertyNames": {"pattern": ID_PATTERN},
                  "additionalProperties": string, "minProperties": 1}
    elif spec.type == "ref-list":
        schema = {"type": "array", "items": simple["ref"]}
        if spec.name == "parties":
            schema["minItems"] = 2
    elif spec.type == "scorecard":
        schema = {
            "type": "object",
            "properties": {element: {"enum": list(RATINGS)} for element in scorecard},
            "additionalProperties": False,
        }
    elif spec.type == "participation":
        level = {"enum": list(LEVELS)}
        schema = {
            "type": "object",
            "propertyNames": {"pattern": ID_PATTERN},
            "additionalProperties": {
                "oneOf": [
                    level,
                    {"type": "object", "properties": {"actual": level, "desired": level,
                                                      "visibility": {"enum": list(VISIBILITIES)}},
                     "required": ["actual"], "additionalProperties": False},
                ]
            },
        }
    else:
        raise AssertionError(spec.type)
    if spec.doc:
        schema["description"] = spec.doc
    return schema


def _record_schema(fields: tuple[Field, ...], scorecard: tuple[str, ...]) -> dict:
    return {
        "type": "object",
        "properties": {f.name: _value_schema(f, scorecard) for f in fields},
        "required": [f.name for f in fields if f.required],
        "additionalProperties": False,
    }


def json_schema(scorecard: tuple[str, ...] = DEFAULT_SCORECARD) -> dict:
    """A JSON Schema (draft 2020-12) of one data file, for yaml-language-server."""
    properties = {"network": _record_schema(NETWORK_FIELDS, scorecard)}
    for name, fields in COLLECTIONS.items():
        properties[name] = {"type": ["array", "null"], "items": _record_schema(fields, scorecard)}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "partnerbook data file",
        "description": "One YAML file of a partnerbook `network/` folder.",
        "type": ["object", "null"],
        "properties": properties,
        "additionalProperties": False,
    }
