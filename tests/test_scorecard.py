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
    with pytest.raises(jsonschema.ValidationError, match="why.purpose"):
        jsonschema.validate(data, default)


def test_schema_of_a_folder_that_is_not_there_is_an_error(handbook):
    result = handbook.run("partnerbook", "schema", "nowhere")
    assert result.returncode == 1 and "nowhere: no such folder" in result.stderr
    assert "Traceback" not in result.stderr
