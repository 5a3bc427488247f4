"""Which pages the plugin generates, and their Markdown (from templates)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ..base.parallel import render_all
from ..base.urls import SECTIONS, dest_uri
from . import paging, workshop
from .context import Renderer
from .reads import Token
from .workshop import SHEET_PARTNER_LIMIT

TEMPLATES = {section: f"{section}.md.j2" for section in SECTIONS}
PARTNER_TEMPLATE = "partner.md.j2"
PROJECTS_TEMPLATE = "projects.md.j2"
SECTION_TEMPLATE = "partner-section.md.j2"  # a long section of a partner page, on a page of its own
# Pages outside the navigation that section pages link to: (SitePaths method, template).
LINKED_PAGES = (("health_all", "health-all.md.j2"), ("impact", "impact.md.j2"))


# What search skips on a partner page: the views that repeat what the page or other pages say
# (the impact section names the partner's exchanges, roles and agreements again, its history
# their dates, "mentioned in" the titles of pages search finds themselves, the diagram its
# tables). They go in after search has read the page: at 1,000 partners they were half the
# search index and a fifth of the time indexing took. Everything an author wrote stays found:
# names, summary, facts and description, deliverables, agreements, projects, payments, decisions.
LATE_PARTNER_VIEWS = ("impact", "diagram")
LATE_PARTNER_SECTIONS = ("history", "backlinks")


def searched_on_partner_page(view: str, options: dict) -> bool:
    if view == "partner":
        return options.get("section", "facts") not in LATE_PARTNER_SECTIONS
    return view not in LATE_PARTNER_VIEWS


class PageJob(NamedTuple):
    """A page to generate: its source path, whether the navigation lists it, what renders it."""

    src_uri: str
    in_nav: bool
    render: Callable[[], str]
    # A whole HTML document the host writes as the page's file, past Markdown and the theme: a
    # workshop sheet opens as the paper it prints on (site/workshop.py), and 534 sheets at 1,000
    # partners cost MkDocs a third of its pages' time when they were themed pages.
    standalone: bool = False
    # What rendering it costs, in partner pages: a list page (its part) at 1,000 partners takes 0.15–0.36 s,
    # some fifty partner pages' time (measured 2026-12-07). Decides whether a second process pays.
    cost: int = 1


# A list page reads rows of every partner (up to its part's length): it costs as many partner pages as
# partners ÷ 20, at most 50.
LIST_PAGE_COST_DIVISOR = 20
LIST_PAGE_MAX_COST = 50


@dataclass(frozen=True)
class GeneratedPage:
    src_uri: str
    markdown: str  # a standalone page's whole HTML document (site_file)
    in_nav: bool  # section pages yes; per-partner pages are reached from the index
    # What the page read (reads.py), and the HTML it parked in the stash: a later build reuses
    # the page when its reads give the same digests (build/build.py).
    reads: Mapping[Token, str] = field(default_factory=dict, compare=False, repr=False)
    parked: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)
    reused: bool = field(default=False, compare=False)
    site_file: str | None = None  # a standalone page: the file of the site it is written as (PageJob)


def generate_pages(renderer: Renderer, skip: Callable[[str], bool] = lambda src_uri: False,
                   workshop_sheets: bool = True, workshop_partner_limit: int = SHEET_PARTNER_LIMIT,
                   parallel: bool = False, processes: list[int] | None = None,
                   reuse: Callable[[str], GeneratedPage | None] | None = None) -> list[GeneratedPage]:
    """Every generated page but those `skip` names (pages the author wrote by hand); `reuse` may
    hand back a page from an earlier build instead of rendering it. With `parallel`, on two cores
    where that is safe (parallel.py: `processes` gets 2 when it was)."""
    jobs = list(page_jobs(renderer, skip, workshop_sheets, workshop_partner_limit))
    pages: list[GeneratedPage | None] = [reuse(job.src_uri) if reuse is not None else None for job in jobs]
    pending = [job for page, job in zip(pages, jobs, strict=True) if page is None]
    renders: list[Callable[[], Any]] = [functools.partial(_recorded, renderer, job.render) for job in pending]
    work = sum(job.cost for job in pending)
    results = iter(render_all(renders, renderer, processes, work) if parallel else [render() for render in renders])
    out = []
    for page, job in zip(pages, jobs, strict=True):
        if page is None:
            markdown, reads, parked = next(results)
            site_file = dest_uri(job.src_uri, renderer.use_directory_urls) if job.standalone else None
            page = GeneratedPage(job.src_uri, markdown, job.in_nav, reads, parked, site_file=site_file)
        out.append(page)
    return out


def _recorded(renderer: Renderer, render: Callable[[], str]) -> tuple[str, Mapping[Token, str], dict[str, str]]:
    """(Markdown, what the page read, what it parked) of one page."""
    first = renderer.stash.counter
    markdown, reads = renderer.reads.recording(render)
    return markdown, reads, renderer.stash.entries_from(first)


def page_jobs(renderer: Renderer, skip: Callable[[str], bool] = lambda src_uri: False,
              workshop_sheets: bool = True, workshop_partner_limit: int = SHEET_PARTNER_LIMIT) -> Iterator[PageJob]:
    """The PageJob of each generated page: `partnerbook check` renders them one by
    one to report every broken template, the build all at once."""
    paths = renderer.paths
    list_cost = min(LIST_PAGE_MAX_COST, max(1, len(renderer.network.partners) // LIST_PAGE_COST_DIVISOR))

    def section_page(src: str, template: str, in_nav: bool = True, part: int = 1):
        def render() -> str:
            context = renderer.page(src)
            context.late_views = True
            return context.render_page(template, part=part)
        return PageJob(src, in_nav, render, cost=list_cost)

    sub_pages = renderer.paging.sub_pages()  # the parts of long lists past the first (paging.py)
    for section in SECTIONS:
        src = paths.section(section)
        if not skip(src):
            yield section_page(src, TEMPLATES[section])
            for sub_src, key, part in sub_pages:
                if key == section and not skip(sub_src):
                    yield section_page(sub_src, TEMPLATES[section], in_nav=False, part=part)
    if renderer.network.projects:  # a page of its own only when there are projects: nav stays as it was
        src = paths.section("projects")
        if not skip(src):
            yield section_page(src, PROJECTS_TEMPLATE)
        yield from _parts(sub_pages, "projects", PROJECTS_TEMPLATE, section_page, skip)
    for method, template in LINKED_PAGES:  # reached by links, not from the navigation
        src = getattr(paths, method)()
        if method == "impact" and renderer.withheld.impact_hidden:
            continue  # `impact: hidden`: the public edition has no ranking of whom it fears losing
        if not skip(src):
            yield section_page(src, template, in_nav=False)
        yield from _parts(sub_pages, method, template, section_page, skip)
    for partner in renderer.network.partners:
        src = paths.partner(partner.id)
        if skip(src):
            continue

        def render_partner(src=src, partner=partner, part=1) -> str:
            context = renderer.page(src)
            context.indexed = searched_on_partner_page
            return context.render_page(PARTNER_TEMPLATE, partner=partner, part=part,
                                       backlinks=renderer.backlinks.get(partner.id, []),
                                       history=bool(renderer.index.history(partner.id)))
        yield PageJob(src, False, render_partner)
        relationships = renderer.paging.get(("relationships", partner.id))
        sub_srcs = relationships.srcs[1:relationships.parts] if relationships else ()
        for part, sub_src in enumerate(sub_srcs, start=2):
            if not skip(sub_src):
                yield PageJob(sub_src, False, functools.partial(render_partner, sub_src, partner, part))
        yield from _section_pages(renderer, partner.id, skip)
    if workshop_sheets:
        yield from (PageJob(*job) for job in workshop.workshop_pages(renderer, skip, workshop_partner_limit))


def _section_pages(renderer: Renderer, partner_id: str, skip: Callable[[str], bool]) -> Iterator[PageJob]:
    """The pages of a partner's long sections (paging.SECTION_ROWS): agreements, projects, history
    and, when one of its lists is long, "if it left"; the partner page shows their first rows."""
    partner = renderer.network.partner(partner_id)

    def render(src: str, section: str, part: int) -> str:
        context = renderer.page(src)
        context.late_views = True
        return context.render_page(SECTION_TEMPLATE, partner=partner, section=section, part=part)
    for section in paging.PARTNER_SECTIONS:
        paged = renderer.paging.get((section, partner_id))
        for part, src in enumerate(paged.srcs if paged else (), 1):
            if not skip(src):
                yield PageJob(src, False, functools.partial(render, src, section, part))
    if (partner_id != renderer.network.info.focal and not renderer.withheld.impact_hidden
            and paging.impact_rows(renderer.impact.of(partner_id)) > paging.SECTION_ROWS):
        src = paging.section_src(renderer.paths, partner_id, "impact")
        if not skip(src):
            yield PageJob(src, False, functools.partial(render, src, "impact", 1))


def _parts(sub_pages, key: str, template: str, section_page, skip):
    """The pages past the first of the long list `key` (paging.py)."""
    for sub_src, sub_key, part in sub_pages:
        if sub_key == key and not skip(sub_src):
            yield section_page(sub_src, template, in_nav=False, part=part)
