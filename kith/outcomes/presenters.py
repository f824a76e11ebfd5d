"""Display values for measures: what a form says beforehand about answers that flag risk."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kith.outcomes.measures import Measure


def _quoted_or(labels: list[str]) -> str:
    """'“Not at all”', or '“Never” or “Rarely”', or '“A”, “B” or “C”'."""
    quoted = [f"“{label}”" for label in labels]
    if len(quoted) < 2:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + " " + _("or") + " " + quoted[-1]


def risk_notices(definition: Measure) -> list[str]:
    """One sentence for each question whose answer flags risk, telling the person beforehand
    that such an answer goes to a team the same day (the result page then says which)."""
    notices = []
    for flag in definition.risk_flags:
        safe = [option.label for option in flag.safe_options]
        if safe:
            notices.append(
                _(
                    "If you answer question %(number)s with anything other than %(answers)s, we "
                    "let your local team know, so that someone from the team can get in touch "
                    "with you today."
                )
                % {"number": flag.number, "answers": _quoted_or(safe)}
            )
        else:
            notices.append(
                _(
                    "We let your local team know your answer to question %(number)s, so that "
                    "someone from the team can get in touch with you today."
                )
                % {"number": flag.number}
            )
    return notices
