"""`partnerbook import iati`: IATI activity XML (2.01–2.03), one or many files, read as a stream.

- Whose handbook: `--publisher REF|NAME` keeps the activities that organisation reports (and the
  organisations they name); --focal defaults to it.
- Who pays: by transaction type (iati_codes.TRANSACTION_TYPES): on outgoing types the activity's
  reporting organisation pays, on incoming ones it receives; a provider-org written on an outgoing
  transaction is its source of funds (in the payment's purpose), never its payer. An unnamed
  counterpart is the activity's one funding (incoming) or implementing (outgoing) organisation,
  else the "Unspecified funder" / "Unspecified recipient".
- As of: the latest transaction on or before the day its file was generated; later ones are plans.
- Organisations come from reporting-, participating-, provider- and receiver-org. They are one
  partner when they share an identifier (`ref` of the identifier shape; another ref only while its
  names agree; never `;`, `N/A`, `0`…), or when a name without identifier is the name (or the start
  of a name the publisher cut short) of exactly one other organisation. Ids come from names.
- Each activity is a `project`, its participants with their IATI roles.
- Money: incoming funds, disbursements and expenditure are `funding` payments (`date`), from
  payer to payee. Commitments are promises, not money moved: adding them to payments
  would count the same money twice, so each (activity, provider, receiver) commitment is an
  `agreement` (type grant, signed on the first commitment's date, the amounts in its notes),
  and the payments of the same activity between the same two refer to it.
- Focal organisation: --focal, else the publisher, else the most frequent (primary) reporting
  organisation. IVN/OVN is proposed from the money, agreements and projects the focal organisation
  shares with each partner (a funder with a commitment to it is inner: a signed agreement).
"""

from __future__ import annotations

from pathlib import Path

from .common import Imported, ImportFailed
from .iati_merge import Merger
from .iati_records import build
from .iati_xml import Reader

HELP = """IATI (activity XML 2.01-2.03; one or more files):
  --publisher REF|NAME  keep only the activities this organisation reports, by its IATI organisation
                        identifier (e.g. NL-KVK-30214009) or its name; repeatable. Without it, every
                        activity of every publisher in the files is imported.
  --focal REF|NAME|ID   the organisation the handbook is written from; default: the (first) publisher,
                        else the most frequent reporting organisation.

How the data is read (the IATI Standard's rules):
  - outgoing transactions (types 2, 3, 4, 5, 6, 7, 8, 12): the reporting organisation pays; a
    provider-org written there is kept as the source of funds (in the payment's purpose);
  - incoming transactions (types 1, 11, 13): the reporting organisation receives;
  - a counterpart the transaction does not name is the activity's one funding (incoming) or
    implementing (outgoing) organisation, else "Unspecified funder" / "Unspecified recipient";
  - a secondary reporter is no party: its single extending organisation is, else the transaction as written;
  - commitments (2, 11) become agreements, payments (1, 3, 4) funding; the other types (interest,
    loan repayments, reimbursements, equity, guarantees, pledges) are counted and left out;
  - as_of is the latest transaction on or before the day the file was generated; later ones are
    plans: committed money, never paid;
  - refs such as ';', '-', '0', 'N/A' never merge organisations; ids come from names.

Example: partnerbook import iati activities.xml --publisher NL-KVK-30214009 -o network --force"""


def read(sources: list[Path], focal: str | None, publishers: list[str] | None = None) -> Imported:
    reader = Reader(publishers)
    problems: list[str] = []
    for path in sources:
        reader.read_file(path, problems)
    for publisher in reader.publishers:
        if not reader.publisher_hits[publisher] and not problems:
            known = ", ".join(name for name, _ in reader.reporters.most_common(5))
            problems.append(f"--publisher {publisher}: no activity in the files is reported by that organisation "
                            f"(give its identifier or name; the files' reporting organisations include: {known})")
    if problems:
        raise ImportFailed(problems)
    summary = reader.summary
    summary.lines.append(f"read {len(sources)} file{'s' if len(sources) != 1 else ''}: "
                         f"{len(reader.activities)} activities, {len(reader.transactions)} transactions kept "
                         f"for payments and commitments")
    merger = Merger(reader.orgs, summary)
    merger.merge()
    if reader.publishers:
        summary.lines.append(f"publisher: kept the {len(reader.activities)} activities reported by "
                             f"{' and '.join(reader.publishers)}")
    return build(reader, merger, focal or (reader.publishers[0] if reader.publishers else None),
                 [p.name for p in sources], "--focal" if focal or not reader.publishers else "--publisher")
