"""`partnerbook diff` and the `compare_to` page, on a git repository each test module creates.

The repository holds one commit per kind of change, then one with several at once. Every
expected sentence is worked out by hand from the data below (comments say how); the tests read
them in the text output, the JSON and the built `changes/` page.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import BIN, ROOT, Handbook, mkdocs_yml
from partnerbook.cli.main import main

# as_of 2026-06-30: the money window is the 12 months 2025-07-01 .. 2026-06-30 in every version.
BASE = {
    "network": {"name": "Review network", "focal": "hub", "as_of": "2026-06-30"},
    "partners": [
        {"id": "hub", "name": "Hub Org", "roles": ["key-activities"]},
        {"id": "maker", "name": "Maker Co", "network": "ivn", "ivn_criteria": ["develops"],
         "roles": ["key-activities"]},
        {"id": "payer", "name": "Payer Fund", "kind": "funder", "network": "ovn", "ovn_type": "funder"},
        {"id": "seller", "name": "Seller Shop", "network": "ovn", "ovn_type": "channel", "roles": ["channels"]},
        {"id": "leaver", "name": "Leaver Ltd", "network": "ovn", "ovn_type": "supplier"},
    ],
    "relationships": [
        {"from": "maker", "to": "hub", "deliverable": "Code", "nature": "tangible"},
        {"from": "payer", "to": "hub", "deliverable": "Grant", "nature": "tangible"},
        {"from": "hub", "to": "payer", "deliverable": "Reports", "nature": "intangible"},
        {"from": "seller", "to": "hub", "deliverable": "Sales", "nature": "tangible"},
        {"from": "hub", "to": "seller", "deliverable": "Product", "nature": "tangible"},
        {"from": "leaver", "to": "hub", "deliverable": "Parts", "nature": "tangible"},
    ],
    "agreements": [
        # Scorecard of 20 default elements: 2 full / 20 = 10 %.
        {"id": "build-deal", "title": "Build deal", "parties": ["hub", "maker"], "status": "negotiating",
         "scorecard": {"who.partners": "full", "what.activities": "full"}},
    ],
    "funding": [{"from": "payer", "to": "hub", "amount": 1000, "currency": "EUR", "date": "2026-03-01"}],
    "decisions": [
        {"id": "roadmap", "name": "Roadmap",
         "participation": {"hub": "decides", "maker": "consulted",
                           "seller": {"actual": "informed", "desired": "consulted"}}},
    ],
}


def _partner(data: dict, pid: str) -> dict:
    return next(p for p in data["partners"] if p["id"] == pid)


def _added(d):
    d["partners"].append({"id": "newbie", "name": "Newbie Labs", "network": "ovn", "ovn_type": "complementor"})
    d["relationships"].append({"from": "newbie", "to": "hub", "deliverable": "Plug-ins", "nature": "tangible"})


def _removed(d):
    d["partners"] = [p for p in d["partners"] if p["id"] != "leaver"]
    d["relationships"] = [r for r in d["relationships"] if "leaver" not in (r["from"], r["to"])]


def _renamed(d):
    _partner(d, "maker")["name"] = "Maker Cooperative"


def _moved(d):
    seller = _partner(d, "seller")
    seller.update(network="ivn", ivn_criteria=["function"])
    del seller["ovn_type"]


def _roles(d):
    maker = _partner(d, "maker")
    maker["roles"] = ["key-resources"]
    maker["ivn_criteria"] = ["develops", "joint-planning"]


def _exchanges(d):
    d["relationships"].append({"from": "hub", "to": "maker", "deliverable": "Specs", "nature": "intangible"})
    d["relationships"] = [r for r in d["relationships"] if r["deliverable"] != "Reports"]


def _agreements(d):
    deal = d["agreements"][0]
    deal["status"] = "signed"
    deal["scorecard"]["why.vision"] = "full"  # 3 full / 20 = 15 %
    d["agreements"].append({"id": "sales-pact", "title": "Sales pact", "parties": ["hub", "seller"],
                            "status": "negotiating"})


def _money(d):
    # Income EUR in the window: 1,000 + 600 = 1,600; spending EUR: 0 + 300 = 300.
    d["funding"].append({"from": "newbie", "to": "hub", "amount": 600, "currency": "EUR", "date": "2026-05-01"})
    d["funding"].append({"from": "hub", "to": "maker", "amount": 300, "currency": "EUR", "date": "2026-04-01"})


def _decisions(d):
    d["decisions"][0]["participation"]["maker"] = "co-decides"


def _health(d):
    # Pricing: Hub Org decides, Seller Shop only informed → "decided alone" appears; Seller Shop's
    # wish on the roadmap is met → no participation gap is left.
    d["decisions"].append({"id": "pricing", "name": "Pricing", "participation": {"hub": "decides", "seller": "informed"}})
    d["decisions"][0]["participation"]["seller"] = "consulted"


def _several(d):
    d["partners"].append({"id": "latecomer", "name": "Latecomer Trust", "network": "ovn", "ovn_type": "funder"})
    d["relationships"].append({"from": "latecomer", "to": "hub", "deliverable": "Advice", "nature": "intangible"})
    _partner(d, "payer")["name"] = "Payer Foundation"
    d["agreements"][1]["status"] = "signed"
    # Income EUR: 1,600 + 2,000 = 3,600.
    d["funding"].append({"from": "latecomer", "to": "hub", "amount": 2000, "currency": "EUR", "date": "2026-06-01"})


# (commit message, edit, sentences the text output must hold, (kind, subject) the JSON must hold)
STEPS = [
    ("partner added", _added, ["Added: Newbie Labs, Outer value network (complementor).",
                               "New exchange: Newbie Labs → Hub Org, Plug-ins (tangible)."],
     [("partner-added", "newbie")]),
    ("partner removed", _removed, ["Removed: Leaver Ltd, Outer value network (supplier).",
                                   "Exchange removed: Leaver Ltd → Hub Org, Parts (tangible)."],
     [("partner-removed", "leaver"), ("exchange-removed", "leaver>hub")]),
    ("partner renamed", _renamed, ["Renamed: Maker Co is now Maker Cooperative."], [("partner-renamed", "maker")]),
    ("partner moved", _moved, ["Seller Shop moved from Outer value network (channel) to Inner value network.",
                               "Seller Shop now meets the IVN criterion function."],
     [("partner-moved", "seller"), ("criterion-gained", "seller")]),
    ("roles and criteria", _roles, ["Maker Cooperative gained the role Key resources.",
                                    "Maker Cooperative lost the role Key activities.",
                                    "Maker Cooperative now meets the IVN criterion joint-planning."],
     [("role-gained", "maker"), ("role-lost", "maker"), ("criterion-gained", "maker")]),
    ("exchanges", _exchanges, ["New exchange: Hub Org → Maker Cooperative, Specs (intangible).",
                               "Exchange removed: Hub Org → Payer Fund, Reports (intangible)."],
     [("exchange-added", "hub>maker"), ("exchange-removed", "hub>payer")]),
    ("agreements", _agreements, ["Build deal: status negotiating → signed.",
                                 "Build deal: scorecard completeness up from 10% to 15%.",
                                 "New agreement: Sales pact (negotiating), between Hub Org, Seller Shop."],
     [("agreement-status", "build-deal"), ("scorecard-up", "build-deal"), ("agreement-added", "sales-pact")]),
    ("money", _money, ["EUR: income 1,000 EUR → 1,600 EUR (+600 EUR); spending 0 EUR → 300 EUR (+300 EUR).",
                       "New funder: Newbie Labs, 600 EUR in the window.",
                       "New recipient: Maker Cooperative, 300 EUR in the window.",
                       "the 12 months up to each version's `as_of`"],
     [("money-totals", "EUR"), ("funder-gained", "newbie"), ("recipient-gained", "maker")]),
    ("decisions", _decisions, ["Roadmap: Maker Cooperative consulted → co-decides.",
                               "Maker Cooperative gained a say in Roadmap (co-decides)."],
     [("participation-changed", "roadmap"), ("say-gained", "roadmap")]),
    ("health", _health, ["New decision: Pricing.", "New finding: Decisions taken alone", "Resolved: Participation gaps."],
     [("decision-added", "pricing"), ("finding-appeared", "decided-alone"), ("finding-resolved", "participation-gap")]),
    ("several at once", _several, ["Added: Latecomer Trust, Outer value network (funder).",
                                   "Renamed: Payer Fund is now Payer Foundation.",
                                   "Sales pact: status negotiating → signed.",
                                   "New funder: Latecomer Trust, 2,000 EUR in the window.",
                                   "EUR: income 1,600 EUR → 3,600 EUR (+2,000 EUR)"],
     [("partner-added", "latecomer"), ("partner-renamed", "payer"), ("agreement-status", "sales-pact"),
      ("funder-gained", "latecomer"), ("money-totals", "EUR")]),
]


def git(folder: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": "2026-07-01T12:00:00Z", "GIT_COMMITTER_DATE": "2026-07-01T12:00:00Z"}
    done = subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args], cwd=folder,
                          capture_output=True, text=True, env=env, check=True)
    return done.stdout


def write_data(book: Handbook, data: dict) -> None:
    book.write("network/network.yml", yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> Handbook:
    """A repository whose handbook lives in a sub-folder (as in a monorepo): one commit per step."""
    repo = tmp_path_factory.mktemp("repo")
    book = Handbook(repo / "handbook")
    book.write("mkdocs.yml", mkdocs_yml(plugin_options="compare_to: base"))
    book.write("content/index.md", "# Review\n\nSee [what changed](changes/index.md).\n")
    data = copy.deepcopy(BASE)
    write_data(book, data)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    git(repo, "tag", "base")
    for message, edit, _words, _kinds in STEPS:
        edit(data)
        write_data(book, data)
        git(repo, "commit", "-qam", message)
    return book


def diff(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["diff", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("step", range(len(STEPS)), ids=[s[0] for s in STEPS])
def test_each_commit_is_named_in_text_and_json(history, capsys, step):
    message, _edit, sentences, kinds = STEPS[step]
    back = len(STEPS) - step  # the commit of this step is HEAD~(back - 1)
    old, new = f"HEAD~{back}", f"HEAD~{back - 1}"
    code, text, err = diff(capsys, old, new, str(history.path))
    assert code == 0, err
    for sentence in sentences:
        assert sentence in text, f"{message}: {sentence!r} not in\n{text}"
    code, out, err = diff(capsys, old, new, str(history.path), "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    assert report["format"] == "partnerbook-diff" and report["version"] == 1
    found = {(c["kind"], c["subject"]) for c in report["changes"]}
    for kind in kinds:
        assert kind in found, f"{message}: {kind} not in {sorted(found)}"
    assert report["old"]["window"] == report["new"]["window"] == {"first": "2025-07-01", "last": "2026-06-30"}
    texts = [c["text"] for c in report["changes"]]
    for sentence in sentences:
        if "`as_of`" not in sentence:  # the window note heads the text's money section, it is no change
            assert any(sentence in t for t in texts), sentence


def test_markdown_for_a_pull_request(history, capsys):
    code, out, _err = diff(capsys, "HEAD~1", "HEAD", str(history.path), "--format", "markdown")
    assert code == 0
    assert out.startswith("## What changed since HEAD\\~1, Jul 1, 2026\n")
    assert "### Partners" in out and "- Added: **Latecomer Trust**, Outer value network (funder)." in out


def test_nothing_changed_exits_0(history, capsys):
    code, out, _err = diff(capsys, "HEAD", str(history.path))  # HEAD against the (clean) working tree
    assert code == 0
    assert "Nothing changed in the data." in out


def test_working_tree_is_the_default_new_version(history, capsys):
    data = yaml.safe_load((history.path / "network/network.yml").read_text())
    _partner(data, "hub")["name"] = "Hub Organisation"
    original = (history.path / "network/network.yml").read_text()
    write_data(history, data)
    try:
        code, out, _err = diff(capsys, "HEAD", str(history.path))
        assert code == 0 and "Renamed: Hub Org is now Hub Organisation." in out
        assert "HEAD (" in out and "→ working tree" in out
    finally:
        (history.path / "network/network.yml").write_text(original)


def test_two_folders(history, tmp_path, capsys):
    old = tmp_path / "old"
    shutil.copytree(history.path / "network", old / "network")
    data = yaml.safe_load((old / "network/network.yml").read_text())
    data["partners"] = [p for p in data["partners"] if p["id"] != "latecomer"]
    data["relationships"] = [r for r in data["relationships"] if "latecomer" not in (r["from"], r["to"])]
    data["funding"] = [f for f in data["funding"] if f["from"] != "latecomer"]
    (old / "network/network.yml").write_text(yaml.safe_dump(data))
    code, out, _err = diff(capsys, str(old), str(history.path))
    assert code == 0 and "Added: Latecomer Trust, Outer value network (funder)." in out


def test_errors_in_the_old_version_are_reported_and_the_rest_compared(tmp_path, capsys):
    repo = tmp_path / "repo"
    book = Handbook(repo)
    book.write("mkdocs.yml", mkdocs_yml())
    write_data(book, BASE)
    book.write("network/extra.yml", "partners:\n  - id: broken\n    name: [unclosed\n")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "a broken file")
    (repo / "network/extra.yml").unlink()
    data = copy.deepcopy(BASE)
    _added(data)
    write_data(book, data)
    code, out, err = diff(capsys, "HEAD", str(repo))
    assert code == 0
    assert "HEAD has 1 error(s); compared what loads (network/extra.yml left out)" in err
    assert "HEAD:network/extra.yml:3: error:" in err
    assert "Added: Newbie Labs, Outer value network (complementor)." in out


def test_a_revision_without_mkdocs_yml_is_read_as_a_data_folder(tmp_path, capsys):
    """The old version has its data but no mkdocs.yml yet: the defaults apply (it once failed with a
    TypeError, building the options with two of their fields; mypy found it)."""
    repo = tmp_path / "repo"
    book = Handbook(repo)
    write_data(book, BASE)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "the data before the handbook")
    book.write("mkdocs.yml", mkdocs_yml())
    data = copy.deepcopy(BASE)
    _added(data)
    write_data(book, data)
    code, out, err = diff(capsys, "HEAD", str(repo))
    assert code == 0, err
    assert "Added: Newbie Labs, Outer value network (complementor)." in out


def test_unknown_revision_and_not_a_repository(history, tmp_path, capsys):
    code, _out, err = diff(capsys, "no-such-tag", str(history.path))
    assert code == 1 and "unknown revision 'no-such-tag'" in err
    plain = tmp_path / "plain"
    shutil.copytree(history.path / "network", plain / "network")
    code, _out, err = diff(capsys, "HEAD~1", str(plain))
    assert code == 1 and "is not in a git repository" in err and "Traceback" not in err


def test_shallow_clone_says_fetch_depth_0(history, tmp_path, capsys):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{history.path.parent}", str(clone)], check=True)
    code, _out, err = diff(capsys, "HEAD~3", str(clone / "handbook"))
    assert code == 1 and "shallow" in err and "fetch-depth: 0" in err


def test_missing_git_is_a_clear_error(history, capsys, monkeypatch):
    monkeypatch.setenv("PATH", str(history.path))  # a PATH without git
    code, _out, err = diff(capsys, "HEAD~1", str(history.path))
    assert code == 1 and "git is not installed" in err


def test_compare_to_page_notes_and_link(history):
    """The handbook at HEAD built with `compare_to: base`: every step's change is on the page."""
    result = history.build()
    assert result.returncode == 0, result.stderr
    page = history.page("changes/")
    article = page.find("article").get_text(" ", strip=True).replace("  ", " ")
    assert "What changed since base, Jul 1, 2026" in article
    assert "the 12 months up to each version's `as_of`" in article
    for sentence in ("Added: Newbie Labs", "Added: Latecomer Trust", "Removed: Leaver Ltd",
                     "Renamed: Maker Co is now Maker Cooperative", "Seller Shop moved from Outer value network",
                     "gained the role Key resources", "now meets the IVN criterion joint-planning",
                     "New exchange: Hub Org → Maker Cooperative , Specs (intangible)",
                     "Build deal : status negotiating → signed", "scorecard completeness up from 10% to 15%",
                     # Income EUR 1,000 at base → 3,600 at HEAD; spending 0 → 300.
                     "EUR: income 1,000 EUR → 3,600 EUR (+2,600 EUR); spending 0 EUR → 300 EUR (+300 EUR)",
                     "gained a say in Roadmap", "New decision: Pricing", "New finding: Decisions taken alone",
                     "Resolved: Participation gaps",
                     # Impact ranks (worst loss first: partners cut off, share of income, roles only it plays,
                     # decisions it takes a part in, agreements that would end, exchanges). At base: Payer Fund
                     # brings all income (1); Seller Shop alone plays `channels` (2); Maker Co would end the
                     # Build deal (3); Leaver Ltd has one exchange (4). At HEAD: Latecomer Trust 2,000 of 3,600 EUR
                     # (1), Payer 1,000 (2), Newbie Labs 600 (3), Maker alone plays key-resources and co-decides
                     # the roadmap (4), Seller alone plays channels (5).
                     "Latecomer Trust : impact rank unranked → 1.", "Seller Shop : impact rank 2 → 5.",
                     "Leaver Ltd: impact rank 4 → unranked."):
        assert sentence in article, sentence
    links = {a.get_text(strip=True): a["href"] for a in page.find("article").find_all("a")}
    assert links["Maker Cooperative"] == "../partners/maker/"
    assert "Leaver Ltd" not in links  # removed: no page to link to
    maker = history.page("partners/maker/").find("article").get_text(" ", strip=True)
    assert "Changed since base, Jul 1, 2026:" in maker and "Renamed: Maker Co is now Maker Cooperative" in maker
    hub_link = history.page("partners/").find("a", string="What changed since base, Jul 1, 2026")
    assert hub_link is not None and hub_link["href"] == "../changes/"


def test_compare_to_in_a_shallow_clone_is_a_build_error(history, tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", "--no-single-branch",
                    f"file://{history.path.parent}", str(clone)], check=True)
    book = Handbook(clone / "handbook")
    book.write("mkdocs.yml", mkdocs_yml(plugin_options="compare_to: HEAD~5"))
    result = book.build()
    assert result.returncode == 1
    assert "shallow" in result.stderr and "fetch-depth: 0" in result.stderr and "Traceback" not in result.stderr


def test_example_handbook_across_its_own_history(capsys):
    """The example handbook gained an 'other' OVN organisation in commit 1c0527c ("Example gains an
    'other' OVN organisation"): Commons Software Registry, with two intangible exchanges."""
    known = subprocess.run(["git", "-C", str(ROOT), "cat-file", "-e", "1c0527c^{commit}"],
                           capture_output=True, check=False)
    if known.returncode != 0:
        pytest.skip("this clone does not hold the example's history (shallow?)")
    code, out, err = diff(capsys, "1c0527c~1", "1c0527c", str(ROOT))
    assert code == 0, err
    assert "Added: Commons Software Registry, Outer value network (other)." in out
    assert "New exchange: Commons Software Registry → OpenHarvest Foundation, Listing as a vetted public good " \
           "(intangible)." in out


def test_french_words(history, capsys):
    code, out, _err = diff(capsys, "HEAD~1", "HEAD", str(history.path), "--language", "fr")
    assert code == 0
    assert "Renommé : Payer Fund s'appelle désormais Payer Foundation." in out
    assert "Ajouté : Latecomer Trust" in out


def test_names_are_shown_as_text(history, capsys):
    """A name holding Markdown and HTML stays text in every format; one holding a terminal escape
    is refused by the loader (issue 30), and the message shows the escape, never sends it."""
    path = history.path / "network/network.yml"
    original = path.read_text()
    data = yaml.safe_load(original)
    _partner(data, "hub")["name"] = "<script>x</script> *Hub* [31mred"
    write_data(history, data)
    try:
        _code, text, _err = diff(capsys, "HEAD", str(history.path))
        assert "Renamed: Hub Org is now <script>x</script> *Hub* [31mred." in text
        _code, markdown, _err = diff(capsys, "HEAD", str(history.path), "--format", "markdown")
        assert "**\\<script\\>x\\</script\\> \\*Hub\\* \\[31mred**" in markdown
        _code, out, _err = diff(capsys, "HEAD", str(history.path), "--format", "json")
        renamed = next(c for c in json.loads(out)["changes"] if c["kind"] == "partner-renamed")
        assert renamed["after"] == "<script>x</script> *Hub* [31mred"  # JSON keeps the data as written
        _partner(data, "hub")["name"] = "Hub \x1b[31mred"
        write_data(history, data)
        _code, text, err = diff(capsys, "HEAD", str(history.path))
        assert "\x1b" not in text + err and "\\x1b" in err, err
    finally:
        path.write_text(original)


def test_compare_to_outside_a_repository_or_without_git_is_a_build_error(handbook):
    handbook.write("mkdocs.yml", mkdocs_yml(plugin_options="compare_to: HEAD"))
    result = handbook.build()  # tmp_path is in no git repository
    assert result.returncode == 1 and "is not in a git repository" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    without_git = handbook.run(str(BIN / "mkdocs"), "build", env={"PATH": str(BIN)})  # a PATH holding no git
    assert without_git.returncode == 1 and "git is not installed" in without_git.stderr, without_git.stderr
