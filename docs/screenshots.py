"""Regenerate the README's explorer screenshots (1400×900, headless Debian Chromium, offline).

Builds the explorer of the article's graph *without* the article's text (so no verbatim quote of
the article ends up in the repository's images) into a temporary folder and writes:

* ``docs/explorer.png`` — the first view, as a new user sees it;
* ``docs/explorer-card.png`` — the evidence card of fibromyalgia, its chains highlighted;
* ``docs/explorer-path.png`` — the best-supported mechanism path from LDN to fibromyalgia.

Run: ``.venv/bin/python docs/screenshots.py [--out docs]``.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
FIBRO = "https://w3id.org/ldnkg/entity/Fibromyalgia"


def build_explorer(folder: Path) -> Path:
    """The explorer as ``ldnkg build`` writes it without ``--source``."""
    from ldnkg.build import build
    from ldnkg.export.explorer import write_explorer

    out = folder / "out"
    build(out, writers=[("explorer.html", write_explorer)])
    return out / "explorer.html"


def shoot(page: Any, target: Path) -> None:
    page.wait_for_timeout(250)
    tmp = target.with_suffix(".tmp.png")
    page.screenshot(path=str(tmp))
    shutil.move(tmp, target)
    print(f"wrote {target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs")
    options = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        explorer = build_explorer(Path(tmp))
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(
            ("file:", "data:", "blob:")) else r.abort())
        page.goto(explorer.as_uri())
        page.wait_for_function("window.ldnkg && window.ldnkg.ready === true")
        shoot(page, options.out / "explorer.png")
        # what a click on fibromyalgia does: the card in the panel, its chains on the graph
        box = page.locator("#mynetwork").bounding_box()
        dom = page.evaluate(f"network.canvasToDOM(network.getPositions(['{FIBRO}'])['{FIBRO}'])")
        page.mouse.click(box["x"] + dom["x"], box["y"] + dom["y"])
        shoot(page, options.out / "explorer-card.png")
        page.evaluate("ldnkg.reset()")
        page.click("#ldnkg-path-tool > summary")
        page.fill("#ldnkg-from", "LDN")
        page.fill("#ldnkg-to", "fibromyalgia")
        page.check("#ldnkg-mech")
        page.click("#ldnkg-path-btn")
        page.evaluate("network.moveTo({scale: network.getScale() * 0.75, animation: false})")
        shoot(page, options.out / "explorer-path.png")
        browser.close()


if __name__ == "__main__":
    main()
