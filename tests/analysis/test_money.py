"""The money rules one by one, on a small ledger whose figures are worked out by hand below.

as_of is 2026-06-30, so the default window is 2025-07-01 … 2026-06-30 (the 12 months up to
as_of) and the committed months are 2026-07-01 … 2027-06-30.
"""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest
from partnerbook.analysis.money import compute_money, format_share
from partnerbook.data.load import load_network

LEDGER = """\
network: {name: Ledger, focal: hub, as_of: 2026-06-30}
partners:
  - {id: hub, name: Hub}
  - {id: a, name: A, network: ovn}
  - {id: b, name: B, network: ovn}
  - {id: c, name: C, network: ovn}
  - {id: d, name: D, network: ovn}
  - {id: e, name: E, network: ovn}
  - {id: m, name: M, network: ovn}
  - {id: s, name: S, network: ivn, ivn_criteria: [develops]}
funding:
  - {from: a, to: hub, amount: 1000, currency: USD, date: 2025-07-01}   # first day of the window
  - {from: a, to: hub, amount: 500, currency: USD, date: 2025-06-30}    # the day before it
  - {from: b, to: hub, amount: 300, currency: USD, date: 2026-06-30}    # last day of the window
  - {from: b, to: hub, amount: 200, currency: USD, date: 2026-07-01}    # the day after: committed
  - {from: c, to: hub, amount: 1200, currency: USD, since: 2025-01, until: 2025-12}  # straddles the start
  - {from: hub, to: m, amount: 120, currency: EUR, per: year, since: 2024-03, instrument: membership}
  - {from: d, to: hub, amount: 50, currency: USD, per: month, since: 2026-04, until: 2026-09}
  - {from: a, to: hub, amount: 999, currency: USD}                      # undated
  - {from: a, to: c, amount: 700, currency: USD, date: 2026-01-15}      # elsewhere in the network
  - {from: hub, to: s, amount: 2400, currency: USD, instrument: contract, since: 2026-01, until: 2027-12}
  - {from: e, to: hub, amount: 400, currency: EUR, since: 2025-09}      # since alone: a one-off
"""


@pytest.fixture
def ledger(tmp_path):
    (tmp_path / "network").mkdir()
    (tmp_path / "network" / "n.yml").write_text(textwrap.dedent(LEDGER))
    result = load_network(tmp_path / "network", root=tmp_path)
    assert result.network is not None, [str(p) for p in result.problems]
    return result.network


def test_the_window_is_the_12_months_up_to_as_of(ledger):
    assert compute_money(ledger).window == (dt.date(2025, 7, 1), dt.date(2026, 6, 30))
    assert compute_money(ledger, 6).window == (dt.date(2025, 12, 31), dt.date(2026, 6, 30))


def test_a_payment_counts_on_its_day(ledger):
    money = compute_money(ledger)
    a = money.with_partner("a")["USD"]
    b = money.with_partner("b")["USD"]
    # a: 1,000 on the window's first day counts, 500 the day before does not (the undated 999 never)
    assert a.income_window == 1000 and a.income_all_time == 1500
    # b: 300 on the last day counts; 200 the day after is committed, not income yet
    assert b.income_window == 300 and b.income_committed == 200 and b.income_all_time == 300


def test_a_period_is_spread_over_its_months(ledger):
    c = compute_money(ledger).with_partner("c")["USD"]
    # 1,200 over the 12 months of 2025 = 100 a month; July–December are in the window
    assert c.income_window == pytest.approx(600) and c.income_all_time == pytest.approx(1200)
    assert c.years == ((2025, pytest.approx(1200), 0.0, 0.0, 0.0),)


def test_recurring_with_until_and_without(ledger):
    money = compute_money(ledger)
    d = money.with_partner("d")["USD"]
    # 50 a month April–September 2026: April, May, June in the window; July–September committed
    assert d.income_window == pytest.approx(150) and d.income_committed == pytest.approx(150)
    m = money.with_partner("m")["EUR"]
    # 120 a year on 1 March from 2024, ongoing: 2024, 2025, 2026 happened (2026 in the window);
    # 2027-03-01 is within the committed months
    assert m.spending_window == 120 and m.spending_all_time == 360 and m.spending_committed == 120


def test_since_alone_counts_in_its_month(ledger):
    e = compute_money(ledger).with_partner("e")["EUR"]
    assert e.income_window == 400 and e.income_committed == 0


def test_undated_flows_are_totalled_apart(ledger):
    income = compute_money(ledger).summary.get("income", "USD")
    assert income.undated == 999 and income.undated_count == 1
    # window: a 1,000 + b 300 + c 600 + d 150 = 2,050 (the undated 999 is not in it)
    assert income.window == pytest.approx(2050)
    # all time up to as_of: 1,000 + 500 + 300 + 1,200 + 150 = 3,150; committed: 200 + 150
    assert income.all_time == pytest.approx(3150) and income.committed == pytest.approx(350)


def test_directions_and_currencies_are_never_added(ledger):
    summary = compute_money(ledger).summary
    assert summary.get("elsewhere", "USD").window == 700
    spending = summary.get("spending", "USD")
    # the contract: 2,400 over 24 months = 100 a month; January–June 2026 in the window
    assert spending.window == pytest.approx(600) and spending.committed == pytest.approx(1200)
    assert summary.get("income", "EUR").window == 400 and summary.get("spending", "EUR").window == 120
    # passed on as contracts: 600 of 2,050 income
    assert format_share(summary.passed_on_share("USD")) == "29%"


def test_counterpart_shares_and_hhi(ledger):
    money = compute_money(ledger)
    income = money.summary.get("income", "USD")
    assert [c.partner for c in income.counterparts] == ["a", "c", "b", "d"]
    assert [c.share_text for c in income.counterparts] == ["49%", "29%", "15%", "7%"]  # of 2,050
    # (1000² + 600² + 300² + 150²) / 2050² × 10,000
    assert income.hhi_window == pytest.approx(1_472_500 / 4_202_500 * 10_000)
    assert money.with_partner("a")["USD"].income_share == pytest.approx(1000 / 2050)


def test_years_split_what_happened_from_what_is_committed(ledger):
    years = compute_money(ledger).summary.get("income", "USD").years
    # 2025: 500 + 1,000 + 1,200; 2026: 300 + 150 happened, 200 + 150 committed
    assert years[2025] == [pytest.approx(2700), 0.0]
    assert years[2026] == [pytest.approx(450), pytest.approx(350)]


def test_commitments_per_currency(ledger):
    by_currency = {c.currency: c for c in compute_money(ledger).commitments}
    usd = by_currency["USD"]
    # pays S 1,200 in the next 12 months; expects 200 (b) + 150 (d)
    assert usd.spending == pytest.approx(1200) and usd.income == pytest.approx(350) and usd.flagged
    eur = by_currency["EUR"]
    # the membership's next 120 EUR; no EUR income expected
    assert eur.spending == 120 and eur.income == 0 and eur.flagged and eur.reason == "no income expected"


def test_a_shorter_window(ledger):
    income = compute_money(ledger, 6).summary.get("income", "USD")
    # 2025-12-31 … 2026-06-30: b 300 and d 150; c's December slice is dated 2025-12-01
    assert income.window == pytest.approx(450)


CONTRACT_AFTER_GRANT = """\
network: {name: Gap, focal: ngo, as_of: 2026-06-30}
partners:
  - {id: ngo, name: The NGO}
  - {id: donor, name: Donor Agency, network: ovn, ovn_type: funder}
  - {id: builder, name: Builder Ltd, network: ivn, ivn_criteria: [agreement]}
agreements:
  - {id: build, title: Construction contract, type: contract, parties: [ngo, builder], status: signed}
funding:
  - {from: donor, to: ngo, amount: 600000, currency: USD, instrument: grant, since: 2024-04, until: 2026-03}
  - {from: ngo, to: builder, amount: 450000, currency: USD, instrument: contract, agreement: build,
     since: 2025-07, until: 2027-06}
"""


def test_health_flags_a_contract_paid_after_the_only_grant_ended(tmp_path):
    from partnerbook.analysis.health import health_report

    (tmp_path / "network").mkdir()
    (tmp_path / "network" / "n.yml").write_text(CONTRACT_AFTER_GRANT)
    network = load_network(tmp_path / "network", root=tmp_path).network
    by_key = {f.key: f for f in health_report(network)["findings"]}
    finding = by_key["commitments-USD"]
    assert finding.level == "risk"
    # 450,000 over 24 months = 18,750 a month; July 2026 – June 2027 are 12 of them = 225,000
    assert ("keeps 1 USD spending arrangement (225,000 USD due in Jul 1, 2026 – Jun 30, 2027) but expects "
            "no USD income in those months; its last USD income counted on Mar 1, 2026") in finding.summary
    assert [(i.id, i.detail) for i in finding.items] == [
        ("builder", "— Construction contract: 450,000 USD Jul 2025 – Jun 2027 (contract); 225,000 USD due")]
    # the grant: 600,000 over 24 months = 25,000 a month; 2025-07 … 2026-03 in the window = 9 months
    assert "gives 100% of The NGO's USD income in the window Jul 1, 2025 – Jun 30, 2026 (225,000 USD from 1 source)" \
        in by_key["funding-USD"].summary


def test_health_says_why_a_money_finding_does_not_apply(tmp_path):
    from partnerbook.analysis.health import health_report

    (tmp_path / "network").mkdir()
    (tmp_path / "network" / "n.yml").write_text(
        "network: {name: Quiet, focal: ngo, as_of: 2026-06-30}\npartners:\n  - {id: ngo, name: The NGO}\n"
        "  - {id: donor, name: Donor, network: ovn}\n"
        "funding:\n  - {from: donor, to: ngo, amount: 5, currency: EUR, date: 2020-01-01}\n")
    by_key = {f.key: f for f in health_report(load_network(tmp_path / "network", root=tmp_path).network)["findings"]}
    assert by_key["funding"].summary == ("No income of The NGO in the window Jul 1, 2025 – Jun 30, 2026: "
                                         "concentration not computed.")
    assert "nothing to cover" in by_key["commitments"].summary
    assert "hollow core not checked" in by_key["hollow-core"].summary


def test_funding_view_filters_and_diagram_draws_one_edge_per_pair_and_currency(tmp_path):
    from conftest import Handbook, mkdocs_yml

    book = Handbook(tmp_path / "book")
    book.write("mkdocs.yml", mkdocs_yml())
    book.write("network/n.yml", LEDGER.replace("network: ovn}", "network: ovn, ovn_type: funder}"))
    book.write("network/r.yml", "relationships:\n" + "".join(
        f"  - {{from: {p}, to: hub, deliverable: Money, nature: tangible}}\n" for p in "abcdems"))
    book.write("content/index.md", "# Home\n\n```partnerbook\nview: funding\nfocus: c\n```\n")
    result = book.build()
    assert result.returncode == 0, result.stderr[-3000:]
    home = book.page("")
    income = home.select_one('table.pb-money-income tr[data-currency="USD"]').select("td")
    # only C's flows: its 600 to the hub in the window (of the 1,200 spread over 2025) …
    assert income[1].get_text() == "600 USD" and income[4].get_text() == "100%"
    # … and A's 700 to C, elsewhere in the network, kept apart
    assert home.select_one('table.pb-money-elsewhere tr[data-currency="USD"]').select("td")[1].get_text() == "700 USD"
    assert "This view only counts flows of the partners it shows" in home.get_text()
    svg = book.page("funding/").select_one("svg.pb-svg")
    edges = [g.select_one("title").get_text() for g in svg.select("g.edge")]
    # a → hub: two dated USD payments (one in the window) and an undated one: one edge
    assert edges.count("a->hub") == 1
    labels = {g.select_one("title").get_text(): " ".join(t.get_text() for t in g.select("text"))
              for g in svg.select("g.edge")}
    assert labels["a->hub"] == "1,000 USD" and labels["a->c"] == "700 USD"
    assert "pb-flow-elsewhere" in svg.select_one("g.edge.pb-flow-elsewhere")["class"]


def test_history_lists_few_payments_and_sums_many_per_year(tmp_path):
    from partnerbook.analysis.index import NetworkIndex

    payments = "".join(f"  - {{from: a, to: hub, amount: 1, currency: GBP, date: {2024 + k % 2}-0{k % 9 + 1}-15}}\n"
                       for k in range(12))
    (tmp_path / "network").mkdir()
    (tmp_path / "network" / "n.yml").write_text(LEDGER + payments)
    network = load_network(tmp_path / "network", root=tmp_path).network
    history = [(str(when), text, item) for when, text, _, item in NetworkIndex(network).history("a")]
    # a: 12 payments of 1 GBP (k even → 2024, odd → 2025: 6 each) plus its USD ones: more than 10,
    # so one line per year, direction, counterpart and currency
    assert ("2024", "paid 6 payments, 6 GBP in all, to", "hub") in history
    assert ("2025", "paid 6 payments, 6 GBP in all, to", "hub") in history
    assert ("2025", "paid 2 payments, 1,500 USD in all, to", "hub") in history  # 2025-06-30 and 2025-07-01
    assert not any("began" in text for _, text, _ in history)
    few = [(str(when), text) for when, text, _, _ in NetworkIndex(network).history("b")]
    assert ("2026-06-30", "paid 300 USD to") in few and ("2026-07-01", "paid 200 USD to") in few


def test_the_window_option_changes_every_figure_and_refuses_nonsense(tmp_path):
    from conftest import Handbook, mkdocs_yml

    book = Handbook(tmp_path / "book")
    book.write("mkdocs.yml", mkdocs_yml(plugin_options="funding_window_months: 6"))
    book.write("network/n.yml", LEDGER)
    book.write("content/index.md", "# Home\n")
    result = book.build(strict=False)
    assert result.returncode == 0, result.stderr[-3000:]
    page = book.page("funding/")
    assert "the 6 months from Dec 31, 2025 to Jun 30, 2026" in page.select_one(".pb-window").get_text(" ", strip=True)
    # b 300 + d 150 (see test_a_shorter_window)
    assert page.select_one('table.pb-money-income tr[data-currency="USD"]').select("td")[1].get_text() == "450 USD"
    assert "USD income in the window Dec 31, 2025 – Jun 30, 2026" in book.page("health/").get_text(" ", strip=True)
    book.write("mkdocs.yml", mkdocs_yml(plugin_options="funding_window_months: 0"))
    result = book.build(strict=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "`funding_window_months` must be 1 or more (got 0)" in result.stderr


def test_a_period_far_into_the_future_stays_cheap_and_keeps_its_monthly_share(tmp_path):
    (tmp_path / "network").mkdir()
    (tmp_path / "network" / "n.yml").write_text(
        "network: {name: Far, focal: hub, as_of: 2026-06-30}\npartners:\n  - {id: hub, name: Hub}\n"
        "  - {id: a, name: A, network: ovn}\nfunding:\n"
        "  - {from: a, to: hub, amount: 95999.88, currency: USD, since: 2026-01, until: 9998-12}\n"
        "  - {from: hub, to: a, amount: 1, currency: USD, per: month, since: 2026-01, until: 9998-12}\n")
    money = compute_money(load_network(tmp_path / "network", root=tmp_path).network)
    a = money.with_partner("a")["USD"]
    # 2026-01 … 9998-12 are 7,972 × 12 + 12 = 95,676 months; 2026-01 … 2026-06 are in the window …
    assert a.income_window == pytest.approx(95999.88 / 95676 * 6)
    assert a.spending_committed == 12
    # … and nothing is drawn beyond 30 years ahead
    assert max(fm.slices[-1][0] for fm in money.flows).year == 2056
