"""Browser journeys: Debian's Chromium driven by Playwright, every page checked with axe-core.

Playwright never downloads a browser here: it launches /usr/bin/chromium (installed by
`make browser`). The Django live server runs in a thread against the test database.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from kith.core.testing.staff import totp_code_for

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
        lambda route: (
            route.continue_()
            if route.request.url.startswith(("http://localhost", "http://127.0.0.1", "data:"))
            else route.abort()
        ),
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


@functools.cache
def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def _only_this_machine(route: Any) -> None:
    if route.request.url.startswith(("http://localhost", "http://127.0.0.1")):
        route.continue_()
    else:
        route.abort()


def _run_axe(page: Any) -> list[dict[str, Any]]:
    if not page.evaluate("() => Boolean(window.axe)"):
        page.evaluate("(source) => { (0, eval)(source); }", _axe_source())
    result = page.evaluate(
        """async (tags) => await window.axe.run(
            document, {runOnly: {type: "tag", values: tags}}
        )""",
        AXE_TAGS,
    )
    return list(result["violations"])


class _Checker:
    """A JavaScript-enabled page that checks the pages a test loaded with JavaScript off.

    It starts with axe already in every document and answers the checked page's own address
    with the HTML it is given, so each check sends only that HTML.
    """

    def __init__(self, browser: Any) -> None:
        self.url = ""
        self.html = ""
        context = browser.new_context(locale="en-GB")
        context.add_init_script(script=_axe_source())
        context.route("**/*", _only_this_machine)
        self.page = context.new_page()
        # Page routes come before the context's, so this one answers the page's own address.
        self.page.route(
            lambda url: url == self.url,
            lambda route: route.fulfill(body=self.html, content_type="text/html"),
        )

    def violations(self, *, url: str, html: str) -> list[dict[str, Any]]:
        self.url, self.html = url, html
        self.page.goto(url)
        return _run_axe(self.page)

    def close(self) -> None:
        self.page.context.close()


# At most one per browser, closed after each test so no connection outlives the live server.
_CHECKERS: dict[int, _Checker] = {}


@pytest.fixture(autouse=True)
def _close_checkers() -> Iterator[None]:
    yield
    while _CHECKERS:
        _CHECKERS.popitem()[1].close()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core on the page as the person sees it, JavaScript on or off.

    axe needs timers, which never fire in a page loaded with JavaScript off. For such a page we
    serve its exact HTML (scripts removed: none ran) at the same URL to a JavaScript-enabled
    checker page, so styles and relative links resolve as they did, and check that.
    """
    if page.evaluate("() => document.body.classList.contains('js-enabled')"):
        return _run_axe(page)
    served_html = re.sub(r"<script\b.*?</script>", "", page.content(), flags=re.S | re.I)
    browser = page.context.browser
    checker = _CHECKERS.get(id(browser))
    if checker is None:
        checker = _CHECKERS[id(browser)] = _Checker(browser)
    return checker.violations(url=page.url, html=served_html)


def assert_accessible(page: Any) -> None:
    violations = axe_violations(page)
    summary = [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in violations
    ]
    assert not violations, f"axe found WCAG 2.2 AA violations on {page.url}:\n" + json.dumps(
        summary, indent=2
    )


# Members of the public sign in with a link from their email; in tests the email lands in the
# outbox directory (no GOV.UK Notify key).


@pytest.fixture
def outbox(tmp_path: Path, settings: Any) -> Path:
    from django.core.cache import cache

    settings.VAR_DIR = tmp_path
    settings.NOTIFY_API_KEY = ""
    cache.clear()
    return tmp_path / "outbox"


def link_from_outbox(outbox: Path) -> str:
    """The sign-in link in the newest email in the outbox."""
    path = sorted(outbox.iterdir(), key=lambda item: item.stat().st_mtime_ns)[-1]
    body = json.loads(path.read_text(encoding="utf-8"))["body"]
    match = re.search(r"(http://\S+/sign-in/link/\S+/)", body)
    assert match is not None
    return match.group(1)


def person_signs_in(page: Any, base: str, outbox: Path, *, email: str = "sam@example.com") -> None:
    """The person asks for a sign-in link, follows it from their email and lands on /my/."""
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name="Send me a sign-in link").click()
    page.wait_for_load_state()
    page.goto(link_from_outbox(outbox))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert page.url == f"{base}/my/"


def staff_signs_in(page: Any, base: str, *, username: str, password: str) -> None:
    """A member of staff with an authenticator app signs in with their password and the code
    the app shows now, and lands on their team's board."""
    page.goto(f"{base}/team/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    device = TOTPDevice.objects.get(user__username=username)
    page.get_by_label("6-digit code").fill(totp_code_for(device))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    assert page.url == f"{base}/team/"
