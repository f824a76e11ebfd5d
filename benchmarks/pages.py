"""Page weight and server time of the public pages, on the demo locality.

Run: `.venv/bin/python benchmarks/pages.py` (after `make run` or `kith demo` has loaded the demo
into the local SQLite database). Reports, per page: HTML bytes (raw and gzipped), the CSS and
JavaScript it loads (gzipped), and the median server time over 30 requests through Django's
test client (no network), so the figures compare pages, not machines.
"""

from __future__ import annotations

import gzip
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kith.config.settings.local")
os.environ["DEBUG"] = "false"

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402

from kith.directory.models import Service  # noqa: E402

STATIC = ROOT / "kith" / "static"


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def asset_bytes(html: str) -> tuple[int, int]:
    """Gzipped bytes of the stylesheets and scripts the page loads from /static/."""
    css = js = 0
    for path in re.findall(r'href="/static/([^"]+\.css)"', html):
        css += gz((STATIC / path).read_bytes())
    for path in re.findall(r'src="/static/([^"]+\.js)"', html):
        js += gz((STATIC / path).read_bytes())
        # app.js imports the NHS.UK frontend module on every page
        if path == "js/app.js":
            js += gz((STATIC / "js" / "nhsuk-frontend.min.js").read_bytes())
    return css, js


def main() -> None:
    client = Client(HTTP_HOST="127.0.0.1")
    service = Service.objects.filter(status="active").order_by("name").first()
    if service is None:
        sys.exit("Load the demo first: .venv/bin/kith demo")
    pages = {
        "front page": "/",
        "need help now": "/help-now/",
        "search: browse": "/find/",
        "search: 'I feel lonely' near SW9 8EJ": "/find/?q=I+feel+lonely&postcode=SW9+8EJ",
        "search results only (htmx)": "/find/?q=I+feel+lonely&postcode=SW9+8EJ",
        "service page": f"/services/{service.pk}/",
        "health (bare view)": "/health/",
    }
    print("| page | HTML | HTML gzipped | CSS gzipped | JS gzipped | server time (median of 30) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, url in pages.items():
        headers = {"HX-Request": "true"} if "htmx" in name else {}
        client.get(url, headers=headers)
        timings = []
        for _ in range(30):
            started = time.perf_counter()
            response = client.get(url, headers=headers)
            timings.append((time.perf_counter() - started) * 1000)
        body = response.content
        css, js = asset_bytes(body.decode())
        print(
            f"| {name} | {len(body) / 1024:.1f} KB | {gz(body) / 1024:.1f} KB | {css / 1024:.1f} KB"
            f" | {js / 1024:.1f} KB | {statistics.median(timings):.1f} ms |"
        )


if __name__ == "__main__":
    main()
