from __future__ import annotations

from kith.care.tests.conftest import member, other_team, outsider, team

__all__ = ["member", "other_team", "outsider", "team"]
