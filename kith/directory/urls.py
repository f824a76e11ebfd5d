from django.urls import path

from kith.directory import staff_urls
from kith.directory.views import public

app_name = "directory"

urlpatterns = [
    path("find/", public.search_view, name="search"),
    path("services/<uuid:service_id>/", public.service_show_view, name="service_show"),
    path(
        "services/<uuid:service_id>/report/",
        public.listing_report_submit_view,
        name="listing_report_submit",
    ),
    path(
        "services/<uuid:service_id>/report/done/",
        public.listing_report_done_view,
        name="listing_report_done",
    ),
    *staff_urls.urlpatterns,
]
