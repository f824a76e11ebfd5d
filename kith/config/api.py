"""The JSON API under /api/v1/: one router per app, described by OpenAPI at /api/v1/openapi.json."""

from ninja import NinjaAPI

from kith.asks.api import router as asks_router
from kith.core.api_errors import install_error_handlers

api = NinjaAPI(
    title="Kith API",
    version="1",
    description="The typed JSON API of Kith. The open directory feed is the ORUK API at /api/oruk/.",
    urls_namespace="api",
    docs_url="/docs",
)
install_error_handlers(api)
api.add_router("/asks", asks_router)
