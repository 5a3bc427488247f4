"""Reading the gettext catalogs (.po) a language's messages come from, and checking them.

A catalog is written by a person, often in a `.po` editor, sometimes by hand:
what cannot be read stops the build with FILE:LINE (every broken catalog in one
run); a translation that would break the page it is shown on (a placeholder the
message does not have, a lone `%`, a plural with too few forms) is left out with
a warning naming its line, so the message shows as the next catalog, or English,
has it. Babel parses the files and compiles them in memory: no `.mo` in git.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path

from babel import Locale
from babel.messages.catalog import PYTHON_FORMAT, Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import Translations

from ..base.problems import Problem, display_path

DOMAIN = "partnerbook"
PACKAGED_CATALOGS = Path(__file__).parent.parent / "locale"
_KEYWORDS = ("msgctxt", "msgid", "msgid_plural", "msgstr")


class CatalogError(ValueError):
    """Catalogs that cannot be read: one error Problem (FILE:LINE) for each."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


@dataclass
class ReadCatalog:
    translations: Translations
    warnings: list[Problem]  # translations left out, each with its line


# -- which files speak a language ------------------------------------------------


def spelled(code: str) -> str:
    """'pt-br' → 'pt_BR', 'zh-hant' → 'zh_Hant': as catalog files are named (pt_BR.po)."""
    parts = [part for part in code.replace("-", "_").split("_") if part]
    if not parts:
        return code
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())  # a script: Hant, Latn
        elif (len(part) == 2 and part.isalpha()) or (len(part) == 3 and part.isdigit()):
            out.append(part.upper())  # a region: BR, 419
        else:
            out.append(part)
    return "_".join(out)


def _truncations(name: str) -> list[str]:
    """'zh_Hant_TW' → ['zh_Hant_TW', 'zh_Hant', 'zh']."""
    parts = name.split("_")
    return ["_".join(parts[:n]) for n in range(len(parts), 0, -1)]


def candidates(code: str, locale: Locale | None = None) -> list[str]:
    """The catalog names that speak `code`, most specific first: 'pt-BR' → ['pt_BR', 'pt'];
    'zh-TW' → ['zh_TW', 'zh_Hant_TW', 'zh_Hant', 'zh'] (Babel knows Taiwan writes Hant)."""
    names = _truncations(spelled(code))
    if locale is not None:
        names += _truncations(str(locale))
    return list(dict.fromkeys(names))


def catalog_files(code: str, templates_dir: Path | None = None, locale: Locale | None = None) -> list[Path]:
    """The .po files that speak `code`, least specific first: packaged ones, then the
    handbook's (`TEMPLATES/locale/`); a later file's messages win."""
    folders = [PACKAGED_CATALOGS]
    if templates_dir is not None:
        folders.append(templates_dir / "locale")
    found = []
    for folder in folders:
        for name in reversed(candidates(code, locale)):  # 'pt' first, then 'pt_BR' over it
            path = folder / f"{name}.po"
            if path.is_file():
                found.append(path)
    return found


def fingerprint(files: list[Path]) -> tuple:
    """What a language's messages depend on: (path, size, mtime) of each file."""
    out = []
    for path in files:
        try:
            stat = os.stat(path)
        except OSError:
            continue
        out.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(out)


# -- reading one catalog ---------------------------------------------------------


def _unclosed_strings(text: str, shown: str) -> list[Problem]:
    """Lines whose string lacks its closing quote: Babel would silently drop their last letter."""
    problems = []
    for number, line in enumerate(text.splitlines(), 1):
        body = line.strip()
        if body.startswith("#~"):
            body = body[2:].strip()
        elif body.startswith("#") or not body:
            continue
        keyword, _, rest = body.partition(" ")
        if keyword.split("[")[0] in _KEYWORDS:
            body = rest.strip()
        if not body.startswith('"'):
            continue  # Babel reports what is no keyword and no string
        inside = body[1:-1]
        backslashes = len(inside) - len(inside.rstrip("\\"))  # an odd run escapes the last quote
        closed = len(body) >= 2 and body.endswith('"') and backslashes % 2 == 0
        if not closed:
            problems.append(Problem(shown, number, "error", 'this string does not end with " (a closing quote '
                                                             'is missing, or a quote inside it is not written \\")'))
    return problems


def _missing_translations(text: str, shown: str) -> list[Problem]:
    """Entries with a msgid and no msgstr, on the msgid's line. Newer Babel reports them
    itself; the oldest we support (2.10) fails with an IndexError instead."""
    problems: list[Problem] = []
    pending: int | None = None
    pieces: list[str] = []

    def report(line: int) -> None:
        problems.append(Problem(shown, line, "error", f"missing msgstr for msgid {''.join(pieces)!r}"))

    in_msgid = False
    for number, line in enumerate(text.splitlines(), 1):
        body = line.strip()
        if not body or body.startswith("#"):
            in_msgid = False
            continue
        keyword = body.split(" ", 1)[0]
        if keyword in ("msgid", "msgctxt"):
            if pending is not None:
                report(pending)
            pending, pieces = (number, []) if keyword == "msgid" else (None, [])
            in_msgid = keyword == "msgid"
            if in_msgid:
                pieces.append(body[len("msgid"):].strip().strip('"'))
        elif keyword.startswith("msgstr"):
            pending, in_msgid = None, False
        elif body.startswith('"') and in_msgid:
            pieces.append(body.strip('"'))
        else:
            in_msgid = False  # msgid_plural, or anything else, ends the msgid
    if pending is not None:
        report(pending)
    return problems


def _first_undecodable_line(data: bytes) -> int:
    for number, line in enumerate(data.splitlines(), 1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            return number
    return 0


def _parse(path: Path, locale: Locale | None, shown: str) -> Catalog:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CatalogError([Problem(shown, 0, "error", f"cannot read this catalog: {exc.strerror or exc}")]) from None
    text = data.decode("utf-8", "replace")
    problems = _unclosed_strings(text, shown) or _missing_translations(text, shown)
    if problems:
        raise CatalogError(problems)
    try:
        return read_po(io.BytesIO(data), locale=locale, domain=DOMAIN, abort_invalid=True)
    except PoFileError as exc:
        message = str(exc).rsplit(" on ", 1)[0]
        raise CatalogError([Problem(shown, exc.lineno + 1, "error", message)]) from None
    except UnicodeDecodeError:
        line = _first_undecodable_line(data)
        raise CatalogError([Problem(shown, line, "error", "is not UTF-8: save the catalog as UTF-8 "
                                                          '(its header says "charset=utf-8")')]) from None
    except (ValueError, IndexError) as exc:  # Babel's header parsing; older Babel's own slips
        raise CatalogError([Problem(shown, 0, "error", f"cannot read this catalog: {exc}")]) from None


class _Probe(dict):
    """Values for a trial fill: a number for every placeholder the message has, KeyError for others."""

    def __init__(self, known: set[str]):
        super().__init__()
        self.known = known

    def __missing__(self, name: str) -> int:
        if name in self.known:
            return 0
        raise KeyError(name)


def _names(text: str) -> set[str]:
    return {match.group(1) for match in PYTHON_FORMAT.finditer(text) if match.group(1) is not None}


def placeholder_fault(message_ids: tuple[str, ...], translation: str, plural: bool) -> str | None:
    """Why `translation` cannot stand for the message, or None. Messages are always %-filled
    with the msgid's named values (and `num` for a plural), so a translation may use only those."""
    known = set().union(*(_names(text) for text in message_ids))
    if plural:
        known.add("num")
    try:
        translation % _Probe(known)
    except KeyError as exc:
        given = ", ".join(f"%({name})s" for name in sorted(known)) or "none"
        return f"uses the placeholder %({exc.args[0]})s, which the message does not have (it has: {given})"
    except (ValueError, TypeError) as exc:
        return f"is not a valid %-format ({exc}): a percent sign is written %% in every message"
    for match in PYTHON_FORMAT.finditer(translation):
        if match.group(1) is None and match.group(3) != "%":
            return f"uses {match.group(0)} without a name: write the message's named placeholders, like %(name)s"
    if not plural:
        missing = _names(message_ids[0]) - _names(translation)
        if missing:
            return ("leaves out " + ", ".join(f"%({name})s" for name in sorted(missing))
                    + ", which the reader needs (write it where the language puts it)")
    return None


def _fault(message: Message, num_plurals: int) -> str | None:
    """Why this entry must be left out (with a warning), or None."""
    if isinstance(message.id, (list, tuple)):
        strings = tuple(message.string or ())
        if len(strings) != num_plurals:
            return (f"has {len(strings)} plural forms, but the catalog's Plural-Forms header says "
                    f"nplurals={num_plurals}")
        for string in strings:
            fault = placeholder_fault(tuple(message.id), string, plural=True)
            if fault:
                return fault
        return None
    return placeholder_fault((message.id,), str(message.string or ""), plural=False)


def _untranslated(message: Message) -> bool:
    strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
    return not all(strings)


def read_catalog(path: Path, locale: Locale | None, root: Path | None = None) -> ReadCatalog:
    """One catalog's translations, compiled in memory. Untranslated and fuzzy entries are
    dropped (so a lower catalog, or English, speaks), as are faulty ones, with a warning;
    raises CatalogError when the file cannot be read."""
    shown = display_path(path, root)
    catalog = _parse(path, locale, shown)
    warnings = []
    for message in list(catalog)[1:]:
        key = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
        if message.fuzzy or _untranslated(message):
            catalog.delete(message.id, message.context)  # a guess, or nothing yet: not a translation
            continue
        fault = _fault(message, catalog.num_plurals)
        if fault:
            warnings.append(Problem(shown, message.lineno or 0, "warning",
                                    f"the translation of '{key}' {fault}; it is left out until fixed"))
            catalog.delete(message.id, message.context)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    try:
        translations = Translations(fp=buffer, domain=DOMAIN)
    except (ValueError, SyntaxError) as exc:  # the header's Plural-Forms expression
        raise CatalogError([Problem(shown, _header_line(path, "Plural-Forms"), "error",
                                    f"the Plural-Forms header cannot be read: {exc}")]) from None
    return ReadCatalog(translations, warnings)


def _header_line(path: Path, name: str) -> int:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return 0
    return next((number for number, line in enumerate(lines, 1) if f'"{name}:' in line), 0)
