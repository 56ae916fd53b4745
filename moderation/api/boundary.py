"""Helpers that turn requests into validated data at the API boundary."""

from __future__ import annotations

import functools

from flask import request
from marshmallow import Schema

from moderation.api.schemas import KEY_PATTERN
from moderation.errors import ApiError, NotFound
from moderation.openapi.registry import record_request


def json_object() -> dict:
    """Return the request's JSON body, which must be an object."""
    if not request.is_json:
        raise ApiError("Send the body as JSON with Content-Type: application/json.",
                       status=415, code="unsupported_media_type")
    data = request.get_json(silent=True)
    if data is None:
        raise ApiError("The body is not valid JSON.", code="invalid_json")
    if not isinstance(data, dict):
        raise ApiError("The body must be a JSON object.", code="invalid_json")
    return data


def use_body(schema: Schema, *, documented: Schema | None = None):
    """Load the JSON body through a schema and pass it to the view as ``data``.

    ``documented`` is what the OpenAPI document shows instead, where the schema accepts more
    than most callers may send (a field only signed-in readers may leave out).
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            return view(*args, data=schema.load(json_object()), **kwargs)

        record_request(wrapper, body=documented or schema)
        return wrapper

    return decorator


def use_query(schema: Schema):
    """Load the query string through a schema and pass it to the view as ``query``."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            raw = {key: request.args.get(key) for key in request.args}
            return view(*args, query=schema.load(raw), **kwargs)

        record_request(wrapper, query=schema)
        return wrapper

    return decorator


def check_keys(*keys: str) -> None:
    """Answer 404 for site or article keys no site could have (control characters, length)."""
    for key in keys:
        if not KEY_PATTERN.match(key):
            raise NotFound("No such site or article.", code="not_found")
