"""One JSON problem shape for every API: {"error": {"code", "message", "field"?}}.

Errors raised inside an API become problems through the handlers installed here; errors that
happen before or around it (refused input, an unknown address, a crash) become problems in
`kith/core/boundary.py`, with `problem_response` and `problem_for_status`.
"""

from __future__ import annotations

import json
from http import HTTPStatus

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from kith.core.errors import ApplicationError, MalformedJson

JSON = "application/json; charset=utf-8"
NOT_FOUND = "There is nothing at this address in the API."
SERVER_ERROR = "Something went wrong on our side. Try again in a few minutes."
MALFORMED_JSON = (
    "The request body is not valid JSON. Check its quotes, commas and brackets, and send it again."
)


def problem_body(
    *, code: str, message: str, field: str | None = None, **extra: object
) -> dict[str, object]:
    body: dict[str, object] = {"code": code, "message": message}
    if field:
        body["field"] = field
    body.update(extra)
    return {"error": body}


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
    body = problem_body(code=code, message=message, field=field, **extra)
    return api.create_response(request, body, status=status)


def problem_response(
    *, status: int, code: str, message: str, field: str | None = None, **extra: object
) -> HttpResponse:
    """A problem answered outside any NinjaAPI (by the boundary middleware)."""
    body = problem_body(code=code, message=message, field=field, **extra)
    return HttpResponse(json.dumps(body), status=status, content_type=JSON)


def error_code(error: ApplicationError) -> str:
    return error.code or type(error).__name__


def problem_for_error(error: ApplicationError) -> HttpResponse:
    return problem_response(
        status=error.status,
        code=error_code(error),
        message=error.message,
        field=error.field,
        **error.extra,
    )


def problem_for_status(status: int, *, method: str = "", allow: str = "") -> HttpResponse:
    """The problem for an error response that carries no problem of its own."""
    if status == 404:
        return problem_response(status=404, code="not_found", message=NOT_FOUND)
    if status == 405:
        message = f"This address does not take {method}. It takes: {allow}."
        return problem_response(status=405, code="method_not_allowed", message=message)
    if status >= 500:
        return problem_response(status=status, code="server_error", message=SERVER_ERROR)
    try:
        known = HTTPStatus(status)
    except ValueError:
        return problem_response(status=status, code="error", message="The request failed.")
    code = known.phrase.lower().replace(" ", "_").replace("-", "_")
    return problem_response(status=status, code=code, message=f"{known.description}.")


def install_error_handlers(api: NinjaAPI) -> None:
    def on_application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
        return problem(
            api,
            request,
            status=exc.status,
            code=error_code(exc),
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

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400 and str(exc.message).startswith("Cannot parse request body"):
            error = MalformedJson(MALFORMED_JSON)
            return problem(api, request, status=400, code=error_code(error), message=error.message)
        return problem_for_status(exc.status_code, method=request.method or "")

    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem(api, request, status=404, code="not_found", message=NOT_FOUND)

    api.add_exception_handler(ApplicationError, on_application_error)  # type: ignore[arg-type]
    api.add_exception_handler(HttpError, on_http_error)  # type: ignore[arg-type]
    api.add_exception_handler(Http404, on_not_found)  # type: ignore[arg-type]
    api.add_exception_handler(ValidationError, on_validation_error)  # type: ignore[arg-type]
    api.add_exception_handler(AuthenticationError, on_auth_error)  # type: ignore[arg-type]
