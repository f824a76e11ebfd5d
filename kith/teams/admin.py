from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest

from kith.core.errors import ValidationFailed
from kith.teams.areas import EXAMPLE, MAX_TEXT, area_clean
from kith.teams.models import Team, TeamMember
from kith.teams.services import member_deactivate


class AreaField(forms.JSONField):
    """GeoJSON pasted into the admin: over-long text is refused before it is parsed, and text
    that is not JSON says so plainly."""

    default_error_messages = {
        "invalid": (
            "The area is not valid JSON: check its brackets, commas and quotes. "
            f"It should look like {EXAMPLE}"
        ),
    }

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and len(value) > MAX_TEXT:
            raise forms.ValidationError(
                f"The area is {len(value):,} characters long; the most Kith takes is "
                f"{MAX_TEXT:,}. Simplify the boundary and try again."
            )
        return super().to_python(value)


class TeamAdminForm(forms.ModelForm):
    area = AreaField(
        label="Area",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80}),
        help_text=Team._meta.get_field("area").help_text,
    )

    class Meta:
        model = Team
        fields = [
            "name",
            "postcode_districts",
            "area",
            "response_time_hours",
            "is_default",
            "contact_phone",
            "contact_email",
            "contact_hours",
        ]

    def clean_area(self) -> dict[str, Any] | None:
        try:
            return area_clean(self.cleaned_data.get("area"))
        except ValidationFailed as error:
            raise forms.ValidationError(error.message) from None


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    form = TeamAdminForm
    list_display = ["name", "postcode_districts", "has_area", "response_time_hours", "is_default"]

    @admin.display(boolean=True, description="Area")
    def has_area(self, team: Team) -> bool:
        return team.area is not None


def _actor(request: HttpRequest) -> AbstractBaseUser:
    """The signed-in administrator (the admin lets nobody else this far)."""
    if not isinstance(request.user, AbstractBaseUser):
        raise PermissionDenied
    return request.user


@admin.register(TeamMember)
class TeamMemberAdmin(admin.ModelAdmin):
    list_display = ["display_name", "team", "organisation_name", "role", "is_lead", "is_active"]
    list_filter = ["team", "role", "is_active"]
    actions = ["deactivate"]

    def save_model(self, request: HttpRequest, obj: TeamMember, form: Any, change: bool) -> None:
        """Unticking "active" goes through `member_deactivate`, so their sessions end too."""
        if change and "is_active" in form.changed_data and not obj.is_active:
            obj.is_active = True  # save the other changes, then deactivate through the service
            super().save_model(request, obj, form, change)
            member_deactivate(member=obj, by=_actor(request))
            return
        super().save_model(request, obj, form, change)

    @admin.action(description="Deactivate selected members and end their sessions")
    def deactivate(self, request: HttpRequest, queryset: QuerySet[TeamMember]) -> None:
        members = list(queryset.select_related("user"))
        for member in members:
            member_deactivate(member=member, by=_actor(request))
        self.message_user(request, f"Deactivated: {len(members)}. Their sessions have ended.")
