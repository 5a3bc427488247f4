"""```partnerbook blocks in prose: replaced by views, errors with PAGE:LINE, nested fences left alone."""

from __future__ import annotations

from partnerbook.site.blocks import find_blocks

GUIDE = """\
# Guide

Intro about [Maker](partners/maker.md).

```partnerbook
view: partners
network: ivn
```

!!! note "Inside an admonition"

    ```partnerbook
    view: funding
    ```

````markdown
```partnerbook
view: this-is-only-shown
```
````

```partnerbook
view: matrix
focus: maker
```
"""


def test_views_replace_blocks_and_nested_fences_stay(handbook):
    handbook.write("mkdocs.yml", (handbook.path / "mkdocs.yml").read_text() + "markdown_extensions:\n  - admonition\n")
    handbook.write("content/guide.md", GUIDE)
    result = handbook.build()
    assert result.returncode == 0, result.stderr
    page = handbook.page("guide/")
    partners = page.select_one(".pb-partners")
    assert [a.get_text() for a in partners.select("tr.pb-partner-row td:first-child a")] == ["Hub Org", "Maker Co"]
    assert partners.select_one("a")["href"] == "../partners/hub/"
    assert page.select_one(".admonition .pb-funding") is not None
    shown = page.select_one("pre code").get_text()
    assert "view: this-is-only-shown" in shown
    matrix = page.select_one(".pb-role-matrix")
    assert {a.get_text() for a in matrix.select("th[scope=row] a")} == {"Hub Org", "Maker Co"}
    # the partner page lists the prose page that links to it
    backlinks = handbook.page("partners/maker/").select_one(".pb-profile-backlinks")
    assert [(a.get_text(), a["href"]) for a in backlinks.select("a")] == [("Guide", "../../guide/")]


def test_every_block_error_is_reported_with_page_and_line(handbook):
    handbook.write("content/bad.md", """\
        # Bad

        ```partnerbook
        view: diagramm
        ```

        ```partnerbook
        view: diagram
        focus: makr
        colour: red
        ```

        ```partnerbook
        view: health
        network: ivn
        ```
        """)
    result = handbook.build()
    assert result.returncode == 1
    for line in (
        "content/bad.md:4: error: unknown view 'diagramm' (did you mean 'diagram'?)",
        "content/bad.md:9: error: unknown partner 'makr' in focus (did you mean 'maker'?)",
        "content/bad.md:10: error: unknown key 'colour' in partnerbook block",
        "content/bad.md:15: error: 'network' does not apply to the health view",
    ):
        assert line in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not (handbook.path / "site/bad/index.html").exists()


def test_find_blocks_skips_fences_inside_fences():
    text = "```\n```partnerbook\nview: x\n```\n\n~~~partnerbook\nview: health\n~~~\n"
    blocks = find_blocks(text)
    assert [(b.body, b.body_line) for b in blocks] == [("view: health", 7)]


def test_health_page_and_view(handbook):
    handbook.write("content/index.md", "# Home\n\n```partnerbook\nview: health\n```\n")
    assert handbook.build().returncode == 0
    health = handbook.page("health/")
    titles = [s.select_one("strong").get_text() for s in health.select(".pb-finding")]
    assert "Hub dependence" in titles and "Single points of failure" in titles
    assert titles[-1] == "Changes in the last 12 months"
    hub = health.select_one("#finding-hub-dependence")
    assert "3 of 3 current exchanges (100%) involve Hub Org" in hub.get_text()
    assert hub.select_one("a.pb-partner")["href"] == "../partners/hub/"
    home = handbook.page("")
    assert home.select_one(".pb-health #finding-hub-dependence a.pb-partner")["href"] == "partners/hub/"


def test_hostile_block_bodies_are_errors_not_crashes():
    from partnerbook.site.blocks import Block, parse_block

    for body in ("[" * 5000 + "]" * 5000, "view: !!python/object:os.system x", "- a\n- b", "view: [diagram]",
                 "? [a, b]\n: c", "view: diagram\nview: matrix", ": :", "\x00"):
        request, problems = parse_block(Block(0, 2, "", body, 2), "content/x.md", {"hub"})
        assert request is None or request.view in ("diagram", "matrix"), body
        assert all(str(p).startswith("content/x.md:") for p in problems), body
