"""Signed edit tokens: a reader may change their own comment for a few minutes, no account."""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from moderation.errors import ApiError

SALT = "reader-edit-token"


def _serializer() -> URLSafeTimedSerializer:
    """Return the serializer keyed by the app's secret."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def issue_token(comment_id: int) -> str:
    """Return a token that proves authorship of this comment."""
    return _serializer().dumps({"c": comment_id})


def check_token(token: str | None, comment_id: int) -> None:
    """Raise a 403 unless the token was issued for this comment within the edit window."""
    if not token:
        raise ApiError("Send the edit token you received when posting.", status=403,
                       code="edit_token_missing")
    max_age = current_app.config["READER_EDIT_SECONDS"]
    try:
        data = _serializer().loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise ApiError("The time to edit or delete this comment has passed.", status=403,
                       code="edit_window_closed") from exc
    except BadSignature as exc:
        raise ApiError("This edit token is not valid.", status=403,
                       code="edit_token_invalid") from exc
    if not isinstance(data, dict) or data.get("c") != comment_id:
        raise ApiError("This edit token is for another comment.", status=403,
                       code="edit_token_invalid")
