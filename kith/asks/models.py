"""Asks for help, what the person adds to them, the crisis options, and idempotency keys.

Nothing here turns a person away: every ask gets a human response.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from kith.core.models import BaseModel


# How an involvement, and the asks it answered, ended. Four ways, none of them a refusal.
class Outcome(models.TextChoices):
    """How working together ended. There is deliberately nothing here that turns a person away."""

    SUPPORTED = "supported", _("Supported by the team")
    CONNECTED = "connected", _("Connected to community support")
    CHOSE_TO_STOP = "chose-to-stop", _("The person chose not to continue")
    NOT_REACHED = "not-reached", _("Could not be reached after documented attempts")


class ContactMethod(models.TextChoices):
    PHONE = "phone", _("Phone call")
    TEXT = "text", _("Text message")
    EMAIL = "email", _("Email")
    NONE = "none", _("I'll get back in touch")


class AgeBand(models.TextChoices):
    UNDER_18 = "under-18", _("Under 18")
    AGE_18_24 = "18-24", _("18 to 24")
    AGE_25_34 = "25-34", _("25 to 34")
    AGE_35_44 = "35-44", _("35 to 44")
    AGE_45_54 = "45-54", _("45 to 54")
    AGE_55_64 = "55-64", _("55 to 64")
    AGE_65_74 = "65-74", _("65 to 74")
    AGE_75_PLUS = "75-plus", _("75 or over")
    NOT_SAID = "prefer-not-to-say", _("Prefer not to say")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    NOT_SAID = "prefer-not-to-say", _("Prefer not to say")


class GenderIdentity(models.TextChoices):
    """ONS Census 2021: is the gender you identify with the same as your sex registered at birth?"""

    SAME = "same", _("Yes")
    DIFFERENT = "different", _("No")
    NOT_SAID = "prefer-not-to-say", _("Prefer not to say")


class Ethnicity(models.TextChoices):
    """The 19 ethnic groups of the ONS Census 2021 (England), with their high-level group."""

    ASIAN_BANGLADESHI = "asian-bangladeshi", _("Asian or Asian British: Bangladeshi")
    ASIAN_CHINESE = "asian-chinese", _("Asian or Asian British: Chinese")
    ASIAN_INDIAN = "asian-indian", _("Asian or Asian British: Indian")
    ASIAN_PAKISTANI = "asian-pakistani", _("Asian or Asian British: Pakistani")
    ASIAN_OTHER = "asian-other", _("Asian or Asian British: any other Asian background")
    BLACK_AFRICAN = "black-african", _("Black, Black British, Caribbean or African: African")
    BLACK_CARIBBEAN = "black-caribbean", _("Black, Black British, Caribbean or African: Caribbean")
    BLACK_OTHER = (
        "black-other",
        _(
            "Black, Black British, Caribbean or African: any other Black, Black British or "
            "Caribbean background"
        ),
    )
    MIXED_WHITE_ASIAN = "mixed-white-asian", _("Mixed or multiple ethnic groups: White and Asian")
    MIXED_WHITE_BLACK_AFRICAN = (
        "mixed-white-black-african",
        _("Mixed or multiple ethnic groups: White and Black African"),
    )
    MIXED_WHITE_BLACK_CARIBBEAN = (
        "mixed-white-black-caribbean",
        _("Mixed or multiple ethnic groups: White and Black Caribbean"),
    )
    MIXED_OTHER = (
        "mixed-other",
        _("Mixed or multiple ethnic groups: any other Mixed or multiple ethnic background"),
    )
    WHITE_BRITISH = "white-british", _("White: English, Welsh, Scottish, Northern Irish or British")
    WHITE_IRISH = "white-irish", _("White: Irish")
    WHITE_GYPSY = "white-gypsy-traveller", _("White: Gypsy or Irish Traveller")
    WHITE_ROMA = "white-roma", _("White: Roma")
    WHITE_OTHER = "white-other", _("White: any other White background")
    OTHER_ARAB = "other-arab", _("Other ethnic group: Arab")
    OTHER_ANY = "other-any", _("Other ethnic group: any other ethnic group")
    NOT_SAID = "prefer-not-to-say", _("Prefer not to say")


class AskStatus(models.TextChoices):
    NEW = "new", _("New")
    IN_TOUCH = "in-touch", _("In touch")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class AskSource(models.TextChoices):
    WEB = "web", _("Web")
    API = "api", _("API")
    # Raised for the person when they answered a measure's risk question on their own and no
    # team working with them could see it (kith.care.services.measure_risk_raise).
    MEASURE = "measure", _("A measure's risk answer")


class Ask(BaseModel):
    reference = models.CharField(_("reference"), max_length=16, unique=True, editable=False)
    text = models.TextField(_("what is happening"))
    what_would_help = models.TextField(_("what would help"), blank=True)
    what_matters = models.TextField(_("what matters to you"), blank=True)
    contact_method = models.CharField(
        _("how to reach them"), max_length=8, choices=ContactMethod.choices
    )
    contact_phone = models.CharField(_("phone"), max_length=32, blank=True)
    contact_email = models.EmailField(_("email"), blank=True)
    contact_times = models.CharField(_("when to reach them"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=100, blank=True)
    needs_interpreter = models.BooleanField(_("needs an interpreter"), default=False)
    access_needs = models.TextField(_("access needs"), blank=True)
    age_band = models.CharField(max_length=20, choices=AgeBand.choices, blank=True)
    sex = models.CharField(max_length=20, choices=Sex.choices, blank=True)
    gender_identity = models.CharField(max_length=20, choices=GenderIdentity.choices, blank=True)
    ethnicity = models.CharField(max_length=40, choices=Ethnicity.choices, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    postcode_district = models.CharField(max_length=4, blank=True, db_index=True)
    team = models.ForeignKey(
        "teams.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="asks"
    )
    respond_by_at = models.DateTimeField(null=True, blank=True)
    is_urgent = models.BooleanField(default=False, db_index=True)
    screening_categories = models.JSONField(default=list, blank=True)
    screening_matches = models.JSONField(default=list, blank=True)  # phrase ids, never words
    status = models.CharField(
        max_length=12, choices=AskStatus.choices, default=AskStatus.NEW, db_index=True
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=8, choices=AskSource.choices, default=AskSource.WEB)
    # Kept after the person closed their account: hidden from all but the safeguarding lead.
    restricted_at = models.DateTimeField(null=True, blank=True)
    retain_until = models.DateField(null=True, blank=True)
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="asks"
    )
    # The team's response (issue 4): who picked it up, the first conversation, how it ended.
    worker = models.ForeignKey(
        "teams.TeamMember", null=True, blank=True, on_delete=models.SET_NULL, related_name="asks"
    )
    picked_up_at = models.DateTimeField(null=True, blank=True)
    first_conversation_at = models.DateTimeField(null=True, blank=True)
    involvement = models.ForeignKey(
        "care.Involvement", null=True, blank=True, on_delete=models.SET_NULL, related_name="asks"
    )
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)

    class Meta(BaseModel.Meta):
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["new", "in-touch", "closed", "withdrawn"]),
                name="asks_ask_status_valid",
            )
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def time_to_first_conversation(self) -> dt.timedelta | None:
        """Kept for every ask: what Kith measures instead of any threshold."""
        if self.first_conversation_at is None:
            return None
        return self.first_conversation_at - self.created_at


class AskNote(BaseModel):
    """Something the person added to their ask after sending it."""

    ask = models.ForeignKey(Ask, on_delete=models.CASCADE, related_name="notes")
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("text"))

    def __str__(self) -> str:
        return f"Note on {self.ask.reference}"


class CrisisNeed(models.TextChoices):
    """Who a crisis line is for. Lines for everyone show wherever crisis options show; the
    others also show when what someone wrote, or their age, suggests the need
    (`kith.asks.crisis.crisis_needs`), and on "Need help now?" under the label as a heading."""

    EVERYONE = "", _("Everyone")
    DOMESTIC_ABUSE = "domestic-abuse", _("If someone is hurting, threatening or controlling you")
    UNDER_19 = "under-19", _("If you are under 19")
    UNDER_35 = "under-35", _("If you are under 35 and thinking about suicide")
    WORRIED_ABOUT_CHILD = "worried-about-child", _("If you are worried about a child")


class CrisisOption(BaseModel):
    """A crisis line shown at once when words suggest danger, and on "Need help now?"."""

    name = models.CharField(_("name"), max_length=100)
    how_to_contact = models.CharField(
        _("how to contact"), max_length=200, help_text=_("Like: Call free on 116 123")
    )
    contact = models.CharField(
        _("number or web address"),
        max_length=200,
        help_text=_("A link: tel:116123, sms:85258&body=SHOUT or https://..."),
    )
    link_text = models.CharField(_("link text"), max_length=100)
    description = models.CharField(_("description"), max_length=300)
    last_checked = models.DateField(_("last checked"))
    need = models.CharField(
        _("who it is for"),
        max_length=32,
        choices=CrisisNeed.choices,
        blank=True,
        default=CrisisNeed.EVERYONE,
        help_text=_("Lines for one need show when what someone wrote suggests it."),
    )
    is_always_open = models.BooleanField(
        _("open any time, day or night"),
        default=False,
        help_text=_("Listed among the support someone can reach now, whatever the time."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("shown"), default=True)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class IdempotencyState(models.TextChoices):
    IN_FLIGHT = "in-flight", _("In flight")
    COMPLETE = "complete", _("Complete")


class IdempotencyKey(models.Model):
    """One key from a client (IETF draft "The Idempotency-Key HTTP Header Field")."""

    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    state = models.CharField(
        max_length=12, choices=IdempotencyState.choices, default=IdempotencyState.IN_FLIGHT
    )
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="asks_idempotency_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"
