"""One build of a handbook, whatever host runs it: the options, the session and its builds,
the caches, the docs-folder sync (`partnerbook generate`) and the site check."""

# The names the other packages use (each module's other names are its own business).
from .build import Build, BuildError, BuildLog
from .docs_folder import build_for_docs, write_docs
from .handbook import HandbookOptions, NotAHandbook, config_file_of, find_handbook, handbook_options, theme_language
from .options import OPTIONS, Option
from .prose import MARKER, ProsePage, is_stub, prose_pages
from .session import Session
from .sitecheck import check_handbook

__all__ = [
    "MARKER",
    "OPTIONS",
    "Build",
    "BuildError",
    "BuildLog",
    "HandbookOptions",
    "NotAHandbook",
    "Option",
    "ProsePage",
    "Session",
    "build_for_docs",
    "check_handbook",
    "config_file_of",
    "find_handbook",
    "handbook_options",
    "is_stub",
    "prose_pages",
    "theme_language",
    "write_docs",
]
