from django.urls import path

from kith.directory import staff_urls
from kith.directory.views import public

app_name = "directory"

urlpatterns = [
    path("find/", public.search_view, name="search"),
    path("services/<uuid:service_id>/", public.service_show_view, name="service_show"),
    *staff_urls.urlpatterns,
]
