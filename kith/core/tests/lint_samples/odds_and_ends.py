"""Views in a module named for nothing in particular."""

from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views import View
from django.views.decorators.http import require_GET

from kith.asks import models as asks_models
from kith.asks.models import Ask as Request


@require_GET
def reads_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse(str(asks_models.Ask.objects.count()))


class ReadsView(View):
    def get(self, request: HttpRequest, ask_id: UUID) -> HttpResponse:
        ask = get_object_or_404(Request, pk=ask_id)
        return HttpResponse(ask.reference)
