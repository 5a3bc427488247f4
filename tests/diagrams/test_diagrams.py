"""Diagrams: inline SVG, links right from every page depth, unique ids, cache, injection."""

from __future__ import annotations

import re
import shutil
import time

import pytest
from conftest import MINIMAL_NETWORK, example_handbook, mkdocs_yml, serving
from partnerbook.diagrams.dot import quote
from partnerbook.diagrams.figures import DiagramRenderer, Job, find_graphviz, svg_for_page
from partnerbook.diagrams.graphviz import KEEP_SAVES

TWO_DIAGRAMS = """\
# Deep guide

Our partners, twice:

```partnerbook
view: diagram
```

- In a list, focused on the maker:

    ```partnerbook
    view: diagram
    focus: maker
    ```
"""


def svgs(page):
    return page.select("svg.pb-svg")


def test_nodes_link_to_partner_pages_from_every_depth(handbook):
    handbook.write("content/guide/deep/two.md", TWO_DIAGRAMS)
    result = handbook.build()
    assert result.returncode == 0, result.stderr
    network = svgs(handbook.page("network/"))[0]
    links = {a["xlink:href"] for a in network.select("a[xlink\\:href]")}
    assert links == {"../partners/hub/", "../partners/maker/", "../partners/payer/"}
    ego = svgs(handbook.page("partners/maker/"))[0]
    assert {a["xlink:href"] for a in ego.select("a[xlink\\:href]")} == {"../hub/", "./"}
    deep = svgs(handbook.page("guide/deep/two/"))
    assert len(deep) == 2
    assert {a["xlink:href"] for a in deep[0].select("a[xlink\\:href]")} == {
        "../../../partners/hub/", "../../../partners/maker/", "../../../partners/payer/"}
    # tooltips give name, kind and network
    titles = {a["xlink:title"] for a in network.select("a[xlink\\:title]")}
    assert "Maker Co — organisation, inner value network" in titles
    assert "Payer Fund — funder, outer value network" in titles


def test_svg_has_title_desc_and_ids_unique_per_page(handbook):
    handbook.write("content/guide/deep/two.md", TWO_DIAGRAMS)
    assert handbook.build().returncode == 0
    page = handbook.page("guide/deep/two/")
    first, second = svgs(page)
    assert first.select_one("title").get_text() == "The value network of Tiny network"
    assert second.select_one("title").get_text() == "Ego network of Maker Co"
    assert first.select_one("desc").get_text().startswith("Partners and the value they exchange")
    assert first["aria-labelledby"].split() == [first.select_one("title")["id"], first.select_one("desc")["id"]]
    ids = [tag["id"] for tag in page.select("svg.pb-svg [id]")]
    assert len(ids) == len(set(ids)) and len(ids) > 10
    assert not any(re.fullmatch(r"(graph|node|edge|clust)\d+", i) for i in ids)
    # the SVG is inserted after Markdown: no paragraph or emphasis got into it
    assert not page.select("svg.pb-svg p, svg.pb-svg em")
    # a table with the same information stays on the partner page
    assert handbook.page("partners/maker/").select(".pb-profile-relationships table")


def node_centres(svg) -> dict[str, tuple[str, float, float]]:
    """Partner id → (network, x, y) of each node's shape, read from the SVG's coordinates."""
    centres = {}
    for node in svg.select("g.node.pb-partner"):
        shape = node.select_one("ellipse")
        if shape is not None:
            x, y = float(shape["cx"]), float(shape["cy"])
        else:
            outline = node.select_one("path, polygon")
            numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", outline.get("d") or outline["points"])]
            xs, ys = numbers[0::2], numbers[1::2]
            x, y = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
        network = next(c[3:] for c in node["class"] if c in ("pb-focal", "pb-ivn", "pb-ovn"))
        href = node.select_one("a")["xlink:href"]
        partner = "self" if href == "./" else href.rstrip("/").rsplit("/", 1)[-1]
        centres[partner] = (network, x, y)
    return centres


def assert_rings(svg, centre: str) -> tuple[list[float], list[float]]:
    """Every inner-network node nearer the centre node than every outer-network node."""
    nodes = node_centres(svg)
    _, cx, cy = nodes.pop(centre)
    distance = {pid: ((x - cx) ** 2 + (y - cy) ** 2) ** 0.5 for pid, (_, x, y) in nodes.items()}
    inner = [distance[p] for p, (net, _, _) in nodes.items() if net in ("ivn", "focal")]
    outer = [distance[p] for p, (net, _, _) in nodes.items() if net == "ovn"]
    assert inner and outer, nodes
    assert max(inner) < min(outer), (sorted(inner), sorted(outer))
    return inner, outer


TWELVE = """\
network: {name: Twelve, focal: core, as_of: 2026-01-01}
partners:
  - {id: core, name: Core Collective}
  - {id: i1, name: Inner One Long Name Cooperative Union, network: ivn, ivn_criteria: [develops], roles: [channels]}
  - {id: i2, name: Inner Two, network: ivn, ivn_criteria: [develops], roles: [key-activities]}
  - {id: i3, name: Inner Three, network: ivn, ivn_criteria: [function], roles: [channels, key-resources]}
  - {id: i4, name: Inner Four, network: ivn, ivn_criteria: [agreement], roles: [key-activities]}
  - {id: i5, name: Inner Five, network: ivn, ivn_criteria: [develops], roles: [key-resources]}
  - {id: o1, name: Outer Funder, kind: funder, network: ovn, ovn_type: funder}
  - {id: o2, name: Outer Regulator With A Very Long Name Indeed, kind: government, network: ovn, ovn_type: regulator}
  - {id: o3, name: Outer Supplier, network: ovn, ovn_type: supplier}
  - {id: o4, name: Outer Funder Two, kind: funder, network: ovn, ovn_type: funder}
  - {id: o5, name: Outer Channel, network: ovn, ovn_type: channel}
  - {id: o6, name: Outer Community, kind: community, network: ovn, ovn_type: community}
relationships:
""" + "".join(f"  - {{from: {p}, to: core, deliverable: Work of {p}, nature: tangible}}\n"
              for p in ("i1", "i2", "i3", "i4", "i5", "o1", "o2", "o3", "o4", "o5", "o6")) + """\
  - {from: core, to: o1, deliverable: Reports, nature: intangible}
  - {from: i1, to: o5, deliverable: Leads, nature: intangible}
  - {from: i2, to: i4, deliverable: Reviews, nature: intangible}
  - {from: o2, to: i3, deliverable: Licence, nature: tangible}
"""


def test_value_network_is_drawn_as_rings(handbook):
    """Focal at the centre, IVN on the inner ring, OVN outside it: on a 12-partner handbook
    of ours (the example handbook is checked in test_example_handbook_diagrams_are_rings)."""
    handbook.write("network/network.yml", TWELVE)
    assert handbook.build().returncode == 0
    svg = svgs(handbook.page("network/"))[0]
    inner, outer = assert_rings(svg, "core")
    assert len(inner) == 5 and len(outer) == 6
    # partners sharing a role sit side by side: i2 and i4 (key-activities) are neighbours on the ring
    nodes = node_centres(svg)
    import math
    angle = {p: math.atan2(y - nodes["core"][2], x - nodes["core"][1]) for p, (n, x, y) in nodes.items() if n == "ivn"}
    ring = sorted(angle, key=angle.get)
    at = ring.index("i2")
    assert "i4" in (ring[at - 1], ring[(at + 1) % len(ring)]), ring
    # OVN partners of one type sit together: the two funders are neighbours on the outer ring
    outer_angle = {p: math.atan2(y - nodes["core"][2], x - nodes["core"][1]) for p, (n, x, y) in nodes.items() if n == "ovn"}
    outer_ring = sorted(outer_angle, key=outer_angle.get)
    at = outer_ring.index("o1")
    assert "o4" in (outer_ring[at - 1], outer_ring[(at + 1) % len(outer_ring)]), outer_ring
    edges = svg.select("g.edge")
    assert {"pb-tangible", "pb-intangible"} <= {c for e in edges for c in e["class"]}
    assert svg.select_one("g.pb-intangible path")["stroke-dasharray"]  # dashed, as the legend says
    # an ego diagram: the partner at the centre, IVN counterparts inside, OVN outside
    ego = svgs(handbook.page("partners/i3/"))[0]
    inner, outer = assert_rings(ego, "self")
    assert len(inner) == 1 and len(outer) == 1  # core (focal, inner) and o2 (regulator, outer)


@pytest.mark.slow  # builds the whole example handbook again (not the session's): not in the fast tier
def test_example_handbook_diagrams_are_rings(tmp_path):
    book = example_handbook(tmp_path / "example")
    assert book.build().returncode == 0
    assert_rings(svgs(book.page("network/"))[0], "openharvest")
    # every ego network that has counterparts in both networks
    checked = 0
    for page in sorted((book.path / "site" / "partners").glob("*/index.html")):
        svg = svgs(book.page(f"partners/{page.parent.name}/"))[0]
        networks = [n for p, (n, _, _) in node_centres(svg).items() if p != "self"]
        if "ovn" in networks and set(networks) - {"ovn"}:
            assert_rings(svg, "self")
            checked += 1
    assert checked >= 3, checked  # the focal organisation and at least two others


def test_rings_keep_their_layout_whatever_the_sfdp_threshold(handbook):
    handbook.write("network/network.yml", TWELVE)
    handbook.write("mkdocs.yml", mkdocs_yml(plugin_options="sfdp_threshold: 2"))
    assert handbook.build().returncode == 0
    assert_rings(svgs(handbook.page("network/"))[0], "core")


def test_above_the_overview_threshold_the_network_page_draws_groups(handbook):
    handbook.write("network/network.yml", TWELVE)
    handbook.write("mkdocs.yml", mkdocs_yml(plugin_options="overview_threshold: 5"))
    assert handbook.build().returncode == 0
    page = handbook.page("network/")
    svg = svgs(page)[0]
    assert not svg.select("g.node.pb-partner")
    groups = {a["xlink:href"].split("#group-")[1]: " ".join(t.get_text() for t in a.select("text"))
              for a in svg.select("g.node.pb-group a")}
    # by hand from TWELVE: the focal organisation; IVN: five organisations; OVN by type:
    # funder (o1, o4), regulator, supplier, channel, community
    assert sorted(groups) == sorted(["focal", "ivn-organisation", "ovn-funder", "ovn-regulator", "ovn-supplier",
                                     "ovn-channel", "ovn-community"])
    assert "5 partners, 1 exchange among them" in groups["ivn-organisation"]  # i2 → i4 stays within the group
    assert "2 partners" in groups["ovn-funder"]
    funders = page.select_one("section#group-ovn-funder")
    assert [a.get_text() for a in funders.select("a.pb-partner")] == ["Outer Funder", "Outer Funder Two"]
    # the line between the focal organisation and the funders: o1 → core, o4 → core tangible; core → o1 intangible
    tooltips = [a["xlink:title"] for a in svg.select("g.edge a[xlink\\:title]")]
    assert "Core Collective — OVN: funder: 2 tangible, 1 intangible exchanges" in tooltips
    # the focal organisation's page shows the same overview (its ego network is everyone)
    ego = svgs(handbook.page("partners/core/"))[0]
    assert sorted(a["xlink:href"].split("#group-")[1] for a in ego.select("g.node.pb-group a")) == sorted(groups)
    # 0 switches the overview off
    handbook.write("mkdocs.yml", mkdocs_yml(plugin_options="overview_threshold: 0"))
    assert handbook.build().returncode == 0
    assert len(node_centres(svgs(handbook.page("network/"))[0])) == 12


def test_cached_rebuild_does_not_run_graphviz(handbook):
    # A decision, so that a power diagram is drawn (with none, a sentence stands in for it).
    handbook.write("network/decisions.yml", "decisions:\n  - {id: roadmap, name: Roadmap, "
                                            "participation: {hub: decides, maker: consulted}}\n")
    first = handbook.build()
    # one Graphviz run per engine: `neato -n2` for the rings, `dot` for the power diagram
    found = re.search(r"diagrams: (\d+) drawn by Graphviz in 2 run\(s\), 0 from cache", first.stderr)
    assert found, first.stderr
    drawn = int(found.group(1))
    second = handbook.build()
    assert f"diagrams: 0 drawn by Graphviz in 0 run(s), {drawn} from cache" in second.stderr
    assert svgs(handbook.page("network/"))
    shutil.rmtree(handbook.path / ".partnerbook")  # the default cache_dir
    third = handbook.build()
    assert f"diagrams: {drawn} drawn by Graphviz in 2 run(s), 0 from cache" in third.stderr


def test_render_cache_counts_graphviz_processes(tmp_path):
    renderer = DiagramRenderer(find_graphviz(), tmp_path / "cache")
    jobs = [Job(f'digraph {{ "a{i}" -> "b" }}', "dot") for i in range(5)]
    first = renderer.render(jobs)
    assert renderer.processes == 1 and renderer.rendered == 5
    renderer.save()  # as a build's end does
    again = DiagramRenderer(find_graphviz(), tmp_path / "cache")  # a new build: memory empty, disk warm
    assert again.render([Job(j.dot, "dot") for j in jobs]) == first
    assert again.processes == 0 and again.reused == 5
    assert again.render([Job(j.dot, "dot") for j in jobs]) and again.processes == 0


def test_the_diagram_cache_is_one_file_that_keeps_what_builds_still_show(tmp_path):
    cache = tmp_path / "cache"
    graphviz = find_graphviz()
    jobs = [Job(f'digraph {{ "n{i}" -> "m" }}', "dot") for i in range(12)]
    first = DiagramRenderer(graphviz, cache)
    drawn = first.render(jobs[:4])
    first.save()
    assert [path.name for path in cache.iterdir()] == ["diagrams.pickle"]
    # Two processes that read the file before either wrote (a server's `generate --watch` and
    # `zensical serve`): each save keeps what the other wrote.
    second, third = DiagramRenderer(graphviz, cache), DiagramRenderer(graphviz, cache)
    assert second.render(jobs[:4]) == drawn and second.processes == 0  # read from the file
    assert third.render(jobs[:1]) and third.processes == 0
    second.render(jobs[4:8])
    second.save()
    third.render(jobs[8:])
    third.save()
    later = DiagramRenderer(graphviz, cache)
    later.render(jobs)
    assert later.processes == 0 and later.reused == 12
    # A diagram no build looks at any more (a renamed partner's old one) leaves after KEEP_SAVES
    # saves; the ones each build shows stay. Each build here shows jobs[1:] and draws one new diagram.
    for round_number in range(KEEP_SAVES + 1):
        build = DiagramRenderer(graphviz, cache)
        build.render([*jobs[1:], Job(f'digraph {{ "new{round_number}" -> "m" }}', "dot")])
        assert build.rendered == 1
        build.save()
    last = DiagramRenderer(graphviz, cache)
    last.render(jobs)
    assert last.rendered == 1 and last.reused == 11  # jobs[0], shown by no build since, was drawn again
    # Nothing new drawn: nothing written.
    before = (cache / "diagrams.pickle").stat().st_mtime_ns
    time.sleep(0.01)
    nothing = DiagramRenderer(graphviz, cache)
    nothing.render(jobs[1:])
    nothing.save()
    assert (cache / "diagrams.pickle").stat().st_mtime_ns == before


def test_a_damaged_diagram_cache_costs_the_drawing_not_the_build(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "diagrams.pickle").write_bytes(b"\x80\x05not a pickle at all")
    renderer = DiagramRenderer(find_graphviz(), cache)
    svgs = renderer.render([Job('digraph { "a" -> "b" }', "dot")])
    assert renderer.rendered == 1 and "<svg" in next(iter(svgs.values()))
    renderer.save()
    again = DiagramRenderer(find_graphviz(), cache)
    assert again.render([Job('digraph { "a" -> "b" }', "dot")]) == svgs and again.reused == 1


def test_missing_graphviz_stops_with_install_hint(handbook):
    bin_only = handbook.run("python", "-c", "import sys, os; print(os.path.dirname(sys.executable))").stdout.strip()
    result = handbook.run("mkdocs", "build", env={"PATH": bin_only})
    assert result.returncode == 1
    assert "Graphviz's `dot` command was not found on PATH" in result.stderr
    assert "sudo apt-get install graphviz" in result.stderr and "brew install graphviz" in result.stderr
    assert "Traceback" not in result.stderr


def test_dot_injection_is_quoted():
    evil = 'x"]; evil [URL="javascript:alert(1)"]; \\N \\'
    assert quote(evil) == '"x\\"]; evil [URL=\\"javascript:alert(1)\\"]; \\\\N \\\\"'


def test_svg_for_page_rewrites_ids_links_and_drops_comments():
    raw = ('<?xml version="1.0"?><!-- x --><svg width="1pt" xmlns:xlink="http://www.w3.org/1999/xlink">'
           '<g id="graph0"><g id="node1"><a xlink:href="pb:partner:acme"></a></g>'
           '<path fill="url(#grad1)"/><use href="#node1"/></g></svg>')
    out = svg_for_page(raw, prefix="p1", title="T <b>", desc="D", href=lambda kind, i: f"../{kind}s/{i}/")
    assert out.startswith('<svg width="1pt"') and "<!--" not in out and "<?xml" not in out
    assert 'id="p1-graph0"' in out and 'id="p1-node1"' in out and 'url(#p1-grad1)' in out and 'href="#p1-node1"' in out
    assert 'xlink:href="../partners/acme/"' in out
    assert '<title id="p1-title">T &lt;b&gt;</title><desc id="p1-desc">D</desc>' in out


def test_theme_css_colours_diagrams_with_palette_variables(handbook):
    assert handbook.build().returncode == 0
    css = (handbook.path / "site/assets/partnerbook/partnerbook.css").read_text()
    assert re.search(r"\.pb-svg text \{ fill: var\(--pb-fg\)", css)
    assert "--pb-fg: var(--md-typeset-color" in css
    page = handbook.page("network/")
    assert "assets/partnerbook/partnerbook.css" in " ".join(link.get("href", "") for link in page.select("link"))


@pytest.mark.serve
def test_serve_rebuild_reuses_renders_from_memory(handbook):
    """`mkdocs serve` keeps the plugin between rebuilds: with the disk cache off, a rebuild draws nothing."""
    handbook.write("mkdocs.yml", mkdocs_yml(plugin_options='cache_dir: ""'))
    # A decision, so that a power diagram is drawn by `dot` (with none, a sentence stands in for it).
    handbook.write("network/decisions.yml", "decisions:\n  - {id: roadmap, name: Roadmap, "
                                            "participation: {hub: decides, maker: consulted}}\n")
    with serving(handbook) as server:
        first = "".join(server.seen)  # the first build finished before "Serving on"
        assert re.search(r"diagrams: [1-9]\d* drawn by Graphviz in 2 run\(s\), 0 from cache", first), first
        time.sleep(1)
        handbook.write("content/index.md", "# Welcome back\n")
        second = server.wait_for("diagrams:")
        assert re.search(r"diagrams: 0 drawn by Graphviz in 0 run\(s\), [1-9]\d* from cache", second), second
        assert not (handbook.path / ".partnerbook").exists()
        handbook.write("network/more.yml", "partners:\n  - {id: new, name: New, network: ovn}\n"
                       "relationships:\n  - {from: new, to: hub, deliverable: Ideas, nature: intangible}\n")
        third = server.wait_for("diagrams:")  # the data folder is watched; only the changed diagrams are drawn
        assert re.search(r"diagrams: [1-9]\d* drawn by Graphviz in [12] run\(s\), [1-9]\d* from cache", third), third
        assert "New</h1>" in server.get("partners/new/")
        # the downloads follow a moment later, written after the rebuild
        server.wait_for("downloads refreshed")
        assert '"id": "new"' in server.get("network/data/partnerbook.json")


@pytest.mark.slow  # builds the whole example handbook again (not the session's): not in the fast tier
def test_builds_are_byte_identical_whatever_the_hash_seed(tmp_path):
    """The example handbook built twice from scratch, with PYTHONHASHSEED 1 and 2: every file
    the same. (Graphviz's `dot` ordered cluster boxes differently from one run of a batch to the
    next; the rings carry no clusters, and set order must not reach DOT.)"""
    sites = []
    for seed in ("1", "2"):
        book = example_handbook(tmp_path / f"seed{seed}")
        result = book.run("mkdocs", "build", "--strict", env={"PYTHONHASHSEED": seed})
        assert result.returncode == 0, result.stderr
        site = book.path / "site"
        sites.append({p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()})
    first, second = sites
    assert sorted(first) == sorted(second)
    assert sum(b"<svg" in first[name] for name in first if name.endswith(".html")) > 20 and len(first) > 50
    differing = [name for name in first if first[name] != second[name]]
    assert differing == [], differing


LONG_NAME = "Association " + "of farmers and fishers " * 870  # 20,000+ characters, spaces and all
LONG_WORD = "X" * 20_000  # no space to wrap at


def test_a_20000_character_name_builds_with_its_diagram_drawn(handbook):
    assert len(LONG_NAME) > 20_000
    data = MINIMAL_NETWORK.replace("name: Maker Co", f"name: {LONG_NAME}").replace(
        "name: Payer Fund", f"name: {LONG_WORD}").replace("deliverable: Code", f"deliverable: {LONG_WORD}")
    handbook.write("network/network.yml", data)
    result = handbook.build(strict=False)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    # a warning with file and line, and a stable check id
    lines = data.splitlines()
    maker = 1 + next(i for i, line in enumerate(lines) if line.strip().startswith("name: Association"))
    payer = 1 + next(i for i, line in enumerate(lines) if line.strip() == f"name: {LONG_WORD}")
    assert re.search(rf"network/network\.yml:{maker}: warning: the name of partner 'maker' is "
                     r"20,\d{3} characters long .*\[long-name\]", result.stderr), result.stderr
    assert re.search(rf"network/network\.yml:{payer}: warning: the name of partner 'payer' .*\[long-name\]",
                     result.stderr), result.stderr
    assert handbook.build().returncode == 1  # --strict: the warning fails the build
    for page in ("network/", "partners/maker/", "partners/payer/"):
        svg = svgs(handbook.page(page))[0]
        nodes = node_centres(svg)
        assert len(nodes) >= 2, page  # drawn, not an empty SVG
        labels = [t.get_text() for t in svg.select("g.node text")]
        assert all(len(label) <= 23 for label in labels), labels  # shortened to lines of the label width
        assert any(label.startswith("Association of") for label in labels) or page == "partners/payer/"
    # the full name stays on the page and in its tables
    assert handbook.page("partners/maker/").select_one("article h1").get_text(strip=True) == " ".join(LONG_NAME.split())
    # whole, but for the soft hyphens (invisible unless a line breaks there) that let its column break it
    relationships = handbook.page("partners/maker/").select_one(".pb-profile-relationships").get_text()
    assert LONG_WORD in relationships.replace("\u00ad", "") and "\u00ad" in relationships


FAILING_DOT = """\
#!/bin/sh
# Graphviz that cannot draw one diagram: the ego network of Maker Co.
input=$(cat)
case "$input" in
  *"Ego network of Maker Co"*) echo "Error: simulated failure" >&2; exit 1;;
esac
printf '%s' "$input" | exec {real} "$@"
"""


def test_a_diagram_graphviz_cannot_draw_is_a_build_error_naming_it(handbook, tmp_path):
    fake = tmp_path / "bin"
    fake.mkdir()
    script = fake / "dot"
    script.write_text(FAILING_DOT.format(real=shutil.which("dot")))
    script.chmod(0o755)
    bin_dir = handbook.run("python", "-c", "import sys, os; print(os.path.dirname(sys.executable))").stdout.strip()
    result = handbook.run("mkdocs", "build", env={"PATH": f"{bin_dir}:{fake}:/usr/bin:/bin"})
    assert result.returncode == 1
    assert "the diagram “Ego network of Maker Co” could not be drawn by Graphviz: Error: simulated failure" in result.stderr
    assert "Traceback" not in result.stderr


def test_one_bad_graph_in_a_batch_costs_a_few_runs_not_one_per_graph(tmp_path):
    renderer = DiagramRenderer(find_graphviz(), None)
    jobs = [Job(f'digraph {{ "a{i}" -> "b" }}', "dot") for i in range(64)]
    jobs[37] = Job('digraph { "unclosed ', "dot")
    out = renderer.render(jobs)
    assert len(out) == 63 and jobs[37].key not in out
    assert "syntax error" in renderer.failures[jobs[37].key]
    # halving: about 2·log2(64) batch runs plus the bad graph alone and its sfdp retry — never 64
    assert renderer.processes <= 2 * 6 + 3, renderer.processes
    assert all(svg.count("<svg") == 1 for svg in out.values())


def test_a_graph_gets_the_same_svg_wherever_it_sits_in_a_batch():
    """Graphviz names the root group of the 2nd..nth graph of a batch `page0,1_graph0`: a diagram
    first drawn at another place in a batch (a warm build, another handbook) differed by that."""
    graphs = [f'digraph "g{i}" {{ "n{i}" -> "m{i}" }}' for i in range(3)]  # named, as partnerbook's are
    first = DiagramRenderer(find_graphviz(), None).render([Job(dot, "dot") for dot in graphs])
    last = DiagramRenderer(find_graphviz(), None).render([Job(dot, "dot") for dot in reversed(graphs)])
    assert first.keys() == last.keys() and len(first) == 3
    for key, svg in first.items():
        assert svg == last[key]
        assert '<g id="graph0" class="graph"' in svg


def test_an_ego_diagram_draws_the_exchanges_among_its_partners_and_no_others(handbook):
    """The hub exchanges with every partner, more than any ego network holds: an ego diagram
    still draws each exchange between two of its partners, in both directions, and no other
    (the hub's exchanges are looked up pair by pair there: analysis/index.py)."""
    others = [f"p{n:02}" for n in range(12)]
    partners = "".join(f"  - {{id: {p}, name: Partner {p}, network: ivn, ivn_criteria: [develops]}}\n"
                       for p in others)
    exchanges = [("hub", p) for p in others] + [(p, "hub") for p in others[::2]]
    exchanges += [("p01", "p02"), ("p02", "p01"), ("p02", "p03"), ("p05", "p06")]
    relationships = "".join(f"  - {{from: {a}, to: {b}, deliverable: Help {a} {b}, nature: tangible}}\n"
                            for a, b in exchanges)
    handbook.write("network/network.yml", "network: {name: Hub net, focal: hub, as_of: 2026-01-01}\n"
                   "partners:\n  - {id: hub, name: Hub}\n" + partners + "relationships:\n" + relationships)
    result = handbook.build()
    assert result.returncode == 0, result.stderr
    for centre in ("p02", "p05", "p11"):
        kept = {centre} | {b for a, b in exchanges if a == centre} | {a for a, b in exchanges if b == centre}
        expected = sorted(f"{a}->{b}" for a, b in exchanges if a in kept and b in kept)
        ego = svgs(handbook.page(f"partners/{centre}/"))[0]
        drawn = sorted(g.select_one("title").get_text() for g in ego.select("g.edge"))
        assert drawn == expected, centre
