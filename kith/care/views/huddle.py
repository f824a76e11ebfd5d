"""The huddle board, an ask, picking it up and the first conversation."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from kith.audit.events import Purpose
from kith.care.access import access_ask, access_huddle_board
from kith.care.forms import ConversationForm, PickUpForm
from kith.care.presenters import BOARD_SECTIONS, ask_picked_up_message, board_page_links
from kith.care.selectors import BoardPages
from kith.care.services import ask_pick_up, conversation_record
from kith.care.views import add_service_error, render_team
from kith.core.errors import ValidationFailed
from kith.core.pagination import page_number
from kith.teams.access import member_required
from kith.teams.models import TeamMember
from kith.teams.selectors import team_members_active


@member_required
def huddle_board_view(request: HttpRequest, member: TeamMember) -> HttpResponse:
    pages = BoardPages(
        **{
            section: page_number(request.GET.get(parameter))
            for section, (parameter, _anchor) in BOARD_SECTIONS.items()
        }
    )
    board = access_huddle_board(member=member, now=timezone.now(), pages=pages)
    context = {
        "member": member,
        "board": board,
        "page_links": board_page_links(board, path=request.path),
    }
    return render_team(request, "care/huddle_board.jinja", context)


@member_required
def ask_show_view(request: HttpRequest, member: TeamMember, ask_id: UUID) -> HttpResponse:
    ask = access_ask(ask_id, member=member, purpose=Purpose.ASK)
    members = team_members_active(team=member.team)
    form = PickUpForm(initial={"worker": ask.worker_id or member.pk}, members=members)
    context = {"member": member, "ask": ask, "form": form, "members": members}
    return render_team(request, "care/ask_show.jinja", context)


@require_POST
@member_required
def ask_pick_up_view(request: HttpRequest, member: TeamMember, ask_id: UUID) -> HttpResponse:
    ask = access_ask(ask_id, member=member, purpose=Purpose.PICK_UP)
    members = team_members_active(team=member.team)
    form = PickUpForm(request.POST, members=members)
    if form.is_valid():
        worker = form.cleaned_data["worker"] or member
        try:
            ask_pick_up(ask=ask, member=member, worker=worker)
        except ValidationFailed as error:
            add_service_error(form, error)
        else:
            messages.success(request, ask_picked_up_message(ask=ask, worker=worker, member=member))
            return redirect("care:ask_show", ask_id=ask.pk)
    context = {"member": member, "ask": ask, "form": form, "members": members}
    return render_team(request, "care/ask_show.jinja", context, status=400)


@require_http_methods(["GET", "POST"])
@member_required
def conversation_record_view(
    request: HttpRequest, member: TeamMember, ask_id: UUID
) -> HttpResponse:
    ask = access_ask(ask_id, member=member, purpose=Purpose.CONVERSATION)
    now = timezone.localtime()
    initial = {"date": now.strftime("%d/%m/%Y"), "time": now.strftime("%H:%M"), "with_whom": ""}
    form = ConversationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            conversation_record(
                ask=ask,
                member=member,
                happened_at=form.happened_at(),
                method=form.cleaned_data["method"],
                with_whom=form.cleaned_data["with_whom"],
                summary=form.cleaned_data["summary"],
                next_step=form.cleaned_data["next_step"],
                next_step_due_on=form.cleaned_data["next_step_due_on"],
            )
        except ValidationFailed as error:
            add_service_error(form, error)
        else:
            return redirect("care:involvement_show", involvement_id=ask.involvement_id)
    status = 400 if request.method == "POST" else 200
    context = {"member": member, "ask": ask, "form": form}
    return render_team(request, "care/conversation_record.jinja", context, status=status)
