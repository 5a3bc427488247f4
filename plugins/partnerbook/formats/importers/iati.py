"""`partnerbook import iati`: IATI activity XML (2.01–2.03), one or many files, read as a stream.

- Organisations come from reporting-, participating-, provider- and receiver-org. They are one
  partner when they share an identifier (`ref`), or when a name without identifier is the name
  (or the start of a name the publisher cut short) of exactly one other organisation.
- Each activity is a `project`, its participants with their IATI roles.
- Money: incoming funds, disbursements and expenditure are `funding` payments (`date`), from
  provider to receiver. Commitments are promises, not money moved: adding them to payments
  would count the same money twice, so each (activity, provider, receiver) commitment is an
  `agreement` (type grant, signed on the first commitment's date, the amounts in its notes),
  and the payments of the same activity between the same two refer to it.
- Focal organisation: --focal, or the most frequent (primary) reporting organisation. IVN/OVN is
  proposed from the money and projects the focal organisation shares with each partner.
"""

from __future__ import annotations

from pathlib import Path

from .common import Imported, ImportFailed
from .iati_records import Merger, build
from .iati_xml import Reader


def read(sources: list[Path], focal: str | None) -> Imported:
    reader = Reader()
    problems: list[str] = []
    for path in sources:
        reader.read_file(path, problems)
    if problems:
        raise ImportFailed(problems)
    summary = reader.summary
    summary.lines.append(f"read {len(sources)} file{'s' if len(sources) != 1 else ''}: "
                         f"{len(reader.activities)} activities, {len(reader.transactions)} transactions kept "
                         f"for payments and commitments")
    merger = Merger(reader.orgs, summary)
    merger.merge()
    return build(reader, merger, focal, [p.name for p in sources])
