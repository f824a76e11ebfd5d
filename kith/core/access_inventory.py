"""The access inventory: every URL and API operation, and what each role gets from it.

The inventory itself is data, `kith/core/data/access-inventory.csv`, one row per URL pattern
(named `namespace:name`, as `django.urls.reverse` knows it) with the expected answer to a GET
(a POST with a valid CSRF token for POST-only routes) for each role. A cell is a status code
(`200`, `404`, `405`, ...) or a redirect, `302>url-name`, whose target is checked by name.
`kith/core/tests/test_access_inventory.py` walks every pattern the project resolves, as every
role, and fails when a route is missing from the inventory, the inventory names a route that no
longer exists, or a route answers differently. `docs/access.md` holds the same table for
people to read; regenerate it with `python -m kith.core.access_inventory`.

Roles (columns):

- `anonymous`: nobody signed in.
- `person`: a signed-in member of the public (`kith.people`), the owner of the objects used.
- `other_person`: a signed-in member of the public who does not own them.
- `volunteer`: no volunteer accounts exist yet; the cell is `n/a` and a volunteer is treated
  as anonymous.
- `staff`: an active member of the team the objects belong to (`kith.care.TeamMember`).
- `other_staff`: an active member of another team.
- `lead`: the lead of the team the objects belong to (`TeamMember.is_lead`).
- `editor`: a member of the group "Directory editors", the proposer of the listing change used.
- `admin`: a Django superuser.

A name ending in `:*` covers every pattern of that namespace (the Django admin).
"""

from __future__ import annotations

import csv
import sys
from dataclasses import dataclass
from pathlib import Path

INVENTORY_PATH = Path(__file__).parent / "data" / "access-inventory.csv"

ROLES: tuple[str, ...] = (
    "anonymous",
    "person",
    "other_person",
    "volunteer",
    "staff",
    "other_staff",
    "lead",
    "editor",
    "admin",
)
ROLE_LABELS: dict[str, str] = {
    "anonymous": "Anonymous",
    "person": "Person (owner)",
    "other_person": "Another person",
    "volunteer": "Volunteer",
    "staff": "Staff of this team",
    "other_staff": "Staff of another team",
    "lead": "Team lead",
    "editor": "Directory editor",
    "admin": "Administrator",
}
# Roles without accounts yet, and the role they are treated as meanwhile.
NOT_YET_APPLICABLE: dict[str, str] = {"volunteer": "anonymous"}
NOT_APPLICABLE = "n/a"
METHODS = ("GET", "POST")
COLUMNS: tuple[str, ...] = ("name", "route", "method", *ROLES, "note")


class InventoryError(ValueError):
    """The inventory file cannot be read as an inventory; the message names the row."""


@dataclass(frozen=True)
class Outcome:
    """What a request should answer: a status code and, for redirects, the target's URL name."""

    status: int
    redirect_to: str | None = None

    def __str__(self) -> str:
        return f"{self.status}>{self.redirect_to}" if self.redirect_to else str(self.status)


@dataclass(frozen=True)
class Entry:
    name: str
    route: str
    method: str
    outcomes: dict[str, Outcome]
    note: str

    @property
    def is_wildcard(self) -> bool:
        return self.name.endswith(":*")

    def covers(self, name: str) -> bool:
        if self.is_wildcard:
            return name.startswith(self.name[:-1])
        return name == self.name


def outcome_parse(cell: str) -> Outcome:
    """`200` or `302>people:sign_in`. Raises InventoryError for anything else."""
    status_text, _, target = cell.strip().partition(">")
    if not status_text.isdigit() or not 100 <= int(status_text) <= 599:
        raise InventoryError(f"{cell!r} is not a status code like 200 or 302>core:sign_in")
    status = int(status_text)
    if (300 <= status < 400) != bool(target):
        raise InventoryError(f"{cell!r}: a redirect needs a target (302>name), nothing else may")
    return Outcome(status=status, redirect_to=target or None)


def inventory_parse(text: str) -> list[Entry]:
    """Read the inventory CSV. Every error names the line, so a bad edit is easy to find."""
    reader = csv.DictReader(text.splitlines())
    if tuple(reader.fieldnames or ()) != COLUMNS:
        raise InventoryError(f"line 1: the columns must be {', '.join(COLUMNS)}")
    entries: list[Entry] = []
    seen: set[tuple[str, str]] = set()
    for line, row in enumerate(reader, start=2):
        name, method = row["name"].strip(), row["method"].strip()
        if not name or method not in METHODS:
            raise InventoryError(f"line {line}: needs a name and a method, GET or POST")
        if (name, method) in seen:
            raise InventoryError(f"line {line}: {name} {method} is listed twice")
        seen.add((name, method))
        outcomes: dict[str, Outcome] = {}
        for role in ROLES:
            cell = (row[role] or "").strip()
            if role in NOT_YET_APPLICABLE:
                if cell != NOT_APPLICABLE:
                    raise InventoryError(f"line {line}: {role} has no accounts yet; write n/a")
                continue
            try:
                outcomes[role] = outcome_parse(cell)
            except InventoryError as error:
                raise InventoryError(f"line {line}, {role}: {error}") from None
        for role, treated_as in NOT_YET_APPLICABLE.items():
            outcomes[role] = outcomes[treated_as]
        entries.append(
            Entry(
                name=name,
                route=row["route"].strip(),
                method=method,
                outcomes=outcomes,
                note=(row["note"] or "").strip(),
            )
        )
    return entries


def inventory_load(path: Path = INVENTORY_PATH) -> list[Entry]:
    return inventory_parse(path.read_text(encoding="utf-8"))


def entry_for(name: str, entries: list[Entry]) -> Entry | None:
    """The entry for a URL name: its own row first, else a namespace wildcard."""
    exact = [entry for entry in entries if entry.name == name]
    if exact:
        return exact[0]
    return next((entry for entry in entries if entry.covers(name)), None)


def _cell(entry: Entry, role: str) -> str:
    if role in NOT_YET_APPLICABLE:
        return f"n/a (as {NOT_YET_APPLICABLE[role]})"
    outcome = entry.outcomes[role]
    if outcome.redirect_to:
        return f"{outcome.status} to `{outcome.redirect_to}`"
    return str(outcome.status)


def inventory_markdown(entries: list[Entry]) -> str:
    """The inventory as a Markdown table, as docs/access.md shows it."""
    header = ["URL", "Method", *(ROLE_LABELS[role] for role in ROLES), "Note"]
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    for entry in entries:
        cells = [
            f"`/{entry.route}` (`{entry.name}`)",
            entry.method,
            *(_cell(entry, role) for role in ROLES),
            entry.note,
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(inventory_markdown(inventory_load()))
