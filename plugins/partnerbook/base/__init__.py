"""The ground floor: problems (FILE:LINE messages), suggestions, site URLs, safe file writes, forked work,
the cycle collector paused for a load.

Imports nothing else of partnerbook."""

# The names the other packages use (each module's other names are its own business).
from .collector import collector_paused
from .parallel import ChildFailed, Forked, can_fork, render_all
from .problems import (
    CHECK_LEVELS,
    Problem,
    apply_check_levels,
    check_level_errors,
    counted,
    display_order,
    display_path,
    format_github,
    format_problems,
    format_summary,
)
from .suggestions import did_you_mean, suggest
from .urls import SECTIONS, SitePaths, dest_uri, normalise_prefix, relative_file_url, relative_md, relative_url

__all__ = [
    "CHECK_LEVELS",
    "SECTIONS",
    "ChildFailed",
    "Forked",
    "Problem",
    "SitePaths",
    "apply_check_levels",
    "can_fork",
    "check_level_errors",
    "collector_paused",
    "counted",
    "dest_uri",
    "did_you_mean",
    "display_order",
    "display_path",
    "format_github",
    "format_problems",
    "format_summary",
    "normalise_prefix",
    "relative_file_url",
    "relative_md",
    "relative_url",
    "render_all",
    "suggest",
]
