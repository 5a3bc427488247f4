"""The ground floor: problems (FILE:LINE messages), suggestions, site URLs, safe file writes, forked work.

Imports nothing else of partnerbook."""

# The names the other packages use (each module's other names are its own business).
from .parallel import can_fork, ChildFailed, Forked, render_all
from .problems import (
    apply_check_levels,
    check_level_errors,
    CHECK_LEVELS,
    counted,
    display_order,
    display_path,
    format_github,
    format_problems,
    format_summary,
    Problem,
)
from .suggestions import did_you_mean, suggest
from .urls import dest_uri, normalise_prefix, relative_file_url, relative_md, relative_url, SECTIONS, SitePaths

__all__ = [
    "apply_check_levels", "can_fork", "check_level_errors", "CHECK_LEVELS", "ChildFailed", "counted",
    "dest_uri", "did_you_mean", "display_order", "display_path", "Forked", "format_github", "format_problems",
    "format_summary", "normalise_prefix", "Problem", "relative_file_url", "relative_md", "relative_url",
    "render_all", "SECTIONS", "SitePaths", "suggest",
]
