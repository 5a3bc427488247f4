"""The one way partnerbook writes files (base/files.py): whole, inside the folder named, never through a link."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from partnerbook.base.files import UnsafeWrite, write_file


def test_write_file_writes_every_file_whole_with_an_ordinary_mode(tmp_path: Path) -> None:
    site = tmp_path / "site"
    for number in range(30):
        write_file(site / "partners" / f"p{number:02}" / "diagram.svg", f"<svg>{number}</svg>", inside=site)
    write_file(site / "partners" / "p07" / "diagram.svg", "<svg>again</svg>", inside=site)  # written again
    assert (site / "partners" / "p29" / "diagram.svg").read_text(encoding="utf-8") == "<svg>29</svg>"
    assert (site / "partners" / "p07" / "diagram.svg").read_text(encoding="utf-8") == "<svg>again</svg>"
    mode = (site / "partners" / "p03" / "diagram.svg").stat().st_mode & 0o777
    assert mode == 0o666 & ~_umask()
    assert not [p for p in site.rglob("*partnerbook-tmp")], "no temporary file is left behind"


def test_write_file_refuses_a_linked_folder_and_a_linked_file(tmp_path: Path) -> None:
    site, outside = tmp_path / "site", tmp_path / "outside"
    (site / "partners").mkdir(parents=True)
    outside.mkdir()
    os.symlink(outside, site / "partners" / "hub")
    with pytest.raises(UnsafeWrite, match="leads outside"):
        write_file(site / "partners" / "hub" / "diagram.svg", "<svg/>", inside=site)
    (site / "partners" / "ok").mkdir()
    victim = outside / "victim.txt"
    victim.write_text("kept", encoding="utf-8")
    os.symlink(victim, site / "partners" / "ok" / "diagram.svg")
    with pytest.raises(UnsafeWrite, match="is a symbolic link"):
        write_file(site / "partners" / "ok" / "diagram.svg", "<svg/>", inside=site)
    assert victim.read_text(encoding="utf-8") == "kept"
    assert list(outside.iterdir()) == [victim]
    (site / "partners" / "plain.txt").write_text("a file", encoding="utf-8")
    with pytest.raises(OSError):  # (a file where a folder would be: not written through)
        write_file(site / "partners" / "plain.txt" / "diagram.svg", "<svg/>", inside=site)
    with pytest.raises(UnsafeWrite, match="is not inside"):
        write_file(tmp_path / "elsewhere" / "diagram.svg", "<svg/>", inside=site)
    assert not (tmp_path / "elsewhere").exists()
    # A link that stays inside the site is a folder of the site like any other.
    os.symlink(site / "partners" / "ok", site / "partners" / "alias")
    write_file(site / "partners" / "alias" / "map.svg", "<svg>alias</svg>", inside=site)
    assert (site / "partners" / "ok" / "map.svg").read_text(encoding="utf-8") == "<svg>alias</svg>"


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
