"""Did-you-mean: known values really close to what was written, or none.

A suggestion that names another thing misleads more than none ('company' is
not 'community', 'netherlands-–-ministry-of-foreign-affairs' is not
'ministry-of-foreign-affairs'), so only a change of case or a typo or two,
scaled by length, counts as close.
"""

from __future__ import annotations

import functools


def _edits(a: str, b: str, limit: int) -> int:
    """Edits (insert, delete, substitute, swap two neighbours) from a to b; limit + 1 when more."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before, row = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (ca != cb))
            if before is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, row = row, current
    return row[-1]


def _allowed_edits(word: str) -> int:
    """How far a suggestion may be from what was written: a typo, not another word ('company' is not
    'community', 'KSH' not 'SHP'); two-letter codes only by case."""
    n = len(word)
    return 0 if n <= 2 else 1 if n <= 4 else 2 if n <= 8 else 3


@functools.lru_cache(maxsize=1 << 16)
def _bigrams(text: str) -> frozenset[str]:
    return frozenset(text[i:i + 2] for i in range(len(text) - 1))


def suggest(word: str, known: list[str] | tuple[str, ...], n: int = 3) -> list[str]:
    """Known values really close to `word`: the same but for case, or a typo or two away."""
    folded = word.casefold()
    limit = _allowed_edits(word)
    grams = _bigrams(folded)
    scored = []
    for position, candidate in enumerate(known):
        other = candidate.casefold()
        if other == folded:
            distance = 0
        elif abs(len(other) - len(folded)) > limit:
            continue
        else:
            # One edit changes at most three neighbouring pairs of letters: a cheap bound first.
            other_grams = _bigrams(other)
            if len(grams - other_grams) > 3 * limit or len(other_grams - grams) > 3 * limit:
                continue
            distance = _edits(folded, other, limit)
        if distance <= limit and candidate != word:
            scored.append((distance, position, candidate))
    return [candidate for _, _, candidate in sorted(scored)[:n]]


def did_you_mean(word: str, known: list[str] | tuple[str, ...]) -> str:
    close = suggest(word, known, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""
