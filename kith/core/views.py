from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from kith.care.selectors import member_active_for_user
from kith.directory.selectors.curation import is_directory_editor


def home_view(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.jinja")


def help_now_view(request: HttpRequest) -> HttpResponse:
    from kith.asks.selectors import crisis_options

    return render(request, "core/help_now.jinja", {"crisis_options": crisis_options()})


def accessibility_view(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.jinja")


def privacy_view(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.jinja")


class SignInView(auth_views.LoginView):
    template_name = "core/sign_in.jinja"
    redirect_authenticated_user = True


def page_not_found_view(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/404.jinja", status=404)


def server_error_view(request: HttpRequest) -> HttpResponse:
    return render(request, "core/500.jinja", status=500)


def health_view(request: HttpRequest) -> HttpResponse:
    """For load balancers and as the bare baseline in benchmarks: no template, no database."""
    return HttpResponse("ok", content_type="text/plain")


@login_required
def staff_home_view(request: HttpRequest) -> HttpResponse:
    """Where staff land after signing in: their team's huddle board, else directory curation."""
    if member_active_for_user(request.user) is not None:
        return redirect("care:huddle_board")
    if is_directory_editor(request.user):
        return redirect("directory:staff_dashboard")
    if request.user.is_superuser:
        return redirect("admin:index")
    return render(request, "core/staff_home.jinja", status=200)
