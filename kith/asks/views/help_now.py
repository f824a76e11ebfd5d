"""Need help now? The crisis options, as data, and the lines matched to a need."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kith.asks.crisis import crisis_lines_by_need
from kith.asks.selectors import crisis_options


def help_now_view(request: HttpRequest) -> HttpResponse:
    context = {"crisis_options": crisis_options(), "crisis_lines_by_need": crisis_lines_by_need()}
    return render(request, "core/help_now.jinja", context)
