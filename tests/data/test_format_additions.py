"""The format additions: funding timing, projects, aliases and identifiers, unscored
agreements, and the author's level per check (spec sections 1 and 5)."""

from __future__ import annotations

from conftest import MINIMAL_NETWORK, mkdocs_yml
from test_load import HEADER, load_files


def errors_of(result) -> list[str]:
    return [str(p) for p in result.problems if p.is_error]


def test_funding_date_with_a_period_is_one_error_on_the_date_line(tmp_path):
    result = load_files(tmp_path, {"a.yml": HEADER + (
        "funding:\n"
        "  - {from: acme, to: hub, amount: 10, currency: EUR, date: 2025-03-10}\n"   # line 11: fine
        "  - from: acme\n"
        "    to: hub\n"
        "    amount: 5\n"
        "    currency: EUR\n"
        "    date: 2025-03-10\n"                                                   # line 16
        "    since: 2025-01\n"
        "  - {from: acme, to: hub, amount: 1, currency: EUR, per: month}\n"         # line 18
    )})
    assert errors_of(result) == [
        "network/a.yml:16: error: a funding flow has either `date` (one payment) or `since`/`until` "
        "(a period), not both: remove `date` or `since`",
        "network/a.yml:18: error: a recurring amount (`per`) needs `since`: the first period it is paid for",
    ]


def test_funding_timing_is_read_as_written(tmp_path):
    result = load_files(tmp_path, {"a.yml": HEADER + (
        "funding:\n"
        "  - {from: acme, to: hub, amount: 10, currency: EUR, date: 2025-03-10}\n"
        "  - {from: acme, to: hub, amount: 10, currency: EUR, since: 2025-01, until: 2025-12}\n"
        "  - {from: acme, to: hub, amount: 10, currency: EUR, since: 2025-01, per: quarter}\n"
        "  - {from: acme, to: hub, amount: 10, currency: EUR, since: 2025-01}\n"
        "  - {from: acme, to: hub, amount: 10, currency: EUR}\n"
    )})
    assert not result.problems
    flows = result.network.funding
    assert [f.timing for f in flows] == ["payment", "period", "recurring", "one-off", "undated"]
    # as of 2026-01-01 (the loader's today in these tests): a payment is never "active";
    # the recurring amount without `until` is ongoing
    assert [f.active_on(result.network.as_of) for f in flows] == [False, False, True, True, True]


def test_identifiers_are_unique_across_partners(tmp_path):
    result = load_files(tmp_path, {"a.yml": (
        "network: {name: N, focal: hub}\n"
        "partners:\n"
        "  - {id: hub, name: Hub, identifiers: ['iati:XM-DAC-1']}\n"
        "  - {id: dfid, name: DFID, network: ovn, identifiers: ['iati:XM-DAC-1'], aliases: [UK DFID]}\n"
        "  - {id: odd, name: Odd, network: ovn, identifiers: ['no scheme']}\n"
    )})
    assert sorted(errors_of(result)) == [
        "network/a.yml:4: error: identifier 'iati:XM-DAC-1' is also given to partner 'hub' (network/a.yml:3): "
        "merge the two partners, or keep the other names under `aliases`",
        "network/a.yml:5: error: 'identifiers item' is 'no scheme'; write scheme:value without spaces, "
        "e.g. iati:GB-CHC-202918 or charity:1089464",
    ]


def test_projects_load_and_check_their_partners(tmp_path):
    result = load_files(tmp_path, {"a.yml": HEADER + (
        "projects:\n"
        "  - id: wash\n"
        "    title: Water for all\n"
        "    partners: {hub: implementing, acme: funding, nobody: implementing}\n"   # line 13
        "  - {id: empty, title: Empty, partners: {}}\n"                              # line 14
    )})
    assert sorted(errors_of(result)) == [
        "network/a.yml:13: error: unknown partner 'nobody'",
        "network/a.yml:14: error: 'partners' names no partner: give at least one `partner-id: role`",
    ]


def test_a_partner_in_a_project_is_not_alone_and_check_levels_apply(handbook):
    handbook.write("network/network.yml", MINIMAL_NETWORK.replace("relationships:\n", (
        "  - id: loner\n    name: Loner\n    network: ovn\n"
        "  - id: other\n    name: Okapi Works\n    network: ovn\n"
        "relationships:\n")) + "projects:\n  - {id: p1, title: P1, partners: {hub: lead, other: partner}}\n")
    checked = handbook.check("--strict")
    assert checked.returncode == 2
    warnings = [line for line in checked.stdout.splitlines() if "warning" in line]
    assert warnings == ["network/network.yml:18: warning: partner 'loner' is in no relationship: "
                        "add the value it exchanges under `relationships` [no-relationship]"]
    assert handbook.check("--strict", "--check", "no-relationship=ignore").returncode == 0
    raised = handbook.check("--check", "no-relationship=error")
    assert raised.returncode == 1 and "network/network.yml:18: error: partner 'loner'" in raised.stdout
    wrong = handbook.check("--check", "no-such-check=ignore")
    assert wrong.returncode == 1 and "unknown check 'no-such-check'" in wrong.stderr
    assert "Traceback" not in wrong.stderr

    # the same setting as a plugin option in mkdocs.yml, for the build
    assert handbook.build().returncode == 1
    handbook.write("mkdocs.yml", mkdocs_yml(plugin_options="checks:\n  no-relationship: ignore\n"))
    assert handbook.build().returncode == 0, handbook.build().stderr
    handbook.write("mkdocs.yml", mkdocs_yml(plugin_options="checks:\n  no-relationship: loud\n"))
    built = handbook.build()
    assert built.returncode == 1 and "check 'no-relationship' is set to 'loud'" in built.stderr
    assert "Traceback" not in built.stderr


def test_the_last_month_of_the_calendar_is_a_date(tmp_path):
    result = load_files(tmp_path, {"a.yml": HEADER + "    until: 9999-12\n"})
    assert not result.problems
    assert str(result.network.partner("acme").until.last) == "9999-12-31"
