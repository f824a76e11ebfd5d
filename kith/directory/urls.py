from django.urls import path

from kith.directory import views

app_name = "directory"

urlpatterns = [
    path("find/", views.search_view, name="search"),
    path("services/<uuid:service_id>/", views.service_show_view, name="service_show"),
]
