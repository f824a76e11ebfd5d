from django.urls import URLPattern, path

from kith.asks.views import help_now, journey, own

app_name = "asks"

urlpatterns: list[URLPattern] = [
    path("help-now/", help_now.help_now_view, name="help_now"),
    path("ask/", journey.ask_start_view, name="ask_start"),
    path("ask/what-is-happening/", journey.ask_happening_view, name="ask_happening"),
    path("ask/what-would-help/", journey.ask_help_view, name="ask_help"),
    path("ask/how-to-reach-you/", journey.ask_contact_view, name="ask_contact"),
    path("ask/language-and-access/", journey.ask_access_view, name="ask_access"),
    path("ask/about-you/", journey.ask_about_you_view, name="ask_about_you"),
    path("ask/check/", journey.ask_check_view, name="ask_check"),
    path("ask/sent/<uuid:ask_id>/", journey.ask_sent_view, name="ask_sent"),
    path("my/asks/<uuid:ask_id>/", own.ask_show_view, name="ask_show"),
    path("my/asks/<uuid:ask_id>/withdraw/", own.ask_withdraw_view, name="ask_withdraw"),
]
