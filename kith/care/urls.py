from django.urls import path

from kith.care.views import caseload, huddle, involvements, plans, safety_plans
from kith.care.views import measures as outcomes

app_name = "care"

urlpatterns = [
    path("", huddle.huddle_board_view, name="huddle_board"),
    path("caseload/", caseload.caseload_view, name="caseload"),
    path("people/", caseload.people_search_view, name="people_search"),
    path("asks/<uuid:ask_id>/", huddle.ask_show_view, name="ask_show"),
    path("asks/<uuid:ask_id>/pick-up/", huddle.ask_pick_up_view, name="ask_pick_up"),
    path(
        "asks/<uuid:ask_id>/conversation/",
        huddle.conversation_record_view,
        name="conversation_record",
    ),
    path(
        "involvements/<uuid:involvement_id>/",
        involvements.involvement_show_view,
        name="involvement_show",
    ),
    path(
        "involvements/<uuid:involvement_id>/notes/add/",
        involvements.note_add_view,
        name="note_add",
    ),
    path(
        "involvements/<uuid:involvement_id>/close/",
        involvements.involvement_close_view,
        name="involvement_close",
    ),
    path("involvements/<uuid:involvement_id>/plan/", plans.plan_show_view, name="plan_show"),
    path(
        "involvements/<uuid:involvement_id>/plan/what-matters/",
        plans.plan_edit_view,
        name="plan_edit",
    ),
    path(
        "involvements/<uuid:involvement_id>/plan/goals/add/",
        plans.goal_add_view,
        name="goal_add",
    ),
    path(
        "involvements/<uuid:involvement_id>/plan/progress/",
        plans.progress_record_view,
        name="goal_progress_record",
    ),
    path(
        "involvements/<uuid:involvement_id>/plan/steps/add/",
        plans.step_add_view,
        name="step_add",
    ),
    path(
        "involvements/<uuid:involvement_id>/plan/steps/done/",
        plans.step_done_view,
        name="step_done",
    ),
    path(
        "involvements/<uuid:involvement_id>/safety-plan/",
        safety_plans.safety_plan_show_view,
        name="safety_plan_show",
    ),
    path(
        "involvements/<uuid:involvement_id>/safety-plan/<slug:section>/",
        safety_plans.safety_plan_edit_view,
        name="safety_plan_edit",
    ),
    path(
        "involvements/<uuid:involvement_id>/measures/",
        outcomes.team_measures_view,
        name="measures",
    ),
    path(
        "involvements/<uuid:involvement_id>/measures/record/",
        outcomes.team_measure_record_view,
        name="measure_record",
    ),
]
