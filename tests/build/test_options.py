"""The one options table (build/options.py): the README lists exactly its options and defaults, and
MkDocs, the command line and Zensical read mkdocs.yml through it alike."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from partnerbook.build.handbook import find_handbook
from partnerbook.build.options import OPTIONS, options_yaml
from partnerbook.hosts.mkdocs import PartnerbookConfig

ROOT = Path(__file__).resolve().parents[2]


def test_the_readme_lists_the_options_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert options_yaml("      ") in readme


def test_mkdocs_config_has_every_option_of_the_table_and_no_other():
    assert [name for name, _ in PartnerbookConfig._schema] == [option.name for option in OPTIONS]


def test_the_command_line_reads_the_defaults_of_the_table(tmp_path):
    # A mkdocs.yml naming the plugin without options: every value is the table's default,
    # written in the README block above (sfdp_threshold 150, funding_window_months 12, …).
    (tmp_path / "mkdocs.yml").write_text("site_name: t\nplugins:\n  - partnerbook\n", encoding="utf-8")
    options = find_handbook(tmp_path)
    assert (options.sfdp_threshold, options.overview_threshold, options.funding_window_months,
            options.workshop_partner_limit, options.prefix, options.downloads) == (150, 50, 12, 500, "", True)
    assert options.data_dir == tmp_path / "network" and options.cache_dir == tmp_path / ".partnerbook"


def test_a_wrongly_typed_option_is_named_by_the_command_line_and_by_mkdocs(tmp_path):
    (tmp_path / "network").mkdir()
    (tmp_path / "content").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\ndocs_dir: content\nplugins:\n  - partnerbook:\n      sfdp_threshold: many\n", encoding="utf-8")
    check = subprocess.run([sys.executable, "-m", "partnerbook.cli", "check", str(tmp_path)],
                           capture_output=True, text=True)
    assert check.returncode == 1
    assert "partnerbook option 'sfdp_threshold' must be a int, not 'many'" in check.stderr
    assert "Traceback" not in check.stderr
    build = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(tmp_path / "mkdocs.yml")],
                           capture_output=True, text=True, cwd=tmp_path)
    assert build.returncode != 0 and "sfdp_threshold" in build.stderr and "Traceback" not in build.stderr
