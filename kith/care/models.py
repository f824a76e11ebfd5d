"""Integrated community teams: teams and members, involvements, conversations and open notes."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from kith.care.areas import area_bounds, area_clean
from kith.core.errors import ValidationFailed
from kith.core.models import BaseModel

AREA_BOUNDS_FIELDS = (
    "area_min_latitude",
    "area_max_latitude",
    "area_min_longitude",
    "area_max_longitude",
)


class Team(BaseModel):
    name = models.CharField(_("name"), max_length=200)
    postcode_districts = models.TextField(
        _("postcode districts"),
        blank=True,
        help_text=_("Outward codes this team covers, separated by commas, like SW9, SE11."),
    )
    response_time_hours = models.PositiveIntegerField(
        _("response time in hours"),
        default=24,
        help_text=_("How soon the team promises to get in touch with someone who asks for help."),
    )
    is_default = models.BooleanField(
        _("default team"),
        default=False,
        help_text=_("Takes asks from anywhere no other team covers."),
    )
    # How a person reaches the team themselves: on an ask's confirmation page and message.
    contact_phone = models.CharField(
        _("phone"),
        max_length=32,
        blank=True,
        help_text=_("The number people can call the team on, like 020 7946 0123."),
    )
    contact_email = models.EmailField(
        _("email"), blank=True, help_text=_("The address people can email the team at.")
    )
    contact_hours = models.CharField(
        _("when someone answers"),
        max_length=200,
        blank=True,
        help_text=_("In plain words, like: Monday to Friday, 9am to 5pm."),
    )
    # The area as a GeoJSON Polygon or MultiPolygon ([longitude, latitude] points), checked by
    # `kith.care.areas.area_clean`. Asks from a postcode inside it come here when no team's
    # districts match. The bounding box is derived on save so routing can prefilter in SQL.
    area = models.JSONField(
        _("area"),
        null=True,
        blank=True,
        help_text=_(
            "Optional. A GeoJSON Polygon or MultiPolygon, with points as [longitude, latitude]. "
            "Asks from postcodes inside it come to this team when no team's districts match."
        ),
    )
    area_min_latitude = models.FloatField(null=True, blank=True, editable=False)
    area_max_latitude = models.FloatField(null=True, blank=True, editable=False)
    area_min_longitude = models.FloatField(null=True, blank=True, editable=False)
    area_max_longitude = models.FloatField(null=True, blank=True, editable=False)

    class Meta(BaseModel.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="care_team_one_default",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        try:
            self.area = area_clean(self.area)
        except ValidationFailed as error:
            raise ValidationError({"area": error.message}) from None

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Keep only a well-formed area (ValidationFailed otherwise), and its bounding box in step
        with it, whoever saves the team."""
        self.area = area_clean(self.area)
        bounds = area_bounds(self.area) if self.area else None
        (
            self.area_min_latitude,
            self.area_max_latitude,
            self.area_min_longitude,
            self.area_max_longitude,
        ) = bounds or (None, None, None, None)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "area" in update_fields:
            kwargs["update_fields"] = {*update_fields, *AREA_BOUNDS_FIELDS}
        super().save(*args, **kwargs)

    @property
    def districts(self) -> list[str]:
        return [
            part.strip().upper().replace(" ", "")
            for part in self.postcode_districts.split(",")
            if part.strip()
        ]


class Role(models.TextChoices):
    PEER_WORKER = "peer-worker", _("Peer worker")
    SOCIAL_PRESCRIBER = "social-prescriber", _("Social prescriber")
    NURSE = "nurse", _("Nurse")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    PSYCHIATRIST = "psychiatrist", _("Psychiatrist")
    OCCUPATIONAL_THERAPIST = "occupational-therapist", _("Occupational therapist")
    HOUSING_ADVISER = "housing-adviser", _("Housing adviser")
    DEBT_ADVISER = "debt-adviser", _("Debt adviser")
    EMPLOYMENT_ADVISER = "employment-adviser", _("Employment adviser")
    GP = "gp", _("GP")
    SUPPORT_WORKER = "support-worker", _("Support worker")
    OTHER = "other", _("Other role")


class TeamMember(BaseModel):
    """A member of staff in a team. Members come from different organisations and roles."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="team_memberships"
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="members")
    display_name = models.CharField(_("name"), max_length=100)
    organisation_name = models.CharField(
        _("organisation"), max_length=200, help_text=_("Like: Stockwell GP practice")
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    is_lead = models.BooleanField(_("team lead"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta(BaseModel.Meta):
        constraints = [
            # One active membership per user, so "my team" is never ambiguous.
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(is_active=True),
                name="care_teammember_one_active_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.team})"


class InvolvementStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed with an open door")


class Outcome(models.TextChoices):
    """How working together ended. There is deliberately nothing here that turns a person away."""

    SUPPORTED = "supported", _("Supported by the team")
    CONNECTED = "connected", _("Connected to community support")
    CHOSE_TO_STOP = "chose-to-stop", _("The person chose not to continue")
    NOT_REACHED = "not-reached", _("Could not be reached after documented attempts")


class Involvement(BaseModel):
    """A team working with one person, from a picked-up ask until they close together."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="involvements")
    person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="involvements",
    )
    worker = models.ForeignKey(
        TeamMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="involvements"
    )
    status = models.CharField(
        max_length=8,
        choices=InvolvementStatus.choices,
        default=InvolvementStatus.OPEN,
        db_index=True,
    )
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    next_step_due_on = models.DateField(_("next step due"), null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    outcome_service_id = models.UUIDField(null=True, blank=True)
    what_helped = models.TextField(_("what helped"), blank=True)
    attempts = models.TextField(_("attempts to get in touch"), blank=True)
    reopened_count = models.PositiveIntegerField(default=0)

    class Meta(BaseModel.Meta):
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome__in=["", *Outcome.values]),
                name="care_involvement_outcome_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(outcome="connected")
                | models.Q(outcome_service_id__isnull=False),
                name="care_involvement_connected_has_service",
            ),
        ]

    def __str__(self) -> str:
        return f"Involvement {self.id}"


class ConversationMethod(models.TextChoices):
    PHONE = "phone", _("Phone call")
    VIDEO = "video", _("Video call")
    IN_PERSON = "in-person", _("In person")
    TEXT = "text", _("Text messages")
    EMAIL = "email", _("Email")


class Conversation(BaseModel):
    involvement = models.ForeignKey(
        Involvement, on_delete=models.CASCADE, related_name="conversations"
    )
    ask = models.ForeignKey(
        "asks.Ask", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author = models.ForeignKey(TeamMember, on_delete=models.PROTECT, related_name="+")
    happened_at = models.DateTimeField(_("when"))
    method = models.CharField(_("how"), max_length=12, choices=ConversationMethod.choices)
    with_whom = models.CharField(_("with whom"), max_length=200)
    summary = models.TextField(_("what you talked about"), blank=True)

    class Meta(BaseModel.Meta):
        ordering = ["happened_at", "id"]

    def __str__(self) -> str:
        return f"Conversation {self.id}"


class HoldBackReason(models.TextChoices):
    THIRD_PARTY = "third-party", _("It holds information about someone else")
    SAFEGUARDING = "safeguarding", _("Safeguarding: showing it could put someone at risk")


class Note(BaseModel):
    """Open notes: the person sees every note unless it is held back for a recorded reason."""

    involvement = models.ForeignKey(Involvement, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(TeamMember, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("note"))
    held_back_reason = models.CharField(
        _("reason to hold back"), max_length=16, choices=HoldBackReason.choices, blank=True
    )
    held_back_explanation = models.CharField(_("why"), max_length=500, blank=True)

    class Meta(BaseModel.Meta):
        constraints = [
            models.CheckConstraint(
                condition=models.Q(held_back_reason__in=["", *HoldBackReason.values]),
                name="care_note_hold_back_reason_valid",
            )
        ]

    @property
    def is_visible_to_person(self) -> bool:
        return not self.held_back_reason

    def __str__(self) -> str:
        return f"Note {self.id}"


class LifeDomain(models.TextChoices):
    """Where a goal sits in a person's life (after DIALOG's life domains, and more)."""

    MENTAL_HEALTH = "mental-health", _("Mental health")
    PHYSICAL_HEALTH = "physical-health", _("Physical health")
    JOB = "job", _("Job situation")
    ACCOMMODATION = "accommodation", _("Accommodation")
    LEISURE = "leisure", _("Leisure activities")
    FRIENDSHIPS = "friendships", _("Friendships")
    FAMILY = "family", _("Relationship with family or partner")
    SAFETY = "safety", _("Personal safety")
    MONEY = "money", _("Money")
    LEARNING = "learning", _("Learning and skills")
    COMMUNITY = "community", _("Community and belonging")
    OTHER = "other", _("Something else")


class StepOwner(models.TextChoices):
    ME = "me", _("Me")
    WORKER = "worker", _("My worker")
    VOLUNTEER = "volunteer", _("A volunteer")
    COMMUNITY_GROUP = "community-group", _("A community group")


def _by_one_author(prefix: str, member: str, is_person: str) -> models.CheckConstraint:
    """A plan change is made by a member of staff or by the person whose plan it is, never both.
    (Neither: written before Kith recorded who, or by a member since removed.)"""
    return models.CheckConstraint(
        condition=models.Q(**{f"{member}__isnull": True}) | models.Q(**{is_person: False}),
        name=f"{prefix}_{member}_or_person",
    )


class Plan(BaseModel):
    """The person-held plan, in their own words: one for each involvement."""

    involvement = models.OneToOneField(Involvement, on_delete=models.CASCADE, related_name="plan")
    what_matters = models.TextField(_("what matters to me"), blank=True)
    # Who last wrote what matters: a member of staff, or the person from their own account.
    what_matters_by = models.ForeignKey(
        TeamMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_what_matters_by_person = models.BooleanField(default=False)

    class Meta(BaseModel.Meta):
        constraints = [
            _by_one_author("care_plan", "what_matters_by", "is_what_matters_by_person"),
        ]

    def __str__(self) -> str:
        return f"Plan {self.id}"


class Goal(BaseModel):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    text = models.CharField(_("goal"), max_length=500)
    domain = models.CharField(_("part of life"), max_length=20, choices=LifeDomain.choices)
    added_by = models.ForeignKey(
        TeamMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_added_by_person = models.BooleanField(default=False)

    class Meta(BaseModel.Meta):
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(domain__in=LifeDomain.values), name="care_goal_domain_valid"
            ),
            _by_one_author("care_goal", "added_by", "is_added_by_person"),
        ]

    def __str__(self) -> str:
        return self.text


class GoalProgress(BaseModel):
    """How far along a goal the person feels, 0 (not started) to 10 (there), on a day."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="progress")
    recorded_by = models.ForeignKey(
        TeamMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_recorded_by_person = models.BooleanField(default=False)
    recorded_on = models.DateField(_("date"))
    score = models.PositiveSmallIntegerField(
        _("progress"), validators=[MinValueValidator(0), MaxValueValidator(10)]
    )

    class Meta(BaseModel.Meta):
        ordering = ["recorded_on", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=0, score__lte=10), name="care_goalprogress_0_to_10"
            ),
            _by_one_author("care_goalprogress", "recorded_by", "is_recorded_by_person"),
        ]

    def __str__(self) -> str:
        return f"{self.score}/10 on {self.recorded_on}"


class Step(BaseModel):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="steps")
    goal = models.ForeignKey(
        Goal, null=True, blank=True, on_delete=models.SET_NULL, related_name="steps"
    )
    text = models.CharField(_("step"), max_length=500)
    who = models.CharField(_("who does it"), max_length=16, choices=StepOwner.choices)
    due_on = models.DateField(_("by when"), null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    added_by = models.ForeignKey(
        TeamMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_added_by_person = models.BooleanField(default=False)
    done_by = models.ForeignKey(
        TeamMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_done_by_person = models.BooleanField(default=False)

    class Meta(BaseModel.Meta):
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(who__in=StepOwner.values), name="care_step_who_valid"
            ),
            _by_one_author("care_step", "added_by", "is_added_by_person"),
            _by_one_author("care_step", "done_by", "is_done_by_person"),
        ]

    def __str__(self) -> str:
        return self.text


class SafetyPlanSection(models.TextChoices):
    """The sections of a safety plan, in the order of the Stanley-Brown safety planning
    intervention: its six steps, then the one thing most important to the person. Labels are the
    person's own headings, as on the plan they hold."""

    WARNING_SIGNS = "warning-signs", _("My warning signs")
    COPING = "coping", _("Things I can do on my own to help me cope")
    DISTRACTIONS = "distractions", _("People and places that take my mind off things")
    PEOPLE_TO_ASK = "people-to-ask", _("People I can ask for help")
    PROFESSIONALS = "professionals", _("Professionals and services I can contact in a crisis")
    SAFER = "safer", _("Making my situation safer")
    WORTH_LIVING_FOR = "worth-living-for", _("What matters most to me and is worth living for")


class SafetyPlan(BaseModel):
    """The person's safety plan with a team, written with them: one for each involvement, so it
    is seen only by the team the person shares their record with, and it stays theirs (and
    stays in force) after the involvement closes."""

    involvement = models.OneToOneField(
        Involvement, on_delete=models.CASCADE, related_name="safety_plan"
    )

    def __str__(self) -> str:
        return f"Safety plan {self.id}"


class SafetyPlanEntry(BaseModel):
    """What the person's safety plan says under one section, one thing to a line, and who last
    wrote it: a member of staff with them, or the person from their own account."""

    safety_plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="entries")
    section = models.CharField(_("section"), max_length=20, choices=SafetyPlanSection.choices)
    text = models.TextField(_("what it says"), blank=True)
    written_by = models.ForeignKey(
        TeamMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_written_by_person = models.BooleanField(default=False)

    class Meta(BaseModel.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["safety_plan", "section"], name="care_safetyplanentry_one_per_section"
            ),
            models.CheckConstraint(
                condition=models.Q(section__in=SafetyPlanSection.values),
                name="care_safetyplanentry_section_valid",
            ),
            _by_one_author("care_safetyplanentry", "written_by", "is_written_by_person"),
        ]

    def __str__(self) -> str:
        return f"{self.section} of safety plan {self.safety_plan_id}"

    @property
    def lines(self) -> list[str]:
        """One thing to a line, as the person wrote them; blank lines left out."""
        return [line.strip() for line in self.text.splitlines() if line.strip()]


class ConsentHow(models.TextChoices):
    ASKED = "asked", _("By asking for help")
    CHOSE = "chose", _("By choosing to, from their account")


class Consent(BaseModel):
    """One decision by a person about who may see their record, never deleted or reused.

    With `withheld_organisation_name` empty, the person shares their record with `team`; with it
    set, they withhold their record from that organisation's members within `team` (matched
    with the members' `organisation_name`, ignoring case). The decision is in force from
    `given_at` until `withdrawn_at`; sharing again is a new row, so the history stays whole.
    `how_given`: by asking for help that went to the team (`ask`), or chosen from /my/sharing/.

    FHIR: a Consent (scope patient-privacy) for `person`, status active while `withdrawn_at` is
    empty, else inactive; provision.period `given_at`–`withdrawn_at`; provision.type permit with
    the team's CareTeam as actor when sharing, deny with the Organization (by name) when
    withholding.
    """

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="consents")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="consents")
    withheld_organisation_name = models.CharField(
        _("organisation withheld from"), max_length=200, blank=True
    )
    how_given = models.CharField(_("how"), max_length=8, choices=ConsentHow.choices)
    ask = models.ForeignKey(
        "asks.Ask", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    given_at = models.DateTimeField(_("given at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta(BaseModel.Meta):
        ordering = ["given_at", "created_at", "id"]
        constraints = [
            # At most one decision in force per person, team and organisation (or whole team).
            models.UniqueConstraint(
                models.F("person"),
                models.F("team"),
                Lower("withheld_organisation_name"),
                condition=models.Q(withdrawn_at__isnull=True),
                name="care_consent_one_in_force",
            ),
            models.CheckConstraint(
                condition=models.Q(how_given__in=ConsentHow.values),
                name="care_consent_how_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(withheld_organisation_name="")
                | models.Q(how_given=ConsentHow.CHOSE),
                name="care_consent_withholding_is_chosen",
            ),
            models.CheckConstraint(
                condition=models.Q(withdrawn_at__isnull=True)
                | models.Q(withdrawn_at__gte=models.F("given_at")),
                name="care_consent_withdrawn_after_given",
            ),
        ]

    def __str__(self) -> str:
        return f"Consent {self.id}"

    @property
    def is_in_force(self) -> bool:
        return self.withdrawn_at is None

    @property
    def is_withholding(self) -> bool:
        return bool(self.withheld_organisation_name)
