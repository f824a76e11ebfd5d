"""Response headers every page needs: a content security policy and a locked-down permissions policy."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        tiles = settings.KITH_MAP_TILE_URL
        img_src = "'self' data:"
        if tiles:
            # Only the configured tile server's origin, e.g. https://tile.example.org
            from urllib.parse import urlsplit

            parts = urlsplit(tiles.replace("{s}", "a"))
            img_src += f" {parts.scheme}://{parts.netloc.replace('a.', '*.', 1)}"
        self.csp = (
            "default-src 'self'; "
            f"img-src {img_src}; "
            # The NHS.UK template sets the js-enabled class with one inline script.
            "script-src 'self' 'unsafe-inline'; "
            "style-src 'self'; "
            "connect-src 'self'; "
            "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/admin/"):
            response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(self), interest-cohort=()"
        )
        return response
