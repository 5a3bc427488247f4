"""Diagrams: inline SVG, links right from every page depth, unique ids, cache, injection."""

from __future__ import annotations

import re
import shutil
import time

from conftest import mkdocs_yml, serving

from partnerbook.diagrams import DiagramRenderer, Job, find_graphviz, svg_for_page
from partnerbook.dot import quote

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


def test_graph_layout_follows_the_network(handbook):
    assert handbook.build().returncode == 0
    svg = svgs(handbook.page("network/"))[0]
    ivn_cluster = svg.select_one("g.pb-cluster-ivn")
    assert ivn_cluster is not None
    assert "Inner value network" in ivn_cluster.get_text()
    node_classes = {a.get_text(" ", strip=True): " ".join(g["class"]) for g in svg.select("g.node") for a in [g]}
    assert any("pb-focal" in c for c in node_classes.values())
    assert any("pb-type-funder" in c for c in node_classes.values())
    edges = svg.select("g.edge")
    assert {"pb-tangible", "pb-intangible"} <= {c for e in edges for c in e["class"]}
    intangible = svg.select_one("g.pb-intangible path")
    assert intangible["stroke-dasharray"]  # dashed, as the legend says


def test_large_networks_switch_to_sfdp(handbook):
    handbook.write("mkdocs.yml", mkdocs_yml(plugin_options="sfdp_threshold: 2"))
    assert handbook.build().returncode == 0
    svg = svgs(handbook.page("network/"))[0]
    assert svg.select("g.node") and not svg.select("g.cluster")  # sfdp draws no cluster boxes


def test_cached_rebuild_does_not_run_graphviz(handbook):
    first = handbook.build()
    assert re.search(r"diagrams: \d+ drawn by Graphviz in 1 run\(s\), 0 from cache", first.stderr), first.stderr
    drawn = int(re.search(r"diagrams: (\d+) drawn", first.stderr).group(1))
    second = handbook.build()
    assert f"diagrams: 0 drawn by Graphviz in 0 run(s), {drawn} from cache" in second.stderr
    assert svgs(handbook.page("network/"))
    shutil.rmtree(handbook.path / ".cache")
    third = handbook.build()
    assert f"diagrams: {drawn} drawn by Graphviz in 1 run(s), 0 from cache" in third.stderr


def test_render_cache_counts_graphviz_processes(tmp_path):
    renderer = DiagramRenderer(find_graphviz(), tmp_path / "cache")
    jobs = [Job(f'digraph {{ "a{i}" -> "b" }}', "dot") for i in range(5)]
    first = renderer.render(jobs)
    assert renderer.processes == 1 and renderer.rendered == 5
    again = DiagramRenderer(find_graphviz(), tmp_path / "cache")  # a new build: memory empty, disk warm
    assert again.render([Job(j.dot, "dot") for j in jobs]) == first
    assert again.processes == 0 and again.reused == 5
    assert again.render([Job(j.dot, "dot") for j in jobs]) and again.processes == 0


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


def test_serve_rebuild_reuses_renders_from_memory(handbook):
    """`mkdocs serve` keeps the plugin between rebuilds: with the disk cache off, a rebuild draws nothing."""
    handbook.write("mkdocs.yml", mkdocs_yml(plugin_options='cache_dir: ""'))
    with serving(handbook) as server:
        first = "".join(server.seen)  # the first build finished before "Serving on"
        assert re.search(r"diagrams: [1-9]\d* drawn by Graphviz in 1 run\(s\), 0 from cache", first), first
        time.sleep(1)
        handbook.write("content/index.md", "# Welcome back\n")
        second = server.wait_for("diagrams:")
        assert re.search(r"diagrams: 0 drawn by Graphviz in 0 run\(s\), [1-9]\d* from cache", second), second
        assert not (handbook.path / ".cache").exists()
        handbook.write("network/more.yml", "partners:\n  - {id: new, name: New, network: ovn}\n"
                       "relationships:\n  - {from: new, to: hub, deliverable: Ideas, nature: intangible}\n")
        third = server.wait_for("diagrams:")  # the data folder is watched; only the changed diagrams are drawn
        assert re.search(r"diagrams: [1-9]\d* drawn by Graphviz in 1 run\(s\), [1-9]\d* from cache", third), third
        assert "New</h1>" in server.get("partners/new/")
        # the downloads follow a moment later, written after the rebuild
        server.wait_for("downloads refreshed")
        assert '"id": "new"' in server.get("network/data/partnerbook.json")
