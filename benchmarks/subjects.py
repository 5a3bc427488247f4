"""The handbooks benchmarks/routes.py times, and their floors, written from scratch for one size.

A number N is generate.py's synthetic handbook of N partners. `real` is the size of the real-data
import the README's and perf-facts' figures were measured on (a publisher's IATI file, 2,290–2,304
organisations): iati_generate.py's file of 1,070 activities, 1,070 variants of their organisations,
imported with `partnerbook import iati` (about 2,300 partners, ~4,000 payments, ~900 agreements,
~1,100 projects), under the same mkdocs.yml as the synthetic one.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import drive
import iati_generate
from generate import MKDOCS_YML, SECTIONS, pid, write_floor, write_handbook
from partnerbook.cli.new import ZENSICAL_EXTENSION, ZENSICAL_SETTINGS

REAL_ACTIVITIES = 1070
SAMPLE = Path(__file__).resolve().parent.parent / "tests" / "data" / "iati" / "foodsecurity-dportal.xml"

@dataclass
class Subject:
    label: str  # as the table shows the size
    partners: int
    partner: str  # the partner every edit renames
    name: str  # its name as written
    root: Path

    @property
    def book(self) -> Path:  # the MkDocs rows
        return self.root / "book"

    @property
    def zensical(self) -> Path:
        return self.root / "zensical"

    @property
    def serve_book(self) -> Path:
        return self.root / "serve-book"

    @property
    def floor(self) -> Path:
        return self.root / "floor"

    @property
    def serve_floor(self) -> Path:
        return self.root / "serve-floor"

    @property
    def partner_url(self) -> str:
        return f"/partners/{self.partner}/"

    @property
    def floor_page(self) -> str:  # the floor page the serve row retitles: the same position
        return pid(min(self.partners - 1, self.partners // 2))

    @property
    def floor_url(self) -> str:
        return f"/p/{self.floor_page}/"


def _partner_name(data: Path, partner: str) -> str:
    for path in sorted(data.rglob("*.yml")):
        found = drive.partner_pattern(partner).search(path.read_text(encoding="utf-8"))
        if found:
            return found.group(0)[len(found.group(1)):].strip().strip("'\"")
    raise drive.Failed(f"partner {partner} not found in {data}")


def _import_real(book: Path, root: Path) -> tuple[int, str]:
    """The IATI-imported handbook; (partners, the partner to rename: an inner-network one with a
    one-line name, from the middle of the file)."""
    source = SAMPLE if SAMPLE.is_file() else iati_generate.SHARED
    xml = root / "activities.xml"
    iati_generate.generate(xml, REAL_ACTIVITIES, source, variants=REAL_ACTIVITIES)
    drive.run(["partnerbook", "import", "iati", str(xml), "-o", str(book / "network")], root)
    (book / "content").mkdir(parents=True)
    nav = "\n".join(["  - Home: index.md"] + [f"  - {s.capitalize()}: {s}/index.md" for s in SECTIONS])
    (book / "mkdocs.yml").write_text(MKDOCS_YML.format(plugin="  - partnerbook", nav=nav))
    (book / "content" / "index.md").write_text(
        "# Benchmark handbook\n\nWhere the network stands:\n\n```partnerbook\nview: health\n```\n")
    text = "".join(path.read_text(encoding="utf-8") for path in sorted((book / "network").glob("partners*.yml")))
    records = re.findall(r"(?m)^- id: (\S+)\n  name: ([^'\"\n]+)\n((?:  .*\n)*)", text)
    inner = [ident for ident, _, rest in records if "  network: ivn" in rest]
    if not inner:
        raise drive.Failed(f"the IATI import in {book} has no inner-network partner to rename")
    return len(re.findall(r"(?m)^\s*- id: ", text)), inner[len(inner) // 2]


def write_subject(size: str, root: Path, rows: list[str]) -> Subject:
    """The handbook for `size` and the copies `rows` need, each never built yet."""
    book = root / "book"
    if size == "real":
        partners, partner = _import_real(book, root)
        label = f"{partners:,} (IATI import)"
    else:
        partners = int(size)
        write_handbook(book, partners)
        partner, label = pid(partners // 2), f"{partners:,}"
    subject = Subject(label, partners, partner, _partner_name(book / "network", partner), root)
    write_floor(subject.floor, partners)
    if "zensical" in rows:
        shutil.copytree(book, subject.zensical)
        (subject.zensical / "templates").mkdir(exist_ok=True)
        config = subject.zensical / "mkdocs.yml"
        # What Zensical needs on top of the MkDocs configuration, as `partnerbook new --host zensical` writes
        # it (README, "Hosts"): the Markdown extension, the render stamp to watch, the assets to load.
        config.write_text(config.read_text() + "markdown_extensions:\n" + ZENSICAL_EXTENSION + ZENSICAL_SETTINGS)
    if "serve" in rows:
        shutil.copytree(book, subject.serve_book)
        shutil.copytree(subject.floor, subject.serve_floor)
    return subject
