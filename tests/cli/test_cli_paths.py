"""Path mistakes on the command line: a message naming the path and a non-zero exit, never a traceback."""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess

import pytest
from conftest import BIN, MINIMAL_NETWORK, Handbook
from partnerbook import __version__
from partnerbook.cli import main
from partnerbook.formats.export import FORMATS as EXPORT_FORMATS


def test_export_path_mistakes_say_what_is_wrong(handbook):
    book = handbook
    book.write("taken.json", "{}\n")
    (book.path / "folder").mkdir()
    cases = [
        (["--format", "csv", "-o", "taken.json"],
         "taken.json is a file; CSV export writes one file per collection (partners.csv, …): give a folder"),
        (["--format", "graphml", "-o", "folder"],
         "folder is a folder; give a file name, e.g. folder/partnerbook.graphml"),
        (["--format", "json", "-o", "taken.json/x.json"], "taken.json is a file, so nothing can be written under it"),
    ]
    for args, message in cases:
        result = book.run("partnerbook", "export", *args)
        assert result.returncode == 1, args
        assert result.stderr == f"partnerbook: error: {message}\n", args
    assert (book.path / "taken.json").read_text() == "{}\n"  # nothing half-done
    assert list((book.path / "folder").iterdir()) == []


def test_export_creates_missing_parent_folders(handbook):
    book = handbook
    result = book.run("partnerbook", "export", "--format", "json", "-o", "out/deeper/pb.json")
    assert result.returncode == 0, result.stderr
    data = json.loads((book.path / "out" / "deeper" / "pb.json").read_text())
    assert [p["id"] for p in data["partners"]] == ["hub", "maker", "payer"]  # the three of MINIMAL_NETWORK
    assert book.run("partnerbook", "export", "--format", "csv", "-o", "tables/csv").returncode == 0
    listed = book.run("partnerbook", "export", "--format", "csv").stdout  # each table headed "# NAME"
    names = sorted(line[2:] for line in listed.splitlines() if line.startswith("# ") and line.endswith(".csv"))
    assert names and sorted(p.name for p in (book.path / "tables" / "csv").iterdir()) == names


def test_new_refuses_a_file_or_a_path_under_a_file(tmp_path):
    book = Handbook(tmp_path)
    book.write("afile", "text\n")
    result = book.run("partnerbook", "new", "afile")
    assert (result.returncode, result.stderr) == (1, "partnerbook: error: afile is a file; choose a new folder name\n")
    result = book.run("partnerbook", "new", "afile/hb")
    assert result.returncode == 1
    assert result.stderr == "partnerbook: error: afile is a file, so afile/hb cannot be created under it\n"
    assert (tmp_path / "afile").read_text() == "text\n"


def test_wrong_folder_says_what_was_expected_and_never_reads_tool_folders(tmp_path):
    """A folder with no mkdocs.yml and no network/: not every YAML file below it (a virtualenv holds hundreds)."""
    book = Handbook(tmp_path / "project")
    book.write("venv/pyvenv.cfg", "home = /usr/bin\n")
    book.write("venv/lib/site-packages/pkg/conf.yml", "partners: [1]\n")
    book.write("node_modules/x/partners.yml", "partners: [1]\n")
    book.write(".hidden/partners.yml", "partners: [1]\n")
    book.write("notes/todo.yml", "todo: [write the handbook]\n")
    for command in (("check",), ("export",)):
        result = book.run("partnerbook", *command)
        assert result.returncode == 1
        assert result.stdout == ""
        assert result.stderr == (
            "partnerbook: error: .: holds no mkdocs.yml, properdocs.yml or network/ folder, and no data file "
            "(with `network:`, `partners:` …) in it; give a handbook folder (holding mkdocs.yml) or its data "
            "folder (network/), or run partnerbook inside the handbook\n")


def test_a_single_file_or_a_folder_above_a_handbook_is_named(handbook, tmp_path):
    book = handbook
    one = Handbook(tmp_path).check("book/network/network.yml")
    assert one.returncode == 1
    assert one.stderr == ("partnerbook: error: book/network/network.yml: is one file; partnerbook reads a whole "
                          "data folder (ids refer across files): give the folder that holds it, e.g. book/network\n")
    above = Handbook(tmp_path).check(".")
    assert above.returncode == 1
    assert above.stderr == "partnerbook: error: .: is not a handbook, but book is: run partnerbook with book, or inside it\n"
    config = Handbook(tmp_path).check("book/mkdocs.yml")  # the config file names its handbook
    assert config.returncode == 0, config.stderr
    assert book.check().returncode == 0


def test_data_folder_found_below_when_there_is_no_mkdocs_yml(tmp_path):
    folder = Handbook(tmp_path / "data")
    folder.write("all.yml", MINIMAL_NETWORK)
    folder.write(".venv/pyvenv.cfg", "home = /usr/bin\n")
    folder.write(".venv/lib/bad.yml", "nonsense: true\n")
    result = Handbook(tmp_path).check("data")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 partners, 3 exchanges" in result.stderr


def test_version_help_and_plural_counts(handbook):
    book = handbook
    version = book.run("partnerbook", "--version")
    assert (version.returncode, version.stdout) == (0, f"partnerbook {__version__}\n")
    helped = book.run("partnerbook", "--help")
    assert helped.returncode == 0 and "spec section" not in helped.stdout
    assert "check" in helped.stdout and "export" in helped.stdout
    book.write("network/more.yml", "agreements:\n  - {id: deal, title: D, parties: [hub, maker]}\n"
                                   "funding:\n  - {from: payer, to: hub, amount: 5, currency: EUR}\n")
    clean = book.check()
    assert clean.stderr.endswith(
        "3 partners, 3 exchanges, 1 agreement, 1 funding flow, 0 decisions; 0 errors, 0 warnings\n")
    book.write("network/bad.yml", "partners:\n  - {id: Bad, name: B, network: ovn}\n")
    broken = book.check()
    assert broken.stderr == "partnerbook: 1 error, 0 warnings\n"


# Every kind of path a user may give, relative to a fresh folder holding a handbook `book/`.
PATHS = {
    "handbook": "book",
    "data folder": "book/network",
    "config file": "book/mkdocs.yml",
    "data file": "book/network/network.yml",
    "other file": "notes.txt",
    "empty folder": "empty",
    "missing": "missing",
    "missing nested": "missing/deeper/x.out",
    "under a file": "notes.txt/x.out",
    "folder of files": "book/content",
}


def _commands() -> set[str]:
    import argparse

    from partnerbook.cli import build_parser

    action = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return set(action.choices)


def _invocations():
    commands = _commands()
    for path in PATHS.values():
        yield ["check", path]
        yield ["check", path, "--format", "github", "--strict"]
        yield ["new", path]
        if "generate" in commands:  # hosts that run no plugins
            yield ["generate", path]
    for source, output in itertools.product(PATHS.values(), PATHS.values()):
        for fmt in ("json", "csv", "graphml", "xlsx"):
            if fmt in EXPORT_FORMATS:
                yield ["export", source, "--format", fmt, "-o", output]
        if "import" in commands:
            yield ["import", "csv", source, "-o", output]
            yield ["import", "xlsx", source, "-o", output]
            yield ["import", "iati", source, "-o", output, "--force"]
            yield ["import", "graphml", source, "-o", output, "--dry-run"]


def test_no_path_combination_gives_a_traceback(handbook, tmp_path, capsys, monkeypatch):
    """Property: for check, export -o, new (and generate and import where present), any mix of existing, missing and wrong-type paths gives
    exit 0 or a `partnerbook: error:` / FILE: error line and a non-zero exit; never an exception."""
    template = handbook.path.parent  # holds the handbook `book/` (conftest's fixture)
    (template / "notes.txt").write_text("notes\n")
    (template / "empty").mkdir()
    invocations = list(_invocations())
    assert len(invocations) >= 3 * len(PATHS) + 3 * len(PATHS) ** 2

    for number, argv in enumerate(invocations):
        here = tmp_path / "runs" / f"run{number}"
        shutil.copytree(template, here, ignore=shutil.ignore_patterns("runs"))
        monkeypatch.chdir(here)  # restored when the test ends
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse's own usage errors exit 2 with a usage line
            code = exc.code
        except BaseException as exc:  # noqa: BLE001 - the property under test
            pytest.fail(f"partnerbook {' '.join(argv)} raised {exc!r}")
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err, argv
        assert isinstance(code, int), argv
        if code != 0:
            assert "error" in out + err, (argv, out, err)
        shutil.rmtree(here)


def test_help_read_through_head_ends_quietly(tmp_path):
    """`partnerbook import iati --help | head -2`: the reader closes the pipe while the help is
    printed; the command ends with no traceback (its own process: the pipe is the point)."""
    process = subprocess.Popen([str(BIN / "partnerbook"), "import", "iati", "--help"], cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # as head does once it has its lines: here before Python has started
    stderr = process.stderr.read()
    process.wait(timeout=60)
    assert process.returncode == 0
    assert b"Traceback" not in stderr and b"BrokenPipeError" not in stderr, stderr.decode()
