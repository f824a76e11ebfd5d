from __future__ import annotations

from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from kith.directory.models import Service


def search_view(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/search.jinja", {"results": []})


def service_show_view(request: HttpRequest, service_id: UUID) -> HttpResponse:
    service = get_object_or_404(Service, pk=service_id)
    return render(request, "directory/service_show.jinja", {"service": service})
