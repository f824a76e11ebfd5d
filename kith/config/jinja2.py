"""The one Jinja2 environment: NHS.UK frontend macros, ChainableUndefined, url and static."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader

from kith.core import presenters
from kith.core.components import app_tag


def url(viewname: str, *args: Any, **kwargs: Any) -> str:
    return reverse(viewname, args=args or None, kwargs=kwargs or None)


def environment(**options: Any) -> Environment:
    options["loader"] = ChoiceLoader([options["loader"], PackageLoader("nhsuk_frontend_jinja")])
    options["undefined"] = ChainableUndefined
    options["autoescape"] = True
    options["extensions"] = ["jinja2.ext.i18n"]
    options["trim_blocks"] = True
    options["lstrip_blocks"] = True
    env = Environment(**options)  # noqa: S701 - autoescape is set just above
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        url=url,
        app_tag=app_tag,
        static=static,
        get_messages=get_messages,
        now=timezone.now,
        settings={
            "LOCALITY_NAME": settings.KITH_LOCALITY_NAME,
            "MAP_TILE_URL": settings.KITH_MAP_TILE_URL,
            "MAP_TILE_ATTRIBUTION": settings.KITH_MAP_TILE_ATTRIBUTION,
        },
    )
    env.filters.update(
        distance=presenters.format_distance,
        date_long=presenters.format_date_long,
        time_short=presenters.format_time_short,
    )
    return env
