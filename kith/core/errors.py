"""One error hierarchy: views turn it into NHS.UK error messages, the API into one JSON shape."""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    """Something a person or client can correct. `message` is safe to show them."""

    status = 400

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
