"""A django-ninja router in a module named for nothing in particular."""

from django.http import HttpRequest
from ninja import Router

router = Router()


@router.get("/count")
def count(request: HttpRequest) -> dict[str, int]:
    from kith.outcomes.models import MeasureResponse

    return {"count": MeasureResponse.objects.count()}
