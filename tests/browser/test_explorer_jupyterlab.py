"""The inline explorer in a real JupyterLab (headless Chromium): the cell's output shows the page."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import require

pytestmark = pytest.mark.browser

CELL = ("from ldnkg.export.explorer import Explorer\n"
        "from ldnkg.graph.load import load\n"
        "Explorer.from_dataset(load(), focus='fibromyalgia', depth=1)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def jupyterlab(tmp_path: Path) -> Any:
    try:
        import jupyterlab  # noqa: F401
    except ImportError:
        require(False, "jupyterlab is not installed")
    notebook = {"cells": [{"cell_type": "code", "execution_count": None, "id": "c1", "metadata": {},
                           "outputs": [], "source": CELL}],
                "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
                "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "nb.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
         "--IdentityProvider.token=", "--ServerApp.password=", f"--ServerApp.root_dir={tmp_path}",
         "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
         "--allow-root", "--LabApp.extension_manager=readonly"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp_path)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.3)
        yield f"http://127.0.0.1:{port}/lab/tree/nb.ipynb"
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def test_the_explorer_shows_in_jupyterlab(browser: Any, jupyterlab: str):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    blocked: list[str] = []

    def route(r: Any) -> None:  # only the local server and the page's own data
        url = r.request.url
        if url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")):
            r.continue_()
        else:
            blocked.append(url)
            r.abort()

    page.route("**/*", route)
    try:
        page.goto(jupyterlab, timeout=60_000)
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
        page.wait_for_selector("text=Python 3 (ipykernel) | Idle", timeout=60_000)
        page.click(".jp-Notebook .jp-Cell .cm-content")
        page.keyboard.press("Shift+Enter")
        element = page.wait_for_selector(".jp-OutputArea-output iframe", timeout=90_000)
        # the iframe element can be in the page before its srcdoc document is (CI saw none yet):
        # take its own frame and wait for the explorer in it
        frame = element.content_frame()
        assert frame is not None
        frame.wait_for_function("window.ldnkg && window.ldnkg.ready === true", timeout=60_000)
        assert frame.url == "about:srcdoc"  # the page itself, embedded, not a link to a file
        shown = frame.evaluate("network.body.nodeIndices.length")
        assert shown == frame.evaluate("network.body.data.nodes.length") >= 5
        box = page.locator(".jp-OutputArea-output iframe").bounding_box()
        assert box["width"] > 600 and box["height"] > 500
        # the map is fitted inside the frame's canvas
        canvas = frame.evaluate("(() => { const r = document.getElementById('mynetwork').getBoundingClientRect();"
                                " return [r.width, r.height]; })()")
        for b in frame.evaluate("network.body.nodeIndices.map(id => { const b = network.getBoundingBox(id);"
                                " const a = network.canvasToDOM({x: b.left, y: b.top}),"
                                " c = network.canvasToDOM({x: b.right, y: b.bottom}); return [a.x, a.y, c.x, c.y]; })"):
            assert b[0] >= 0 and b[1] >= 0 and b[2] <= canvas[0] and b[3] <= canvas[1]
        assert [u for u in blocked if not u.startswith("ws:")] == []
    finally:
        context.close()
