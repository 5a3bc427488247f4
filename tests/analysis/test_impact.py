"""Impact of losing a partner, on hand-made networks whose answers are worked out by hand."""

from __future__ import annotations

import datetime as dt
import random
import textwrap
from dataclasses import dataclass

import networkx as nx
import pytest
from partnerbook.analysis import impact
from partnerbook.data.load import load_network

# Twelve partners (the focal organisation f included). Drawn as ties:
#
#   f ── a ── b ── c          a, b and m also share the current project `pilot`
#   │    └────┘   │  ╲        b ── c ── d ── b is a triangle hanging off b;
#   │             d ──        d ── e ── g ── d a triangle hanging off d;
#   h ── i ── j ── h          h, i, j a triangle hanging off f through h;
#   k (funding only)          k is tied to f by money alone.
#
# Articulation points besides f, and whom each cuts off from f (by hand):
#   b → c, d, e, g   (every path from c, d, e, g to f goes through b)
#   d → e, g
#   h → i, j
# a is not one: m reaches f through the project `pilot` via b as well.
CONSORTIUM = """\
network: {name: Consortium, focal: f, as_of: 2026-06-30}
roles:
  - {id: build, name: Build}
  - {id: sell, name: Sell}
  - {id: fund, name: Fund}
partners:
  - {id: f, name: Focal, roles: [build]}
  - {id: a, name: Alpha, network: ivn, roles: [build]}
  - {id: b, name: Bravo, network: ivn, roles: [build, fund]}
  - {id: c, name: Charlie, network: ivn, roles: [sell]}
  - {id: d, name: Delta, network: ivn}
  - {id: e, name: Echo, network: ovn}
  - {id: g, name: Golf, network: ovn}
  - {id: h, name: Hotel, network: ivn}
  - {id: i, name: India, network: ovn}
  - {id: j, name: Juliett, network: ovn}
  - {id: k, name: Kilo, network: ovn, roles: [fund]}
  - {id: m, name: Mike, network: ovn}
  - {id: old, name: Old, network: ovn, roles: [sell], until: 2025-01}
relationships:
  - {from: f, to: a, deliverable: x, nature: tangible}
  - {from: b, to: f, deliverable: x, nature: tangible}
  - {from: f, to: b, deliverable: y, nature: intangible}
  - {from: a, to: b, deliverable: x, nature: intangible}
  - {from: b, to: c, deliverable: x, nature: tangible}
  - {from: c, to: d, deliverable: x, nature: tangible}
  - {from: d, to: b, deliverable: x, nature: intangible}
  - {from: d, to: e, deliverable: x, nature: tangible}
  - {from: e, to: g, deliverable: x, nature: tangible}
  - {from: g, to: d, deliverable: x, nature: tangible}
  - {from: f, to: h, deliverable: x, nature: tangible}
  - {from: h, to: i, deliverable: x, nature: tangible}
  - {from: i, to: j, deliverable: x, nature: tangible}
  - {from: j, to: h, deliverable: x, nature: tangible}
  - {from: old, to: c, deliverable: x, nature: tangible, until: 2025-01}
funding:
  - {from: k, to: f, amount: 3000, currency: USD, since: 2026-01, until: 2026-12}
projects:
  - {id: pilot, title: Pilot, partners: {a: lead, b: Implementing partner, m: community}}
  - {id: shared, title: Shared, partners: {h: implementing, i: co-implementing}}
  - {id: done, title: Done, partners: {c: implementing}, until: 2025-12}
agreements:
  - {id: fh, title: F and H, parties: [f, h], status: signed}
  - {id: hi, title: H and I, parties: [h, i]}
  - {id: fbc, title: "F, B and C", parties: [f, b, c], status: signed}
  - {id: gone, title: Gone, parties: [f, b], status: terminated}
decisions:
  - id: budget
    name: Budget
    participation: {f: co-decides, b: co-decides, h: consulted}
  - id: plan
    name: Plan
    participation: {b: decides, f: informed}
"""


@dataclass(frozen=True)
class StandInMoney:
    """Money.with_partner of MONEY_API.md, for these tests only (money.py computes the real one)."""

    table: dict

    def with_partner(self, partner_id):
        return self.table.get(partner_id, {})


@dataclass(frozen=True)
class Counterpart:
    income_window: float = 0.0
    spending_window: float = 0.0
    income_committed: float = 0.0
    spending_committed: float = 0.0
    income_share: float | None = None


# f's USD income in the window: 1,000 from b and 3,000 from k (shares 0.25 and 0.75);
# its EUR income: 200 from d (share 1); f pays h 500 USD and owes it 250 USD more.
MONEY = StandInMoney({
    "b": {"USD": Counterpart(income_window=1000, income_committed=400, income_share=0.25)},
    "k": {"USD": Counterpart(income_window=3000, income_share=0.75)},
    "d": {"EUR": Counterpart(income_window=200, income_share=1.0)},
    "h": {"USD": Counterpart(spending_window=500, spending_committed=250)},
})


def load(tmp_path, text: str):
    folder = tmp_path / "network"
    folder.mkdir(exist_ok=True)
    (folder / "n.yml").write_text(textwrap.dedent(text))
    result = load_network(folder, root=tmp_path)
    assert result.network is not None, [str(p) for p in result.problems]
    return result.network


@pytest.fixture
def consortium(tmp_path):
    return impact.network_impact(load(tmp_path, CONSORTIUM), MONEY)


def test_the_three_articulation_points_cut_off_the_partners_found_by_hand(consortium):
    cut = {p: list(consortium.of(p).cut_off) for p in "abcdeghijkm"}
    # names in alphabetical order: Charlie, Delta, Echo, Golf
    assert cut == {"a": [], "b": ["c", "d", "e", "g"], "c": [], "d": ["e", "g"], "e": [], "g": [],
                   "h": ["i", "j"], "i": [], "j": [], "k": [], "m": []}
    assert [consortium.cut_off_count(p) for p in "bdh"] == [4, 2, 2]


def test_the_focal_organisation_and_past_partners_lose_nothing(consortium):
    assert consortium.of("f") == impact.Impact("f", current=False)
    assert consortium.of("old") == impact.Impact("old", current=False)
    assert "f" not in consortium.rank() and "old" not in consortium.rank()


def test_roles_projects_agreements_and_decisions(consortium):
    b = consortium.of("b")
    # build: f and a still play it; fund: k still plays it
    assert b.roles_emptied == ()
    # sell: Old played it too, but left in 2025
    assert consortium.of("c").roles_emptied == ("sell",)
    assert consortium.of("k").roles_emptied == ()
    # pilot: b is its only implementing partner; shared has h and i (co-implementing); done has ended
    assert b.projects_orphaned == ("pilot",)
    assert consortium.of("h").projects_orphaned == ()
    # fbc keeps f and c; gone is terminated; fh and hi are bilateral and end with h
    assert (b.agreements_ending, b.agreements_losing_party) == ((), ("fbc",))
    assert consortium.of("h").agreements_ending == ("fh", "hi")
    assert b.decisions == (("budget", "co-decides"), ("plan", "decides"))
    assert consortium.of("h").decisions == ()


def test_exchanges_that_stop_tangible_and_intangible_apart(consortium):
    b = consortium.of("b")
    # b → f, b → c tangible; f → b, a → b, d → b intangible
    assert [(e.source_id, e.target_id) for e in b.tangible] == [("b", "f"), ("b", "c")]
    assert [(e.source_id, e.target_id) for e in b.intangible] == [("f", "b"), ("a", "b"), ("d", "b")]
    # c's only exchange with Old ended in 2025: it is not counted
    assert len(consortium.of("c").tangible) == 2 and consortium.of("c").intangible == ()


def test_money_lost_freed_and_committed_per_currency(consortium):
    b, h = consortium.of("b"), consortium.of("h")
    assert b.money == (impact.MoneyAtStake("USD", income=1000, income_committed=400, income_share=0.25),)
    assert h.money == (impact.MoneyAtStake("USD", spending=500, spending_committed=250),)
    # b takes Delta (200 EUR, all of f's EUR income) with it; its own USD is a quarter of f's
    assert b.income_cut_off == (impact.MoneyAtStake("EUR", income=200, income_share=1.0),
                                impact.MoneyAtStake("USD", income=1000, income_committed=400, income_share=0.25))
    assert b.income_share == 1.0 and h.income_share == 0.0


def test_ranking_worst_first(consortium):
    ranked = [i.partner_id for i in consortium.ranked()]
    # b cuts off 4; d and h 2 each, d with all EUR income; then k (75% of USD income);
    # then c (a role), i (agreement hi would end), then the rest by exchanges (a 3; e, g, j 2; m 0)
    assert ranked[:6] == ["b", "d", "h", "k", "c", "i"]
    assert ranked[6:] == ["a", "e", "g", "j", "m"]


def test_funding_and_projects_are_ties(tmp_path):
    # x reaches f by money only, z only through the project it shares with y
    network = load(tmp_path, """\
        network: {name: T, focal: f, as_of: 2026-06-30}
        partners:
          - {id: f, name: F}
          - {id: x, name: X, network: ovn}
          - {id: y, name: Y, network: ovn}
          - {id: z, name: Z, network: ovn}
          - {id: w, name: W, network: ovn}
        relationships:
          - {from: f, to: y, deliverable: x, nature: tangible}
        funding:
          - {from: x, to: f, amount: 1, currency: USD, date: 2026-02-01}
          - {from: w, to: x, amount: 1, currency: USD, date: 2024-02-01}
        projects:
          - {id: p, title: P, partners: {y: lead, z: member}}
        """)
    result = impact.network_impact(network)
    # y alone links z (through the project); w's only tie is a payment two years old: not a tie today
    assert [result.of(p).cut_off for p in "xyzw"] == [(), ("z",), (), ()]
    assert result.of("x").money == () and not result.money_known


def _brute_force(graph: nx.Graph, root: str, node: str) -> set[str]:
    rest = graph.copy()
    rest.remove_node(node)
    reach = nx.node_connected_component(rest, root)
    return set(nx.node_connected_component(graph, root)) - reach - {node}


@pytest.mark.parametrize("seed", range(20))
def test_one_search_agrees_with_removing_each_partner_in_turn(seed):
    rng = random.Random(seed)
    size = rng.randint(5, 60)
    graph = nx.Graph()
    graph.add_nodes_from(f"n{i}" for i in range(size))
    for i in range(1, size):  # a random tree, then a few extra edges, so cuts are common
        graph.add_edge(f"n{i}", f"n{rng.randrange(i)}")
    for _ in range(rng.randint(0, size // 3)):
        graph.add_edge(f"n{rng.randrange(size)}", f"n{rng.randrange(size)}")
    graph.remove_edges_from(nx.selfloop_edges(graph))
    adjacency = {node: sorted(graph[node]) for node in graph}
    cuts = impact.cut_analysis(adjacency, "n0")
    for node in graph:
        if node != "n0":
            assert set(cuts.cut_off(node)) == _brute_force(graph, "n0", node), (seed, node)


def test_a_long_chain_does_not_hit_the_recursion_limit():
    adjacency = {f"n{i}": [f"n{j}" for j in (i - 1, i + 1) if 0 <= j < 5000] for i in range(5000)}
    cuts = impact.cut_analysis(adjacency, "n0")
    assert len(cuts.cut_off("n1")) == 4998 and cuts.cut_off("n4999") == []


def test_partner_outside_the_focal_component_is_not_cut_off_by_anyone(tmp_path):
    network = load(tmp_path, """\
        network: {name: T, focal: f, as_of: 2026-06-30}
        partners:
          - {id: f, name: F}
          - {id: a, name: A, network: ovn}
          - {id: b, name: B, network: ovn}
          - {id: c, name: C, network: ovn}
        relationships:
          - {from: f, to: a, deliverable: x, nature: tangible}
          - {from: b, to: c, deliverable: x, nature: tangible}
        """)
    result = impact.network_impact(network)
    assert [result.of(p).cut_off for p in "abc"] == [(), (), ()]
    assert dt.date(2026, 6, 30) == network.as_of


def test_every_finding_has_a_known_check_id_and_the_docs_name_them_all(tmp_path):
    from conftest import ROOT
    from partnerbook.analysis.checks import KNOWN_CHECKS
    from partnerbook.analysis.findings import FINDING_CHECKS
    from partnerbook.analysis.health import health_report

    network = load(tmp_path, CONSORTIUM)
    report = health_report(network, impacts=impact.network_impact(network, MONEY))
    assert {f.check_id for f in report["findings"]} <= set(FINDING_CHECKS)
    assert set(FINDING_CHECKS) <= set(KNOWN_CHECKS)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    guide = (ROOT / "content/guide/using-this-handbook.md").read_text(encoding="utf-8")
    for check in KNOWN_CHECKS:  # each in a table row of both
        assert f"| `{check}` |" in readme and f"| `{check}` |" in guide, check


def test_ignored_findings_are_left_out_of_the_report(tmp_path):
    from partnerbook.analysis.health import health_report

    network = load(tmp_path, CONSORTIUM)
    keys = [f.key for f in health_report(network, levels={"single-point-of-failure": "ignore"})["findings"]]
    assert "single-point-of-failure" not in keys and "hub-dependence" in keys


def test_a_payment_is_a_tie_inside_the_money_window_only(tmp_path):
    network = load(tmp_path, """\
        network: {name: T, focal: f, as_of: 2026-06-30}
        partners:
          - {id: f, name: F}
          - {id: a, name: A, network: ovn}
          - {id: b, name: B, network: ovn}
        relationships:
          - {from: f, to: a, deliverable: x, nature: tangible}
          - {from: a, to: b, deliverable: x, nature: tangible}
        funding:
          - {from: b, to: f, amount: 5, currency: USD, date: 2025-07-01}
        """)
    # default window: the 365 days 2025-07-01 … 2026-06-30, so b's payment ties it to f
    assert impact.network_impact(network).of("a").cut_off == ()

    @dataclass(frozen=True)
    class Windowed(StandInMoney):
        window: tuple = (dt.date(2025, 7, 2), dt.date(2026, 6, 30))

    # the build's money window starts a day later: b's only tie today is a
    assert impact.network_impact(network, Windowed({})).of("a").cut_off == ("b",)
