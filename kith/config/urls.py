from django.contrib import admin
from django.urls import include, path

from kith.config.api import api
from kith.record.staff import staff_home_view

urlpatterns = [
    path("", include("kith.core.urls")),
    path("staff/", staff_home_view, name="staff_home"),
    path("", include("kith.directory.urls")),
    path("", include("kith.asks.urls")),
    path("", include("kith.record.urls")),
    path("team/", include("kith.care.urls")),
    path("api/oruk/", include("kith.directory.oruk.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler404 = "kith.core.views.page_not_found_view"
handler500 = "kith.core.views.server_error_view"
