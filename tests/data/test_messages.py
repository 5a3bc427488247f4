"""Messages that help: each fault said once, on the line to edit, with the fix (#19, #15)."""

from __future__ import annotations

import datetime as dt
import json
import re
import textwrap
from pathlib import Path

import pytest
from conftest import MINIMAL_NETWORK
from partnerbook.data.load import load_network
from test_load import HEADER


def load(tmp_path: Path, files: dict[str, str]) -> list[str]:
    data = tmp_path / "network"
    for name, content in files.items():
        target = data / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(content), encoding="utf-8")
    result = load_network(data, root=tmp_path, today=dt.date(2026, 1, 1))
    return [str(p) for p in sorted(result.problems)]


# -- a file that does not parse ----------------------------------------------

def test_a_file_that_does_not_parse_hides_no_ids_it_defines(tmp_path):
    partners = "".join(f"  - id: partner-{i}\n    name: P{i}\n    network: ivn\n" for i in range(5))
    broken = "partners:\n" + partners + "  - id: late\n\tname: tab here\n"  # line 17: a tab
    uses = ["partner-0", "partner-3", "late", "partner-4", "nobody"]
    relationships = "relationships:\n" + "".join(
        f"  - {{from: {who}, to: hub, deliverable: x, nature: tangible}}\n" for who in uses)
    shown = load(tmp_path, {"a.yml": HEADER, "partners/core.yml": broken, "z.yml": relationships})
    # 4 of the 5 references name ids core.yml defines; 'nobody' is defined nowhere.
    assert shown == [
        "network/partners/core.yml:18: error: YAML syntax error: tab character: YAML indents with spaces only "
        "(4 references could not be checked because network/partners/core.yml did not parse)",
        "network/z.yml:6: error: unknown partner 'nobody'",
    ]


def test_a_collection_that_is_not_a_list_hides_no_ids_either(tmp_path):
    shown = load(tmp_path, {"a.yml": HEADER, "p.yml": "partners:\n  id: solo\n  name: Solo\n  network: ivn\n",
                            "r.yml": "relationships:\n  - {from: solo, to: hub, deliverable: x, nature: tangible}\n"
                                     "  - {from: ghost, to: hub, deliverable: x, nature: tangible}\n"})
    assert shown == [
        "network/p.yml:2: error: 'partners' must be a list, not a mapping: start each partner entry with '- ' "
        "(1 reference could not be checked because `partners` in network/p.yml is not a list)",
        "network/r.yml:3: error: unknown partner 'ghost'",
    ]


def test_the_syntax_error_is_printed_first(tmp_path):
    from conftest import Handbook, mkdocs_yml

    book = Handbook(tmp_path / "book")
    book.write("mkdocs.yml", mkdocs_yml())
    book.write("network/a.yml", MINIMAL_NETWORK)
    book.write("network/a-first.yml", "partners:\n  - {id: Bad, name: B, network: ovn}\n")
    book.write("network/z.yml", "roles: [\n")
    result = book.check()
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "network/z.yml:1: error: YAML syntax error: the '[' on this line is never closed: add ']' "
        "(items inside are separated by ',')",
        "network/a-first.yml:2: error: invalid id 'Bad': use 1-64 lowercase letters, digits and '-', "
        "starting with a letter or digit",
    ]


# -- YAML in plain words -------------------------------------------------------

YAML_MISTAKES = [
    ("no space after the colon", HEADER + "  - id: hydro\n    name:HydroCorp\n    network: ivn\n",
     "network/a.yml:11: error: YAML syntax error: 'name:HydroCorp' is not 'key: value' (a space must follow the "
     "colon): write 'name: HydroCorp'"),
    ("unclosed brace on the last line", HEADER + "  - {id: last, name: Last, network: ovn\n",
     "network/a.yml:10: error: YAML syntax error: the '{' on this line is never closed: add '}'"),
    ("unclosed bracket before a line", HEADER + "    tags: [a, b\n    summary: S\n",
     "network/a.yml:10: error: YAML syntax error: the '[' on this line is not closed before line 11: add ']'"),
    ("over-indented key", HEADER + "      summary: S\n",
     "network/a.yml:10: error: YAML syntax error: this line is indented more than the keys above it"),
    ("under-indented key", HEADER + "   summary: S\n",
     "network/a.yml:10: error: YAML syntax error: indentation does not match the lines above"),
    ("colon inside a value", HEADER + "    summary: Acme: the makers\n",
     "network/a.yml:10: error: YAML syntax error: the value of 'summary' holds ': '; quote it: "
     "summary: \"Acme: the makers\""),
    ("unclosed quote", HEADER + "    summary: \"open\n  - id: b\n",
     "network/a.yml:10: error: YAML syntax error: the quote \" opened on this line is never closed"),
    ("value starting with @", HEADER + "    summary: @acme on social media\n",
     "network/a.yml:10: error: YAML syntax error: a value cannot start with '@': quote it: "
     "summary: \"@acme on social media\""),
    ("undefined alias", HEADER + "    tags: *labels\n",
     "network/a.yml:10: error: YAML syntax error: '*labels' refers to no anchor '&labels' defined above it"),
]


@pytest.mark.parametrize("case, text, expected", YAML_MISTAKES, ids=[c[0] for c in YAML_MISTAKES])
def test_yaml_mistakes_in_plain_words_on_the_line_to_edit(tmp_path, case, text, expected):
    last_line = len(text.splitlines())
    shown = load(tmp_path, {"a.yml": text})
    assert len(shown) == 1 and shown[0].startswith(expected), shown
    assert int(shown[0].split(":")[1]) <= last_line  # never past the end of the file


def test_merge_keys_repeat_shared_fields(tmp_path):
    """`<<: *x` is plain YAML 1.1 (what safe_load reads); keys written in the entry win."""
    data = HEADER + """\
  - &funder {id: fund-a, name: Fund A, kind: funder, network: ovn, ovn_type: funder, country: DE}
  - <<: *funder
    id: fund-b
    name: Fund B
    country: KE
relationships:
  - {from: fund-a, to: hub, deliverable: money, nature: tangible}
  - {from: fund-b, to: hub, deliverable: money, nature: tangible}
  - {from: acme, to: hub, deliverable: code, nature: tangible}
"""
    network = load_network(_write(tmp_path, data), root=tmp_path, today=dt.date(2026, 1, 1)).network
    fund_b = network.partner("fund-b")
    assert (fund_b.name, fund_b.kind, fund_b.ovn_type, fund_b.country) == ("Fund B", "funder", "funder", "KE")
    bad = load(tmp_path / "bad", {"a.yml": HEADER + "  - <<: just-text\n    id: x\n    name: X\n    network: ovn\n"})
    assert bad == ["network/a.yml:10: error: '<<' merges a mapping into this one: write '<<: *name', where "
                   "'&name' marks a mapping, or '<<: [*one, *two]'"]


def _write(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "network"
    folder.mkdir(parents=True)
    (folder / "a.yml").write_text(text, encoding="utf-8")
    return folder


# -- the exported JSON loads back ----------------------------------------------

def test_a_network_folder_holding_only_the_exported_json_loads_the_same_network(handbook, tmp_path):
    from conftest import Handbook

    exported = handbook.run("partnerbook", "export", "--format", "json")
    assert exported.returncode == 0, exported.stderr
    copy = Handbook(tmp_path / "copy")
    copy.write("network/partnerbook.json", exported.stdout)
    copy.write("network/partnerbook.schema.json", handbook.run("partnerbook", "schema").stdout)  # not data
    checked = copy.check("--strict")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "3 partners, 3 exchanges" in checked.stderr  # MINIMAL_NETWORK's counts
    assert copy.run("partnerbook", "export", "network").stdout == exported.stdout
    broken = json.dumps(json.loads(exported.stdout), indent=2).replace('"name": "Hub Org"', '"name": "Hub Org" "x"')
    copy.write("network/partnerbook.json", broken)
    line = broken.splitlines().index(next(text for text in broken.splitlines() if '"Hub Org" "x"' in text)) + 1
    failed = copy.check()
    assert failed.returncode == 1
    assert re.match(rf"network/partnerbook.json:{line}: error: JSON syntax error: Expecting ',' delimiter",
                    failed.stdout), failed.stdout


# -- amounts -------------------------------------------------------------------

AMOUNTS = [
    ("{from: hub, to: acme, amount: 450,000, currency: EUR}", "'amount' must be a number, not '450,000': "
     "write 450000 (no thousands separators)"),
    ("{from: hub, to: acme, amount: €450000, currency: EUR}", "'amount' must be a number, not '€450000': "
     "write 450000 (the currency goes in `currency`)"),
    ('{from: hub, to: acme, amount: "450,000", currency: EUR}', "'amount' must be a number, not '450,000': "
     "write 450000 (no thousands separators)"),
    ("{from: hub, to: acme, amount: 1,250,000.50, currency: EUR}", "'amount' must be a number, not "
     "'1,250,000.50': write 1250000.50 (no thousands separators)"),
    ("{from: hub, to: acme, amount: 12, currency: Ksh}", "'currency' is 'Ksh', not an ISO 4217 currency code "
     "(e.g. EUR, USD, KES) (did you mean 'KES'?)"),
]


@pytest.mark.parametrize("flow, expected", AMOUNTS, ids=[a[0] for a in AMOUNTS])
def test_amounts_as_people_write_them_say_how_to_write_them(tmp_path, flow, expected):
    shown = load(tmp_path, {"a.yml": HEADER + f"funding:\n  - {flow}\n"})
    assert shown == [f"network/a.yml:11: error: {expected}"]


def test_an_empty_required_field_is_one_message(tmp_path):
    shown = load(tmp_path, {"a.yml": HEADER + "funding:\n  - from: hub\n    to: acme\n    amount:\n    currency: EUR\n"})
    assert shown == ["network/a.yml:13: error: required field 'amount' of funding flow entry is empty"]


# -- invalid ids and suggestions -------------------------------------------------

def test_an_invalid_id_is_one_error_and_one_line_per_referring_file(tmp_path):
    data = HEADER + "  - {id: \"women's-fund-asia\", name: Women's Fund Asia, network: ovn}\n"
    refs = "relationships:\n" + "  - {from: \"women's-fund-asia\", to: hub, deliverable: x, nature: tangible}\n" * 3
    refs_b = ("agreements:\n  - {id: grant, title: G, parties: [hub, \"women's-fund-asia\"]}\n"
              "funding:\n  - {from: \"women's-fund-asia\", to: hub, amount: 5, currency: EUR}\n")
    shown = load(tmp_path, {"a.yml": data, "b.yml": refs, "c.yml": refs_b})
    assert shown == [
        "network/a.yml:10: error: invalid id 'women's-fund-asia': use 1-64 lowercase letters, digits and '-', "
        "starting with a letter or digit",
        "network/b.yml:2: error: 'women's-fund-asia' refers to the invalid partner id on network/a.yml:10 "
        "(3 references in this file)",
        "network/c.yml:2: error: 'women's-fund-asia' refers to the invalid partner id on network/a.yml:10 "
        "(2 references in this file)",
    ]


def test_did_you_mean_only_when_really_close_or_by_alias(tmp_path):
    data = HEADER + """\
  - id: ministry-of-foreign-affairs
    name: Ministry of Foreign Affairs
    network: ovn
    aliases: [MoFA NL, BuZa]
  - {id: payer, name: Payer, kind: company, network: IVN}
relationships:
  - {from: netherlands-–-ministry-of-foreign-affairs, to: hub, deliverable: x, nature: Tangible}
  - {from: buza, to: hub, deliverable: x, nature: tangible}
  - {from: acmee, to: hub, deliverable: x, nature: tangible}
"""
    shown = load(tmp_path, {"a.yml": data})
    assert shown == [
        "network/a.yml:14: error: 'kind' is 'company'; expected one of: individual, group, organisation, "
        "business, government, civil-society, academic, community, funder, multilateral",
        "network/a.yml:14: error: 'network' is 'IVN'; expected one of: ivn, ovn (did you mean 'ivn'?)",
        "network/a.yml:16: error: 'nature' is 'Tangible'; expected one of: tangible, intangible "
        "(did you mean 'tangible'?)",
        "network/a.yml:16: error: unknown partner 'netherlands-–-ministry-of-foreign-affairs'",
        "network/a.yml:17: error: unknown partner 'buza'; closest known: 'ministry-of-foreign-affairs'",
        "network/a.yml:18: error: unknown partner 'acmee'; closest known: 'acme'",
    ]


# -- contradictions and the ovn-signed warning -----------------------------------

def test_silent_contradictions_are_warnings_with_ids(handbook):
    handbook.write("network/more.yml", """\
        partners:
          - {id: odd-ovn, name: Odd, network: ovn, ovn_type: funder, ivn_criteria: [develops], strategy: co-innovation}
          - {id: odd-ivn, name: Odd IVN, network: ivn, ivn_criteria: [function], ovn_type: supplier}
        relationships:
          - {from: maker, to: maker, deliverable: Code, nature: tangible}
          - {from: odd-ovn, to: hub, deliverable: Money, nature: tangible}
          - {from: odd-ivn, to: hub, deliverable: Parts, nature: tangible}
        """)
    network = (handbook.path / "network" / "network.yml")
    network.write_text(network.read_text().replace("    name: Hub Org\n", "    name: Hub Org\n    network: ivn\n"))
    result = handbook.check()
    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines() == [
        "network/more.yml:2: warning: OVN partner 'odd-ovn' has `ivn_criteria` and `strategy`, which describe "
        "inner-network partners: move it to the IVN (network: ivn) or remove them [ovn-ivn-fields]",
        "network/more.yml:3: warning: IVN partner 'odd-ivn' has `ovn_type: supplier`, which classifies "
        "outer-network partners: remove it, or move the partner to the OVN (network: ovn) [ivn-ovn-type]",
        "network/more.yml:5: warning: relationship from 'maker' to itself: an exchange needs two different "
        "partners; fix `from` or `to` [self-exchange]",
        "network/network.yml:8: warning: 'hub' is the focal partner (network.focal): it is the centre of the "
        "network, in neither ring; remove `network: ivn` [focal-network]",
    ]
    assert handbook.check("--strict").returncode == 2
    raised = handbook.check("--check", "self-exchange=error")
    assert raised.returncode == 1 and "error: relationship from 'maker' to itself" in raised.stdout


def test_ovn_signed_states_both_ways_out_and_each_works(handbook):
    from conftest import mkdocs_yml

    handbook.write("network/grant.yml", """\
        agreements:
          - {id: grant, title: Grant, type: grant, parties: [payer, hub], status: signed}
        """)
    warned = handbook.check("--strict")
    assert warned.returncode == 2
    assert warned.stdout == (
        "network/network.yml:16: warning: OVN partner 'payer' has a signed agreement with the focal organisation "
        "('grant'), an IVN criterion: move it to the IVN (ivn_criteria: [agreement]) or set ovn-signed to ignore "
        "(`checks:` or `--check`) [ovn-signed]\n")
    assert handbook.check("--strict", "--check", "ovn-signed=ignore").returncode == 0
    # forty grants: the line names the first and counts the rest, and stays short
    handbook.write("network/grant.yml", "agreements:\n" + "".join(
        f"  - {{id: grant-number-{n:02d}-of-a-long-series, title: Grant, type: grant, parties: [payer, hub], "
        "status: signed}\n" for n in range(40)))
    many = handbook.check()
    line = next(line for line in many.stdout.splitlines() if "[ovn-signed]" in line)
    assert "('grant-number-00-of-a-long-series' and 39 more)" in line and len(line) <= 300
    handbook.write("mkdocs.yml", mkdocs_yml(plugin_options="checks:\n  ovn-signed: ignore"))
    assert handbook.check("--strict").returncode == 0
    assert handbook.build().returncode == 0
    handbook.write("mkdocs.yml", mkdocs_yml())
    # an agreement between two other organisations makes neither of them inner: no warning
    handbook.write("network/grant.yml", """\
        agreements:
          - {id: grant, title: Grant, type: grant, parties: [payer, maker], status: signed}
        """)
    assert handbook.check("--strict").returncode == 0
    handbook.write("network/grant.yml", """\
        agreements:
          - {id: grant, title: Grant, type: grant, parties: [payer, hub], status: signed}
        """)
    moved = (handbook.path / "network" / "network.yml")
    moved.write_text(moved.read_text().replace("    network: ovn\n    ovn_type: funder\n",
                                               "    network: ivn\n    ivn_criteria: [agreement]\n"))
    assert handbook.check("--strict").returncode == 0


# -- many problems ---------------------------------------------------------------

def test_above_twenty_problems_check_summarises_per_kind(handbook):
    ghosts = "".join(f"  - {{from: ghost-{i}, to: hub, deliverable: x, nature: tangible}}\n" for i in range(30))
    handbook.write("network/more.yml", "relationships:\n" + ghosts +
                   "partners:\n  - {id: Bad, name: B, network: ovn}\n  - {id: Worse, name: W, network: ovn}\n")
    result = handbook.check()
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[:3] == [
        "partnerbook: 32 problems of 2 kinds:",
        "  30 × error: unknown partner '…'",
        "   2 × error: invalid id '…'",
    ]
    assert lines[3] == "partnerbook: error: unknown partner '…' (30):"
    assert lines[4:9] == [f"network/more.yml:{2 + i}: error: unknown partner 'ghost-{i}'" for i in range(5)]
    assert lines[9] == "partnerbook: error: invalid id '…':"
    assert [text.split(": error:")[0] for text in lines[10:12]] == ["network/more.yml:33", "network/more.yml:34"]
    assert lines[12:] == ["partnerbook: 25 more not shown; `partnerbook check --all` lists every problem"]
    everything = handbook.check("--all").stdout.splitlines()
    assert len(everything) == 32 and all(": error: " in line for line in everything)
    github = handbook.check("--format", "github").stdout.splitlines()
    assert len(github) == 32 and all(line.startswith("::error file=network/more.yml,line=") for line in github)
    idle = "".join(f"  - {{id: idle-{i}, name: Idle, network: ovn}}\n" for i in range(21))
    handbook.write("network/more.yml", "partners:\n" + idle)
    warned = handbook.check().stdout.splitlines()
    assert warned[:2] == ["partnerbook: 21 problems of 1 kind:",
                          "  21 × warning [no-relationship]: a partner in no relationship and no project"]
    assert warned[3] == "network/more.yml:2: warning: partner 'idle-0' is in no relationship: add the value it " \
                        "exchanges under `relationships` [no-relationship]"


def test_mutated_json_exports_never_raise(tmp_path):
    """Random damage to the example network exported as JSON: problems with file:line, never an exception."""
    import random

    from conftest import ROOT
    from partnerbook.formats.export import to_json

    text = to_json(load_network(ROOT / "network", root=ROOT).network)
    rng = random.Random(20261201)
    damage = ["", ",", "}", "{", "]", "[", '"', "\\", ":", "\t", "null", "-1", "\"<<\": 1,", "\x00", "é"]
    for round_number in range(60):
        lines = text.split("\n")
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(lines))
            j = rng.randrange(len(lines[i]) + 1)
            lines[i] = lines[i][:j] + rng.choice(damage) + lines[i][j:]
        folder = tmp_path / f"round{round_number}" / "network"
        folder.mkdir(parents=True)
        (folder / "partnerbook.json").write_text("\n".join(lines), encoding="utf-8")
        result = load_network(folder, root=folder.parent, today=dt.date(2026, 1, 1))
        for problem in result.problems:
            assert problem.path.startswith("network"), problem
            assert problem.line <= len(lines), problem
