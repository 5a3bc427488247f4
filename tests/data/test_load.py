"""The loader on its own: every kind of malformed input gives FILE:LINE: error: message."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest
from partnerbook.data.load import load_network
from partnerbook.data.model import scorecard_completeness
from partnerbook.data.schema import DEFAULT_SCORECARD
from partnerbook.data.yamlfile import MAX_FILE_BYTES

HEADER = """\
network:
  name: N
  focal: hub
partners:
  - id: hub
    name: Hub
  - id: acme
    name: Acme
    network: ivn
"""


def load_files(tmp_path: Path, files: dict[str, str | bytes]):
    data = tmp_path / "network"
    data.mkdir()
    for name, content in files.items():
        target = data / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(textwrap.dedent(content), encoding="utf-8")
    return load_network(data, root=tmp_path, today=dt.date(2026, 1, 1))


# (case, files, expected "file:line: error: fragment")
MALFORMED = [
    ("yaml syntax", {"a.yml": HEADER + "relationships: [\n"},
     "network/a.yml:10: error: YAML syntax error: the '[' on this line is never closed"),
    ("tab indentation", {"a.yml": HEADER, "b.yml": "partners:\n\t- id: x\n"},
     "network/b.yml:2: error: YAML syntax error: tab character"),
    ("unknown top-level key", {"a.yml": HEADER + "partnres: []\n"},
     "network/a.yml:10: error: unknown top-level key 'partnres' (did you mean 'partners'?)"),
    ("unknown field", {"a.yml": HEADER + "    websit: https://x.org\n"},
     "network/a.yml:10: error: unknown field 'websit' in partner entry (did you mean 'website'?)"),
    ("missing required field", {"a.yml": HEADER + "  - id: bare\n    network: ovn\n"},
     "network/a.yml:10: error: partner entry is missing required field 'name'"),
    ("missing network of a partner", {"a.yml": HEADER + "  - id: lost\n    name: Lost\n"},
     "network/a.yml:10: error: partner 'lost' is missing required field 'network'"),
    ("wrong type", {"a.yml": HEADER + "    tags: solo\n"},
     "network/a.yml:10: error: 'tags' must be a list, not 'solo'"),
    ("enum value", {"a.yml": HEADER + "    kind: companie\n"},
     "network/a.yml:10: error: 'kind' is 'companie'; expected one of: individual"),
    ("invalid id", {"a.yml": HEADER + "  - id: Big_Co\n    name: B\n    network: ovn\n"},
     "network/a.yml:10: error: invalid id 'Big_Co'"),
    ("id escaping its folder", {"a.yml": HEADER + "  - id: ../../etc\n    name: B\n    network: ovn\n"},
     "network/a.yml:10: error: id '../../etc' would escape its folder"),
    ("reserved id", {"a.yml": HEADER + "  - id: index\n    name: I\n    network: ovn\n"},
     "network/a.yml:10: error: partner id 'index' is reserved"),
    ("duplicate id across files", {"a.yml": HEADER, "b.yml": "partners:\n  - id: acme\n    name: Again\n    network: ovn\n"},
     "network/b.yml:2: error: duplicate partner id 'acme' (first defined at network/a.yml:7)"),
    ("unknown reference", {"a.yml": HEADER + "relationships:\n  - {from: acmee, to: hub, deliverable: x, nature: tangible}\n"},
     "network/a.yml:11: error: unknown partner 'acmee'; closest known: 'acme'"),
    ("unknown role", {"a.yml": HEADER + "    roles: [key-activity]\n"},
     "network/a.yml:10: error: unknown role 'key-activity'; closest known: 'key-activities'"),
    ("invalid date", {"a.yml": HEADER + "    since: 2024-02-30\n"},
     "network/a.yml:10: error: 'since': invalid date '2024-02-30'"),
    ("date format", {"a.yml": HEADER + "    since: spring 2024\n"},
     "network/a.yml:10: error: 'since': invalid date 'spring 2024': write YYYY, YYYY-MM or YYYY-MM-DD"),
    ("until before since", {"a.yml": HEADER + "    since: 2024-05\n    until: 2024-04-30\n"},
     "network/a.yml:11: error: 'until' (2024-04-30) is before 'since' (2024-05)"),
    ("negative amount", {"a.yml": HEADER + "funding:\n  - {from: hub, to: acme, amount: -10, currency: EUR}\n"},
     "network/a.yml:11: error: 'amount' is negative (-10)"),
    ("amount not a number", {"a.yml": HEADER + "funding:\n  - {from: hub, to: acme, amount: lots, currency: EUR}\n"},
     "network/a.yml:11: error: 'amount' must be a number, not 'lots'"),
    ("bad currency", {"a.yml": HEADER + "funding:\n  - {from: hub, to: acme, amount: 1, currency: EURO}\n"},
     "network/a.yml:11: error: 'currency' is 'EURO', not an ISO 4217 currency code"),
    ("bad country", {"a.yml": HEADER + "    country: XX\n"},
     "network/a.yml:10: error: 'country' is 'XX', not an ISO 3166 alpha-2 country code"),
    ("agreement with one party", {"a.yml": HEADER + "agreements:\n  - id: solo\n    title: S\n    parties: [hub, hub]\n"},
     "network/a.yml:13: error: an agreement needs at least two different parties"),
    ("scorecard rating", {"a.yml": HEADER + "agreements:\n  - id: ag\n    title: T\n    parties: [hub, acme]\n    scorecard:\n      why.vision: good\n"},
     "network/a.yml:15: error: 'scorecard element why.vision' is 'good'; expected one of: full, partial, missing, unknown, n/a"),
    ("scorecard element", {"a.yml": HEADER + "agreements:\n  - id: ag\n    title: T\n    parties: [hub, acme]\n    scorecard:\n      why.visoin: full\n"},
     "network/a.yml:15: error: unknown scorecard element 'why.visoin' (did you mean 'why.vision'?)"),
    ("participation level", {"a.yml": HEADER + "decisions:\n  - id: d\n    name: D\n    participation:\n      hub: boss\n"},
     "network/a.yml:14: error: 'level of hub' is 'boss'; expected one of: excluded, informed, consulted, co-decides, decides"),
    ("participation of unknown partner", {"a.yml": HEADER + "decisions:\n  - id: d\n    name: D\n    participation:\n      acm: decides\n"},
     "network/a.yml:14: error: unknown partner 'acm'; closest known: 'acme'"),
    ("network twice", {"a.yml": HEADER, "b.yml": "network:\n  name: Again\n  focal: hub\n"},
     "network/b.yml:1: error: 'network' is defined twice (first at network/a.yml:2)"),
    ("repeated key", {"a.yml": HEADER + "    name: Acme again\n"},
     "network/a.yml:10: error: key 'name' repeated in partner entry (first at line 8)"),
    ("not UTF-8", {"a.yml": HEADER, "b.yml": b"partners:\n  - id: x\n    name: Caf\xe9\n"},
     "network/b.yml:3: error: file is not UTF-8"),
    ("javascript URL", {"a.yml": HEADER + "    website: javascript:alert(1)\n"},
     "network/a.yml:10: error: 'website' must be an http:// or https:// URL, not 'javascript:alert(1)'"),
    ("broken URL", {"a.yml": HEADER + "    website: http://[::1\n"},
     "network/a.yml:10: error: 'website' must be an http:// or https:// URL, not 'http://[::1'"),
    ("ftp URL", {"a.yml": HEADER + "agreements:\n  - id: ag\n    title: T\n    parties: [hub, acme]\n    url: ftp://x.org/a.pdf\n"},
     "network/a.yml:14: error: 'url' must be an http:// or https:// URL"),
    ("python object tag", {"a.yml": HEADER + "    summary: !!python/object/apply:os.system [ls]\n"},
     "network/a.yml:10: error: YAML tag '!!python/object/apply:os.system' is not allowed"),
    ("custom tag", {"a.yml": HEADER + "    summary: !shout hello\n"},
     "network/a.yml:10: error: YAML tag '!shout' is not allowed"),
    ("not a mapping", {"a.yml": HEADER, "b.yml": "- just\n- a list\n"},
     "network/b.yml:1: error: a data file must be a mapping"),
    ("no network block", {"a.yml": "partners:\n  - id: x\n    name: X\n    network: ovn\n"},
     "network: error: no file defines `network:`"),
    ("focal unknown", {"a.yml": HEADER.replace("focal: hub", "focal: hubb")},
     "network/a.yml:3: error: unknown partner 'hubb'; closest known: 'hub'"),
    ("two documents", {"a.yml": HEADER + "---\nroles: []\n"},
     "network/a.yml:11: error: a data file holds one YAML document"),
]


@pytest.mark.parametrize("case, files, expected", MALFORMED, ids=[c[0] for c in MALFORMED])
def test_malformed_input_names_file_and_line(tmp_path, case, files, expected):
    result = load_files(tmp_path, files)
    shown = [str(p) for p in result.problems]
    assert result.network is None
    assert any(line.startswith(expected) for line in shown), "\n".join(shown)


def test_every_problem_is_reported_in_one_run(tmp_path):
    result = load_files(tmp_path, {
        "a.yml": HEADER + "    kind: companie\n    website: ftp://x\n",
        "b.yml": "partners:\n  - id: Bad\n    name: B\n    network: ovn\n",
        "c.yml": "partners:\n\t- x\n",
    })
    lines = sorted(str(p) for p in result.problems)
    assert len(lines) == 4, lines
    assert [line.split(":")[0] for line in lines] == ["network/a.yml", "network/a.yml", "network/b.yml", "network/c.yml"]


def test_alias_bomb_ends_quickly_with_an_error(tmp_path):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
    result = load_files(tmp_path, {"a.yml": HEADER, "bomb.yml": bomb})
    assert any(str(p).startswith("network/bomb.yml:1: error: unknown top-level key 'a'") for p in result.problems)


def test_alias_bomb_inside_a_known_field(tmp_path):
    bomb = HEADER + "    tags: &t0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"  - {{id: p{i}, name: P, network: ovn, tags: &t{i + 1} [{', '.join(['*t' + str(i)] * 9)}]}}\n" for i in range(8))
    result = load_files(tmp_path, {"a.yml": bomb})
    assert result.network is None
    assert "'tags item' must be a single value, not a list" in str(result.problems[0])


def test_deep_nesting_and_huge_files_are_refused(tmp_path):
    result = load_files(tmp_path, {
        "a.yml": HEADER,
        "deep.yml": "partners: " + "[" * 5000 + "]" * 5000 + "\n",
        "huge.yml": "# " + "x" * (MAX_FILE_BYTES + 10) + "\n",
    })
    shown = [str(p) for p in result.problems]
    assert "network/deep.yml: error: lists or mappings nested more than 100 levels deep" in shown
    assert any(s.startswith("network/huge.yml: error: file is 4.0 MiB") for s in shown)


def test_yaml_number_forms_are_read_as_numbers(tmp_path):
    result = load_files(tmp_path, {"a.yml": HEADER + "funding:\n"
                                   "  - {from: hub, to: acme, amount: 1_500, currency: EUR}\n"
                                   "  - {from: hub, to: acme, amount: 1:30, currency: EUR}\n"
                                   "  - {from: hub, to: acme, amount: 0x10, currency: EUR}\n"
                                   "  - {from: hub, to: acme, amount: 2.5e3, currency: EUR}\n"})
    assert [f.amount for f in result.network.funding] == [1500, 90, 16, 2500]


def test_empty_file_contributes_nothing(tmp_path):
    result = load_files(tmp_path, {"a.yml": HEADER, "empty.yml": "", "comments.yaml": "# nothing yet\n"})
    assert result.problems == []
    assert [p.id for p in result.network.partners] == ["hub", "acme"]


def test_collections_concatenate_in_sorted_path_order(tmp_path):
    result = load_files(tmp_path, {
        "z.yml": "partners:\n  - {id: zed, name: Z, network: ovn}\n",
        "a.yml": HEADER,
        "sub/m.yaml": "partners:\n  - {id: mid, name: M, network: ovn}\n",
    })
    assert [p.id for p in result.network.partners] == ["hub", "acme", "mid", "zed"]
    assert str(result.network.partner("mid").source) == "network/sub/m.yaml:2"


def test_defaults_roles_kind_and_positions(tmp_path):
    result = load_files(tmp_path, {"a.yml": HEADER + "    country: NO\n    since: 2021\n"})
    network = result.network
    assert [r.id for r in network.roles][:3] == ["customer-segments", "value-propositions", "channels"]
    assert len(network.roles) == 9 and network.roles_defaulted
    acme = network.partner("acme")
    assert acme.kind == "organisation"
    assert acme.country == "NO"  # YAML 1.1 would have read Norway as false
    assert acme.since.first == dt.date(2021, 1, 1) and acme.since.last == dt.date(2021, 12, 31)
    assert str(acme.where("country")) == "network/a.yml:10"
    assert network.scorecard_elements == DEFAULT_SCORECARD
    assert network.as_of == dt.date(2026, 1, 1)


def test_participation_and_scorecard_model(tmp_path):
    result = load_files(tmp_path, {"a.yml": HEADER + """\
agreements:
  - id: ag
    title: T
    parties: [hub, acme]
    scorecard:
      who.partners: full
      why.vision: partial
      why.principles: n/a
      when.exit: missing
decisions:
  - id: d
    name: D
    participation:
      hub: decides
      acme: {actual: informed, desired: co-decides}
"""})
    network = result.network
    decision = network.decisions[0]
    assert decision.participation["hub"].actual == decision.participation["hub"].desired == "decides"
    assert decision.participation["acme"].gap == 2
    # 19 counted elements (20 minus one n/a): (1 + 0.5) / 19
    assert scorecard_completeness(network.agreements[0], network.scorecard_elements) == pytest.approx(1.5 / 19)


def test_mutated_example_files_never_raise(tmp_path):
    """Random damage to the example network: always problems with file:line, never an exception."""
    import random
    import shutil

    from conftest import ROOT

    rng = random.Random(20261122)
    sources = {p.name: p.read_text(encoding="utf-8") for p in sorted((ROOT / "network").glob("*.yml"))}
    damage = ["", ":", "- ", "  ", "\t", "[", "{", "}", "]", "&a ", "*a ", "!!python/object ", "'", '"', "#",
              "id: ", "-1", "2024-99", "null", "~", "---\n", "\x00", "é", "\ufeff", "<<: *x\n"]
    for round_number in range(120):
        folder = tmp_path / f"round{round_number}" / "network"
        folder.mkdir(parents=True)
        for name, text in sources.items():
            lines = text.split("\n")
            if rng.random() < 0.5:
                for _ in range(rng.randint(1, 3)):
                    i = rng.randrange(len(lines))
                    j = rng.randrange(len(lines[i]) + 1)
                    lines[i] = lines[i][:j] + rng.choice(damage) + lines[i][j:]
            if rng.random() < 0.1:
                del lines[rng.randrange(len(lines))]
            (folder / name).write_text("\n".join(lines), encoding="utf-8")
        result = load_network(folder, root=folder.parent, today=dt.date(2026, 1, 1))
        for problem in result.problems:
            assert problem.path.startswith("network/") or problem.path == "network", problem
            assert problem.severity in ("error", "warning")
        shutil.rmtree(folder.parent)
