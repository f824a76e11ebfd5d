"""Staff curation routes, joined into the `directory` namespace by urls.py."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
