"""Pages stay light at 1,000 partners: long lists go on over `page-N/` sub-pages linked from
their first page, nothing is lost on the way, and hubs' ego diagrams are overviews of groups.

The 1,000-partner handbook is built once for the session (conftest.thousand_partners), shared
with test_scale.py. What each list must hold is counted from the generated data files."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import Handbook

PAGE_LIMIT = 1_000_000  # bytes of HTML


@pytest.fixture(scope="module")
def big(thousand_partners) -> Handbook:
    return thousand_partners


@pytest.fixture(scope="module")
def data(big) -> dict:
    """The generated data, read straight from its YAML files."""
    partners, exchanges = [], []
    for path in sorted((big.path / "network" / "partners").glob("*.yml")):
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        partners += record.get("partners") or []
        exchanges += record.get("relationships") or []
    agreements = yaml.safe_load((big.path / "network" / "agreements.yml").read_text(encoding="utf-8"))
    agreements = agreements["agreements"] if isinstance(agreements, dict) else agreements
    focal = yaml.safe_load((big.path / "network" / "network.yml").read_text(encoding="utf-8"))["network"]["focal"]
    return {"partners": partners, "exchanges": exchanges, "agreements": agreements, "focal": focal}


_PARTS: dict[tuple[Path, str], list[BeautifulSoup]] = {}


def parts(book: Handbook, url: str) -> list[BeautifulSoup]:
    """A page and every part of its list that its pager reaches, followed link by link. Parsed once per
    run and list (the tests only read the shared build and these pages; parsing is most of their time)."""
    if (book.path, url) not in _PARTS:
        _PARTS[book.path, url] = _parts(book, url)
    return list(_PARTS[book.path, url])


def _parts(book: Handbook, url: str) -> list[BeautifulSoup]:
    site = book.path / "site"
    seen, queue, pages = set(), [site / url / "index.html"], []
    while queue:
        path = queue.pop(0).resolve()
        if path in seen:
            continue
        seen.add(path)
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        pages.append(page)
        for link in page.select("nav.pb-pager a[href]"):
            queue.append(path.parent / link["href"] / "index.html")
    return pages


def sub_pages_on_disk(book: Handbook, url: str) -> set[Path]:
    return {p.resolve() for p in (book.path / "site" / url).glob("page-*/index.html")}


def test_no_generated_page_is_over_a_megabyte(big):
    sizes = {p.relative_to(big.path / "site").as_posix(): p.stat().st_size
             for p in (big.path / "site").rglob("*.html")}
    assert {name: size for name, size in sizes.items() if size > PAGE_LIMIT} == {}
    # the lists that were over 1 MB at 2,290 partners are split at 1,000 already
    for url in ("partners", "roles", "network", "agreements"):
        assert sub_pages_on_disk(big, url), url


@pytest.mark.parametrize("url", ["partners", "roles", "network", "agreements", "partners/p0000"])
def test_every_sub_page_is_reached_from_its_first_page(big, url):
    site = big.path / "site"
    reached = {id(p) for p in parts(big, url)}
    on_disk = sub_pages_on_disk(big, url)
    assert len(reached) == len(on_disk) + 1
    first = BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")
    # the first page links every part from its pager, and says how many more follow
    links = {(site / url / a["href"] / "index.html").resolve() for a in first.select("nav.pb-pager a[href]")}
    assert links == on_disk
    more = first.select_one("nav.pb-pager-bottom a.pb-pager-next").get_text()
    assert re.search(r"…and [\d,]+ more on page", more), more


def test_every_partner_is_listed_in_the_index_and_the_role_matrix(big, data):
    ids = Counter(p["id"] for p in data["partners"])
    index = Counter(a["href"].rstrip("/").rsplit("/", 1)[-1]
                    for page in parts(big, "partners") for a in page.select("tr.pb-partner-row td:first-child a"))
    assert index == ids
    matrix = Counter(a["href"].rstrip("/").rsplit("/", 1)[-1]
                     for page in parts(big, "roles") for a in page.select(".pb-role-matrix tr th[scope=row] a"))
    assert matrix == ids
    # every dot of the matrix is a role a partner's data file gives it
    dots = sum(len(page.select(".pb-role-matrix a.pb-cell")) for page in parts(big, "roles"))
    assert dots == sum(len(p.get("roles", [])) for p in data["partners"])


def test_every_agreement_has_its_section_and_links_reach_it(big, data):
    sections = {}
    for page in parts(big, "agreements"):
        for section in page.select("section.pb-agreement"):
            sections[section["id"]] = page
    assert sorted(sections) == sorted(f"agreement-{a['id']}" for a in data["agreements"])
    # a partner page's link to an agreement on page 2 lands where its section is
    last = data["agreements"][-1]
    party = last["parties"][0]
    # the partner page, or (a party to over 100 agreements) its own agreements pages, which list every one
    folders = [f"partners/{party}/", f"partners/{party}/agreements/",
               *(f"partners/{party}/agreements/page-{n}/" for n in range(2, 100))]
    found = ((folder, link) for folder in folders if (big.path / "site" / folder / "index.html").is_file()
             for link in [big.page(folder).select_one(f"a.pb-agreement[href$='#agreement-{last['id']}']")] if link)
    folder, link = next(found)
    href = link["href"]
    target = (big.path / "site" / folder / href.split("#")[0] / "index.html").resolve()
    assert f'id="agreement-{last["id"]}"' in target.read_text(encoding="utf-8")
    assert "/page-" in href


def test_every_exchange_is_counted_in_the_pairs_list(big, data):
    pairs = Counter()
    for page in parts(big, "network"):
        table = page.select_one(".pb-exchanges table:not(.pb-alone)")
        for row in table.select("tbody tr"):
            cells = row.select("td")
            source, target = (c.select_one("a")["href"].rstrip("/").rsplit("/", 1)[-1] for c in cells[:2])
            pairs[(source, target)] += sum(int(c.get_text().replace(",", "") or 0) for c in cells[2:])
    assert pairs == Counter((e["from"], e["to"]) for e in data["exchanges"])


def test_the_focal_partners_relationships_go_on_over_its_sub_pages(big, data):
    focal = data["focal"]
    rows = sum(len(page.select(".pb-profile-relationships tbody tr")) for page in parts(big, f"partners/{focal}"))
    assert rows == sum(1 for e in data["exchanges"] if focal in (e["from"], e["to"]))
    second = big.page(f"partners/{focal}/page-2/")
    assert "relationships, page 2 of" in second.select_one("h1").get_text()


def counterparts(data) -> Counter:
    found = {}
    for e in data["exchanges"]:
        found.setdefault(e["from"], set()).add(e["to"])
        found.setdefault(e["to"], set()).add(e["from"])
    return Counter({pid: len(others) for pid, others in found.items()})


def test_ego_diagrams_of_the_focal_and_of_a_hub_are_overviews(big, data):
    focal = big.page(f"partners/{data['focal']}/").select_one("svg.pb-svg")
    assert focal.select_one("title").get_text().startswith("Overview of the value network")
    # the busiest partner after the focal organisation, from the data (50: overview_threshold's default)
    counts = counterparts(data)
    hub, degree = next((pid, n) for pid, n in counts.most_common() if pid != data["focal"])
    assert degree > 50
    svg = big.page(f"partners/{hub}/").select_one("svg.pb-svg")
    name = next(p["name"] for p in data["partners"] if p["id"] == hub)
    assert svg.select_one("title").get_text() == f"Overview of the ego network of {name}"
    assert len(svg.select("g.node")) <= 60 and not svg.select("g.node.pb-partner")
    hrefs = [a["xlink:href"] for a in svg.select("g.node a")]
    assert "./" in hrefs  # the centre is the partner itself, linking to its own page
    assert all(h == "./" or h.startswith("../../network/#group-") for h in hrefs), hrefs
    # a partner with few counterparts keeps its rings of partners
    quiet = next(pid for pid, n in sorted(counts.items()) if n <= 5)
    small = big.page(f"partners/{quiet}/").select_one("svg.pb-svg")
    assert small.select("g.node.pb-partner") and not small.select("g.node.pb-group")


def test_a_small_handbook_has_no_sub_pages(handbook):
    result = handbook.build()
    assert result.returncode == 0, result.stderr
    site = handbook.path / "site"
    assert not list(site.rglob("page-*"))
    assert not any("pb-pager" in p.read_text(encoding="utf-8") for p in site.rglob("*.html"))
