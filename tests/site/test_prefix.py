"""`prefix` moves the generated pages: `partnerbook check` names every nav entry and prose link
that still points at the old path, with the path to write; the starter so fixed builds --strict."""

from __future__ import annotations

import re

from conftest import Handbook


def test_starter_with_a_prefix_builds_strict_after_the_fixes_check_names(tmp_path):
    Handbook(tmp_path).run("partnerbook", "new", "book")
    book = Handbook(tmp_path / "book")
    config = book.path / "mkdocs.yml"
    config.write_text(config.read_text().replace("      templates_dir: templates\n",
                                                 "      templates_dir: templates\n      prefix: network-data\n"))
    assert book.build().returncode == 1  # the mistake: nav and prose still point at the old paths

    check = book.check("--strict", "--all")
    assert check.returncode == 2
    warnings = check.stdout.splitlines()
    assert "mkdocs.yml:" in warnings[-1] and all(": warning: " in line for line in warnings)
    # every generated page the starter's nav lists, and every prose link to one, is named once
    generated = "partners|roles|network|agreements|funding|power|canvas|health|workshop"
    nav = re.findall(rf"^ +- [^:]+: ((?:{generated})/index\.md)$", config.read_text(), re.M)
    prose = [(source, link) for source in sorted((book.path / "content").rglob("*.md"))
             for link in re.findall(rf"\]\(((?:\.\./)?(?:{generated})/(?:index\.md|blank-[a-z-]+/index\.html))"
                                    r"(?:#[a-z-]+)?\)", source.read_text())]
    assert len(nav) == 9 and prose and len(warnings) == len(nav) + len(prose)

    for warning in warnings:  # apply each fix exactly as the message words it
        match = re.fullmatch(r"(\S+?):(\d+): warning: (?:nav: |link )'([^']+)' is not a page: prefix "
                             r"'network-data' puts the generated page at '[^']+'; write '([^']+)'", warning)
        assert match, warning
        where, number, old, new = match[1], int(match[2]), match[3], match[4]
        path = book.path / where
        lines = path.read_text().split("\n")
        assert old in lines[number - 1], warning
        lines[number - 1] = lines[number - 1].replace(old, new)
        path.write_text("\n".join(lines))
    build = book.build()
    assert build.returncode == 0, build.stderr[-2000:]
    assert (book.path / "site/network-data/partners/index.html").is_file()
    assert book.check("--strict").returncode == 0


def test_check_names_a_prose_link_to_a_partner_that_does_not_exist(handbook):
    handbook.write("content/index.md", "# Home\n\nSee `[x](partners/nobody.md)` and [Maker](partners/makr.md).\n")
    check, build = handbook.check("--strict"), handbook.build()
    assert check.returncode == 2 and build.returncode == 1
    assert check.stdout.splitlines() == [
        "content/index.md:3: warning: link 'partners/makr.md' is not a page: no partner has the id 'makr' "
        "(did you mean 'maker'?)"]  # the link inside a code span is an example, not a link
    assert "contains a link 'partners/makr.md'" in build.stderr
