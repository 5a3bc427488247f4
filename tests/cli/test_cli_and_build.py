"""`partnerbook check` and `mkdocs build` on fixture handbooks: exit codes and messages."""

from __future__ import annotations

import json
import re
import time

import jsonschema
import pytest
import yaml
from conftest import ROOT, serving

BROKEN = """\
partners:
  - id: Bad_Id
    name: B
    network: ovn
  - id: fine
    name: Fine
    network: inner
"""


def test_check_clean_handbook_exits_0(handbook):
    result = handbook.check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 partners, 3 exchanges" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_lists_every_error_and_exits_1(handbook):
    handbook.write("network/broken.yml", BROKEN)
    result = handbook.check()
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "network/broken.yml:2: error: invalid id 'Bad_Id': use 1-64 lowercase letters, digits and '-', "
        "starting with a letter or digit",
        "network/broken.yml:7: error: 'network' is 'inner'; expected one of: ivn, ovn",
    ]
    assert "Traceback" not in result.stderr


def test_check_warnings_exit_0_or_2_with_strict(handbook):
    handbook.write("network/more.yml", "partners:\n  - {id: idle, name: Idle, network: ivn}\n")
    plain, strict = handbook.check(), handbook.check("--strict")
    assert plain.returncode == 0 and strict.returncode == 2
    assert "network/more.yml:2: warning: IVN partner 'idle' meets none of the IVN criteria" in plain.stdout
    assert "network/more.yml:2: warning: partner 'idle' is in no relationship" in plain.stdout


def test_check_accepts_the_data_folder_itself_and_a_missing_folder(handbook):
    assert handbook.check("network").returncode == 0
    missing = handbook.check("nowhere")
    assert missing.returncode == 1
    assert "partnerbook: error: nowhere: no such file or folder; give a handbook folder" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_check_reads_data_dir_from_mkdocs_yml(handbook):
    (handbook.path / "network").rename(handbook.path / "data")
    handbook.write("mkdocs.yml", (handbook.path / "mkdocs.yml").read_text().replace(
        "  - partnerbook", "  - partnerbook:\n      data_dir: data"))
    result = handbook.check()
    assert result.returncode == 0, result.stdout


def test_build_stops_with_every_problem_and_no_traceback(handbook):
    handbook.write("network/broken.yml", BROKEN)
    result = handbook.build()
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert "ERROR   -  partnerbook: 2 errors in network/:" in output
    assert "network/broken.yml:2: error: invalid id 'Bad_Id'" in output
    assert "network/broken.yml:7: error: 'network' is 'inner'" in output
    assert "Traceback" not in output
    assert not (handbook.path / "site" / "index.html").exists()


def test_build_strict_fails_on_warnings(handbook):
    handbook.write("network/more.yml", "partners:\n  - {id: idle, name: Idle, network: ivn, ivn_criteria: [function]}\n")
    strict = handbook.build()
    assert strict.returncode == 1
    assert "WARNING -  partnerbook: network/more.yml:2: warning: partner 'idle' is in no relationship" in strict.stderr
    assert handbook.build(strict=False).returncode == 0


def test_as_of_in_config_decides_expiry_warning(handbook):
    handbook.write("network/ag.yml", """\
        agreements:
          - {id: deal, title: Deal, parties: [hub, maker], status: signed, expires: 2025-06}
        """)
    assert handbook.check().returncode == 0  # network.as_of is 2026-01-01 ...
    assert "agreement 'deal' expired on 2025-06" in handbook.check().stdout
    handbook.write("mkdocs.yml", (handbook.path / "mkdocs.yml").read_text().replace(
        "  - partnerbook", "  - partnerbook:\n      as_of: 2025-03-01"))
    assert "expired" not in handbook.check().stdout


def test_schema_command_prints_a_schema_that_accepts_the_example(handbook):
    result = handbook.run("partnerbook", "schema")
    schema = json.loads(result.stdout)
    validator = jsonschema.Draft202012Validator(schema)
    for path in sorted((ROOT / "network").glob("*.yml")):
        data = json.loads(json.dumps(yaml.safe_load(path.read_text()), default=str))  # dates as editors see them
        errors = list(validator.iter_errors(data))
        assert errors == [], (path, errors[:3])
    bad = {"partners": [{"id": "x", "name": "X", "network": "inner", "colour": "red"}]}
    messages = " ".join(e.message for e in validator.iter_errors(bad))
    assert "'inner' is not one of ['ivn', 'ovn']" in messages and "'colour'" in messages


def test_packaged_schema_file_matches_the_command(handbook):
    packaged = ROOT / "plugins" / "partnerbook" / "schema" / "partnerbook.schema.json"
    assert json.loads(packaged.read_text()) == json.loads(handbook.run("partnerbook", "schema").stdout)


def test_bad_plugin_options_stop_cleanly(handbook):
    from conftest import mkdocs_yml

    handbook.write("mkdocs.yml", mkdocs_yml(plugin_options="as_of: someday"))
    result = handbook.build()
    assert result.returncode == 1
    assert "partnerbook: invalid date 'someday': write YYYY, YYYY-MM or YYYY-MM-DD" in result.stderr
    handbook.write("mkdocs.yml", mkdocs_yml(plugin_options="prefix: ../outside"))
    result = handbook.build()
    assert "prefix '../outside' must be a plain folder path" in result.stderr
    for output in (result.stdout, result.stderr):
        assert "Traceback" not in output


def test_check_with_unreadable_mkdocs_yml(handbook):
    handbook.write("mkdocs.yml", "site_name: [unclosed\n")
    result = handbook.check()
    assert result.returncode == 1
    assert "mkdocs.yml: cannot read it" in result.stderr and "Traceback" not in result.stderr


def test_check_github_format_annotates_file_and_line(handbook):
    handbook.write("network/more.yml", "partners:\n  - {id: idle, name: \"Idle, 50%\", network: ivn}\n")
    warned = handbook.check("--format", "github", "--strict")
    assert warned.returncode == 2
    assert warned.stdout.splitlines() == [
        "::warning file=network/more.yml,line=2,title=partnerbook [ivn-no-criteria]::IVN partner 'idle' meets none of the IVN criteria "
        "(develops, agreement, function, joint-planning): add `ivn_criteria` or move it to the OVN",
        "::warning file=network/more.yml,line=2,title=partnerbook [no-relationship]::partner 'idle' is in no relationship: "
        "add the value it exchanges under `relationships`",
    ]
    handbook.write("network/broken.yml", BROKEN.replace("network: inner", "network: \"in,ner%\\n\""))
    failed = handbook.check("--format", "github")
    assert failed.returncode == 1
    assert failed.stdout.splitlines() == [
        "::error file=network/broken.yml,line=2,title=partnerbook::invalid id 'Bad_Id': use 1-64 lowercase "
        "letters, digits and '-', starting with a letter or digit",
        "::error file=network/broken.yml,line=7,title=partnerbook::'network' is 'in,ner%25%0A'; expected one of: ivn, ovn",
    ]


def test_example_data_files_name_the_schema_for_editors():
    schema_line = "# yaml-language-server: $schema=../plugins/partnerbook/schema/partnerbook.schema.json"
    for data_file in sorted((ROOT / "network").glob("*.yml")):
        first = data_file.read_text(encoding="utf-8").splitlines()[0]
        assert first == schema_line, data_file
        assert (data_file.parent / schema_line.split("=", 1)[1]).is_file()


@pytest.mark.serve
def test_serve_shows_data_errors_on_the_last_good_site(handbook):
    with serving(handbook) as server:
        assert "Maker Co</h1>" in server.get("partners/maker/")
        time.sleep(1)
        handbook.write("network/broken.yml", BROKEN)
        server.wait_for(r"ERROR.*2 errors in network/")
        logged = server.wait_for(r"Reloading browsers")  # "Documentation built" repeats are filtered by MkDocs
        page = server.get("partners/maker/")  # still served: the last data that loaded
        assert "Maker Co</h1>" in page
        assert "network/broken.yml:2: error: invalid id &#39;Bad_Id&#39;" in page
        assert "pb-serve-errors" in server.get("")
        assert "Traceback" not in "".join(server.seen), logged
        time.sleep(1)
        (handbook.path / "network/broken.yml").unlink()
        server.wait_for(r"Reloading browsers")
        assert "pb-serve-errors" not in server.get("partners/maker/")


def test_build_logs_progress_for_many_diagrams(handbook):
    partners = "".join(f"  - {{id: p{i}, name: P{i}, network: ovn}}\n" for i in range(60))
    exchanges = "".join(f"  - {{from: p{i}, to: hub, deliverable: D, nature: tangible}}\n" for i in range(60))
    handbook.write("network/many.yml", f"partners:\n{partners}relationships:\n{exchanges}")
    result = handbook.build()
    assert result.returncode == 0, result.stderr
    # the ego networks, as rings: `neato -n2` keeps the positions partnerbook computed
    assert re.search(r"partnerbook: drawing 6\d diagrams with Graphviz `neato -n2` in 2 process\(es\)", result.stderr)
    assert re.search(r"partnerbook: drew 6\d diagrams with `neato -n2` in \d+\.\d s", result.stderr)
    assert re.search(r"partnerbook: generated 7\d pages for 63 partners in \d+\.\d\d s", result.stderr)
