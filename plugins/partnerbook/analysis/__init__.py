"""What the data means: look-ups, money over time, impact, health, findings and the checks."""

# The names the other packages use (each module's other names are its own business).
from .checks import KNOWN_CHECKS, check_data
from .health import health_report
from .impact import NetworkImpact, network_impact
from .index import NetworkIndex
from .money import WINDOW_MONTHS, Money, compute_money, format_share, timing_text
from .scorecard import RATING_SYMBOLS, scorecard_cells, scorecard_columns, scorecard_gaps

__all__ = [
    "KNOWN_CHECKS",
    "RATING_SYMBOLS",
    "WINDOW_MONTHS",
    "Money",
    "NetworkImpact",
    "NetworkIndex",
    "check_data",
    "compute_money",
    "format_share",
    "health_report",
    "network_impact",
    "scorecard_cells",
    "scorecard_columns",
    "scorecard_gaps",
    "timing_text",
]
