"""A worker's caseload, and finding a person the team works with."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from kith.care.access import access_caseload, access_people_search
from kith.care.forms import PeopleSearchForm
from kith.care.selectors import people_query_parse
from kith.care.views import render_team
from kith.core.pagination import page_links, page_number
from kith.teams.access import member_required
from kith.teams.models import TeamMember
from kith.teams.selectors import team_members_active


def _worker_id(raw: str | None) -> UUID | None:
    """The colleague whose caseload `?worker=` asks for; a malformed id is "page not found"."""
    if not raw:
        return None
    try:
        return UUID(raw[:36])
    except ValueError:
        raise Http404("No such member of this team") from None


@member_required
def caseload_view(request: HttpRequest, member: TeamMember) -> HttpResponse:
    """A worker's open involvements (the member's own unless `?worker=` names a colleague), with
    each next step and the last contact, 25 a page."""
    caseload = access_caseload(
        member=member,
        worker_id=_worker_id(request.GET.get("worker")),
        page=page_number(request.GET.get("page")),
    )
    worker = "" if caseload.worker.pk == member.pk else f"worker={caseload.worker.pk}&"
    context = {
        "member": member,
        "caseload": caseload,
        "members": team_members_active(team=member.team),
        "today": timezone.localdate(),
        "page_links": page_links(
            caseload.involvements, href=lambda number: f"{request.path}?{worker}page={number}"
        ),
    }
    return render_team(request, "care/caseload.jinja", context)


@member_required
def people_search_view(request: HttpRequest, member: TeamMember) -> HttpResponse:
    """Find a person the team works with by name, reference, email address or phone number."""
    form = PeopleSearchForm(request.GET if "q" in request.GET else None)
    context: dict[str, Any] = {
        "member": member,
        "form": form,
        "found": None,
        "today": timezone.localdate(),
    }
    if form.is_bound and form.is_valid():
        query = people_query_parse(form.cleaned_data["q"])
        found = access_people_search(
            member=member,
            query=query,
            page=page_number(request.GET.get("page")),
            asks_page=page_number(request.GET.get("asks_page")),
        )

        def href(parameter: str) -> Any:
            def to(number: int) -> str:
                params = request.GET.copy()
                params[parameter] = str(number)
                return f"{request.path}?{params.urlencode()}"

            return to

        context.update(
            found=found,
            involvement_links=page_links(found.involvements, href=href("page")),
            ask_links=page_links(found.asks, href=href("asks_page")),
        )
    return render_team(request, "care/people_search.jinja", context)
