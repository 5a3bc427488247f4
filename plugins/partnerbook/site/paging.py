"""Long lists of generated pages, split over numbered sub-pages so that no page grows past ~1 MB.

At 2,290 partners the agreements page alone was 2 MB of HTML, the role matrix, the
exchange list and the partners index 1.5 MB each: slow to open, slow to search in.
Each long list keeps its first part on its own page (the URL the README promises) and goes
on in `page-2/`, `page-3/`… beside it, with links between the parts. Below the
sizes here nothing is split: a small handbook has no sub-pages at all.

The plan is made from the data alone (no host, no rendering), so that the build and
`partnerbook check` (which lists the pages a link may point to) agree on the pages.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from ..analysis.impact import Impact
from ..analysis.index import NetworkIndex
from ..base.urls import SitePaths
from ..data.model import Network

# Items per page, each a few hundred bytes of HTML (a partner row, a pair of partners) to
# ~5 KB (an agreement with its scorecard): every part stays near 0.5 MB or below.
PER_PAGE = {"partners": 500, "roles": 500, "agreements": 100, "network": 1000, "relationships": 500,
            # a project carries its description and its partners (3,000 IATI activities made 4.66 MB);
            # an impact row ~0.6 KB (2,300 partners made 904 KB, 245,000 px tall)
            "projects": 150, "impact": 500}
ROLE_MEMBERS = 100  # members named under each role on the roles page; the matrix marks all of them
# A partner page shows this many rows of each long section, then says how many more and links to the
# section's own page, which lists them all: at 3,000 IATI activities the busiest partner's page was
# 2.25 MB (its agreements 700 KB, its history 447 KB, its projects 326 KB).
SECTION_ROWS = 100
# Rows per part of a section's own page, measured at 3,000 IATI activities: an agreement row ~0.45 KB,
# a history row ~0.3 KB, a payment with its IATI purpose ~0.5 KB (the first part also holds the tables
# per year: 160 KB for 800 rows of flows elsewhere), a project row with its partners ~0.8 KB; so a part
# stays near 0.5 MB or below.
SECTION_PAGE_ROWS = {"agreements": 1000, "projects": 500, "funding": 500, "history": 1000}
PARTNER_SECTIONS = tuple(SECTION_PAGE_ROWS)


@dataclass(frozen=True)
class Paged:
    """One long list over `len(srcs)` pages: part 1 is the page itself, `srcs[n - 1]` part n."""

    srcs: tuple[str, ...]
    size: int
    total: int

    @property
    def parts(self) -> int:
        return len(self.srcs)

    def bounds(self, part: int) -> tuple[int, int]:
        """[start, stop) of the items on `part` (1-based)."""
        start = (part - 1) * self.size
        return start, min(self.total, start + self.size)

    def items(self, items: list, part: int) -> list:
        start, stop = self.bounds(part)
        return items[start:stop]


@dataclass
class Paging:
    """Every split list of a build: key ("partners", "roles", "agreements", "network", or
    ("relationships", partner id)) → Paged; `moved` says where anchored items went."""

    lists: dict = field(default_factory=dict)
    moved: dict = field(default_factory=dict)

    def get(self, key) -> Paged | None:
        return self.lists.get(key)

    def sub_pages(self) -> list[tuple[str, object, int]]:
        """(src_uri, key, part) of every page past the first, in a stable order."""
        return [(paged.srcs[part - 1], key, part) for key, paged in self.lists.items()
                for part in range(2, paged.parts + 1)]

    def section_pages(self) -> list[tuple[str, tuple[str, str], int]]:
        """(src_uri, (section, partner id), part) of every page of a partner's long section."""
        return [(paged.srcs[part - 1], key, part) for key, paged in self.lists.items()
                if isinstance(key, tuple) and key[0] in PARTNER_SECTIONS for part in range(1, paged.parts + 1)]


def section_src(paths: SitePaths, partner_id: str, section: str) -> str:
    """The page of one long section of a partner's page: `partners/<id>/<section>/`."""
    return paths.partner(partner_id)[: -len(".md")] + f"/{section}/index.md"


def impact_rows(found: Impact) -> int:
    """The longest list of one partner's "if it left" section (impact.py's Impact)."""
    return max(len(found.cut_off), len(found.roles_emptied), len(found.agreements_ending),
               len(found.agreements_losing_party), len(found.projects_orphaned), len(found.decisions),
               len(found.tangible), len(found.intangible))


def _paged(first_src: str, total: int, size: int, taken: AbstractSet[str] = frozenset()) -> Paged | None:
    """None when the list fits one page; else its parts, `page-N.md` beside the first page
    (a name a partner page already has in the same folder gets `-list` appended)."""
    if total <= size:
        return None
    folder = first_src.rsplit("/", 1)[0]
    srcs = [first_src]
    for number in range(2, -(-total // size) + 1):
        name = f"page-{number}"
        while name in taken:
            name += "-list"
        srcs.append(f"{folder}/{name}.md")
    return Paged(tuple(srcs), size, total)


def exchange_pairs(network: Network) -> Counter:
    """(source id, target id) → exchanges, the rows of the network page's exchange list."""
    return Counter((e.source_id, e.target_id) for e in network.exchanges)


def ranked_count(network: Network) -> int:
    """How many partners `impact/` ranks: every current one but the focal organisation (impact.py)."""
    return sum(1 for p in network.partners if p.id != network.info.focal and p.active_on(network.as_of))


def plan(network: Network, index: NetworkIndex, paths: SitePaths) -> Paging:
    paging = Paging()
    partner_ids = set(network.partner_by_id)
    candidates = {
        "partners": (paths.section("partners"), len(network.partners), partner_ids),
        # no partner names a role (an imported network): roles/ says so on one page
        "roles": (paths.section("roles"), len(network.partners) if any(p.roles for p in network.partners) else 0,
                  set()),
        "agreements": (paths.section("agreements"), len(network.agreements), set()),
        "network": (paths.section("network"), len(exchange_pairs(network)), set()),
        "projects": (paths.section("projects"), len(network.projects), set()),
        "impact": (paths.impact(), ranked_count(network), set()),
    }
    for key, (src, total, taken) in candidates.items():
        paged = _paged(src, total, PER_PAGE[key], taken)
        if paged:
            paging.lists[key] = paged
    agreements = paging.get("agreements")
    if agreements:
        for position, agreement in enumerate(network.agreements):
            part = position // agreements.size + 1
            if part > 1:
                paging.moved[("agreement", agreement.id)] = agreements.srcs[part - 1]
    projects = paging.get("projects")
    if projects:
        for position, project in enumerate(network.projects):
            part = position // projects.size + 1
            if part > 1:
                paging.moved[("project", project.id)] = projects.srcs[part - 1]
    size = PER_PAGE["relationships"]
    for partner in network.partners:
        total = len(index.exchanges_out[partner.id]) + len(index.exchanges_in[partner.id])
        if total > size:
            src = paths.partner(partner.id)
            # Sub-pages of a partner's page live in its own folder: partners/<id>/page-2/.
            paged = _paged(src[: -len(".md")] + "/index.md", total, size)
            assert paged is not None  # more than fit one page
            paging.lists[("relationships", partner.id)] = Paged((src, *paged.srcs[1:]), size, total)
        counts = {"agreements": len(index.agreements_of[partner.id]), "projects": len(index.projects_of[partner.id]),
                  "history": len(index.history(partner.id)),
                  # money.flows_of: each flow once, a flow to itself too
                  "funding": len({id(f) for f in index.funding_out[partner.id] + index.funding_in[partner.id]})}
        for section, count in counts.items():
            if count > SECTION_ROWS:  # the partner page shows the first rows; this page all of them
                first = section_src(paths, partner.id, section)
                rows = SECTION_PAGE_ROWS[section]
                paging.lists[(section, partner.id)] = _paged(first, count, rows) or Paged((first,), rows, count)
    return paging


def pager(page, paged: Paged | None, part: int) -> dict | None:
    """What `pager.html.j2` shows on part `part` of a list: links to every part, the range shown."""
    if paged is None or part < 1:
        return None
    start, stop = paged.bounds(part)
    return {
        "current": part, "count": paged.parts, "first": start + 1, "last": stop, "total": paged.total,
        "links": [(number, page.page_href(src)) for number, src in enumerate(paged.srcs, 1)],
        "next": page.page_href(paged.srcs[part]) if part < paged.parts else None,
        "more": paged.total - stop,
    }


# A view in prose shows this many rows of a long list, then links to the full list: the starter's guide
# pages, each with a view of the whole network, reached 1.2 MB at 2,300 partners.
PROSE_ROWS = 100


def capped_in_prose(page, items: list, section: str) -> tuple[list, dict | None]:
    """In prose, the first PROSE_ROWS items and what `capped.html.j2` says of the rest."""
    if not page.prose or len(items) <= PROSE_ROWS:
        return items, None
    return items[:PROSE_ROWS], {"more": len(items) - PROSE_ROWS, "href": page.href(section)}


def partner_section_rows(page, partner_id: str, section: str, rows: list,
                     part: int) -> tuple[list, dict | None, dict | None]:
    """A long section of a partner's page (paging.SECTION_ROWS): on the partner page (`part` 0) its first
    rows, the latest for the history, and what `capped.html.j2` says of the rest; on the section's own
    page one part of every row. Returns (rows shown, pager, capped)."""
    paged = page.renderer.paging.get((section, partner_id))
    if paged is None:
        return rows, None, None
    if part:
        pager = page.pager((section, partner_id), part)
        return rows[pager["first"] - 1: pager["last"]], pager if paged.parts > 1 else None, None
    more = {"more": len(rows) - SECTION_ROWS, "href": page.page_href(paged.srcs[0])}
    return (rows[-SECTION_ROWS:] if section == "history" else rows[:SECTION_ROWS]), None, more

