"""The boundary every request crosses before any view runs (`RequestBoundaryMiddleware`).

1. Input no field can hold is refused: a NUL or half of a surrogate pair anywhere in the path,
   the query string, a form body or a JSON body answers 400 (the problem shape under /api/, an
   NHS.UK error page elsewhere). PostgreSQL refuses NUL in text and a lone surrogate has no UTF-8
   form, so either would otherwise fail deep inside some view as a 500. Checking every request
   here means no field, today's or tomorrow's, can forget.
2. Writes to Kith's own API (/api/v1/) must be JSON; anything else answers 415. A page on another
   site can make its visitors' browsers send text/plain, form or multipart bodies anywhere without
   asking first (a CORS "simple" request), but a JSON body needs a preflight, which /api/v1/ never
   allows. So no other site can send asks in its visitors' names.
3. Under /api/, a JSON body that cannot be parsed answers 400 in the problem shape; an address
   with a trailing slash is served as the one without (ORUK clients often add it); and any error
   answer that is not JSON (Django's 404 page, a 405, a crash) becomes the problem shape, so API
   clients never get HTML.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponseBase
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.urls import is_valid_path
from django.utils.datastructures import MultiValueDict

from kith.core.api_errors import MALFORMED_JSON, problem_for_error, problem_for_status
from kith.core.api_errors import problem_response as api_problem_response
from kith.core.errors import (
    ApplicationError,
    InvalidCharacters,
    MalformedJson,
    UnsupportedMediaType,
)

API_PREFIX = "/api/"
JSON_ONLY_PREFIX = "/api/v1/"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH"})
# NUL, and every UTF-16 surrogate: JSON and Python decode a surrogate pair into one character,
# so any surrogate still present in a string is half of a pair.
FORBIDDEN = re.compile("[\x00\ud800-\udfff]")
KEPT_HEADERS = ("Allow", "Retry-After")


def is_api_path(path: str) -> bool:
    return path.startswith(API_PREFIX)


def is_json_type(content_type: str) -> bool:
    return content_type == "application/json" or (
        content_type.startswith("application/") and content_type.endswith("+json")
    )


def invalid_characters(field: str | None) -> InvalidCharacters:
    where = field or "The request"
    return InvalidCharacters(
        f"{where} contains a character that cannot be accepted (a null character or half of a "
        "surrogate pair). Remove it and try again.",
        field=field,
    )


def _pairs(data: MultiValueDict[str, Any]) -> Iterator[tuple[str | None, str]]:
    """(field, text) for every name and value; a bad name is never echoed back as a field."""
    for name, values in data.lists():
        yield None, name
        for value in values:
            yield name, value if isinstance(value, str) else str(getattr(value, "name", ""))


def _json_strings(document: object) -> Iterator[tuple[str | None, str]]:
    """(where, text) for every key and string in a JSON document, in document order; `where`
    is a dotted path like "extra.1.note" (a key is reported at its object's place)."""
    stack: list[tuple[str, object]] = [("", document)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, str):
            yield path or None, node
        elif isinstance(node, dict):
            children = []
            for key, child in node.items():
                yield path or None, key
                children.append((f"{path}.{key}" if path else key, child))
            stack.extend(reversed(children))
        elif isinstance(node, list):
            stack.extend(
                reversed([(f"{path}.{i}" if path else str(i), c) for i, c in enumerate(node)])
            )


def _first_forbidden(pairs: Iterator[tuple[str | None, str]]) -> InvalidCharacters | None:
    for field, value in pairs:
        if FORBIDDEN.search(value):
            return invalid_characters(field)
    return None


def request_refusal(request: HttpRequest) -> ApplicationError | None:
    """Why this request must not reach a view, or None."""
    has_body = request.META.get("CONTENT_LENGTH") not in (None, "", "0")
    is_json = is_json_type(request.content_type or "")
    if (
        request.path_info.startswith(JSON_ONLY_PREFIX)
        and request.method in WRITE_METHODS
        and has_body
        and not is_json
    ):
        return UnsupportedMediaType(
            "Send the request body as JSON, with the header Content-Type: application/json."
        )
    if FORBIDDEN.search(request.path_info):
        return invalid_characters(None)
    found = _first_forbidden(_pairs(request.GET))
    if found is None and request.method == "POST" and not is_json:
        found = _first_forbidden(_pairs(request.POST)) or _first_forbidden(_pairs(request.FILES))
    if found is None and has_body and is_json:
        try:
            document = json.loads(request.body)
        except (ValueError, RecursionError):
            # Outside the API a view may want to say more; under it, this is the answer.
            return MalformedJson(MALFORMED_JSON) if is_api_path(request.path_info) else None
        found = _first_forbidden(_json_strings(document))
    return found


class RequestBoundaryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        is_api = is_api_path(request.path_info)
        if is_api:
            self._serve_without_trailing_slash(request)
        try:
            refusal = request_refusal(request)
        except (SuspiciousOperation, MultiPartParserError) as error:
            if not is_api:
                raise  # Django answers these with its own 400
            too_big = isinstance(error, RequestDataTooBig)
            return api_problem_response(
                status=413 if too_big else 400,
                code="request_too_large" if too_big else "unreadable_request",
                message="The request body is too large."
                if too_big
                else "The request could not be read. Check it and send it again.",
            )
        if refusal is not None:
            return problem_for_error(refusal) if is_api else self._refused_page(request, refusal)
        response = self.get_response(request)
        if is_api and response.status_code >= 400 and not self._is_json(response):
            return self._as_problem(request, response)
        return response

    @staticmethod
    def _serve_without_trailing_slash(request: HttpRequest) -> None:
        path = request.path_info
        if path.endswith("/") and not is_valid_path(path) and is_valid_path(path[:-1]):
            request.path_info = path[:-1]
            request.path = request.path[:-1]

    @staticmethod
    def _is_json(response: HttpResponseBase) -> bool:
        content_type = response.get("Content-Type", "").split(";")[0].strip()
        return is_json_type(content_type)

    @staticmethod
    def _as_problem(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        problem = problem_for_status(
            response.status_code, method=request.method or "", allow=response.get("Allow", "")
        )
        for header in KEPT_HEADERS:
            if header in response:
                problem[header] = response[header]
        return problem

    @staticmethod
    def _refused_page(request: HttpRequest, refusal: ApplicationError) -> HttpResponseBase:
        if isinstance(refusal, InvalidCharacters):
            refusal = InvalidCharacters(
                "What you sent contains a hidden character that cannot be accepted, like a null "
                "character. Go back, type what you wrote again, and send it."
            )
        return render(request, "core/400.jinja", {"problem": refusal.message}, status=400)
