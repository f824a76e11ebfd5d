from django.urls import path

from kith.care import my_plan_urls
from kith.care.views import measures as outcomes
from kith.record import fhir_views, views

app_name = "people"

urlpatterns = [
    path("sign-in/", views.sign_in_view, name="sign_in"),
    path("sign-in/check-your-email/", views.sign_in_check_email_view, name="sign_in_check_email"),
    path("sign-in/text/", views.sign_in_text_view, name="sign_in_text"),
    path("sign-in/reference/", views.sign_in_reference_view, name="sign_in_reference"),
    path("sign-in/code/", views.sign_in_code_view, name="sign_in_code"),
    path("sign-in/link/<str:secret>/", views.sign_in_link_view, name="sign_in_link"),
    path("sign-out/", views.sign_out_view, name="sign_out"),
    path("my/", views.record_view, name="record"),
    path("my/contact/", views.contact_view, name="contact"),
    path("my/contact/confirm/", views.contact_confirm_view, name="contact_confirm"),
    path("my/download/", views.download_view, name="download"),
    path("my/download.json", views.download_json_view, name="download_json"),
    path("my/download.fhir.json", fhir_views.download_fhir_view, name="download_fhir"),
    path("my/close/", views.close_view, name="close"),
    path("my/closed/", views.closed_view, name="closed"),
    path("my/who-has-looked/", views.access_log_view, name="access_log"),
    path("my/sharing/", views.sharing_view, name="sharing"),
    path("my/sharing/share/", views.sharing_share_view, name="sharing_share"),
    path("my/sharing/withdraw/", views.sharing_withdraw_view, name="sharing_withdraw"),
    path("my/sharing/withhold/", views.sharing_withhold_view, name="sharing_withhold"),
    path("my/sharing/allow/", views.sharing_allow_view, name="sharing_allow"),
    path("my/measures/", outcomes.my_measures_view, name="measures"),
    path("my/measures/record/", outcomes.my_measure_record_view, name="measure_record"),
    path("my/measures/<uuid:response_id>/", outcomes.my_measure_result_view, name="measure_result"),
    *my_plan_urls.urlpatterns,
]
