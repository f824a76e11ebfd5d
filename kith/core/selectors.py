"""Reads about the deployment itself."""

from __future__ import annotations

from django.core.cache import cache

from kith.core.models import SiteState

_DEMO_CACHE_KEY = "kith:demo-loaded"


def is_demo_data_loaded() -> bool:
    value = cache.get(_DEMO_CACHE_KEY)
    if value is None:
        value = SiteState.objects.filter(demo_loaded_at__isnull=False).exists()
        cache.set(_DEMO_CACHE_KEY, value, 30)
    return bool(value)


def forget_demo_state() -> None:
    cache.delete(_DEMO_CACHE_KEY)
