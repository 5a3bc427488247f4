"""The data cache holds findings as message ids: a build prints them in its own language,
whichever language the build that filled the cache used (issue 29)."""

from __future__ import annotations

import pytest
from conftest import mkdocs_yml

# The minimal handbook's three relationships all involve the focal `hub`: 3 of 3 exchanges
# (100 %) pass through it, above the 50 % at which hub dependence asks for attention, so
# with `hub-dependence: warn` every build prints it as a warning. The titles: locale/fr.po
# translates "Hub dependence" as "Dépendance au pivot".
SAID = {
    "en": "warning: health: Hub dependence: 3 of 3 current exchanges (100%) involve Hub Org",
    "fr": "warning: health: Dépendance au pivot: 3 des 3 échanges actuels (100",
}


@pytest.mark.parametrize(("first", "then"), [("fr", "en"), ("en", "fr")])
def test_a_build_prints_findings_in_its_language_from_a_cache_another_language_filled(build_site, first, then):
    def config(language: str) -> str:
        return mkdocs_yml(plugin_options=f"language: {language}\nchecks: {{hub-dependence: warn}}")

    site = build_site({"mkdocs.yml": config(first)}, strict=False)
    results = [site.result]
    pickles = [sorted(p.name for p in (site.path / ".partnerbook").glob("data-*.pickle"))]
    site.write("mkdocs.yml", config(then))  # the same folder, so the same cache folder
    results.append(site.build(strict=False))
    pickles.append(sorted(p.name for p in (site.path / ".partnerbook").glob("data-*.pickle")))
    for language, result in zip((first, then), results, strict=True):
        assert result.returncode == 0, result.stderr
        assert SAID[language] in result.stderr
        other = "fr" if language == "en" else "en"
        assert SAID[other] not in result.stderr
    # One data cache entry, the same for both languages: the second build read what the first wrote.
    assert len(pickles[0]) == 1 and pickles[0] == pickles[1]
