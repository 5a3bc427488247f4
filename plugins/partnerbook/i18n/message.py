"""Text translated when it is shown, not when it is made: a message id and its arguments.

The findings (analysis/health.py, money_findings.py) and the problems made from them
are computed once and kept: in the data cache, across a server's rebuilds, in a build
that may then run in another language. Translating them when they are made would
freeze the language of the first build into every later one (a French build, then an
English one with the same cache, printed French warnings). So they hold a `Message`
(the catalog's message id, its plural and count, its arguments) and `str()` translates
it in the language active at that moment: when a log line, a page or the CLI shows it.

Arguments may be text, numbers, or other deferred text: a `Shown` (a formatting
function and its arguments, e.g. an amount the reader's way) or a `Message`; each is
rendered when its message is. Everything here pickles (functions by their module
and name), so the data cache keeps it without keying on the language.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import language


@functools.total_ordering
class Deferred:
    """Text rendered in the active language by `str()`; compares and searches like that text,
    so `"80%" in finding.summary` and sorting problems read what a reader would see."""

    def _fields(self) -> tuple:
        raise NotImplementedError

    def __str__(self) -> str:
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            return str(self) == other
        if isinstance(other, Deferred):
            return type(self) is type(other) and self._fields() == other._fields()
        return NotImplemented

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._fields()))

    def __lt__(self, other: object) -> bool:
        if isinstance(other, (str, Deferred)):
            return str(self) < str(other)
        return NotImplemented

    def __contains__(self, text: str) -> bool:
        return text in str(self)

    def __bool__(self) -> bool:
        return bool(str(self))

    def __add__(self, other: object) -> Joined:
        return Joined((self, other))

    def __radd__(self, other: object) -> Joined:
        return Joined((other, self))

    def __html__(self) -> str:  # Jinja escapes the text, as it would a str
        from markupsafe import escape
        return str(escape(str(self)))


def shown(value: Any) -> Any:
    """An argument as its message receives it: deferred text rendered now, anything else as it is."""
    return str(value) if isinstance(value, Deferred) else value


@dataclass(frozen=True, eq=False)
class Message(Deferred):
    """A catalog message: its id (the English text), the plural and count for `ngettext`, its arguments."""

    id: str
    arguments: tuple[tuple[str, Any], ...] = ()
    plural: str = ""
    count: int = 0

    def _fields(self) -> tuple:
        return (self.id, self.arguments, self.plural, self.count)

    def __str__(self) -> str:
        values = {name: shown(value) for name, value in self.arguments}
        if self.plural:
            return language.ngettext(self.id, self.plural, self.count, **values)
        return language._(self.id, **values)


@dataclass(frozen=True, eq=False)
class Shown(Deferred):
    """A value formatted the reader's way when shown: `function(*arguments)` (a module-level function)."""

    function: Callable[..., str]
    arguments: tuple[Any, ...] = ()

    def _fields(self) -> tuple:
        return (self.function.__module__, self.function.__qualname__, self.arguments)

    def __str__(self) -> str:
        return str(self.function(*(shown(value) if isinstance(value, Deferred) else value
                                   for value in self.arguments)))


@dataclass(frozen=True, eq=False)
class Joined(Deferred):
    """Pieces of text shown one after the other (a sentence and a note added to it)."""

    parts: tuple[Any, ...]

    def _fields(self) -> tuple:
        return self.parts

    def __str__(self) -> str:
        return "".join(str(part) for part in self.parts)


# Text now, or text translated when shown.
Text = str | Deferred


def gettext_later(message: str, **values: Any) -> Message:
    """`_()` translated when shown."""
    return Message(message, tuple(values.items()))


def ngettext_later(singular: str, plural: str, count: int, **values: Any) -> Message:
    """`ngettext()` translated when shown; `%(num)s` is the count written the reader's way."""
    return Message(singular, tuple(values.items()), plural, count)


def later(function: Callable[..., str]) -> Callable[..., Shown]:
    """`function` (a formatting function: an amount, a date, a label) applied when shown."""

    @functools.wraps(function)
    def deferred(*arguments: Any) -> Shown:
        return Shown(function, arguments)

    return deferred


def joined(parts: Any) -> Joined:
    """`"".join(parts)` of deferred text."""
    return Joined(tuple(parts))
