"""The kinds of audit event: every code the log stores, in one place.

The values are what the log has always stored (a person's access log and their downloads read
them back), so they never change; add a member here before any code records it. `kith.audit.
services.audit` refuses a value that is not here. Each enum is a `TextChoices`, so its members
are the strings themselves: `Purpose.HUDDLE == "huddle"`, and a dict keyed by members is read
with the stored string.
"""

from __future__ import annotations

from django.db import models


class ActorType(models.TextChoices):
    """Who acted: the person whose record it is, a member of staff (by user id), or Kith."""

    PERSON = "person", "The person"
    STAFF = "staff", "Staff member"
    SYSTEM = "system", "Kith"


class Outcome(models.TextChoices):
    OK = "ok", "Allowed"
    DENIED = "denied", "Refused"
    FAILED = "failed", "Failed"


class Action(models.TextChoices):
    READ = "read", "Read"
    CHANGE = "change", "Change"
    EXPORT = "export", "Export"
    ERASE = "erase", "Erase"
    SIGN_IN = "sign_in", "Sign in"
    SIGN_OUT = "sign_out", "Sign out"
    HOLD_BACK = "hold_back", "Hold a note back"
    # Consent: sharing the record with a team, and withholding it from an organisation's staff.
    SHARE = "share", "Share"
    WITHDRAW = "withdraw", "Stop sharing"
    WITHHOLD = "withhold", "Withhold"
    ALLOW = "allow", "Allow again"


class SubjectType(models.TextChoices):
    """What an event is about. A model's subject type is its class name in snake case
    (`SafetyPlan` is "safety_plan"); the rest are views of many people at once."""

    PERSON = "person", "Person"
    ASK = "ask", "Ask"
    INVOLVEMENT = "involvement", "Involvement"
    CONVERSATION = "conversation", "Conversation"
    NOTE = "note", "Note"
    PLAN = "plan", "Plan"
    GOAL = "goal", "Goal"
    GOAL_PROGRESS = "goal_progress", "Progress towards a goal"
    STEP = "step", "Step"
    SAFETY_PLAN = "safety_plan", "Safety plan"
    MEASURE_RESPONSE = "measure_response", "Measure response"
    CONSENT = "consent", "Consent"
    USER = "user", "Staff user"
    TEAM_MEMBER = "team_member", "Team member"
    HUDDLE_BOARD = "huddle_board", "Huddle board (id: the team)"
    CASELOAD = "caseload", "Caseload (id: the worker)"
    PERSON_SEARCH = "person_search", "Search for a person (id: the team)"


class Purpose(models.TextChoices):
    """Why. `kith.record.presenters` turns these into the words of the person's access log."""

    # Staff reading and changing a person's record in the team workspace.
    HUDDLE = "huddle", "The huddle board"
    ASK = "ask", "Reading an ask"
    PICK_UP = "pick_up", "Picking up an ask"
    CONVERSATION = "conversation", "Writing down a conversation"
    INVOLVEMENT = "involvement", "Reading the involvement"
    NOTE = "note", "Writing a note"
    CLOSE = "close", "Closing the involvement"
    PLAN = "plan", "The plan"
    STEP_DONE = "step_done", "Marking a step done"
    MEASURES = "measures", "Measures"
    SAFETY_PLAN = "safety_plan", "The safety plan"
    CASELOAD = "caseload", "A worker's caseload"
    SEARCH = "search", "Searching for a person"
    # Why a note is held back from the person (`care.models.HoldBackReason`).
    THIRD_PARTY = "third-party", "Held back: about someone else"
    SAFEGUARDING = "safeguarding", "Held back: safeguarding"
    # Kith acting on the person's behalf.
    RETURN = "return", "Easy back in"
    RETURN_BY_VERIFIED_EMAIL = "return_by_verified_email", "Easy back in, by a proved email"
    RETURN_BY_VERIFIED_PHONE = "return_by_verified_phone", "Easy back in, by a proved phone"
    CLAIM = "claim", "Asks made before signing in"
    SELF_REPORTED_RISK = "self_reported_risk", "Risk a person reported in a measure"
    # The person's own account.
    SIGN_IN_LINK = "sign_in_link", "Signed in with an email link"
    SIGN_IN_CODE = "sign_in_code", "Signed in with a code"
    CONTACT_DETAILS = "contact_details", "Contact details"
    DOWNLOAD = "download", "Downloading the record"
    DOWNLOAD_FHIR = "download_fhir", "Downloading the record as FHIR"
    CLOSE_ACCOUNT = "close_account", "Closing the account"
    # How consent was given (`people.models.ConsentHow`), and consent recorded by a migration.
    ASKED = "asked", "By asking for help"
    CHOSE = "chose", "By choosing to"
    ASKED_BEFORE_CONSENTS = "asked_before_consents", "Asked before consents were kept"
    # Staff accounts and sessions.
    DEACTIVATE = "deactivate", "Deactivating a team member"
    SECOND_FACTOR = "second-factor", "Second factor"
    SECOND_FACTOR_SET_UP = "second-factor-set-up", "Setting up a second factor"
    # "staff-session-" and `core.staff_sessions.EndReason`.
    STAFF_SESSION_IDLE = "staff-session-idle", "Signed out: idle"
    STAFF_SESSION_TOO_LONG = "staff-session-too-long", "Signed out: signed in too long"
    STAFF_SESSION_ENDED = "staff-session-ended", "Signed out: session ended"
    STAFF_SESSION_INACTIVE = "staff-session-inactive", "Signed out: membership inactive"
