from django.contrib.auth.views import LogoutView
from django.urls import path

from kith.core import views

app_name = "core"

urlpatterns = [
    path("", views.home_view, name="home"),
    path("accessibility/", views.accessibility_view, name="accessibility"),
    path("privacy/", views.privacy_view, name="privacy"),
    path("health/", views.health_view, name="health"),
    path("staff/sign-in/", views.SignInView.as_view(), name="sign_in"),
    path("staff/sign-in/code/", views.sign_in_code_view, name="sign_in_code"),
    path("staff/sign-in/set-up/", views.sign_in_set_up_view, name="sign_in_set_up"),
    path("staff/sign-out/", LogoutView.as_view(next_page="core:home"), name="sign_out"),
]
