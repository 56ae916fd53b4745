"""POST /coral/moderation?site=KEY: check Coral's signature, then answer from the policy."""

from __future__ import annotations

from flask import current_app, request

from moderation.api.boundary import use_query
from moderation.api.responses import Error
from moderation.coral import bp
from moderation.coral.answer import moderate
from moderation.coral.schemas import (
    CoralModerationRequest,
    CoralModerationResult,
    CoralSiteQuery,
)
from moderation.coral.signature import is_signed
from moderation.errors import ApiError
from moderation.openapi.registry import describe
from moderation.sites.lookup import get_site

SIGNATURE_HEADER = "X-Coral-Signature"
_request_schema = CoralModerationRequest()


def _signed_body(secrets: list[str]) -> dict:
    """Return the JSON body once its signature over the raw bytes checks out."""
    raw = request.get_data(cache=True)
    if not is_signed(raw, request.headers.get(SIGNATURE_HEADER), secrets):
        raise ApiError("The X-Coral-Signature header does not match this site's signing secret.",
                       status=401, code="invalid_signature")
    try:
        data = current_app.json.loads(raw)
    except ValueError as exc:
        raise ApiError("The body is not valid JSON.", code="invalid_json") from exc
    if not isinstance(data, dict):
        raise ApiError("The body must be a JSON object.", code="invalid_json")
    return data


@bp.post("/moderation")
@use_query(CoralSiteQuery())
@describe(tags=["coral"], body=CoralModerationRequest, parameters=[
    {"name": SIGNATURE_HEADER, "in": "header", "required": True,
     "description": "sha256=<hex HMAC-SHA256 of the raw body>, comma-separated when several.",
     "schema": {"type": "string", "maxLength": 1024}},
], responses={
    200: CoralModerationResult, 204: "No opinion: Coral goes on with its other phases.",
    400: Error, 401: Error, 403: Error, 404: Error, 413: Error,
})
def moderation_phase(query: dict):
    """Answer one comment of Coral's external moderation phase: a status, flags and tags."""
    site = get_site(query["site"])
    if not site.coral_secrets:
        raise ApiError("This site takes no Coral requests: set its signing secret first.",
                       status=403, code="coral_not_configured")
    data = _request_schema.load(_signed_body(list(site.coral_secrets)))
    answer = moderate(site, data)
    if answer is None:
        return "", 204
    return answer
