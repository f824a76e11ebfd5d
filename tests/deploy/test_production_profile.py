"""The production profile end to end: build the assets, collect them, serve with gunicorn.

`check --deploy` passing said nothing about whether a page renders (issue 8, point 2): the manifest
storage refused a source map the build never copied, and every page then asked `static()` for a
folder. This runs what a deployment runs, the production settings, `collectstatic` into a fresh
STATIC_ROOT and gunicorn on a free port against the test database, and reads the pages, the APIs
and every stylesheet, script and icon they link to over HTTP. Each page must also carry the
Content Security Policy with its own nonce and no 'unsafe-inline' (issue 8, point 9).
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import pytest
from django.db import connection

from kith.core.testing import html
from kith.core.testing.servers import Answer, RunningServer, server_environment, start_server
from kith.directory.models import Service
from kith.directory.search import index_services
from kith.directory.tests.factories import nested_service

ROOT = Path(__file__).resolve().parents[2]
BUILT_CSS = ROOT / "kith" / "static" / "css" / "main.css"
# A name collectstatic's manifest storage gave a file: its stem, 12 hex digits, its suffix.
HASHED = re.compile(r"^/static/.+\.[0-9a-f]{12}\.[a-z0-9]+$")
# The proxy in front of Kith ends TLS and says so; the settings trust this header.
HTTPS = {"X-Forwarded-Proto": "https"}

pytestmark = pytest.mark.django_db(transaction=True)


def _build_assets_if_needed() -> None:
    # `make test` builds them first (kith/static/.built); a bare pytest run may not have.
    if not BUILT_CSS.exists():
        subprocess.run(  # noqa: S603 - node, with our own build script
            ["node", "kith/assets/build.mjs"],  # noqa: S607 - node from PATH, as the Makefile
            cwd=ROOT,
            check=True,
            timeout=120,
        )


@pytest.fixture
def server(tmp_path: Path) -> Iterator[RunningServer]:
    if connection.vendor != "postgresql":
        pytest.skip("gunicorn needs a database another process can open: set DATABASE_URL")
    _build_assets_if_needed()
    env = server_environment(
        DJANGO_SETTINGS_MODULE="kith.config.settings.production",
        SECRET_KEY="fictional-production-smoke-test-key-" + "x7Q" * 12,
        ALLOWED_HOSTS="127.0.0.1",
        # The machine's Redis (as in CI); database 15 is the tests' own.
        REDIS_URL="redis://127.0.0.1:6379/15",
        STATIC_ROOT=str(tmp_path / "staticfiles"),
        KITH_VAR_DIR=str(tmp_path / "var"),
        LOG_LEVEL="WARNING",
    )
    collected = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "kith.cli", "collectstatic", "--no-input"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert collected.returncode == 0, collected.stdout + collected.stderr
    server = start_server(
        # Port 0: the system picks a free one, and gunicorn logs which.
        [sys.executable, "-m", "gunicorn", "kith.config.wsgi:application"]
        + ["--bind", "127.0.0.1:0", "--workers", "1", "--error-logfile", "-"],
        cwd=ROOT,
        env=env,
        log=tmp_path / "gunicorn.log",
        listening=r"Listening at: http://127\.0\.0\.1:(\d+)",
        default_headers=HTTPS,
    )
    try:
        yield server
    finally:
        server.stop()


def _assets_linked_from(page: Answer, path: str) -> dict[str, str]:
    """Every stylesheet, script, icon and manifest the page links to, by URL, with its rel."""
    soup = html(page.text)
    found: dict[str, str] = {}
    for link in soup.select("link[href]"):
        found[urljoin(path, str(link["href"]))] = " ".join(link.get("rel") or [])
    for script in soup.select("script[src]"):
        found[urljoin(path, str(script["src"]))] = "script"
    # The results map loads Leaflet only when it is shown.
    for element in soup.select("[data-leaflet-js]"):
        found[urljoin(path, str(element["data-leaflet-js"]))] = "script"
        found[urljoin(path, str(element["data-leaflet-css"]))] = "stylesheet"
        # and gives its marker images by URL: Leaflet cannot find hashed ones by itself
        for name in ("data-marker-icon", "data-marker-icon-2x", "data-marker-shadow"):
            found[urljoin(path, str(element[name]))] = "icon"
    return found


def _script_src(page: Answer) -> list[str]:
    """Where the page's Content Security Policy lets scripts come from."""
    policy = page.headers["content-security-policy"]
    return next(part.split()[1:] for part in policy.split("; ") if part.startswith("script-src "))


EXPECTED_TYPE = {
    "stylesheet": "text/css",
    "script": "text/javascript",
    "icon": "image/",
    "mask-icon": "image/svg+xml",
    "apple-touch-icon": "image/png",
    "manifest": "application/",
}


def test_production_profile_serves_pages_apis_and_hashed_assets(server: RunningServer) -> None:
    # given a published listing the pages and the ORUK API can show
    service: Service = nested_service(1)
    index_services()
    pages = [
        "/",
        "/find/",
        "/find/?type=peer-support",
        "/find/?q=peer+support&postcode=SW9+8",
        f"/services/{service.pk}/",
        "/ask/",
        "/sign-in/",
        "/help-now/",
        "/staff/sign-in/",
        "/admin/login/",
    ]

    # when each public page and the staff sign-in page is read through the proxy
    assets: dict[str, str] = {}
    for path in pages:
        page = server.get(path)
        # then it renders, as a production response does
        assert (page.status, page.content_type) == (200, "text/html; charset=utf-8"), (
            path,
            page.body[:2000],
        )
        assert "max-age=31536000" in page.headers["strict-transport-security"]
        # and its one inline script (the NHS.UK template's; the admin has none) runs by this
        # response's nonce, which the policy allows and no other inline script
        soup = html(page.text)
        inline = soup.select("script:not([src]):not([type='application/json'])")
        assert len(inline) == (0 if path.startswith("/admin/") else 1), path
        nonces = {str(tag["nonce"]) for tag in soup.select("[nonce]")}
        assert len(nonces) == 1, (path, nonces)
        assert _script_src(page) == ["'self'", f"'nonce-{nonces.pop()}'"], path
        assert "unsafe-inline" not in page.headers["content-security-policy"], path
        assets.update(_assets_linked_from(page, path))
    assert service.name in server.get(f"/services/{service.pk}/").text

    # and every stylesheet, script and icon it links to is a hashed file that is served
    assert {"stylesheet", "script", "icon", "manifest"} <= set(assets.values())
    assert any(url.startswith("/static/vendor/leaflet/leaflet.") for url in assets)
    assert any(url.startswith("/static/vendor/leaflet/images/marker-icon.") for url in assets)
    for url, rel in assets.items():
        assert HASHED.match(url), f"{url} ({rel}) is not a collected, hashed file"
        asset = server.get(url)
        assert asset.status == 200, url
        assert asset.content_type.startswith(EXPECTED_TYPE[rel]), (url, asset.content_type)
        assert "immutable" in asset.headers["cache-control"], url

    # and the images the stylesheets use were hashed and resolve too
    images = {
        urljoin(url, image)
        for url, rel in assets.items()
        if rel == "stylesheet"
        for image in re.findall(r"url\([\"']?([^\"')]+)[\"']?\)", server.get(url).text)
        if not image.startswith(("data:", "#"))  # Leaflet names a VML behaviour by fragment
    }
    assert any("/nhsuk/assets/images/" in url for url in images)
    for url in images:
        assert HASHED.match(url), url
        answer = server.get(url)
        assert answer.status == 200, url
        assert answer.content_type.startswith("image/"), (url, answer.content_type)

    # and the APIs answer JSON
    for path in ["/api/v1/openapi.json", "/api/oruk/", "/api/oruk/services"]:
        answer = server.get(path)
        assert answer.status == 200, (path, answer.body[:2000])
        assert answer.content_type.split(";")[0] == "application/json", (path, answer.content_type)
    assert str(service.pk) in server.get("/api/oruk/services").text

    # and plain HTTP is sent to HTTPS, as the settings promise
    plain = server.get("/", headers={})
    assert plain.status == 301
    assert plain.headers["location"] == "https://127.0.0.1/"
