"""The data files: the schema (one table for the loader and the JSON Schema), YAML reading,
records, references between them, the load step and the model the rest reads."""

# The names the other packages use (each module's other names are its own business).
from .load import data_files, in_reader_language, load_network, LoadResult, walk_data_files
from .model import (
    Agreement,
    Decision,
    Exchange,
    Funding,
    FuzzyDate,
    Network,
    Participation,
    Partner,
    Project,
    scorecard_completeness,
    unknown_elements,
)
from .records import COUNTRIES, CURRENCIES, did_you_mean, parse_date
from .schema import (
    COLLECTIONS,
    DATE_PATTERN,
    DEFAULT_ROLES,
    DEFAULT_SCORECARD,
    Field,
    ID_PATTERN,
    IDENTIFIER_PATTERN,
    IVN_CRITERIA,
    json_schema,
    LEVELS,
    NETWORK_FIELDS,
    NETWORKS,
    NOUNS,
    OVN_TYPES,
    PARTNER_KINDS,
    RATINGS,
    TOP_LEVEL_KEYS,
)

__all__ = [
    "Agreement", "COLLECTIONS", "COUNTRIES", "CURRENCIES", "data_files", "DATE_PATTERN", "Decision",
    "DEFAULT_ROLES", "DEFAULT_SCORECARD", "did_you_mean", "Exchange", "Field", "Funding", "FuzzyDate",
    "ID_PATTERN", "IDENTIFIER_PATTERN", "in_reader_language", "IVN_CRITERIA", "json_schema", "LEVELS",
    "load_network", "LoadResult", "Network", "NETWORK_FIELDS", "NETWORKS", "NOUNS", "OVN_TYPES", "parse_date",
    "Participation", "Partner", "PARTNER_KINDS", "Project", "RATINGS", "scorecard_completeness",
    "TOP_LEVEL_KEYS", "unknown_elements", "walk_data_files",
]
