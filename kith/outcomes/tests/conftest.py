from __future__ import annotations

from kith.care.tests.conftest import colleague, member, other_team, outsider, team

__all__ = ["colleague", "member", "other_team", "outsider", "team"]
