"""The person's own plan under /my/plan/ and safety plan under /my/safety-plan/, in the `people`
namespace (kith/record/urls.py adds these to its own)."""

from django.urls import path

from kith.care.views import my_plan, my_safety_plan

urlpatterns = [
    path("my/plan/", my_plan.my_plan_view, name="plan"),
    path(
        "my/plan/<uuid:involvement_id>/what-matters/",
        my_plan.my_plan_edit_view,
        name="plan_edit",
    ),
    path(
        "my/plan/<uuid:involvement_id>/goals/add/",
        my_plan.my_goal_add_view,
        name="goal_add",
    ),
    path(
        "my/plan/<uuid:involvement_id>/goals/<uuid:goal_id>/progress/",
        my_plan.my_goal_progress_record_view,
        name="goal_progress_record",
    ),
    path(
        "my/plan/<uuid:involvement_id>/steps/add/",
        my_plan.my_step_add_view,
        name="step_add",
    ),
    path(
        "my/plan/<uuid:involvement_id>/steps/<uuid:step_id>/done/",
        my_plan.my_step_done_view,
        name="step_done",
    ),
    path("my/safety-plan/", my_safety_plan.my_safety_plan_view, name="safety_plan"),
    path(
        "my/safety-plan/<uuid:involvement_id>/<slug:section>/",
        my_safety_plan.my_safety_plan_edit_view,
        name="safety_plan_edit",
    ),
]
