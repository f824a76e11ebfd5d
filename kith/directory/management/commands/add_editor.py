"""`kith add-editor USERNAME --email E`: make someone a directory editor."""

from __future__ import annotations

import getpass
import secrets
import sys
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kith.directory.services.curation import editor_add


class Command(BaseCommand):
    help = (
        "Create (or update) a staff account in the group 'Directory editors'. Asks for a "
        "password at the terminal, or generates one with --generate-password."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--email", required=True, help="Their work email address.")
        parser.add_argument(
            "--generate-password",
            action="store_true",
            help="Generate a strong password and print it once, instead of asking.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        username: str = options["username"].strip()
        email: str = options["email"].strip()
        if not username:
            raise CommandError("Enter a username")
        if "@" not in email:
            raise CommandError(
                "Enter an email address in the correct format, like name@example.com"
            )
        generated = options["generate_password"] or not sys.stdin.isatty()
        password = secrets.token_urlsafe(18) if generated else self._ask_password()
        editor_add(username=username, email=email, password=password)
        self.stdout.write(f"{username} is a directory editor. Sign in at /staff/sign-in/.")
        if generated:
            self.stdout.write(f"Their password (shown once): {password}")

    def _ask_password(self) -> str:
        for _ in range(3):
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password again: "):
                self.stderr.write("The passwords do not match. Try again.")
                continue
            try:
                validate_password(password)
            except ValidationError as error:
                self.stderr.write(" ".join(error.messages))
                continue
            return password
        raise CommandError("No password set; nothing was changed")
