"""Every audit event outside kith.audit goes through `audit`, with codes from kith.audit.events:
no module writes the low-level row itself or keeps its own copy of an actor type."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
AUDIT = ROOT / "kith" / "audit"
ACTOR_TYPES = {"person", "staff", "system"}
ACTOR_NAMES = {"PERSON", "STAFF", "SYSTEM"}
# Calls that write an event (reading the log back by `actor_type="staff"` is fine).
WRITES = {"audit_record", "AuditEvent", "create", "bulk_create", "get_or_create"}


def _python_files() -> list[Path]:
    return sorted(
        path
        for folder in ("kith", "tests", "benchmarks")
        for path in (ROOT / folder).rglob("*.py")
        if AUDIT not in path.parents and "migrations" not in path.parts
    )


def _called_name(node: ast.Call) -> str:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return ""


def _string(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def offences(source: str) -> list[str]:
    """What in `source` goes around `audit`: a call of `audit_record`, an event written with an
    `actor_type=` given as a string, or a module constant such as `STAFF = "staff"`."""
    found = []
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            if _called_name(node) == "audit_record":
                found.append(
                    f"line {node.lineno}: calls audit_record; use kith.audit.services.audit"
                )
            for keyword in node.keywords:
                values = [keyword.value]
                if isinstance(keyword.value, ast.IfExp):
                    values = [keyword.value.body, keyword.value.orelse]
                if (
                    keyword.arg == "actor_type"
                    and _called_name(node) in WRITES
                    and any(_string(v) is not None for v in values)
                ):
                    found.append(f"line {node.lineno}: actor_type as a string")
    for statement in tree.body:
        if not isinstance(statement, ast.Assign):
            continue
        for target in statement.targets:
            pairs: list[tuple[ast.AST, ast.AST]] = [(target, statement.value)]
            if isinstance(target, ast.Tuple) and isinstance(statement.value, ast.Tuple):
                pairs = list(zip(target.elts, statement.value.elts, strict=False))
            for name, value in pairs:
                if (
                    isinstance(name, ast.Name)
                    and name.id in ACTOR_NAMES
                    and _string(value) in ACTOR_TYPES
                ):
                    found.append(
                        f"line {statement.lineno}: {name.id} = {_string(value)!r}; "
                        "use kith.audit.events.ActorType"
                    )
    return found


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            'audit_record(actor_type="staff", actor_id="1")',
            [
                "line 1: calls audit_record; use kith.audit.services.audit",
                "line 1: actor_type as a string",
            ],
        ),
        (
            'services.audit_record(actor_type=STAFF if m else "system")',
            [
                "line 1: calls audit_record; use kith.audit.services.audit",
                "line 1: actor_type as a string",
            ],
        ),
        ('STAFF = "staff"', ["line 1: STAFF = 'staff'; use kith.audit.events.ActorType"]),
        (
            'STAFF, PERSON = "staff", "person"',
            [
                "line 1: STAFF = 'staff'; use kith.audit.events.ActorType",
                "line 1: PERSON = 'person'; use kith.audit.events.ActorType",
            ],
        ),
        (
            'AuditEvent.objects.create(actor_type="person", actor_id="1")',
            ["line 1: actor_type as a string"],
        ),
        (
            "audit(member, ask, action=Action.READ, purpose=Purpose.HUDDLE)\n"
            "AuditEvent.objects.filter(actor_type='person')\n"
            "STAFF_SESSION_ID = 'kith_staff_session_id'",
            [],
        ),
    ],
)
def test_given_source_when_checked_then_each_way_around_audit_is_found(
    source: str, expected: list[str]
) -> None:
    assert offences(source) == expected


def test_given_every_module_outside_audit_then_none_goes_around_the_helper() -> None:
    # given
    files = _python_files()
    # when
    found = {
        str(path.relative_to(ROOT)): problems
        for path in files
        if (problems := offences(path.read_text(encoding="utf-8")))
    }
    # then
    assert len(files) > 100
    assert found == {}
