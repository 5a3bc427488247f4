"""Agreement scorecards in words: element names, column groups and where a scorecard is thin."""

from __future__ import annotations

def scorecard_cells(agreement, elements: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """(CSS rating, symbol, words) of each element of one row of the scorecard matrix."""
    cells = []
    for element in elements:
        rating = agreement.scorecard.get(element)
        if rating is None:
            cells.append(("missing pb-not-stated", RATING_SYMBOLS["missing"], "missing (not stated)"))
        else:
            cells.append((rating.replace("/", ""), RATING_SYMBOLS[rating], rating))
    return cells


_GAPS = (("missing", "Missing"), ("partial", "Partial"), ("unknown", "Unknown"),
         ("not-stated", "Not stated (counts as missing)"))


def scorecard_gaps(agreement, elements: tuple[str, ...]) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """Where a scorecard is thin, in words: [(rating, heading, [(group, element label), ...]), ...]."""
    found: dict[str, list[tuple[str, str]]] = {rating: [] for rating, _ in _GAPS}
    for element in elements:
        rating = agreement.scorecard.get(element, "not-stated")
        if rating in found:
            found[rating].append(element_label(element))
    return [(rating, heading, found[rating]) for rating, heading in _GAPS if found[rating]]


# Shapes, not colour alone, tell the ratings apart; each cell also carries the word for screen readers.
RATING_SYMBOLS = {"full": "●", "partial": "◐", "missing": "○", "unknown": "?", "n/a": "–"}
# Words for the default elements that capitalising the key would get wrong.
_ELEMENT_WORDS = {"ip-and-data": "IP and data"}


def element_label(element: str) -> tuple[str, str]:
    """'why.shared-objectives' → ('Why', 'Shared objectives'); an element without a group is its own."""
    group, _, name = element.partition(".")
    name = name or group
    words = _ELEMENT_WORDS.get(name) or name.replace("-", " ").replace("_", " ")
    return group.replace("-", " ").capitalize(), words[:1].upper() + words[1:]


def scorecard_columns(elements: tuple[str, ...]) -> list[tuple[str, list[tuple[str, str]]]]:
    """[(group label, [(element, label), ...]), ...] in the order the elements are configured."""
    columns: list[tuple[str, list[tuple[str, str]]]] = []
    for element in elements:
        group, label = element_label(element)
        if not columns or columns[-1][0] != group:
            columns.append((group, []))
        columns[-1][1].append((element, label))
    return columns
