"""IATI organisations as written → one partner each: the same identifier, agreeing names, a name cut short."""

from __future__ import annotations

import bisect

from .common import Summary
from .iati_xml import MIN_TRUNCATED, Org, normalise

# Words that say nothing of which organisation a name is: two names sharing only these share no word.
_STOP_WORDS = {"of", "the", "and", "for", "in", "de", "la", "le", "des", "du", "et", "del", "y", "a", "an", "&", "to",
               "on", "en", "el", "los", "las", "da", "do", "e"}


def _words(name: str) -> set[str]:
    return set(normalise(name).split()) - _STOP_WORDS


def _initials(name: str) -> str:
    return "".join(w[0] for w in normalise(name).split() if w not in _STOP_WORDS)


def _related(a: str, b: str) -> bool:
    """Two names of one organisation: they share a word, or one is the other's initials (UNDP)."""
    wa, wb = _words(a), _words(b)
    if wa & wb:
        return True
    na, nb = normalise(a).replace(" ", ""), normalise(b).replace(" ", "")
    return (len(na) >= 2 and na == _initials(b)) or (len(nb) >= 2 and nb == _initials(a))


def names_agree(names: list[str]) -> bool:
    """Whether the names a ref comes with are all one organisation's (connected by `_related`)."""
    if len(names) < 2:
        return True
    reached, todo = {names[0]}, [names[0]]
    while todo:
        name = todo.pop()
        for other in names:
            if other not in reached and _related(name, other):
                reached.add(other)
                todo.append(other)
    return len(reached) == len(names)


class Merger:
    """Organisation keys → one partner each (union-find)."""

    def __init__(self, orgs: dict[str, Org], summary: Summary):
        self.parent = {key: key for key in orgs}
        self.orgs = orgs
        self.summary = summary

    def find(self, key: str) -> str:
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, name_key: str, ref_root: str) -> None:
        self.parent[self.find(name_key)] = self.find(ref_root)

    def _weak_refs(self) -> list[str]:
        """Refs that are not of the identifier shape merge their organisations while their names agree;
        the same ref on names that share no word (17 organisations written with one internal code) is
        no identifier: those organisations stay apart, known by name. The keys left name-only."""
        orgs, by_ref = self.orgs, dict[str, list[str]]()
        for key in sorted(k for k in orgs if k.startswith("weak:")):
            by_ref.setdefault(orgs[key].weak_ref, []).append(key)
        loose = []
        for ref, keys in by_ref.items():
            names = sorted({n for k in keys for n in orgs[k].names})
            if names_agree(names):
                for key in keys[1:]:
                    self.union(key, keys[0])
            else:
                self.summary.add("noted", "refs written on names that share no word: not used to merge",
                                 f"ref=\"{ref}\" on {len(names)} names ('{names[0]}', '{names[1]}', …)")
                for key in keys:
                    orgs[key].refs.clear()
                loose += keys
        return loose

    def merge(self) -> None:
        orgs, summary = self.orgs, self.summary
        loose = set(self._weak_refs())
        by_norm: dict[str, set[str]] = {}  # normalised name → ref keys using it
        for key, org in orgs.items():
            if key.startswith(("ref:", "weak:")) and key not in loose:
                for name in org.names:
                    by_norm.setdefault(normalise(name), set()).add(self.find(key))
            if key.startswith("ref:"):
                for name in org.names:
                    by_norm.setdefault(normalise(name), set()).add(key)
                if len(org.refs) > 1:
                    summary.add("merged", "identifiers written in several ways (case)", " / ".join(sorted(org.refs)))
        name_keys = sorted(k for k in orgs if k.startswith("name:") or k in loose)
        for key in name_keys:
            norm = key[5:] if key.startswith("name:") else key.split("\x1f", 1)[1]
            if not norm:
                continue
            if key in loose and f"name:{norm}" in orgs:  # a loose ref's organisation is the same name without ref
                self.union(key, f"name:{norm}")
            refs = by_norm.get(norm, set())
            if len(refs) == 1:
                ref_key = next(iter(refs))
                self.union(key, ref_key)
                summary.add("merged", "organisations named without identifier, matched by name to one with it",
                            f"'{next(iter(orgs[key].names))}' → {next(iter(orgs[ref_key].refs), ref_key)}")
            elif len(refs) > 1:
                summary.add("noted", "names used by organisations with different identifiers: kept apart",
                            f"'{norm}' ({', '.join(sorted(next(iter(orgs[r].refs), r) for r in refs))})")
        # A name-only organisation whose name is the start of exactly one other organisation's name
        # was cut short by its publisher (IATI tools cut at 40, 50 or 60 characters).
        names = sorted({normalise(n) for org in orgs.values() for n in org.names})
        owners: dict[str, set[str]] = {}
        for key, org in orgs.items():
            for name in org.names:
                owners.setdefault(normalise(name), set()).add(key)
        for key in name_keys:
            norm = key[5:] if key.startswith("name:") else key.split("\x1f", 1)[1]
            if self.find(key) != key or len(norm) < MIN_TRUNCATED:
                continue
            roots = set()
            start = bisect.bisect_right(names, norm)
            for other in names[start:]:
                if not other.startswith(norm):
                    break
                if norm[-1].isdigit() and other[len(norm)].isdigit():
                    continue  # 'Partner 1' is not 'Partner 10' cut short
                roots |= {self.find(k) for k in owners[other]}
            roots.discard(key)
            if len(roots) == 1:
                target = roots.pop()
                self.parent[key] = target
                summary.add("merged", "names cut short by their publisher, matched to the full name",
                            f"'{next(iter(orgs[key].names))}'")
