"""What a reader's eye meets on a page, measured in the browser (issue 25): words split across
lines, a page wider than the window, escaped markup shown as text, diagrams without a node,
tables with only a header, columns of small numbers held wide open. Used by
tests/browser/test_reading.py and for looking by hand:

    python tests/reading.py http://127.0.0.1:8000/partners/ [WIDTH]
"""

from __future__ import annotations

import sys

# Per word of the article's text (letters and digits, up to 20, outside SVG): the line boxes
# its Range covers. Two line boxes at different heights are a word broken across lines.
# A break the browser makes at a hyphen it showed ("Guinea-Bissau") is between words.
MEASURE = r"""() => {
    const article = document.querySelector('article') || document.body;
    const split = [];
    const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT, {acceptNode: node =>
        node.parentElement.closest('svg, script, style, .pb-sr-only, [hidden]')
            ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT});
    const range = document.createRange();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const match of node.data.matchAll(/[\p{L}\p{N}]{2,20}/gu)) {
            // Part of a longer token (its soft hyphens, U+00AD, are where it may break): not a word.
            if (/[\p{L}\p{N}\u00ad]/u.test(node.data[match.index + match[0].length] || '')) continue;
            if (match.index > 0 && /[\p{L}\p{N}\u00ad]/u.test(node.data[match.index - 1])) continue;
            range.setStart(node, match.index);
            range.setEnd(node, match.index + match[0].length);
            const rects = [...range.getClientRects()].filter(r => r.width > 0 && r.height > 0);
            if (rects.length < 2) continue;
            const tops = new Set(rects.map(r => Math.round(r.top)));
            const where = node.parentElement.closest('table, figure, section, p, h1') || {};
            if (tops.size > 1) split.push(match[0] + ' in ' + where.className);
        }
    }
    const text = article.innerText;
    const escaped = [...text.matchAll(/&(#\d+|#x[0-9a-f]+|amp|lt|gt|quot|apos);/gi)].map(m =>
        text.slice(Math.max(0, m.index - 40), m.index + 20));
    const emptyDiagrams = [...document.querySelectorAll('svg.pb-svg')].filter(svg =>
        !svg.querySelector('g.node')).length;
    const emptyTables = [...article.querySelectorAll('table')].filter(t =>
        t.querySelector('thead, th') && ![...t.querySelectorAll('tr')].some(tr => tr.querySelector('td'))).length;
    // The smallest diagram label as drawn now (font size in the SVG's units × its scale on screen).
    let smallestLabel = null;
    for (const svg of document.querySelectorAll('svg.pb-svg')) {
        const box = svg.viewBox.baseVal;
        if (!box || !box.width || !svg.getBoundingClientRect().width) continue;
        const scale = svg.getBoundingClientRect().width / box.width;
        for (const label of [...svg.querySelectorAll('text')].slice(0, 400)) {
            const size = parseFloat(getComputedStyle(label).fontSize) * scale;
            if (size > 0 && (smallestLabel === null || size < smallestLabel)) smallestLabel = size;
        }
    }
    // A column of small numbers (a rank, a count) held wide open: Material gives every cell a
    // minimum width of 5rem, which pushes a wide table's last columns out of sight.
    const wideColumns = [];
    for (const table of article.querySelectorAll('table')) {
        // (A header of spanning cells, the scorecard matrix's, is no grid of columns to read this way.)
        if ([...table.querySelectorAll('th, td')].some(c => c.rowSpan > 1)) continue;
        const rows = [...table.rows].filter(r => ![...r.cells].some(c => c.colSpan > 1));
        const count = Math.max(0, ...rows.map(r => r.cells.length));
        for (let i = 0; i < count; i++) {
            const cells = rows.map(r => r.cells[i]).filter(Boolean);
            const body = cells.filter(c => c.tagName === 'TD');
            if (!body.length || body.some(c => !c.classList.contains('pb-number'))
                || cells.some(c => !c.innerText.trim() || c.innerText.trim().length > 4)) continue;
            const width = cells[0].getBoundingClientRect().width;
            if (width > 6 * parseFloat(getComputedStyle(cells[0]).fontSize)) {
                wideColumns.push(`${(table.closest('.pb-view') || table).className} column ${i + 1}: ` +
                                 `${Math.round(width)} px for "${cells.slice(0, 3).map(c => c.innerText.trim()).join('", "')}"`);
            }
        }
    }
    return {split, escaped, emptyDiagrams, emptyTables, text, smallestLabel, wideColumns,
            scrollWidth: document.scrollingElement.scrollWidth, width: window.innerWidth};
}"""


def read(page) -> dict:
    """The measurements of the page as it stands (call after load)."""
    return page.evaluate(MEASURE)


def faults(measured: dict, phone: bool) -> list[str]:
    found = []
    if measured["split"]:
        found.append(f"words split across lines: {sorted(set(measured['split']))[:12]}")
    if phone and measured["scrollWidth"] > measured["width"]:
        found.append(f"page scrolls sideways: {measured['scrollWidth']} px in {measured['width']} px")
    if measured["escaped"]:
        found.append(f"escaped markup shown: {measured['escaped'][:3]}")
    if measured["emptyDiagrams"]:
        found.append(f"{measured['emptyDiagrams']} diagram(s) without a node")
    if measured["smallestLabel"] is not None and measured["smallestLabel"] < 8.5:
        found.append(f"diagram labels {measured['smallestLabel']:.1f} px tall at the zoom the page opens with")
    if measured["emptyTables"]:
        found.append(f"{measured['emptyTables']} table(s) with a header and no row")
    if measured["wideColumns"]:
        found.append(f"columns of small numbers wider than 6 em: {measured['wideColumns'][:4]}")
    return found


if __name__ == "__main__":
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        width = int(sys.argv[2]) if len(sys.argv) > 2 else 1400
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(sys.argv[1], wait_until="networkidle")
        result = read(page)
        print(faults(result, width < 600) or "clean", result["scrollWidth"], result["width"])
        browser.close()
