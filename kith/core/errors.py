"""One error hierarchy: views turn it into NHS.UK error messages, the API into one JSON shape."""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    """Something a person or client can correct. `message` is safe to show them."""

    status = 400
    # The API's `code` for this error; empty means the class name (kept for existing clients).
    code = ""

    def __init__(
        self, message: str, *, field: str | None = None, extra: dict[str, Any] | None = None
    ):
        super().__init__(message)
        self.message = message
        self.field = field
        self.extra = extra or {}


class ValidationFailed(ApplicationError):
    status = 400


class NotFound(ApplicationError):
    status = 404


class ImportFailed(ApplicationError):
    """An import source could not be used at all; nothing was changed."""

    status = 422


class InvalidCharacters(ApplicationError):
    """Input holds a character no field can store: a NUL (PostgreSQL refuses it in text) or half
    of a surrogate pair (it has no UTF-8 form). Refused before any view runs (`boundary.py`)."""

    status = 400
    code = "invalid_characters"


class MalformedJson(ApplicationError):
    status = 400
    code = "invalid_json"


class UnsupportedMediaType(ApplicationError):
    """A write to the JSON API whose body is not JSON (see `boundary.py` for why it matters)."""

    status = 415
    code = "unsupported_media_type"
