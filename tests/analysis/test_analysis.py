"""Health metrics on small hand-made networks whose answers are worked out by hand."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest
from partnerbook.analysis import graphs as analysis
from partnerbook.analysis.health import health_report
from partnerbook.analysis.index import NetworkIndex
from partnerbook.analysis.money import compute_money
from partnerbook.data.load import load_network

SMALL = """\
network: {name: Small, focal: hub, structure: horizontal, as_of: 2026-01-01}
partners:
  - {id: hub, name: Hub}
  - {id: a, name: A, network: ivn, ivn_criteria: [develops], roles: [key-activities]}
  - {id: b, name: B, network: ivn, ivn_criteria: [function], roles: [key-activities, channels]}
  - {id: c, name: C, network: ivn, ivn_criteria: [develops]}
  - {id: d, name: D, network: ovn, ovn_type: funder, since: 2025-06}
  - {id: e, name: E, network: ovn, until: 2025-03}
relationships:
  - {from: a, to: hub, deliverable: code, nature: tangible}
  - {from: hub, to: a, deliverable: money, nature: tangible}
  - {from: b, to: hub, deliverable: advice, nature: intangible}
  - {from: hub, to: c, deliverable: core library, nature: tangible, kind: code}
  - {from: c, to: d, deliverable: reports, nature: intangible}
  - {from: e, to: hub, deliverable: old help, nature: tangible, until: 2025-03}
funding:
  - {from: d, to: hub, amount: 75, currency: USD, date: 2025-06-01}
  - {from: a, to: hub, amount: 25, currency: USD, date: 2025-09-01}
  - {from: a, to: hub, amount: 40, currency: USD, date: 2024-12-01}
  - {from: d, to: hub, amount: 10, currency: EUR, date: 2025-12-01}
  - {from: e, to: hub, amount: 99, currency: USD, core: true, until: 2025-03}
agreements:
  - {id: sig, title: Signed, parties: [hub, a], status: signed, expires: 2026-03, scorecard: {who.partners: full, why.vision: full}}
  - {id: later, title: Later, parties: [hub, b], status: draft, expires: 2026-06}
decisions:
  - id: d1
    name: One
    participation: {hub: decides, a: {actual: informed, desired: co-decides}, b: {actual: excluded, desired: co-decides}}
  - id: d2
    name: Two
    participation: {hub: decides, a: consulted}
"""


@pytest.fixture
def small(tmp_path):
    (tmp_path / "network").mkdir()
    (tmp_path / "network" / "n.yml").write_text(textwrap.dedent(SMALL))
    result = load_network(tmp_path / "network", root=tmp_path)
    assert result.network is not None, [str(p) for p in result.problems]
    return result.network


def test_hub_share_and_structure(small):
    # 5 current exchanges (e's ended in 2025); 4 touch the hub
    assert analysis.hub_share(small) == (0.8, 4, 5)
    assert analysis.observed_structure(0.8) == "hub-and-spoke"
    assert analysis.observed_structure(0.49) == "horizontal"


def test_articulation_points(small):
    # hub joins a, b and c; c alone connects d
    assert analysis.articulation_points(small) == ["c", "hub"]


def test_single_partner_roles(small):
    assert analysis.single_partner_roles(small) == [("channels", "b")]


def test_funding_concentration(small):
    # window 2025-01-02 … 2026-01-01: d 75 and a 25 USD; a's 40 of 2024-12 is before it
    income = compute_money(small).summary.get("income", "USD")
    # e gave only undated money: listed, with no share of the window
    assert [(c.partner, c.share_window) for c in income.counterparts] == [("d", 0.75), ("a", 0.25), ("e", 0.0)]
    assert income.hhi_window == pytest.approx(6250)  # 75² + 25²
    assert analysis.hhi([1.0]) == pytest.approx(10000)
    assert analysis.elephant_factor([0.75, 0.25]) == 1
    assert analysis.elephant_factor([0.3, 0.3, 0.2, 0.2]) == 2
    assert analysis.elephant_factor([0.25, 0.25, 0.25, 0.25]) == 2


def test_hollow_core(small):
    current, past = compute_money(small).core_flows()
    assert analysis.core_builders(small) == ["c"]
    assert current == [] and [fm.flow.source_id for fm in past] == ["e"]


def test_power(small):
    assert analysis.dominated_decisions(small) == [("d1", "hub")]
    # excluded → co-decides is 3 steps up the ladder; informed → co-decides 2
    assert analysis.participation_gaps(small) == [("d1", "b", 3), ("d1", "a", 2)]


def test_agreements(small):
    index = NetworkIndex(small)
    assert analysis.ivn_without_signed_agreement(small) == ["b", "c"]
    # sig: 2 full of 20 elements = 10 %; later has no scorecard: not scored, so never "thin"
    assert index.completeness["sig"] == pytest.approx(0.1)
    assert index.completeness["later"] is None
    assert analysis.weak_agreements(small, index.completeness) == ["sig"]
    # as_of 2026-01-01: sig expires 2026-03-31 (within 90 days); later is not signed
    assert analysis.expiring_agreements(small) == ["sig"]


def test_reciprocity_and_changes(small):
    assert analysis.one_way_pairs(small) == ([("b", "hub"), ("c", "d"), ("hub", "c")], 0)
    assert analysis.changes(small) == (["d"], ["e"])


def test_health_report_orders_findings_and_states_numbers(small):
    report = health_report(small)
    levels = [f.level for f in report["findings"]]
    assert levels == sorted(levels, key=["risk", "attention", "info", "ok"].index)
    by_key = {f.key: f for f in report["findings"]}
    assert "4 of 5 current exchanges (80%) involve Hub" in by_key["hub-dependence"].summary
    assert "the handbook declares horizontal" in by_key["hub-dependence"].summary
    assert "HHI 6,250 of 10,000; elephant factor 1" in by_key["funding-USD"].summary
    assert by_key["funding-USD"].level == "risk"
    assert by_key["hollow-core"].level == "risk" and "ended Mar 2025" in by_key["hollow-core"].summary
    # c alone links d by exchanges, but d also funds the hub (a tie of its own); the hub, the
    # other articulation point, is the focal organisation: never a single point of failure
    assert by_key["single-point-of-failure"].items == [] and by_key["single-point-of-failure"].level == "ok"


def test_health_page_stays_short_for_large_lists(tmp_path):
    partners = "\n".join(f"  - {{id: p{i}, name: P{i}, network: ivn}}" for i in range(300))
    exchanges = "\n".join(f"  - {{from: p{i}, to: hub, deliverable: x, nature: tangible}}" for i in range(300))
    (tmp_path / "network").mkdir()
    (tmp_path / "network" / "n.yml").write_text(
        "network: {name: Big, focal: hub}\npartners:\n  - {id: hub, name: Hub}\n" + partners
        + "\nrelationships:\n" + exchanges + "\n")
    network = load_network(tmp_path / "network", root=tmp_path, today=dt.date(2026, 1, 1)).network
    unsigned = next(f for f in health_report(network)["findings"] if f.key == "ivn-unsigned")
    assert len(unsigned.items) == 300 and len(unsigned.shown) == 12 and unsigned.hidden == 288


ONE_WAY = """\
network: {name: T, focal: f, as_of: 2026-06-30}
partners:
  - {id: f, name: F}
  - {id: a, name: A, network: ovn}
  - {id: b, name: B, network: ovn}
  - {id: c, name: C, network: ovn}
relationships:
  - {from: a, to: f, deliverable: Fees, nature: tangible, kind: revenue}
  - {from: b, to: f, deliverable: Code, nature: tangible, kind: code}
  - {from: c, to: f, deliverable: Advice, nature: intangible, kind: knowledge}
funding:
  - {from: f, to: b, amount: 10, currency: EUR, since: 2026-01, until: 2026-12}
agreements:
  - {id: scored, title: Scored, parties: [f, a], status: signed, scorecard: {who.partners: full}}
  - {id: unscored, title: Unscored, parties: [f, b], status: signed}
"""


def test_one_way_pairs_leave_money_only_pairs_out_and_say_so_once(tmp_path):
    (tmp_path / "network").mkdir()
    (tmp_path / "network" / "n.yml").write_text(ONE_WAY)
    network = load_network(tmp_path / "network", root=tmp_path).network
    # a only pays (money only: left out); f pays b for its code (a funding flow back); c only gives
    assert analysis.one_way_pairs(network) == ([("c", "f")], 1)
    by_key = {f.key: f for f in health_report(network)["findings"]}
    one_way = by_key["one-way"]
    assert [(i.id, i.other) for i in one_way.items] == [("c", ("partner", "f"))]
    assert one_way.summary == ("1 pair where value flows in one direction only. 1 pair where the data "
                               "records money only is left out: what the money pays for is real but not recorded.")
    # 1 of 20 elements = 5%: thin; the unscored agreement is "not scored", never thin
    thin = by_key["thin-agreement"]
    assert [i.id for i in thin.items] == ["scored"]
    assert "1 agreement is not scored (no scorecard): neither thin nor complete." in thin.summary
    # no decisions: both power findings say why instead of vanishing
    assert by_key["decided-alone"].level == "n/a"
    assert by_key["decided-alone"].summary == "No decisions recorded: power not checked."
