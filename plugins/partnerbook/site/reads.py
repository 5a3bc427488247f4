"""What each generated page reads, so a build regenerates only the pages whose reads changed.

While a page renders, the network, its index and the analyses (money, impact, health, the
elephant factors) and the prose backlinks are seen through `Tracked` proxies that note each
read: an attribute, a method call with its arguments, a key of a mapping. Each read is kept
as a `Token` with the digest of the value it returned. On the next build a page is reused
when every token it read still gives the same digest (`ReadLog.changed`): renaming one
partner changes the reads of its page, its counterparts' pages and the lists that name it,
and no other.

Why this is safe: a page is a function of what its templates and views read, and every read
of the data goes through these proxies (the Renderer hands out only proxies). What a read
returns is not proxied further: its digest covers the whole value, so deeper reads are
covered too. What no token covers is in the build's global key (build/build.py): the code,
options, language, templates, the edition's withheld counts and the paging plan.

Two kinds of reads are deliberately not noted: mappings keyed by `id()` of records (index
positions and texts computed from records another read returned: their ids mean nothing in
another build, and the records themselves are covered), and reads outside a page (drawing a
diagram in the background from a key the page already read).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import fractions
import hashlib
import types
from collections.abc import Callable, ItemsView, Iterator, KeysView, Mapping, ValuesView
from typing import Any

from ..data.model import Record

# A read: (root, attribute, how, argument). how is "" (the attribute's value), "()" (a call,
# argument = its arguments) or "[]" (a key of the mapping the attribute holds).
Token = tuple[str, str, str, Any]
# A root that is itself a mapping (the backlinks) is read by key under this attribute name.
SELF = ""

_PLAIN = (str, int, float, bool, type(None))
_PLAIN_TYPES = frozenset(_PLAIN)
_SETTLED = frozenset((*_PLAIN, list, tuple, dict, set, frozenset))  # what a call returns that is no iterator
_LEAVES = frozenset((*_PLAIN, tuple, frozenset, dt.date))  # attribute values that are neither methods nor mappings
_SCALARS = (*_PLAIN, dt.date, decimal.Decimal, fractions.Fraction)
UNVERIFIABLE = "?"  # the digest of a read whose arguments cannot be named in another build


class Digester:
    """Digests of values, stable across processes (sets sorted, every field of a record
    including its source lines), with each record or analysis result written once per build.
    Make a new one when those may have changed (ReadLog makes one per build)."""

    def __init__(self) -> None:
        self._records: dict[int, str] = {}
        self._reprs: dict[int, str] = {}  # id(record) → its repr
        self._keep: list[object] = []  # the records hashed, kept alive so their ids stay theirs

    def digest(self, value: object) -> str:
        # repr is the fast way (records and analyses are dataclasses, whose repr shows every field that
        # a page may show; the source lines, which no page shows, are left out). What it cannot say
        # stably is written field by field: a set (its order), an object without a repr of its own.
        text = self._quick(value)
        if " at 0x" in text:
            text = self._text(value)
        return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()

    def _quick(self, value: object) -> str:
        """repr, with each record's written once a build: a record is read through many tokens (by id,
        from an index, in the lists of its counterparts), and a dataclass's repr is slow Python."""
        if isinstance(value, tuple | list) and type(value) in (tuple, list):  # (not a named tuple: its repr)
            inner = ",".join(map(self._quick, value))
            return f"[{inner}]" if isinstance(value, list) else f"({inner})"
        if type(value) is dict:
            return "{" + ",".join(f"{self._quick(k)}:{self._quick(v)}" for k, v in value.items()) + "}"
        if isinstance(value, set | frozenset):
            return self._text(value)
        if isinstance(value, Record):
            text = self._reprs.get(id(value))
            if text is None:
                text = self._reprs[id(value)] = repr(value)
                self._keep.append(value)
            return text
        return repr(value)

    def _text(self, value: object) -> str:
        if isinstance(value, str):
            return repr(value)
        if isinstance(value, _SCALARS):
            return f"{type(value).__name__}:{value!r}"
        if isinstance(value, tuple | list):
            return "[" + ",".join(map(self._text, value)) + "]"
        if isinstance(value, TrackedMapping | Tracked):
            return self._text(value._target)
        if isinstance(value, Mapping):
            return "{" + ",".join(f"{self._text(k)}:{self._text(v)}" for k, v in value.items()) + "}"
        if isinstance(value, set | frozenset):
            return "set{" + ",".join(sorted(map(self._text, value))) + "}"
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            # Records are frozen, and analyses are not changed once computed: each is written once a build.
            text = self._records.get(id(value))
            if text is None and isinstance(value, Record):
                # The data's records hold tuples, text, dates and mappings, never sets: their repr
                # is stable and every field but the source lines, which follow it.
                text = f"{value!r}{dict(value.lines)!r}"
            elif text is None:
                text = type(value).__name__ + "(" + ",".join(
                    self._text(getattr(value, f.name)) for f in dataclasses.fields(value)) + ")"
                self._records[id(value)] = text
                self._keep.append(value)
            return text
        if isinstance(value, types.FunctionType | types.BuiltinFunctionType | type):
            return f"function:{value.__module__}.{value.__qualname__}"  # (a formatter a message carries)
        if hasattr(value, "__dict__") and not callable(value):
            return type(value).__name__ + self._text(vars(value))
        return f"{type(value).__name__}:{value!r}"


def argument_key(value: object) -> object:
    """An argument as a token holds it: plain values as they are, a record by its type and id
    (the new build's record of that id stands in), anything else unverifiable (None)."""
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, tuple | list | set | frozenset):
        items = [argument_key(item) for item in value]
        if any(item is None and original is not None for item, original in zip(items, value, strict=True)):
            return None
        return ("set", tuple(sorted(items, key=repr))) if isinstance(value, set | frozenset) else ("seq", tuple(items))
    record_id = getattr(value, "id", None)
    if isinstance(value, Record) and isinstance(record_id, str):
        return ("record", type(value).__name__.lower(), record_id)
    return None


class ReadLog:
    """The reads of the page being rendered, and the digests of every token read this build."""

    def __init__(self) -> None:
        self.page: dict[Token, str] | None = None  # the current page's reads, or None between pages
        self.digests: dict[Token, str] = {}
        self._tokens: dict[Token, Token] = {}  # one object per token, so the page cache pickles each once
        self.digester = Digester()
        self.roots: dict[str, object] = {}  # root name → the raw object
        self._proxies: dict[int, Tracked | TrackedMapping] = {}  # id(raw root) → its proxy

    def track(self, target: Any, root: str) -> Any:
        """`target` seen through a proxy that notes reads under the name `root`."""
        self.roots[root] = target
        proxy = TrackedMapping(target, root, SELF, self) if isinstance(target, Mapping) else Tracked(target, root, self)
        self._proxies[id(target)] = proxy
        return proxy

    def proxy_of(self, value: object) -> object:
        """A root read through another (`index.network`): its proxy, so reads go on being noted."""
        return self._proxies.get(id(value), value)

    def note(self, token: Token, value: object) -> None:
        if self.page is None:
            return
        digest = self.digests.get(token)
        if digest is None:
            digest = UNVERIFIABLE if token[3] is None and token[2] == "()" else self.digester.digest(value)
            self.digests[token] = digest
        self.page[self._tokens.setdefault(token, token)] = digest

    def recording(self, render: Callable[[], str]) -> tuple[str, dict[Token, str]]:
        """(what `render` returns, the reads it made)."""
        outer, self.page = self.page, {}
        try:
            text = render()
            return text, self.page
        finally:
            self.page = outer

    # -- on a later build ---------------------------------------------------------------

    def current(self, token: Token) -> str:
        """The digest the token's read gives in this build (evaluated on the raw objects)."""
        digest = self.digests.get(token)
        if digest is None:
            digest = self.digester.digest(self._evaluate(token))
            self.digests[token] = digest
        return digest

    def changed(self, reads: Mapping[Token, str]) -> Token | None:
        """The first read whose value differs in this build, or None when the page can be reused."""
        for token, digest in reads.items():
            if digest == UNVERIFIABLE or self.current(token) != digest:
                return token
        return None

    def _evaluate(self, token: Token) -> object:
        root, name, how, argument = token
        try:
            value: Any = self.roots[root]
            if name != SELF:
                value = getattr(value, name)
            if how == "()":
                args, kwargs = argument
                value = value(*(self._argument(a) for a in args),
                              **{k: self._argument(v) for k, v in kwargs})
                return _materialised(value)
            if how == "[]":
                kind, key = argument
                if kind == "in":
                    return key in value
                return value[key] if kind == "item" else value.get(key, _MISSING)
            return value
        except Exception as exc:  # noqa: BLE001  (a record that is gone: the read differs, the page is made again)
            return ("raised", type(exc).__name__)

    def _argument(self, key: object) -> object:
        if isinstance(key, tuple) and key and key[0] == "record":
            _, kind, record_id = key
            return getattr(self.roots["network"], f"{kind}_by_id")[record_id]
        if isinstance(key, tuple) and key and key[0] in ("seq", "set"):
            items = [self._argument(item) for item in key[1]]
            return set(items) if key[0] == "set" else tuple(items)
        return key


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


_MISSING = _Missing()


def _materialised(value: object) -> object:
    """A generator read once to be hashed must still be read by the page: a list of it."""
    if isinstance(value, types.GeneratorType) or (hasattr(value, "__next__") and hasattr(value, "__iter__")):
        return list(value)
    return value


class Tracked:
    """An object whose reads the log notes: attributes, method calls, mapping keys."""

    __slots__ = ("_log", "_root", "_target", "_wrapped")

    def __init__(self, target: Any, root: str, log: ReadLog) -> None:
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_root", root)
        object.__setattr__(self, "_log", log)
        object.__setattr__(self, "_wrapped", {})  # name → the proxy of a method or mapping, made once

    def __getattr__(self, name: str) -> Any:
        wrapped = self._wrapped.get(name)
        if type(wrapped) is _TrackedCall:
            return wrapped  # a method: the same function of the same object (made once, below)
        log: ReadLog = self._log
        value = getattr(self._target, name)
        if type(value) in _LEAVES:  # the usual read (a name, a date, a tuple of records): noted as it is
            log.note((self._root, name, "", None), value)
            return value
        proxy = log._proxies.get(id(value))
        if proxy is not None:
            return proxy
        if isinstance(value, types.MethodType | Mapping):
            wrapped = self._wrapped.get(name)
            # A bound method is made anew on each read, of the same function: cached by name.
            if wrapped is None or (not isinstance(value, types.MethodType) and wrapped._target is not value):
                wrapped = (_TrackedCall(value, self._root, name, log) if isinstance(value, types.MethodType)
                           else TrackedMapping(value, self._root, name, log))
                self._wrapped[name] = wrapped
            return wrapped
        log.note((self._root, name, "", None), value)
        return value

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{name}: a page may not change what it reads")

    def __repr__(self) -> str:
        return f"Tracked({self._target!r})"


class _TrackedCall:
    __slots__ = ("_log", "_name", "_root", "_target")

    def __init__(self, method: Callable, root: str, name: str, log: ReadLog) -> None:
        self._target, self._root, self._name, self._log = method, root, name, log

    def __call__(self, *args: object, **kwargs: object) -> object:
        if self._log.page is None:
            return self._target(*args, **kwargs)
        try:
            value = self._target(*args, **kwargs)
        except Exception as exc:
            self._log.note(self._token(args, kwargs), ("raised", type(exc).__name__))
            raise
        if type(value) not in _SETTLED:
            value = _materialised(value)
            if id(value) in self._log._proxies:
                return self._log._proxies[id(value)]
        self._log.note(self._token(args, kwargs), value)
        return value

    def _token(self, args: tuple, kwargs: dict) -> Token:
        if not kwargs and all(type(a) in _PLAIN_TYPES for a in args):  # the usual call: ids and numbers
            return (self._root, self._name, "()", (args, ()))
        keys = [argument_key(a) for a in args]
        named = [(k, argument_key(v)) for k, v in sorted(kwargs.items())]
        if any(k is None and a is not None for k, a in zip(keys, args, strict=True)) or any(
                k is None and kwargs[name] is not None for name, k in named):
            return (self._root, self._name, "()", None)  # cannot be named later: the page is always made again
        return (self._root, self._name, "()", (tuple(keys), tuple(named)))


class TrackedMapping(Mapping):
    """A mapping read key by key: a page that reads one partner's entry depends on that entry only.
    Keys that are not text (`id()` of a record) are not noted (see the module's docstring)."""

    __slots__ = ("_log", "_name", "_root", "_target")

    def __init__(self, target: Mapping, root: str, name: str, log: ReadLog) -> None:
        self._target, self._root, self._name, self._log = target, root, name, log

    def _note(self, kind: str, key: object, value: object) -> None:
        if isinstance(key, str):
            self._log.note((self._root, self._name, "[]", (kind, key)), value)

    def __getitem__(self, key: object) -> Any:
        try:
            value = self._target[key]
        except KeyError:
            self._note("item", key, ("raised", "KeyError"))
            raise
        self._note("item", key, value)
        return value

    def get(self, key: object, default: Any = None) -> Any:
        value = self._target.get(key, _MISSING)
        self._note("get", key, value)
        return default if value is _MISSING else value

    def __contains__(self, key: object) -> bool:
        found = key in self._target
        self._note("in", key, found)
        return found

    def _whole(self) -> Mapping:
        self._log.note((self._root, self._name, "", None), self._target)
        return self._target

    def __iter__(self) -> Iterator:
        return iter(self._whole())

    def __len__(self) -> int:
        return len(self._whole())

    def keys(self) -> KeysView:
        return self._whole().keys()

    def items(self) -> ItemsView:
        return self._whole().items()

    def values(self) -> ValuesView:
        return self._whole().values()

    def __getattr__(self, name: str) -> Any:
        # setdefault and the like: the build's own writes, outside a page. A page that reaches the
        # mapping some other way (a copy) has read all of it.
        return getattr(self._whole(), name)


_ROOT_NAMES = {"money": "the money figures", "impact": "the impact analysis", "health": "the health report",
               "elephants": "the elephant factors", "backlinks": "the prose pages that mention"}
_RECORD_KINDS = ("partner", "role", "agreement", "decision", "project")


def describe(token: Token) -> str:
    """A read as the build log names what changed: "partner p00510", "the exchanges", "the health report"."""
    root, name, how, argument = token
    key: object = None
    if how == "[]":
        key = argument[1]
    elif how == "()" and argument is not None and len(argument[0]) == 1 and isinstance(argument[0][0], str):
        key = argument[0][0]
    if root == "network":
        kind = name.removesuffix("_by_id")
        if kind in _RECORD_KINDS and key is not None:
            return f"{kind} {key}"
        if how == "":
            return f"the {name.replace('_', ' ')}" if name != "info" else "the handbook's settings"
        return f"the network's {name.replace('_', ' ')}" + (f" of {key}" if key is not None else "")
    if root == "index":
        words = name.replace("_", " ")
        if key is None:
            return f"the {words.removesuffix(' of')}"
        return f"the {words} {key}" if words.endswith(" of") else f"the {words} of {key}"
    what = _ROOT_NAMES.get(root, root)
    if root == "backlinks":
        return f"{what} {key}" if key is not None else f"{what} partners"
    return what + (f" of {key}" if key is not None else "")
