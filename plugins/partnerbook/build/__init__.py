"""One build of a handbook, whatever host runs it: the options, the session and its builds,
the caches, the docs-folder sync (`partnerbook generate`) and the site check."""

# The names the other packages use (each module's other names are its own business).
from .build import Build, BuildError, BuildLog, write_atomically
from .docs_folder import build_for_docs, write_docs
from .handbook import config_file_of, find_handbook, handbook_options, HandbookOptions, NotAHandbook, theme_language
from .options import Option, OPTIONS
from .prose import is_stub, MARKER, prose_pages, ProsePage
from .session import Session
from .sitecheck import check_handbook

__all__ = [
    "Build", "build_for_docs", "BuildError", "BuildLog", "check_handbook", "config_file_of", "find_handbook",
    "handbook_options", "HandbookOptions", "is_stub", "MARKER", "NotAHandbook", "Option", "OPTIONS",
    "prose_pages", "ProsePage", "Session", "theme_language", "write_atomically", "write_docs",
]
