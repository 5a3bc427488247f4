"""Regenerate the README's screenshots (docs-images/*.png).

Builds the example handbook, a 1,000-partner synthetic one (benchmarks/generate.py) and a
320-partner one shaped like published data (tests/realshape.py), serves each on localhost
and photographs it in Debian's Chromium through Playwright (as tests/browser/test_browser.py does):
the value-network diagrams, and the real-sized handbook's funding page as a reader sees it
at 1,400 px and on a 390 px phone.

    .venv/bin/python scripts/screenshots.py            # all
    .venv/bin/python scripts/screenshots.py --only real
"""

from __future__ import annotations

import argparse
import functools
import http.server
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs-images"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
BIN = Path(sys.executable).parent


def build(folder: Path) -> Path:
    subprocess.run([str(BIN / "mkdocs"), "build", "-q"], cwd=folder, check=True, stderr=subprocess.DEVNULL)
    return folder / "site"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def serve(site: Path) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def photograph(url: str, target: Path, width: int = 1100) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": width, "height": 1800}, color_scheme="light")
        page.goto(url, wait_until="networkidle")
        page.locator("figure.pb-diagram").first.scroll_into_view_if_needed()
        page.locator("figure.pb-diagram").first.screenshot(path=str(target))
        browser.close()


def photograph_page(url: str, target: Path, width: int, height: int) -> None:
    """The window as a reader sees it on opening the page (a phone: 390 px wide)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": width, "height": height}, color_scheme="light")
        page.goto(url, wait_until="networkidle")
        page.screenshot(path=str(target))
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=("rings", "overview", "real"))
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        if args.only in (None, "rings"):
            example = work / "example"
            shutil.copytree(ROOT, example, ignore=shutil.ignore_patterns(
                ".venv*", "site", ".cache", ".git", "tests", "node_modules", "test-artifacts", "docs-images"))
            server = serve(build(example))
            photograph(f"http://127.0.0.1:{server.server_port}/network/", OUT / "rings.png")
            server.shutdown()
        if args.only in (None, "overview"):
            big = work / "big"
            subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "handbook", "1000", str(big)],
                           check=True, stdout=subprocess.DEVNULL)
            server = serve(build(big))
            photograph(f"http://127.0.0.1:{server.server_port}/network/", OUT / "overview.png")
            server.shutdown()
        if args.only in (None, "real"):
            sys.path.insert(0, str(ROOT / "tests"))
            import realshape

            real = work / "real"
            realshape.write_handbook(real)
            server = serve(build(real))
            base = f"http://127.0.0.1:{server.server_port}/"
            photograph_page(base + "funding/", OUT / "real-funding-wide.png", 1400, 900)
            photograph_page(base + "partners/", OUT / "real-partners-phone.png", 390, 844)
            photograph_page(base, OUT / "real-home-phone.png", 390, 844)
            server.shutdown()
    print(f"wrote {', '.join(p.name for p in sorted(OUT.glob('*.png')))} in {OUT.relative_to(ROOT)}/")


if __name__ == "__main__":
    main()
