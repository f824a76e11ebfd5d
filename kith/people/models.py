"""People: members of the public who ask for help. They are not Django auth users."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from kith.core.models import BaseModel


class Person(BaseModel):
    class PreferredContact(models.TextChoices):
        EMAIL = "email", "Email"
        TEXT = "text", "Text message"
        PHONE = "phone", "Phone call"
        NONE = "none", "I'll get back in touch"

    display_name = models.CharField(max_length=100, blank=True)
    email = models.EmailField(max_length=254, blank=True, db_index=True)
    # UK mobile normalised to +447xxxxxxxxx.
    phone = models.CharField(max_length=16, blank=True, db_index=True)
    # When the person proved each contact (a sign-in or a code sent to it). Only proved contacts
    # sign anyone in or claim asks; empty for a contact stored before proof was asked for that
    # nobody has proved since (migration 0003 says which counted).
    email_verified_at = models.DateTimeField(null=True, blank=True)
    phone_verified_at = models.DateTimeField(null=True, blank=True)
    preferred_contact = models.CharField(
        max_length=8, choices=PreferredContact.choices, default=PreferredContact.EMAIL
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta(BaseModel.Meta):
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return f"Person {self.id}"


class SignInToken(BaseModel):
    """A one-time email link or text code. Only its SHA-256 hash is stored."""

    class Kind(models.TextChoices):
        LINK = "link", "Link by email"
        CODE = "code", "Six-digit code"

    kind = models.CharField(max_length=4, choices=Kind.choices)
    # The contact detail the secret was sent to: signing in verifies it.
    contact = models.CharField(max_length=254)
    token_hash = models.CharField(max_length=64, db_index=True)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="sign_in_tokens"
    )
    # A code works only in the browser session that asked for it: the HMAC of a random value
    # kept in that session. Empty for links, which may be opened on another device.
    session_hash = models.CharField(max_length=64, blank=True, default="")
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    def __str__(self) -> str:
        return f"Sign-in {self.kind} {self.id}"


class PendingContact(BaseModel):
    """A new email address or mobile number from /my/contact/, waiting for the code sent to it.

    It is not the person's contact until the code comes back. Only the code's HMAC is stored,
    as for sign-in codes; a new one replaces the earlier one of the same kind.
    """

    class Kind(models.TextChoices):
        EMAIL = "email", "Email address"
        PHONE = "phone", "Mobile number"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="pending_contacts")
    kind = models.CharField(max_length=5, choices=Kind.choices)
    contact = models.CharField(max_length=254)
    token_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta(BaseModel.Meta):
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="one_pending_contact_per_kind")
        ]

    def __str__(self) -> str:
        return f"Pending {self.kind} {self.id}"


# A person's decisions about who sees their record are theirs (DESIGN: people holds consent).
# The table kept its name when the model moved here from care (migration people 0004).
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

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    team = models.ForeignKey("teams.Team", on_delete=models.PROTECT, related_name="consents")
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
        db_table = "care_consent"
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
