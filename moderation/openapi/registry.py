"""The one place a route declares its contract: @describe on the view.

The request side comes from the schemas the view already loads (use_body, use_query);
@describe adds what it answers. A route under a documented prefix with no @describe still
appears in the document, with its request side and a bare success answer.
"""

from __future__ import annotations

from collections.abc import Callable

OPENAPI_ATTR = "__openapi__"


def _spec_of(view: Callable) -> dict:
    spec = view.__dict__.get(OPENAPI_ATTR)
    if spec is None:
        spec = {}
        setattr(view, OPENAPI_ATTR, spec)
    return spec


def describe(*, responses: dict, summary: str | None = None, tags: list[str] | None = None,
             body=None, parameters: list[dict] | None = None, rate_limited: bool = False,
             security: list[dict] | None = None, links: dict | None = None):
    """Declare a view's answers: {status: schema, description or None} and request extras.

    A schema (class or instance) becomes a JSON body; a string is a description of an
    answer without a body. body and parameters document what the view reads by hand;
    links ({status: {name: OpenAPI link}}) tell clients and stateful fuzzers what follows.
    """

    def decorator(view):
        spec = _spec_of(view)
        spec.update(responses=responses, summary=summary, tags=tags, rate_limited=rate_limited)
        if body is not None:
            spec["body"] = body
        if parameters:
            spec["parameters"] = parameters
        if security:
            spec["security"] = security
        if links:
            spec["links"] = links
        return view

    return decorator


def record_request(view: Callable, *, body=None, query=None) -> None:
    """Note the schema a boundary decorator loads the body or query string with."""
    spec = _spec_of(view)
    if body is not None:
        spec["body"] = body
        spec["loads_json"] = True
    if query is not None:
        spec["query"] = query


def spec_of(view: Callable) -> dict:
    """Return what a view declared (empty for a route nobody described)."""
    return view.__dict__.get(OPENAPI_ATTR) or {}
