"""Writes about the deployment itself. Each keeps the cached reads in step."""

from __future__ import annotations

from django.utils import timezone

from kith.core.models import SiteState
from kith.core.selectors import forget_demo_state


def site_mark_demo_loaded(*, is_loaded: bool) -> None:
    SiteState.objects.update_or_create(
        id=1, defaults={"demo_loaded_at": timezone.now() if is_loaded else None}
    )
    forget_demo_state()
