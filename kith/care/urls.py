from django.urls import path

from kith.care.views import huddle, involvements

app_name = "care"

urlpatterns = [
    path("", huddle.huddle_board_view, name="huddle_board"),
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
]
