"""A URLconf that reaches the views and the API operation of the lint's samples."""

from django.urls import path
from ninja import NinjaAPI

from kith.core.tests.lint_samples import odds_and_ends, wiring

api = NinjaAPI(urls_namespace="lint-samples")
api.add_router("/things", wiring.router)

urlpatterns = [
    path("reads/", odds_and_ends.reads_view),
    path("reads/<uuid:ask_id>/", odds_and_ends.ReadsView.as_view()),
    path("api/", api.urls),
]
