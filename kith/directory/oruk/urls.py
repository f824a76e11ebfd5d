from django.urls import path

from kith.directory.oruk.api import oruk_api

urlpatterns = [path("", oruk_api.urls)]
