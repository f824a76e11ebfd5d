"""Integrated community teams: teams and members, involvements, conversations and open notes."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kith.asks.models import Outcome
from kith.core.models import BaseModel
from kith.teams.models import Team, TeamMember


class InvolvementStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed with an open door")


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
