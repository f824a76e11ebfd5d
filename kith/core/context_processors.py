from __future__ import annotations

from django.http import HttpRequest

from kith.core.selectors import is_demo_data_loaded


def site(request: HttpRequest) -> dict[str, object]:
    return {"is_demo": is_demo_data_loaded()}
