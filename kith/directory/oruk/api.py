"""The Open Referral UK 3.0 API: read-only, open to all, CORS *."""

from ninja import NinjaAPI

oruk_api = NinjaAPI(
    title="Kith Open Referral UK API", version="HSDS-UK-3.0", urls_namespace="oruk", docs_url=None
)


@oruk_api.get("/", operation_id="api_details")
def api_details(request):  # type: ignore[no-untyped-def]
    return {"version": "HSDS-UK-3.0"}
