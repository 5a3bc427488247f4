"""Hostile values in data files and tables (issue 30, cases 5–9 and linked data files): `check`
and `import` refuse them with FILE:LINE, or clean them with a count, and never echo a raw
control character to the terminal."""

from __future__ import annotations

import os
from pathlib import Path

import yaml
from hostile_tools import NETWORK_HEAD, assert_no_control_characters, assert_refused, handbook, run, write

PARTNERS = """\
partners:
  - id: hub
    name: Hub Org
  - id: maker
    name: Maker Co
    network: ivn
    ivn_criteria: [develops]
    roles: [key-activities]
"""


def test_escape_sequences_in_data_are_shown_escaped(tmp_path: Path) -> None:
    # An amount carrying "clear screen", "set window title" and an OSC 52 clipboard write, and a
    # field name with a hyperlink sequence: the errors echo them (lines 19 and 17 below) with
    # every ESC and BEL shown as \x1b and \x07, never raw.
    book = handbook(tmp_path, NETWORK_HEAD + PARTNERS + """\
  - id: payer
    name: Payer Fund
    kind: funder
    network: ovn
    "\\e]8;;http://evil/\\a": 1
funding:
  - {from: payer, to: hub, amount: "1\\e[2J\\e]0;pwned\\a\\e]52;c;ZXZpbA==\\a", currency: USD, date: 2025-01-01}
""")
    result = run(book, "partnerbook", "check")
    assert_refused(result, "network/network.yml:19: error: 'amount' must be a number, not "
                           "'1\\x1b[2J\\x1b]0;pwned\\x07\\x1b]52;c;ZXZpbA==\\x07'")
    assert "network/network.yml:17: error: unknown field '\\x1b]8;;http://evil/\\x07'" in result.text
    assert_no_control_characters(result.text)


def test_an_id_ending_in_a_newline_is_refused(tmp_path: Path) -> None:
    # `$` matches before a final newline: "pbnl\n" passed, and the build wrote site/partners/pbnl⏎/.
    book = handbook(tmp_path, NETWORK_HEAD + PARTNERS + '  - id: "pbnl\\n"\n    name: Newline\n    network: ovn\n')
    result = run(book, "partnerbook", "check")
    assert_refused(result, "network/network.yml:13: error: invalid id 'pbnl")


def test_nul_and_escape_in_a_name_are_refused_by_check(tmp_path: Path) -> None:
    # A NUL passed `check` and broke Graphviz later ("syntax error in line 10", no data file named).
    book = handbook(tmp_path, NETWORK_HEAD + PARTNERS + '  - id: nul\n    name: "Nul\\0Org"\n    network: ovn\n'
                                                        '  - id: esc\n    name: "Esc\\x01Org"\n    network: ovn\n')
    result = run(book, "partnerbook", "check")
    assert_refused(result, "network/network.yml:14: error: 'name' holds the control character \\x00")
    assert "network/network.yml:17: error: 'name' holds the control character \\x01" in result.text
    assert_no_control_characters(result.text)


def test_an_importer_removes_control_characters_and_counts_them(tmp_path: Path) -> None:
    # Three control characters in two cells (NUL, \x01, ESC): removed, and the summary says 3.
    tables = tmp_path / "tables"
    (tables).mkdir()
    (tables / "partners.csv").write_bytes(b"id,name,network\r\nhub,Hub\x00 Org,\r\nmaker,Ma\x01ker \x1b Co,ovn\r\n")
    result = run(tmp_path, "partnerbook", "import", "csv", str(tables), "--focal", "hub", "-o", "out")
    assert result.code == 0, result.text[-2000:]
    assert "3 control characters removed from text" in result.out
    assert_no_control_characters(result.text)
    partners = yaml.safe_load((tmp_path / "out" / "partners.yml").read_text(encoding="utf-8"))["partners"]
    assert [p["name"] for p in partners] == ["Hub Org", "Maker  Co"]


def test_an_amount_over_ten_to_the_fifteen_is_a_data_error(tmp_path: Path) -> None:
    # 1.7e308 passed `check`, then the build failed in our template (InvalidOperation).
    book = handbook(tmp_path, NETWORK_HEAD + PARTNERS + """\
  - id: payer
    name: Payer Fund
    kind: funder
    network: ovn
funding:
  - {from: payer, to: hub, amount: 1.7e308, currency: USD, date: 2025-01-01}
  - {from: payer, to: hub, amount: 1000000000000000, currency: USD, date: 2025-01-01}
""")
    result = run(book, "partnerbook", "check")
    assert_refused(result, "network/network.yml:18: error: 'amount' is 1.7e308: over 10^15")
    assert "network.yml:19" not in result.text  # 10^15 itself is allowed


def test_a_latin1_csv_names_its_line_and_how_to_convert_it(tmp_path: Path) -> None:
    tables = tmp_path / "tables"
    tables.mkdir()
    (tables / "partners.csv").write_bytes("id,name,network\nhub,Hub,\nmaker,Société Maker,ovn\n".encode("latin-1"))
    result = run(tmp_path, "partnerbook", "import", "csv", str(tables), "--focal", "hub", "-o", "out")
    assert_refused(result, f"{tables / 'partners.csv'}:3: not UTF-8 (byte 0xe9)")
    assert "iconv -f latin1 -t utf-8 partners.csv" in result.text


def test_a_data_file_linking_outside_the_data_folder_is_not_read(tmp_path: Path) -> None:
    # A link planted in a repository must not publish, or echo in a message, a file from elsewhere.
    secret = write(tmp_path, "elsewhere/secret.yml", "partners:\n  - id: secret\n    name: Private Thing\n"
                                                      "    network: ovn\n")
    book = handbook(tmp_path / "book", NETWORK_HEAD + PARTNERS)
    os.symlink(secret, book / "network" / "secret.yml")
    result = run(book, "partnerbook", "check")
    assert_refused(result, "network/secret.yml: error: is a link to a file outside the data folder")
    assert "Private Thing" not in result.text
