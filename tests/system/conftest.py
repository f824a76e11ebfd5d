"""Browser journeys: Debian's Chromium driven by Playwright, every page checked with axe-core.

Playwright never downloads a browser here: it launches /usr/bin/chromium (installed by
`make browser`). The Django live server runs in a thread against the test database.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("KITH_CHROMIUM", "/usr/bin/chromium")
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.2 AA and everything below it.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run inside one
# unless told the test process knows what it is doing.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/system" in str(item.fspath):
            item.add_marker(pytest.mark.system)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-gpu",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


def _new_page(browser: Any, *, javascript: bool, phone: bool = False) -> Any:
    options: dict[str, Any] = {"java_script_enabled": javascript, "locale": "en-GB"}
    if phone:
        options.update(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    context = browser.new_context(**options)
    # Nothing leaves this machine: any request not to the live server is refused.
    context.route(
        "**/*",
        lambda route: route.continue_()
        if route.request.url.startswith(("http://localhost", "http://127.0.0.1", "data:"))
        else route.abort(),
    )
    return context.new_page()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    page = _new_page(browser, javascript=True)
    yield page
    page.context.close()


@pytest.fixture
def page_without_js(browser: Any) -> Iterator[Any]:
    page = _new_page(browser, javascript=False)
    yield page
    page.context.close()


@pytest.fixture
def phone_page(browser: Any) -> Iterator[Any]:
    page = _new_page(browser, javascript=True, phone=True)
    yield page
    page.context.close()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is, including pages loaded with JavaScript off.

    axe needs timers, which do not run while script execution is disabled; so for a page loaded
    without JavaScript we switch execution on for the check only (nothing on the page re-runs)
    and off again after, through the DevTools protocol Playwright itself uses for this.
    """
    cdp = page.context.new_cdp_session(page)
    javascript_off = not page.evaluate("() => document.body.classList.contains('js-enabled')")
    if javascript_off:
        cdp.send("Emulation.setScriptExecutionDisabled", {"value": False})
    try:
        result = page.evaluate(
            """async ([source, tags]) => {
                if (!window.axe) { (0, eval)(source); }
                return await window.axe.run(document, {runOnly: {type: "tag", values: tags}});
            }""",
            [AXE_JS.read_text(encoding="utf-8"), AXE_TAGS],
        )
    finally:
        if javascript_off:
            cdp.send("Emulation.setScriptExecutionDisabled", {"value": True})
        cdp.detach()
    return list(result["violations"])


def assert_accessible(page: Any) -> None:
    violations = axe_violations(page)
    summary = [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in violations
    ]
    assert not violations, f"axe found WCAG 2.2 AA violations on {page.url}:\n" + json.dumps(
        summary, indent=2
    )
