"""Fictional staff accounts for the demo locality, so curation can be tried straight away.

Two editors, because every change needs a second editor to review it. The password is the
documented demo password (KITH_DEMO_PASSWORD, else "kith-demo-editor"); the demo app is never
installed in production. Like every new member of staff, they have no authenticator app yet and
set one up at their first sign-in.
"""

from __future__ import annotations

import os

from kith.directory.services.curation import editor_add

DEFAULT_DEMO_PASSWORD = "kith-demo-editor"  # noqa: S105 - documented, demo only
DEMO_EDITORS = (
    ("editor.amara", "amara.editor@example.com"),
    ("editor.tom", "tom.editor@example.com"),
)


def demo_password() -> str:
    return os.environ.get("KITH_DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD


def load_demo_editors() -> list[str]:
    """Create the demo editor accounts; returns lines to print (usernames and where to sign in)."""
    password = demo_password()
    for username, email in DEMO_EDITORS:
        editor_add(username=username, email=email, password=password)
    names = " and ".join(f'"{username}"' for username, _ in DEMO_EDITORS)
    return [
        f"Demo directory editors: {names}, password {password!r}.",
        "Sign in at /staff/sign-in/, then go to /staff/directory/ to curate listings.",
        "The first sign-in sets up an authenticator app for the second factor (a QR code, or a "
        "key to type in); after that, each sign-in asks for a code from it.",
        "Changes proposed by one editor are reviewed and published by the other.",
    ]
