"""What a build rejects beyond the data: ```partnerbook blocks in the prose and template overrides.

`partnerbook check` runs this on a handbook so that a check that passes means a build that
passes. Knows no host: it reads the docs folder and renders the pages as the build would,
without Graphviz (diagrams are drawn only by builds).
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from . import blocks, pages
from .checks import check_data
from .handbook import HandbookOptions
from .load import LoadResult, display_path
from .model import Network
from .problems import Problem
from .templating import template_problem
from .urls import SitePaths
from .views import Renderer


def check_handbook(handbook: HandbookOptions, root: Path | None = None, checks: dict | None = None) -> LoadResult:
    """The data's problems, then (when it loads) those of the prose and the templates.
    `checks` sets the level of each check id (default: the handbook's own `checks` option)."""
    result = check_data(handbook.data_dir, root=root, as_of=handbook.as_of,
                        scorecard_elements=handbook.scorecard_elements,
                        checks=handbook.checks if checks is None else checks)
    if result.network is not None and handbook.docs_dir is not None:
        result.problems.extend(check_site(result.network, handbook, root))
    return result


def prose_pages(docs_dir: Path) -> list[tuple[str, Path]]:
    """(src_uri, path) of every Markdown page in the docs folder, as MkDocs finds them (no dotfiles)."""
    if not docs_dir.is_dir():
        return []
    found = [(path.relative_to(docs_dir).as_posix(), path) for path in docs_dir.rglob("*.md")
             if path.is_file() and not any(part.startswith(".") for part in path.relative_to(docs_dir).parts)]
    return sorted(found)


def check_site(network: Network, handbook: HandbookOptions, root: Path | None = None) -> list[Problem]:
    partner_ids = set(network.partner_by_id)
    problems: list[Problem] = []
    texts: dict[str, str] = {}
    for src_uri, path in prose_pages(handbook.docs_dir):
        shown = display_path(path, root)
        try:
            texts[src_uri] = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            problems.append(Problem(shown, 0, "error", "is not UTF-8: save it as UTF-8"))
            continue
        problems += blocks.check_page(texts[src_uri], shown, partner_ids)
    templates = handbook.templates_dir
    if templates is not None and templates.is_dir() and any(templates.rglob("*.j2")):
        problems += _template_problems(network, handbook, texts, root)
    return problems


def _template_problems(network: Network, handbook: HandbookOptions, texts: dict[str, str],
                       root: Path | None) -> list[Problem]:
    """Renders every page the overrides take part in, one by one, and reports each broken
    template once however many pages it breaks."""
    renderer = Renderer(network, SitePaths(handbook.prefix), handbook.use_directory_urls,
                        templates_dir=handbook.templates_dir)
    found: dict[tuple, Problem] = {}

    def attempt(render) -> None:
        try:
            render()
        except jinja2.TemplateError as exc:
            problem = template_problem(exc, root)
            found.setdefault((problem.path, problem.line, problem.message), problem)

    partner_ids = set(network.partner_by_id)
    for src_uri, text in texts.items():
        context = renderer.page(src_uri)
        for request in blocks.view_requests(text, partner_ids):
            attempt(lambda: context.view_html(request.view, network=request.network, focus=request.focus))
    for _, _, render in pages.page_jobs(renderer, skip=lambda src_uri: src_uri in texts):
        attempt(render)
    return list(found.values())
