"""`make site` and `make test` install what each needs: the browser belongs to the tests only."""

from __future__ import annotations

import os
import shutil
import subprocess

from conftest import ROOT


def _make_dry_run(target: str, venv, **env) -> str:
    """What `make -n TARGET` would run (the environment's PARTNERBOOK_BROWSER_TESTS left out unless given)."""
    # ... and make's own variables: under `make test` a nested make would print its directories
    base = {k: v for k, v in os.environ.items()
            if k not in ("PARTNERBOOK_BROWSER_TESTS", "MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    result = subprocess.run(["make", "--no-print-directory", "-n", target, f"VENV={venv}"], cwd=ROOT, capture_output=True, text=True,
                            env={**base, **env}, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_make_site_sets_up_without_the_browser_and_make_test_with_it(tmp_path):
    venv = tmp_path / "venv"  # does not exist: every stamp is out of date
    site = _make_dry_run("site", venv)
    assert site.splitlines()[0] == f"VENV={venv} PARTNERBOOK_BROWSER_TESTS=0 PARTNERBOOK_HOSTS=0 scripts/setup"
    assert site.count("scripts/setup") == 1
    test = _make_dry_run("test", venv).splitlines()
    # the site's setup, then the tests' (the environment's switches, browser and hosts by default)
    assert test[:3] == [f"VENV={venv} PARTNERBOOK_BROWSER_TESTS=0 PARTNERBOOK_HOSTS=0 scripts/setup",
                        f"VENV={venv} scripts/setup", f"touch {venv}/.installed-test"]


def _stubbed_setup(tmp_path, browser: str, hosts: str = "1") -> list[str]:
    """Runs scripts/setup against stubs of apt-get, npm and the venv's python that log their calls."""
    bin_dir, log = tmp_path / "bin", tmp_path / "calls.log"
    bin_dir.mkdir(parents=True, exist_ok=True)
    for tool in ("bash", "dirname", "touch", "id"):
        os.symlink(shutil.which(tool), bin_dir / tool)
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True, exist_ok=True)
    for name, where in (("apt-get", bin_dir), ("sudo", bin_dir), ("npm", bin_dir), ("dot", bin_dir),
                        ("python", venv / "bin")):
        stub = where / name
        stub.write_text(f'#!{shutil.which("bash")}\necho "{name} $*" >> {log}\n')
        stub.chmod(0o755)
    log.write_text("")
    result = subprocess.run([str(ROOT / "scripts" / "setup")], capture_output=True, text=True, timeout=60,
                            env={"PATH": str(bin_dir), "VENV": str(venv), "PARTNERBOOK_BROWSER_TESTS": browser,
                                 "PARTNERBOOK_HOSTS": hosts})
    assert result.returncode == 0, result.stderr
    return log.read_text().splitlines()


def test_setup_installs_chromium_and_npm_only_for_the_browser_tests(tmp_path):
    site = _stubbed_setup(tmp_path / "site", "0", hosts="0")
    assert [call for call in site if call.startswith("python")] == [
        "python -m pip install -q --disable-pip-version-check -e .[test]"]  # no ProperDocs, no Zensical
    assert not [call for call in site if "chromium" in call or call.startswith("npm")], site
    browser = _stubbed_setup(tmp_path / "test", "1")
    # npm is there (the stub): chromium, and poppler-utils for the print tests, are missing
    assert "apt-get install -y -qq chromium poppler-utils" in browser
    assert "npm ci --no-audit --no-fund --loglevel=error" in browser
    assert any("properdocs" in call for call in browser)  # the tests build with the other hosts too
