"""POST /v1alpha1/comments:analyze: key, quota, then the analysis."""

from __future__ import annotations

import functools

from flask import g, request
from prometheus_client import Counter

from moderation.extensions import db, limiter
from moderation.learning.feedback import store_feedback
from moderation.openapi.registry import describe
from moderation.perspective import bp
from moderation.perspective.analysis import analyze, check_text
from moderation.perspective.api_keys import verify_api_key
from moderation.perspective.errors import GoogleError, invalid_argument
from moderation.perspective.responses import (
    AnalyzeResponse,
    GoogleErrorBody,
    SuggestScoreResponse,
)
from moderation.perspective.schemas import AnalyzeRequest, SuggestScoreRequest
from moderation.scoring.base import ScorerUnavailable

# Counters are all this endpoint keeps: no text, no scores, no per-request rows.
ANALYSES = Counter("moderation_perspective_analyses", "Perspective-compatible analyze requests",
                   ["site_id", "outcome"])
_schema = AnalyzeRequest()
_suggest_schema = SuggestScoreRequest()
_REFUSALS = {400: GoogleErrorBody, 403: GoogleErrorBody, 413: GoogleErrorBody,
             429: GoogleErrorBody}
_KEYS = [{"key": []}, {"header": []}]


def _raw_key() -> str | None:
    """Return the API key from ?key= or the X-Goog-Api-Key header, as Google's APIs take it."""
    return request.args.get("key") or request.headers.get("X-Goog-Api-Key")


def require_key(view):
    """Refuse requests without a live key; remember the key's id, site and quota in g."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        raw = _raw_key()
        if not raw:
            raise GoogleError(403, "The request is missing a valid API key.", "PERMISSION_DENIED")
        api_key = verify_api_key(raw)
        if api_key is None:
            raise GoogleError(403, "API key not valid. Please pass a valid API key.",
                              "PERMISSION_DENIED")
        g.api_key_id, g.api_key_site, g.api_key_quota = api_key.id, api_key.site_id, api_key.quota
        # The key row is all this request reads; give the connection back before scoring.
        db.session.remove()
        return view(*args, **kwargs)

    return wrapper


def _key_quota() -> str:
    return g.api_key_quota


def _key_id() -> str:
    return f"api-key:{g.api_key_id}"


def _json_body() -> dict:
    """Return the body as a JSON object, whatever its Content-Type, as Google's frontends do."""
    data = request.get_json(force=True, silent=True)
    if not isinstance(data, dict):
        raise invalid_argument("Invalid JSON payload received. Expected a JSON object.")
    return data


@bp.post("/comments:analyze")
@require_key
@limiter.limit(_key_quota, key_func=_key_id, scope="perspective-key")
@describe(tags=["perspective"], body=AnalyzeRequest, security=_KEYS,
          responses={200: AnalyzeResponse, **_REFUSALS})
def analyze_comment():
    """Score a comment for the requested attributes, storing nothing but counters."""
    try:
        body = analyze(_schema.load(_json_body()))
    except ScorerUnavailable:
        ANALYSES.labels(str(g.api_key_site), "unavailable").inc()
        raise GoogleError(503, "The model is unavailable; retry shortly.", "UNAVAILABLE") from None
    except Exception:
        ANALYSES.labels(str(g.api_key_site), "refused").inc()
        raise
    ANALYSES.labels(str(g.api_key_site), "scored").inc()
    return body


@bp.post("/comments:suggestscore")
@require_key
@limiter.limit(_key_quota, key_func=_key_id, scope="perspective-feedback")
@describe(tags=["perspective"], body=SuggestScoreRequest, security=_KEYS,
          responses={200: SuggestScoreResponse, **_REFUSALS})
def suggest_score():
    """Keep a client's verdict as a label for the site (scores, no text); answer as Perspective.

    Coral Talk sends its moderators' decisions here when feedback is switched on.
    """
    data = _suggest_schema.load(_json_body())
    store_feedback(g.api_key_site, g.api_key_id, data, check_text(data["comment"]))
    ANALYSES.labels(str(g.api_key_site), "feedback_stored").inc()
    body: dict = {}
    if data["languages"]:
        body["requestedLanguages"] = data["languages"]
    if data.get("clientToken"):
        body["clientToken"] = data["clientToken"]
    return body
