"""Template overrides: a bad `view()` call or a broken template is a FILE:LINE error, in builds,
in `partnerbook check` and on the `mkdocs serve` banner; the template reference documents them."""

from __future__ import annotations

import time

import pytest
from conftest import serving
from partnerbook.site.components import BUILDERS
from partnerbook.site.views import PROSE_VIEWS
from partnerbook.site.views import VIEWS as VIEW_TABLE

VIEWS = ", ".join(VIEW_TABLE)  # every view a template may ask for, in the order the message lists them


@pytest.mark.parametrize("call, message", [
    ("view('canvass')", f"unknown view 'canvass' (did you mean 'canvas'?); views are: {VIEWS}"),
    ("view('diagram', focus='nobody')", "view 'diagram': unknown partner 'nobody' in focus"),
    ("view('diagram', focus='makr')", "view 'diagram': unknown partner 'makr' in focus (did you mean 'maker'?)"),
    ("view('diagram', colour='red')",
     "the diagram view has no option 'colour'; its options are: network, focus, kind, table"),
    ("view('canvas', focus='maker')", "the canvas view has no option 'focus'; its options are: network"),
    ("view('partners', network='inner')", "view 'partners': network is 'inner'; expected ivn or ovn"),
    ("view('diagram', kind='fundng')",
     "the diagram view has no kind 'fundng' (did you mean 'funding'?); kinds are: network, funding, power, agreements"),
    ("view('partner')", "the partner view needs focus=<partner id>"),
    ("view('partner', focus=['maker'])", "view 'partner': unknown partner '['maker']' in focus"),
    ("view(7)", f"unknown view '7'; views are: {VIEWS}"),
    ("view(['canvas'])", "unknown view '['canvas']'"),
    # what a template calls may fail too: still the template's line, no traceback
    ("network.partner('nobody')", "no such id or key: 'nobody'"),
    ("1 / 0", "ZeroDivisionError: division by zero"),
])
def test_bad_view_call_in_an_override_names_template_line_and_what_is_known(handbook, call, message):
    handbook.write("templates/canvas.md.j2", f"# Our canvas\n\nSome text.\n\n{{{{ {call} }}}}\n")
    result = handbook.build()
    assert result.returncode == 1
    assert f"templates/canvas.md.j2:5: error: {message}" in result.stderr
    assert "Traceback" not in result.stderr and "KeyError" not in result.stderr


def test_good_view_calls_with_every_option_build(handbook):
    handbook.write("templates/canvas.md.j2", "# Canvas\n\n{{ view('diagram', network='ivn', focus='maker', "
                   "kind='network', table=true) }}\n\n{{ view('agreements', detail=false, network=none) }}\n")
    result = handbook.build()
    assert result.returncode == 0, result.stderr
    rows = handbook.page("canvas/").select(".pb-diagram-table tbody tr")
    # the IVN around maker: maker and hub, and maker's one exchange (payer is OVN)
    assert [[td.get_text() for td in tr.select("td")] for tr in rows] == [["Maker Co", "Hub Org", "Code", "tangible"]]


@pytest.mark.serve
def test_serve_shows_a_broken_template_on_the_banner_and_keeps_serving(handbook):
    handbook.write("templates/README.md", "Overrides go here.\n")  # a folder that exists is watched
    with serving(handbook) as server:
        assert "pb-serve-errors" not in server.get("canvas/")
        time.sleep(1)
        handbook.write("templates/canvas.md.j2", "# Canvas\n\n{{ view('canvass') }}\n")
        server.wait_for(r"ERROR.*a page template failed")
        server.wait_for(r"Reloading browsers")
        for path in ("canvas/", "partners/maker/", ""):
            page = server.get(path)
            assert "pb-serve-errors" in page, path
            assert "templates/canvas.md.j2:3: error: unknown view &#39;canvass&#39;" in page, path
            assert "the packaged templates" in page
        assert "Key partnerships" in server.get("canvas/")  # the packaged canvas page stands in
        time.sleep(1)
        handbook.write("templates/canvas.md.j2", "# Canvas\n\n{% if %}\n")
        server.wait_for(r"Reloading browsers")
        assert "templates/canvas.md.j2:3: error: Expected an expression" in server.get("")
        time.sleep(1)
        (handbook.path / "templates/canvas.md.j2").unlink()
        server.wait_for(r"Reloading browsers")
        assert "pb-serve-errors" not in server.get("canvas/")
        assert "Traceback" not in "".join(server.seen)


def _starter_page(tmp_path, name: str) -> str:
    """A guide page as `partnerbook new` writes it: what a new user reads."""
    from conftest import Handbook

    book = Handbook(tmp_path)
    assert book.run("partnerbook", "new", "fresh").returncode == 0
    return (tmp_path / "fresh" / "content" / "guide" / name).read_text(encoding="utf-8")


def test_starter_ships_a_data_format_reference_naming_every_field(tmp_path):
    """The starter's page is the repository's content/guide/data-format.md (a symlink): one reference."""
    from partnerbook.data.schema import COLLECTIONS, NETWORK_FIELDS, TOP_LEVEL_KEYS

    reference = _starter_page(tmp_path, "data-format.md")
    for key in TOP_LEVEL_KEYS:
        assert f"## `{key}`" in reference, key
    for fields in [NETWORK_FIELDS, *COLLECTIONS.values()]:
        for field in fields:
            assert f"`{field.name}`" in reference, field.name
            for choice in field.choices:
                assert f"`{choice}`" in reference, choice
    assert "$schema=../../partnerbook.schema.json" in reference  # files in sub-folders
    assert "`scorecard_elements`" in reference and "group.name" in reference


def test_template_reference_names_every_view_option_helper_and_filter(tmp_path, handbook):
    from partnerbook.analysis.checks import check_data
    from partnerbook.base.urls import SitePaths
    from partnerbook.site import components
    from partnerbook.site.context import Renderer
    from partnerbook.site.templating import environments

    reference = _starter_page(tmp_path, "templates.md")
    views = reference.split("## Views", 1)[1]
    for name in components.BUILDERS:
        row = next((line for line in views.splitlines() if line.startswith(f"| `{name}` |")), None)
        assert row is not None, name
        for option in components.view_options(name):
            assert f"`{option}`" in row, (name, option)
    network = check_data(handbook.path / "network").network
    context = Renderer(network, SitePaths(), True).page("index.md")
    for name in context.globals():
        assert f"`{name}" in reference, name
    packaged = set(environments(None)[0].filters) - set(__import__("jinja2").Environment().filters)
    for name in packaged:
        assert f"| `{name}` |" in reference, name
    assert "print(pathlib.Path(partnerbook.__file__).parent / 'templates')" in reference
    import re

    in_prose = reference.split("In prose, ", 1)[1].split(" come from", 1)[0]
    assert re.findall(r"`([a-z]+)`", in_prose) == list(PROSE_VIEWS)


def test_starter_says_where_the_packaged_templates_are(tmp_path):
    import re
    import subprocess
    import sys

    from conftest import Handbook

    book = Handbook(tmp_path)
    assert book.run("partnerbook", "new", "fresh").returncode == 0
    readme = (tmp_path / "fresh" / "templates" / "README.md").read_text()
    command = re.search(r'python -c "(.*?)"\n', readme).group(1)
    folder = subprocess.run([sys.executable, "-c", command], capture_output=True, text=True, check=True).stdout.strip()
    packaged = {p.name for p in __import__("pathlib").Path(folder).glob("*.j2")}
    assert {"partner.md.j2", "canvas.md.j2", "view-diagram.html.j2"} <= packaged
    assert "Template reference" in readme


def test_every_view_of_the_registry_has_a_builder_and_a_template():
    # site/views.py lists the views; components.py's BUILDERS build each one's data; its template draws it.
    from pathlib import Path

    import partnerbook

    assert list(BUILDERS) == list(VIEW_TABLE)
    assert set(PROSE_VIEWS) <= set(VIEW_TABLE)
    templates = Path(partnerbook.__file__).parent / "templates"
    for name in VIEW_TABLE:
        assert (templates / f"view-{name}.html.j2").is_file(), name
