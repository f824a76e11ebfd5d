"""Where staff land after signing in, composed from the apps that know what they do."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from kith.directory.selectors.curation import is_directory_editor
from kith.teams.selectors import member_active_for_user


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
