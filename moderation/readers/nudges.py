"""Before-posting nudges: tell an author once that the model would hold or reject a draft.

The first draft is not stored. It travels back to the widget inside a signed, short-lived
token, so that the second submit can keep it beside the comment for the moderators without
trusting what the client says the first text was.
"""

from __future__ import annotations

from typing import NamedTuple

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from moderation.errors import ApiError
from moderation.extensions import db
from moderation.models import CommentStatus, Nudge, Site
from moderation.policy.routing import Decision

SALT = "comment-nudge"
MESSAGE = ("Before you post: our moderators might not publish this comment as it is written. "
           "You can change it, or send it as it is.")
REVISED = "revised"
AS_IS = "as_is"


class Nudged(NamedTuple):
    """A draft sent back to its author instead of being stored."""

    token: str
    seconds: int


def _serializer() -> URLSafeTimedSerializer:
    """Return the serializer keyed by the app's secret, apart from edit tokens."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def should_nudge(site: Site, decision: Decision) -> bool:
    """Tell whether the model's scores alone would hold or reject the comment."""
    # Word lists, bans, pre-moderation and unreadable languages are not the author's to fix
    # by rewording, so only a decision on the scores ("threshold") is worth a nudge.
    return (site.nudge_authors and decision.reason == "threshold"
            and decision.status is not CommentStatus.published)


def nudge_author(site: Site, article_key: str, draft: str) -> Nudged:
    """Count the nudge and return the token that carries the draft to the second submit."""
    db.session.add(Nudge(site_id=site.id))
    db.session.commit()
    token = _serializer().dumps({"s": site.key, "a": article_key, "d": draft})
    return Nudged(token, current_app.config["NUDGE_TOKEN_SECONDS"])


def read_draft(token: str, site: Site, article_key: str) -> str:
    """Return the draft a nudge token carries, or raise a 403 the widget can act on."""
    try:
        data = _serializer().loads(token, max_age=current_app.config["NUDGE_TOKEN_SECONDS"])
    except SignatureExpired as exc:
        raise ApiError("This draft was kept too long; send your comment again.",
                       status=403, code="nudge_token_expired",
                       fields={"nudge_token": ["Expired."]}) from exc
    except BadSignature as exc:
        raise ApiError("This nudge token is not valid.", status=403, code="nudge_token_invalid",
                       fields={"nudge_token": ["Not a valid token."]}) from exc
    if (not isinstance(data, dict) or data.get("s") != site.key or data.get("a") != article_key
            or not isinstance(data.get("d"), str)):
        raise ApiError("This nudge token is for another article.", status=403,
                       code="nudge_token_invalid",
                       fields={"nudge_token": ["Not for this article."]})
    return data["d"]


def outcome(draft: str, body: str) -> str:
    """Return whether the author changed the draft after the nudge."""
    return AS_IS if draft == body else REVISED
