from django.urls import URLPattern, path  # noqa: F401

app_name = "asks"

urlpatterns: list[URLPattern] = []
