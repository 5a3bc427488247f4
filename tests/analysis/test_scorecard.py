"""Agreement scorecards: custom elements in the schema, and the agreements × elements matrix."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml
from conftest import mkdocs_yml

CUSTOM = ["who.partners", "why.purpose", "how.money", "how.exit-plan"]
AGREEMENTS = """\
agreements:
  - id: deal
    title: The deal
    parties: [hub, maker]
    status: signed
    scorecard: {who.partners: full, why.purpose: partial, how.money: missing, how.exit-plan: n/a}
"""


@pytest.fixture
def custom(handbook):
    handbook.write("mkdocs.yml", mkdocs_yml(plugin_options="scorecard_elements: [" + ", ".join(CUSTOM) + "]"))
    handbook.write("network/agreements.yml", AGREEMENTS)
    return handbook


def test_schema_of_a_handbook_with_custom_scorecard_elements_accepts_its_data(custom):
    assert custom.check("--strict").returncode == 0
    schema = json.loads(custom.run("partnerbook", "schema").stdout)
    assert json.loads(custom.run("partnerbook", "schema", str(custom.path)).stdout) == schema
    data = yaml.safe_load((custom.path / "network/agreements.yml").read_text())
    jsonschema.validate(data, schema)
    exported = custom.run("partnerbook", "export", "--format", "json")
    assert exported.returncode == 0, exported.stderr
    jsonschema.validate(json.loads(exported.stdout), schema)
    scorecard = schema["properties"]["agreements"]["items"]["properties"]["scorecard"]["properties"]
    assert sorted(scorecard) == sorted(CUSTOM)
    # the default schema (no mkdocs.yml) is what rejected such data before
    default = json.loads(custom.run("partnerbook", "schema", str(custom.path / "network")).stdout)
    with pytest.raises(jsonschema.ValidationError, match=r"why\.purpose"):
        jsonschema.validate(data, default)


def test_schema_of_a_folder_that_is_not_there_is_an_error(handbook):
    result = handbook.run("partnerbook", "schema", "nowhere")
    assert result.returncode == 1 and "nowhere: no such folder" in result.stderr
    assert "Traceback" not in result.stderr


SCORED = """\
agreements:
  - id: deal
    title: The deal
    parties: [hub, maker]
    status: signed
    scorecard: {who.partners: full, why.shared-objectives: partial, how.ip-and-data: unknown, when.exit: n/a,
                why.vision: missing}
  - id: handshake
    title: A handshake
    parties: [hub, payer]
"""


def ratings_by_column(matrix, title: str) -> dict[str, str]:
    """One row of the scorecard matrix: 'Group: Element' (from the two header rows) → the cell's text."""
    columns = []
    for group in matrix.select("thead th[scope=colgroup]"):
        columns += [group.get_text()] * int(group["colspan"])
    labels = [f"{group}: {th.get_text()}" for group, th in zip(columns, matrix.select("thead th.pb-element"), strict=False)]
    row = next(tr for tr in matrix.select("tbody tr") if tr.th.get_text() == title)
    return dict(zip(labels, (td.get_text() for td in row.select("td")), strict=False))


def test_agreements_page_is_one_matrix_of_agreements_by_elements_in_words(handbook):
    from partnerbook.data.schema import DEFAULT_SCORECARD

    handbook.write("network/agreements.yml", SCORED)
    assert handbook.build().returncode == 0
    page = handbook.page("agreements/")
    matrix = page.select_one(".pb-scorecard-matrix table")
    groups = [(th.get_text(), int(th["colspan"])) for th in matrix.select("thead th[scope=colgroup]")]
    # the default elements, counted per group from the list itself
    assert groups == [(g.capitalize(), sum(e.startswith(g + ".") for e in DEFAULT_SCORECARD))
                      for g in ("who", "why", "what", "how", "when")]
    labels = [th.get_text() for th in matrix.select("thead th.pb-element")]
    assert len(labels) == len(DEFAULT_SCORECARD)
    assert labels[:4] == ["Partners", "Representatives", "Vision", "Shared objectives"]
    assert "IP and data" in labels and "why.shared-objectives" not in matrix.get_text()
    rows = matrix.select("tbody tr")
    assert [tr.th.get_text() for tr in rows] == ["The deal", "A handshake"]
    deal = ratings_by_column(matrix, "The deal")
    assert deal["Who: Partners"] == "●full"  # the symbol, and the word for screen readers
    assert deal["Why: Shared objectives"] == "◐partial"
    assert deal["How: IP and data"] == "?unknown"
    assert deal["When: Exit"] == "–n/a"
    assert deal["Why: Vision"] == "○missing"
    assert deal["What: Activities"] == "○missing (not stated)"
    assert rows[0].select_one("td .pb-sr-only").get_text() == "full"
    assert rows[0].select_one("td [aria-hidden=true]").get_text() == "●"
    # 1 full + 0.5 partial over 19 elements not n/a: 1.5 / 19 = 7.9%; an unknown makes it a lower bound
    assert rows[0].select("td")[-1].get_text() == "at least 8%"
    assert [td.get_text() for td in rows[1].select("td")] == ["not scored", "not scored"]
    # each agreement keeps its anchor, with its thin spots in words instead of a row per element
    deal_section = page.select_one("#agreement-deal")
    assert not deal_section.select("table")
    gaps = {li.strong.get_text(): li.get_text(" ", strip=True) for li in deal_section.select(".pb-scorecard-gaps li")}
    assert gaps["Partial:"] == "Partial: Shared objectives (Why)"
    assert gaps["Unknown:"] == "Unknown: IP and data (How)"
    assert gaps["Missing:"] == "Missing: Vision (Why)"
    stated = yaml.safe_load(SCORED)["agreements"][0]["scorecard"]
    not_stated = gaps["Not stated (counts as missing):"]
    assert not_stated.split(": ", 1)[1].count("(") == len(DEFAULT_SCORECARD) - len(stated)
    assert not_stated.startswith("Not stated (counts as missing): Representatives (Who) , Partner objectives (Why)")
    assert "1 element unknown" in deal_section.get_text()
    assert page.select_one("#agreement-handshake .pb-completeness").get_text() == "not scored"
    assert "0%" not in page.select_one("#agreement-handshake").get_text()


def test_custom_scorecard_elements_make_the_matrix_columns(custom):
    assert custom.build().returncode == 0
    matrix = custom.page("agreements/").select_one(".pb-scorecard-matrix table")
    assert [(th.get_text(), th["colspan"]) for th in matrix.select("th[scope=colgroup]")] == [
        ("Who", "1"), ("Why", "1"), ("How", "2")]
    assert [th.get_text() for th in matrix.select("th.pb-element")] == ["Partners", "Purpose", "Money", "Exit plan"]
