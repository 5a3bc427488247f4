"""The `compare_to` option: a `changes/` page ("What changed since REV, DATE"), a link to it from the
partners page, and a "changed since" note on each partner page that changed.

The revision is read once per commit (a server's rebuilds reuse it); the build's own analyses
(money, impact, health) stand for the new version.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path

from ..analysis.changes import Changes, Snapshot, compare, snapshot
from ..base.urls import relative_md
from ..data.load import in_reader_language
from ..site import changes as words
from ..site.context import Renderer
from ..site.pages import GeneratedPage
from ..site.templating import md_escape
from .handbook import HandbookOptions
from .revisions import RevisionError, Version, checkout_data, load_leniently, repository_of, resolve_revision

TEMPLATE = "changes.md.j2"


class ComparedVersion:
    """The version `compare_to` names, loaded again only when the revision points at another commit."""

    def __init__(self) -> None:
        self.commit: str | None = None
        self.version: Version | None = None

    def load(self, options: HandbookOptions, info: Callable[[str], None]) -> Version:
        """Raises RevisionError with what to do (no git, shallow clone, not a repository)."""
        revision = str(options.compare_to)
        repo, _prefix = repository_of(options.root)
        commit, date = resolve_revision(repo, revision)
        if commit == self.commit and self.version is not None:
            return self.version
        with tempfile.TemporaryDirectory(prefix="partnerbook-compare-") as scratch:
            old_options, commit, date = checkout_data(options.root, commit, Path(scratch) / "checkout", options)
            result, left_out = load_leniently(old_options, revision, Path(scratch))
        version = Version(revision, commit, date, result.network, result.problems, left_out,
                          options.funding_window_months)
        for problem in version.errors:  # the past cannot be fixed: said, not a warning that fails --strict
            info(f"partnerbook: compare_to {revision}: {problem}")
        if version.network is None:
            raise RevisionError(f"compare_to: the data at {revision} does not load, even without the files with "
                                "errors: set `compare_to` to another revision")
        self.commit, self.version = commit, version
        return version


def _wording(renderer: Renderer, src: str) -> words.Wording:
    context = renderer.page(src)
    known: dict[str, Mapping[str, object]] = {
        "partner": renderer.network.partner_by_id, "agreement": renderer.network.agreement_by_id,
        "decision": renderer.network.decision_by_id, "role": renderer.network.role_by_id}

    def name(kind: str, item_id: str, shown: str) -> str:
        if item_id in known.get(kind, {}):
            return str(context.md_link(kind, item_id, text=shown))
        return str(md_escape(shown))  # removed since: no page to link to

    return words.Wording(name=name, text=lambda text: str(md_escape(text)))


def _after_title(markdown: str, inserted: str) -> str:
    """`inserted` as the paragraph after the page's `# title`."""
    lines = markdown.split("\n")
    for number, line in enumerate(lines):
        if line.startswith("# "):
            return "\n".join([*lines[:number + 1], "", inserted, *lines[number + 1:]])
    return inserted + "\n\n" + markdown


def changes_pages(renderer: Renderer, version: Version, generated: list[GeneratedPage],
                  skip: Callable[[str], bool], window_months: int, checks: dict) -> list[GeneratedPage]:
    """The generated pages with the changes page added and the notes in place."""
    assert version.network is not None  # Comparison.version refuses a revision whose data does not load
    old = snapshot(in_reader_language(version.network), window_months, checks)
    new = Snapshot(renderer.network, renderer.money, renderer.impact, renderer.health)
    changes: Changes = compare(old, new)
    paths = renderer.paths
    src = paths.prefix + "changes/index.md"
    heading = words.title(changes, version.label, version.date)
    out = list(generated)
    if not skip(src):
        context = renderer.page(src)
        markdown = context.render_page(TEMPLATE, heading=heading, window_note=words.window_note(changes),
                                       sections=words.sections(changes, _wording(renderer, src)),
                                       nothing=words.nothing_changed(), revision=version.label,
                                       commit=(version.commit or "")[:12])
        out.append(GeneratedPage(src, markdown, True))
    changed = changes.partners_changed()
    partners_index = paths.section("partners")
    for number, page in enumerate(out):
        if page.src_uri == partners_index:
            link = f"[{md_escape(heading)}]({relative_md(page.src_uri, src)})"
            out[number] = replace(page, markdown=_after_title(page.markdown, link))
            continue
        partner_id = _partner_of(page.src_uri, paths.prefix)
        if partner_id in changed:
            wording = _wording(renderer, page.src_uri)
            sentences = " ".join(words.sentence(c, changes, wording) for c in changed[partner_id])
            note = words.changed_since(version.label, version.date, relative_md(page.src_uri, src))
            out[number] = replace(page, markdown=_after_title(page.markdown, f'{note} {sentences}'))
    return out


def _partner_of(src_uri: str, prefix: str) -> str | None:
    folder = prefix + "partners/"
    if src_uri.startswith(folder) and src_uri.endswith(".md") and "/" not in src_uri[len(folder):]:
        name = src_uri[len(folder):-3]
        return None if name == "index" else name
    return None
