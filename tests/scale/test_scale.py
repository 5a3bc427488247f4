"""A 1,000-partner handbook (benchmarks/generate.py), built once: pages stay light and the
network page shows an overview of groups, not 1,000 labels. One build of ~30 s on 2 cores."""

from __future__ import annotations

import re

import pytest
from conftest import Handbook

PARTNERS = 1000
PAGE_LIMIT = 1_000_000  # bytes of HTML


@pytest.fixture(scope="module")
def big(thousand_partners) -> Handbook:
    return thousand_partners  # conftest: built once, shared with test_page_size.py


def test_no_page_is_over_a_megabyte(big):
    pages = {p.relative_to(big.path / "site").as_posix(): p.stat().st_size
             for p in (big.path / "site").rglob("*.html")}
    assert len(pages) > PARTNERS
    heavy = {name: size for name, size in pages.items() if size > PAGE_LIMIT}
    assert heavy == {}, heavy


def overview_nodes(svg) -> dict[str, int]:
    """Group id → member count, from the group nodes' links and labels."""
    groups = {}
    for node in svg.select("g.node.pb-group"):
        group = node.select_one("a")["xlink:href"].rsplit("#group-", 1)[1]
        text = " ".join(t.get_text() for t in node.select("text"))
        found = re.search(r"(\d+) partners?", text)
        groups[group] = int(found.group(1)) if found else 1  # the focal organisation's node says "focal"
    return groups


def test_network_page_draws_an_overview_of_groups(big):
    page = big.page("network/")
    svg = page.select_one("svg.pb-svg")
    assert svg.select_one("title").get_text().startswith("Overview of the value network")
    assert len(svg.select("g.node")) <= 60 and not svg.select("g.node.pb-partner")
    groups = overview_nodes(svg)
    # every current partner is in exactly one group (the generator ends 5% of them: `until: 2026-03`)
    data = list((big.path / "network" / "partners").glob("*.yml"))
    current = sum(1 for f in data if "until: 2026-03" not in f.read_text())
    assert sum(groups.values()) == current == len(page.select(".pb-group p a.pb-partner"))
    # each group node links to its list of members on this page
    for group in groups:
        assert page.select_one(f"section#group-{group}") is not None
    # group edges count the exchanges between groups, tangible / intangible
    assert all(re.fullmatch(r"\d+ / \d+", t.get_text()) for t in svg.select("g.edge text"))


def test_focal_ego_diagram_is_the_same_overview(big):
    network = big.page("network/").select_one("svg.pb-svg")
    focal = big.page("partners/p0000/").select_one("svg.pb-svg")
    assert overview_nodes(focal) == overview_nodes(network)
    hrefs = {a["xlink:href"] for a in focal.select("g.node a")}
    assert all(h.startswith("../../network/#group-") for h in hrefs), hrefs


def test_no_file_per_diagram_the_reader_makes_it(big):
    """A thousand diagrams are not a thousand files of the site (a second of every build on a slow
    disk): each frame holds its SVG and the label of the link partnerbook.js makes from it."""
    site = big.path / "site"
    assert not (site / "diagrams").exists()
    for url in ("network/", "partners/p0000/", "partners/p0042/"):
        frames = big.page(url).select(".pb-svg-frame")
        assert frames and all(f.select_one("svg.pb-svg") and f["data-full-size"] for f in frames), url


def test_a_curved_diagram_is_the_same_drawn_among_others_or_alone(tmp_path):
    """Graphviz routes `splines=curved` edges from state the graphs drawn before in the same run
    leave behind. A diagram drawn in a cold build's batch and the same one drawn alone (a later
    build, the rest cached) must still be the same bytes: same data, same site. (The benchmark's
    1,000-partner handbook: 3 of these 40 came out a hundredth of a point apart before.)"""
    import dataclasses
    import random
    import subprocess
    import sys

    from conftest import ROOT
    from partnerbook.build.build import BuildLog
    from partnerbook.build.handbook import find_handbook
    from partnerbook.build.session import Session
    from partnerbook.diagrams.graphviz import DiagramRenderer, Job, find_graphviz

    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "handbook", "1000", str(tmp_path)],
                   check=True, capture_output=True)
    options = dataclasses.replace(find_handbook(tmp_path), cache_dir=None)
    session = Session(options, BuildLog(info=lambda m: None, warning=lambda m: None, error=lambda m: None))
    session.load()
    build = session.begin(True)
    # The partner pages only (each asks for its ego diagram): the lists and sheets ask for none of these.
    build.generated_pages(lambda src_uri: not re.fullmatch(r"partners/p\d+\.md", src_uri))
    jobs = [job for job in build.diagram_set.jobs.values() if job.engine == "neato-n2"]
    assert sum("splines=curved" in job.source() for job in jobs) > 900  # an ego diagram per partner
    drawer = DiagramRenderer(find_graphviz(), None, workers=1)
    pick = random.Random(1)
    differ = []
    for index in pick.sample(range(len(jobs)), 40):
        others = pick.sample(jobs, 30)
        job = jobs[index]
        alone = drawer._run_batch(job.engine, [Job(job.source(), job.engine)])[0]
        among = drawer._run_batch(job.engine, [Job(o.source(), o.engine) for o in [*others, job]])[-1]
        if alone != among:
            differ.append(job.key)
    assert differ == []
