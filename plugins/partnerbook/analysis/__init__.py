"""What the data means: look-ups, money over time, impact, health, findings and the checks."""

# The names the other packages use (each module's other names are its own business).
from .checks import check_data, KNOWN_CHECKS
from .health import health_report
from .impact import network_impact, NetworkImpact
from .index import NetworkIndex
from .money import compute_money, format_share, Money, timing_text, WINDOW_MONTHS
from .scorecard import RATING_SYMBOLS, scorecard_cells, scorecard_columns, scorecard_gaps

__all__ = [
    "check_data", "compute_money", "format_share", "health_report", "KNOWN_CHECKS", "Money", "network_impact",
    "NetworkImpact", "NetworkIndex", "RATING_SYMBOLS", "scorecard_cells", "scorecard_columns", "scorecard_gaps",
    "timing_text", "WINDOW_MONTHS",
]
