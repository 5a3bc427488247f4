"""`partnerbook check` on a handbook rejects what `mkdocs build` rejects: the data, the
```partnerbook blocks of the prose and the template overrides."""

from __future__ import annotations

import pytest
from conftest import mkdocs_yml
from partnerbook.site.views import PROSE_VIEWS as PROSE_VIEW_NAMES
from partnerbook.site.views import VIEWS as VIEW_TABLE

VIEWS = ", ".join(VIEW_TABLE)
PROSE_VIEWS = ", ".join(PROSE_VIEW_NAMES)  # those a ```partnerbook block may name

BAD_BLOCK = "# Power\n\nText.\n\n```partnerbook\nview: decisions\n```\n"


def test_check_reports_prose_blocks_and_templates_with_file_and_line(handbook):
    handbook.write("content/guide/power.md", BAD_BLOCK)
    handbook.write("templates/canvas.md.j2", "# Canvas\n\n{{ view('canvass') }}\n")
    handbook.write("templates/view-health.html.j2", "<div>\n{{ report.nothing.here }}\n</div>\n")
    result = handbook.check()
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "content/guide/power.md:6: error: unknown view 'decisions'; views are: "
        + PROSE_VIEWS,
        "templates/canvas.md.j2:3: error: unknown view 'canvass' (did you mean 'canvas'?); views are: "
        + VIEWS,
        # said once, though the health page and any prose health view would both fail
        "templates/view-health.html.j2:2: error: 'dict object' has no attribute 'nothing'",
    ]
    assert "3 errors" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("files", [
    {},
    {"content/guide/power.md": BAD_BLOCK},
    {"content/guide/power.md": "# Power\n\n```partnerbook\nview: diagram\nfocus: nobody\n```\n"},
    {"templates/partner.md.j2": "# {{ partner.name }}\n\n{{ view('diagram', focus=partner.id, colour='red') }}\n"},
    {"templates/view-canvas.html.j2": "{% for x in %}\n"},
    {"templates/canvas.md.j2": "# Canvas\n\n{{ network.partner('nobody').name }}\n"},
    # a prose view through a broken view template
    {"content/guide/power.md": "# Power\n\n```partnerbook\nview: funding\n```\n",
     "templates/view-funding.html.j2": "{{ flows.first.name }}\n"},
    # a page written by hand replaces the generated one and its broken template
    {"templates/canvas.md.j2": "{{ view('canvass') }}\n", "content/canvas/index.md": "# Canvas by hand\n"},
    {"templates/README.md": "Overrides go here.\n"},
])
def test_check_fails_exactly_when_the_build_fails(handbook, files):
    for path, text in files.items():
        handbook.write(path, text)
    check, build = handbook.check(), handbook.build(strict=False)
    assert (check.returncode == 0) == (build.returncode == 0), (check.stdout, build.stderr[-2000:])
    for line in check.stdout.splitlines():  # the build names the same problem
        assert line in build.stderr, (line, build.stderr[-2000:])
    assert "Traceback" not in check.stderr + build.stderr


def test_check_reads_docs_dir_prefix_and_templates_dir_from_mkdocs_yml(handbook):
    handbook.write("mkdocs.yml", mkdocs_yml(plugin_options="templates_dir: overrides\nprefix: eco")
                   .replace("docs_dir: content", "docs_dir: pages"))
    handbook.write("pages/index.md", "# Home\n\n[Maker](eco/partners/maker.md)\n\n```partnerbook\nview: diagramm\n```\n")
    handbook.write("overrides/roles.md.j2", "# Roles\n\n{{ md_link('canvas') }} {{ view('role') }}\n")
    result = handbook.check()
    assert result.stdout.splitlines() == [
        "overrides/roles.md.j2:3: error: unknown view 'role' (did you mean 'roles'?); views are: "
        + VIEWS,
        "pages/index.md:6: error: unknown view 'diagramm' (did you mean 'diagram'?); views are: "
        + PROSE_VIEWS,
    ]


WINDOW_NETWORK = """\
network: {name: W, focal: hub, as_of: 2026-01-01}
partners:
  - {id: hub, name: Hub}
  - {id: alpha, name: Alpha Fund, kind: funder, network: ovn, ovn_type: funder}
  - {id: beta, name: Beta Fund, kind: funder, network: ovn, ovn_type: funder}
relationships:
  - {from: alpha, to: hub, deliverable: Money, nature: tangible}
  - {from: beta, to: hub, deliverable: Money, nature: tangible}
  - {from: hub, to: alpha, deliverable: Reports, nature: intangible}
  - {from: hub, to: beta, deliverable: Reports, nature: intangible}
funding:
  - {from: alpha, to: hub, amount: 100000, currency: USD, date: 2025-06-15}
  - {from: beta, to: hub, amount: 100000, currency: USD, date: 2023-06-15}
"""


@pytest.mark.parametrize("months, share, sources", [(12, "100%", "1 source"), (36, "50%", "2 sources")])
def test_check_judges_money_findings_on_the_handbooks_funding_window(handbook, months, share, sources):
    # Alpha paid 6½ months before as_of, Beta 30½ months before: a 12-month window sees
    # Alpha alone (100 %), a 36-month window both (100,000 of 200,000 USD each: 50 %).
    handbook.write("network/network.yml", WINDOW_NETWORK)
    handbook.write("mkdocs.yml", mkdocs_yml(plugin_options=f"""
        funding_window_months: {months}
        checks: {{funding-concentration: error}}
    """))
    checked = handbook.check()
    assert checked.returncode == 1, checked.stdout + checked.stderr
    line = next(x for x in checked.stdout.splitlines() if "[funding-concentration]" in x)
    assert f"Alpha Fund gives {share} of Hub's USD income" in line and f"from {sources})" in line
    built = handbook.build(strict=False)
    assert built.returncode == 1 and f"Alpha Fund gives {share} of Hub's USD income" in built.stderr
