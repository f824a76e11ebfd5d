"""HTTP for the team workspace under /team/. Every view reads through `kith.care.access`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kith.care.presenters import (
    ask_contact_for_staff,
    ask_first_words,
    ask_status_for_staff,
    ask_urgent_because,
    format_duration,
    format_hours,
    language_and_access_rows,
    step_owner_for_staff,
)
from kith.core.errors import ValidationFailed

View = Callable[..., HttpResponse]


def add_service_error(form: forms.Form, error: ValidationFailed) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def render_team(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """Render a workspace page with the display helpers its templates use."""
    context = {
        **context,
        "duration": format_duration,
        "hours": format_hours,
        "language_and_access": language_and_access_rows,
        "ask_first_words": ask_first_words,
        "ask_urgent_because": ask_urgent_because,
        "ask_contact_for_staff": ask_contact_for_staff,
        "ask_status_for_staff": ask_status_for_staff,
        "step_owner_for_staff": step_owner_for_staff,
    }
    return render(request, template, context, status=status)
