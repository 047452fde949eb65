"""Playwright driving Debian's Chromium, headless, offline: every request that is not
``file:``/``data:``/``blob:`` is aborted and recorded; console errors and dialogs are captured.

Without Chromium or Playwright these tests skip — and FAIL when the ``CI`` variable is set.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
LOCAL_SCHEMES = ("file:", "data:", "blob:")


def _require(condition: bool, why: str) -> None:
    if not condition:
        if os.environ.get("CI"):
            pytest.fail(f"{why} (required when CI is set)")
        pytest.skip(why)


@dataclass
class OpenedPage:
    """A page with what it tried to fetch, logged as errors and popped up as dialogs."""

    page: Any
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requested: list[str] = field(default_factory=list)

    def js(self, expression: str, arg: Any = None) -> Any:
        return self.page.evaluate(expression, arg)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium per session (each page gets a fresh, non-persistent context)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - depends on the environment
        _require(False, "playwright for Python is not installed")
    _require(CHROMIUM.exists(), f"{CHROMIUM} is missing (apt-get install -y chromium)")
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                     args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def open_page(browser: Any) -> Iterator[Callable[[Path], OpenedPage]]:
    """Open an HTML file offline in a fresh context and wait until the explorer is ready."""
    contexts = []

    def opener(path: Path, *, ready: bool = True, init: str | None = None) -> OpenedPage:
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        contexts.append(context)
        page = context.new_page()
        opened = OpenedPage(page)

        def route(r: Any) -> None:
            url = r.request.url
            opened.requested.append(url)
            if url.startswith(LOCAL_SCHEMES):
                r.continue_()
            else:
                opened.blocked.append(url)
                r.abort()

        def on_dialog(dialog: Any) -> None:
            opened.dialogs.append(dialog.message)
            dialog.dismiss()

        page.route("**/*", route)
        page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: opened.errors.append(str(e)))
        page.on("dialog", on_dialog)
        if init is not None:  # runs before the page's own scripts
            page.add_init_script(init)
        page.goto(path.resolve().as_uri())
        if ready:
            page.wait_for_function("window.ldnkg && window.ldnkg.ready === true", timeout=30_000)
        return opened

    yield opener
    for context in contexts:
        context.close()
