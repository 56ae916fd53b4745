"""Build an OpenAPI 3.1 document from the app's routes and the schemas they declared."""

from __future__ import annotations

import re

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask
from marshmallow import Schema

from moderation.openapi.registry import spec_of

METHODS = ("get", "post", "put", "patch", "delete")
_CONVERTER = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
# Path parameters by converter; article keys may hold "/" but a documented one does not,
# so that generated examples never need slash merging.
_PATH_SCHEMAS = {
    "id": {"type": "integer", "minimum": 1, "maximum": 2**63 - 1},
    "default": {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9._:~\-]{0,63}$"},
    "path": {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9._:~\-]{0,199}$"},
}
GENERIC_ERRORS = {
    400: "The body is not JSON, or not a JSON object (code invalid_json).",
    404: "No such site, article or comment.",
    405: "No route takes this method for this path (an id out of range can read so).",
    413: "The body is over the size limit.",
    414: "The URL is over 4 KB.",
    415: "The body is not sent as application/json.",
    422: "A field is missing, invalid or unknown; see error.fields.",
    429: "Too many requests; Retry-After says when to retry.",
    431: "A request header is over 8 KB.",
    503: "A dependency (database, model) is briefly unavailable; retry.",
}


def openapi_path(rule: str) -> tuple[str, list[dict]]:
    """Return the OpenAPI path of a Werkzeug rule and its path parameters."""
    parameters = []

    def replace(match: re.Match) -> str:
        converter, name = match.group(1) or "default", match.group(2)
        parameters.append({"name": name, "in": "path", "required": True,
                           "schema": dict(_PATH_SCHEMAS.get(converter, _PATH_SCHEMAS["default"]))})
        return "{" + name + "}"

    return _CONVERTER.sub(replace, rule), parameters


def _operation(view, method: str, endpoint: str, path_parameters: list[dict],
               error_ref: type[Schema]) -> dict:
    """Return the OpenAPI operation of one view from what it declared."""
    spec = spec_of(view)
    doc = (view.__doc__ or "").strip().splitlines()
    operation: dict = {"operationId": endpoint,
                       "summary": spec.get("summary") or (doc[0] if doc else view.__name__),
                       "parameters": list(path_parameters) + list(spec.get("parameters", []))}
    if spec.get("tags"):
        operation["tags"] = spec["tags"]
    if spec.get("security"):
        operation["security"] = spec["security"]
    if spec.get("query") is not None:
        operation["parameters"].append({"in": "query", "schema": spec["query"]})
    if spec.get("body") is not None:
        operation["requestBody"] = {"required": True,
                                    "content": {"application/json": {"schema": spec["body"]}}}
    responses: dict = {}
    for status, answer in (spec.get("responses") or {200: "Success."}).items():
        if answer is None or isinstance(answer, str):
            responses[str(status)] = {"description": answer or "No body."}
        else:
            responses[str(status)] = {"description": "Success." if status < 300 else "Refused.",
                                      "content": {"application/json": {"schema": answer}}}
        if status in spec.get("links", {}):
            responses[str(status)]["links"] = spec["links"][status]
    # Every route: size limits (moderation/ops/limits.py) and a dependency down.
    automatic = {414, 431, 503}
    if method in ("post", "put", "patch"):
        automatic.add(413)
    if path_parameters:
        automatic |= {404, 405}
    if spec.get("loads_json"):
        automatic |= {400, 413, 415, 422}
    if spec.get("query") is not None:
        automatic.add(422)
    if spec.get("rate_limited"):
        automatic.add(429)
    for status in sorted(automatic):
        responses.setdefault(str(status), {
            "description": GENERIC_ERRORS[status],
            "content": {"application/json": {"schema": error_ref}},
        })
    operation["responses"] = dict(sorted(responses.items()))
    return operation


def _register_rules_across_fields(spec: APISpec, app: Flask, prefixes: tuple[str, ...]) -> None:
    """Register request schemas that state a rule across fields (JSON Schema ``if``/``then``).

    A schema class says so in ``OPENAPI_RULES``; registering it first, under the name the
    plugin would give it, keeps the rule when the operations refer to it.
    """
    for rule in app.url_map.iter_rules():
        body = spec_of(app.view_functions[rule.endpoint]).get("body")
        rules = getattr(body, "OPENAPI_RULES", None)
        name = type(body).__name__
        if rule.rule.startswith(prefixes) and rules and name not in spec.components.schemas:
            spec.components.schema(name, component=dict(rules), schema=type(body))


def build_document(app: Flask, *, title: str, description: str, prefixes: tuple[str, ...],
                   error_schema: type[Schema], error_name: str = "Error",
                   security_schemes: dict | None = None) -> dict:
    """Return the OpenAPI 3.1 document of the app's routes under the given prefixes."""
    spec = APISpec(title=title, version="1", openapi_version="3.1.0",
                   plugins=[MarshmallowPlugin()], info={"description": description})
    spec.components.schema(error_name, schema=error_schema)
    for name, scheme in (security_schemes or {}).items():
        spec.components.security_scheme(name, scheme)
    _register_rules_across_fields(spec, app, prefixes)
    paths: dict[str, dict] = {}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(prefixes) or rule.endpoint.startswith("openapi."):
            continue
        path, parameters = openapi_path(rule.rule)
        view = app.view_functions[rule.endpoint]
        for method in METHODS:
            if method.upper() in rule.methods:
                paths.setdefault(path, {})[method] = _operation(view, method, rule.endpoint,
                                                                parameters, error_schema)
    for path in sorted(paths):
        spec.path(path=path, operations=paths[path])
    return spec.to_dict()
