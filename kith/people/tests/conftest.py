from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from kith.asks.models import Ask
from kith.core.testing.background import on_commit_as_in_production


@pytest.fixture(autouse=True)
def outbox(tmp_path: Path, settings: Any) -> Iterator[Path]:
    """Each test gets its own outbox and fresh sending limits. Messages are sent once the
    request's writes commit (kith.core.notify), so commits behave as in production."""
    settings.VAR_DIR = tmp_path
    settings.NOTIFY_API_KEY = ""
    cache.clear()
    with on_commit_as_in_production():
        yield tmp_path / "outbox"
    cache.clear()


def outbox_messages(outbox: Path) -> list[dict[str, str]]:
    if not outbox.exists():
        return []
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(outbox.iterdir())]


def make_ask(**fields: Any) -> Ask:
    values: dict[str, Any] = {
        "reference": "KTH-TEST-01",
        "text": "I have been feeling low and lonely since moving here.",
        "contact_method": "email",
        "contact_email": "sam@example.com",
    }
    values.update(fields)
    return Ask.objects.create(**values)
