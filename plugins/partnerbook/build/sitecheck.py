"""What a build rejects beyond the data: ```partnerbook blocks in the prose and template overrides.

`partnerbook check` runs this on a handbook so that a check that passes means a build that
passes. Knows no host: it reads the docs folder and renders the pages as the build would,
without Graphviz (diagrams are drawn only by builds).
"""

from __future__ import annotations

import dataclasses
import posixpath
from pathlib import Path

from ..analysis.checks import check_data
from ..analysis.index import NetworkIndex
from ..base.problems import Problem, display_path
from ..base.suggestions import did_you_mean
from ..base.urls import SECTIONS, SitePaths, dest_uri, normalise_prefix
from ..data.editions import edition_network
from ..data.load import LoadResult
from ..data.model import Network
from ..i18n import language as i18n
from ..site import blocks, paging, workshop
from .handbook import HandbookOptions
from .prose import MD_LINK, prose_files, without_code


def check_handbook(handbook: HandbookOptions, root: Path | None = None, checks: dict | None = None) -> LoadResult:
    """The data's problems, then (when it loads) those of the prose and the templates.
    `checks` sets the level of each check id (default: the handbook's own `checks` option)."""
    result = check_data(handbook.data_dir, root=root, as_of=handbook.as_of,
                        scorecard_elements=handbook.scorecard_elements,
                        checks=handbook.checks if checks is None else checks,
                        window_months=handbook.funding_window_months)
    language, problems = language_problems(handbook, root)
    result.problems.extend(problems)
    if result.network is not None and handbook.docs_dir is not None:
        try:
            prefix = normalise_prefix(handbook.prefix)
        except ValueError as exc:  # the build stops on it too
            config = handbook.config_file or handbook.root / "mkdocs.yml"
            result.problems.append(Problem(display_path(config, root), 0, "error", str(exc)))
            return result
        before = i18n.active()
        i18n.activate(language)  # the overrides render as the build renders them
        try:
            # The prose is checked against the edition's network, as the build of that edition reads it.
            network, withheld = edition_network(result.network, handbook.editions)
            result.problems.extend(check_site(network, dataclasses.replace(handbook, prefix=prefix), root,
                                              withheld.partner_ids))
        finally:
            i18n.activate(before)
    return result


def language_problems(handbook: HandbookOptions, root: Path | None) -> tuple[i18n.Language | None, list[Problem]]:
    """The site's language as a build reads it, and what is wrong with it or its catalogs."""
    try:
        language = i18n.load_language(handbook.language, handbook.templates_dir, root=root,
                                      from_theme=handbook.language_from_theme)
    except i18n.CatalogError as exc:
        return None, list(exc.problems)
    except i18n.UnknownLanguage as exc:
        config = handbook.config_file or handbook.root / "mkdocs.yml"
        lines = config.read_text(encoding="utf-8").splitlines() if config.is_file() else []
        plugin = next((number for number, text in enumerate(lines) if "partnerbook" in text), 0)
        line = next((number for number, text in enumerate(lines[plugin:], plugin + 1)
                     if text.strip().startswith("language:")), 0)
        return None, [Problem(display_path(config, root), line, "error", str(exc))]
    return language, list(language.warnings)


def check_site(network: Network, handbook: HandbookOptions, root: Path | None = None,
               internal: frozenset[str] = frozenset()) -> list[Problem]:
    """`internal`: the partners the edition leaves out (a link to one is an error of its own)."""
    partner_ids = set(network.partner_by_id) | internal
    problems: list[Problem] = []
    texts: dict[str, str] = {}
    docs_dir = handbook.docs_dir
    assert docs_dir is not None  # a handbook read from its mkdocs.yml has one (docs/ by default)
    for src_uri, path in sorted(prose_files(docs_dir)):
        shown = display_path(path, root)
        try:
            texts[src_uri] = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            problems.append(Problem(shown, 0, "error", "is not UTF-8: save it as UTF-8"))
            continue
        problems += blocks.check_page(texts[src_uri], shown, partner_ids)
        problems += blocks.internal_mentions(texts[src_uri], shown, internal,
                                             SitePaths(handbook.prefix).partner("")[: -len(".md")])
    problems += link_problems(network, handbook, texts, root, internal)
    templates = handbook.templates_dir
    if templates is not None and templates.is_dir() and any(templates.rglob("*.j2")):
        problems += _template_problems(network, handbook, texts, root)
    return problems


def _template_problems(network: Network, handbook: HandbookOptions, texts: dict[str, str],
                       root: Path | None) -> list[Problem]:
    """Renders every page the overrides take part in, one by one, and reports each broken
    template once however many pages it breaks."""
    # Imported here: a handbook without overrides is checked without loading the renderer.
    import jinja2

    from ..site import pages
    from ..site.context import Renderer
    from ..site.templating import template_problem

    renderer = Renderer(network, SitePaths(handbook.prefix), handbook.use_directory_urls,
                        templates_dir=handbook.templates_dir, window_months=handbook.funding_window_months,
                        checks=dict(handbook.checks or {}))
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
            attempt(lambda: context.view_html(request.view, network=request.network, focus=request.focus))  # noqa: B023  (called in this iteration)
    written = lambda src_uri: src_uri in texts  # noqa: E731
    for job in pages.page_jobs(renderer, skip=written, workshop_sheets=handbook.workshop_sheets,
                               workshop_partner_limit=handbook.workshop_partner_limit):
        attempt(job.render)
    return list(found.values())


def _nav_paths(nav) -> list[str]:
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [path for value in nav.values() for path in _nav_paths(value)]
    if isinstance(nav, list):
        return [path for item in nav for path in _nav_paths(item)]
    return []


def sheet_sources(network: Network, handbook: HandbookOptions, paths: SitePaths) -> set[str]:
    """The source path of every workshop sheet: pages of their own, written as HTML files (site/workshop.py)."""
    if not handbook.workshop_sheets:
        return set()
    out = {paths.sheet(kind) for kind in ("value-network", "scorecard", "power")}
    partners = workshop.sheet_partners(network, handbook.workshop_partner_limit)
    out |= {paths.sheet("value-network", p.id) for p in partners}
    out |= {paths.sheet("scorecard", a.id) for a in workshop.sheet_agreements(network)}
    return out | {paths.sheet("power", d.id) for d in network.decisions}


def generated_paths(network: Network, handbook: HandbookOptions, paths: SitePaths) -> set[str]:
    """The source path of every page a build generates: sections, partners, the pages the
    health report and partner index link to, the workshop index and sheets."""
    sections = (*SECTIONS, "projects") if network.projects else SECTIONS
    out = {paths.section(section) for section in sections} | {paths.partner(p.id) for p in network.partners}
    out |= {paths.health_all(), paths.impact()}
    planned = paging.plan(network, NetworkIndex(network), paths)
    out |= {src for src, _key, _part in planned.sub_pages()} | {src for src, _key, _part in planned.section_pages()}
    if handbook.workshop_sheets:
        out |= {paths.workshop()}
    return out | sheet_sources(network, handbook, paths)


def link_problems(network: Network, handbook: HandbookOptions, texts: dict[str, str],
                  root: Path | None = None, internal: frozenset[str] = frozenset()) -> list[Problem]:
    """Links in prose and `nav:` entries to generated pages that do not exist: MkDocs warns about
    them (and `--strict` fails); here they come with the fix, such as the path under `prefix`."""
    paths, unprefixed = SitePaths(handbook.prefix), SitePaths("")
    docs_dir = handbook.docs_dir
    assert docs_dir is not None  # a handbook read from its mkdocs.yml has one (docs/ by default)
    existing = generated_paths(network, handbook, paths) | set(texts)
    moved = generated_paths(network, handbook, unprefixed)
    sheets = sheet_sources(network, handbook, paths) - set(texts)
    sheet_files = {dest_uri(src, handbook.use_directory_urls) for src in sheets}
    urls = handbook.use_directory_urls
    moved_sheet_files = {dest_uri(src, urls): dest_uri(handbook.prefix + src, urls)
                         for src in sheet_sources(network, handbook, unprefixed)} if handbook.prefix else {}
    partners_folder = paths.partner("")[: -len(".md")]

    def what_is_wrong(target: str, rewrite) -> str | None:
        """Why `target` (a docs-relative .md path, or a sheet's .html file) is no page, or None when it
        is not ours to say."""
        if target.endswith(".html"):
            if target in sheet_files or target not in moved_sheet_files:
                return None
            fixed = moved_sheet_files[target]
            return (f"is not a page: prefix '{handbook.prefix.rstrip('/')}' puts the generated page at "
                    f"'{fixed}'; write '{rewrite(fixed)}'")
        if target in sheets:
            # MkDocs follows such a link (the plugin points it at the file); Zensical checks links
            # before any extension runs, and finds no page there.
            return (f"is a workshop sheet, a page of its own written as HTML: write "
                    f"'{rewrite(dest_uri(target, handbook.use_directory_urls))}' (Zensical finds no page at the .md)")
        if target in existing or (docs_dir / target).exists():
            return None
        if handbook.prefix and target in moved:
            return (f"is not a page: prefix '{handbook.prefix.rstrip('/')}' puts the generated page at "
                    f"'{handbook.prefix}{target}'; write '{rewrite(handbook.prefix + target)}'")
        if target.startswith(partners_folder) and target.count("/") == partners_folder.count("/"):
            partner_id = target[len(partners_folder):-len(".md")]
            if partner_id in internal:
                return None  # an error of its own (blocks.internal_mentions)
            return (f"is not a page: no partner has the id '{partner_id}'"
                    f"{did_you_mean(partner_id, sorted(network.partner_by_id))}")
        return None

    problems: list[Problem] = []
    config = handbook.config_file or handbook.root / "mkdocs.yml"
    config_lines = config.read_text(encoding="utf-8").splitlines() if config.is_file() else []
    for entry in _nav_paths(handbook.nav):
        if "://" in entry:
            continue
        message = what_is_wrong(posixpath.normpath(entry), lambda fixed: fixed)
        if message:
            config_line = next((i for i, text in enumerate(config_lines, 1) if entry in text), 0)
            problems.append(Problem(display_path(config, root), config_line, "warning", f"nav: '{entry}' {message}"))
    for src_uri, text in texts.items():
        shown = display_path(docs_dir / src_uri, root)
        folder = posixpath.dirname(src_uri) or "."
        for number, line in enumerate(without_code(text).split("\n"), 1):
            for match in MD_LINK.finditer(line):
                link = match.group(1)
                if "://" in link or link.startswith("/"):
                    continue
                target = posixpath.normpath(posixpath.join(folder, link))
                message = what_is_wrong(target, lambda fixed: posixpath.relpath(fixed, folder))  # noqa: B023  (called in this iteration)
                if message:
                    problems.append(Problem(shown, number, "warning", f"link '{link}' {message}"))
    return problems
