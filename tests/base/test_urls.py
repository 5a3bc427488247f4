"""Relative links between pages agree with MkDocs' own `File.url_relative_to`."""

from __future__ import annotations

import itertools
import posixpath

import pytest
from mkdocs.structure.files import File
from partnerbook.base.urls import SitePaths, normalise_prefix, relative_file_url, relative_md, relative_url

SOURCES = ["index.md", "guide.md", "guide/deep/page.md", "partners/index.md", "partners/acme.md",
           "roles/index.md", "eco/partners/x-1.md", "README.md", "a/README.md"]


@pytest.mark.parametrize("directory_urls", [True, False])
def test_relative_url_matches_mkdocs(directory_urls):
    def file(src):
        return File(src, "/docs", "/site", use_directory_urls=directory_urls)

    for source, target in itertools.product(SOURCES, SOURCES):
        expected = file(target).url_relative_to(file(source))
        assert relative_url(source, target, directory_urls) == expected, (source, target)


@pytest.mark.parametrize("directory_urls", [True, False])
def test_markdown_links_and_file_links_match_mkdocs(directory_urls):
    """What MkDocs resolves a Markdown link to, and where a site file is from a page."""
    def file(src):
        return File(src, "/docs", "/site", use_directory_urls=directory_urls)

    files = ["diagrams/abc.svg", "eco/diagrams/x.svg", "network/data/partnerbook.json"]
    for source, target in itertools.product(SOURCES, SOURCES):
        assert posixpath.normpath(posixpath.join(posixpath.dirname(source), relative_md(source, target))) == target
        assert relative_md(source, target) == posixpath.relpath(target, posixpath.dirname(source) or ".")
    for source, target in itertools.product(SOURCES, files):
        page = posixpath.dirname(file(source).dest_uri) or "."
        assert relative_file_url(source, target, directory_urls) == posixpath.relpath(target, page), (source, target)


def test_targets_and_prefix():
    paths = SitePaths("eco/")
    assert paths.target("partner", "acme") == ("eco/partners/acme.md", "")
    assert paths.target("role", "channels") == ("eco/roles/index.md", "role-channels")
    assert paths.target("decision", "roadmap") == ("eco/power/index.md", "decision-roadmap")
    assert paths.target("health") == ("eco/health/index.md", "")
    assert normalise_prefix("/eco/") == "eco/" and normalise_prefix("") == ""
    for bad in ("../x", "a/../b", "a//b", "a\\b"):
        with pytest.raises(ValueError):
            normalise_prefix(bad)
