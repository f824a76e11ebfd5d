"""One JSON problem shape for every API: {"error": {"code", "message", "field"?}}."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from kith.core.errors import ApplicationError


def problem(
    api: NinjaAPI,
    request: HttpRequest,
    *,
    status: int,
    code: str,
    message: str,
    field: str | None = None,
    **extra: object,
) -> HttpResponse:
    body: dict[str, object] = {"code": code, "message": message}
    if field:
        body["field"] = field
    body.update(extra)
    return api.create_response(request, {"error": body}, status=status)


def install_error_handlers(api: NinjaAPI) -> None:
    def on_application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
        return problem(
            api,
            request,
            status=exc.status,
            code=type(exc).__name__,
            message=exc.message,
            field=exc.field,
            **exc.extra,
        )

    def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        first = exc.errors[0] if exc.errors else {}
        loc = [str(part) for part in first.get("loc", []) if part not in ("query", "body", "path")]
        return problem(
            api,
            request,
            status=400,
            code="invalid_parameter",
            message=f"{'.'.join(loc) or 'request'}: {first.get('msg', 'is not valid')}",
            field=".".join(loc) or None,
            details=exc.errors,
        )

    def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return problem(
            api, request, status=401, code="unauthorised", message="Sign in to use this endpoint."
        )

    api.add_exception_handler(ApplicationError, on_application_error)  # type: ignore[arg-type]
    api.add_exception_handler(ValidationError, on_validation_error)  # type: ignore[arg-type]
    api.add_exception_handler(AuthenticationError, on_auth_error)  # type: ignore[arg-type]
