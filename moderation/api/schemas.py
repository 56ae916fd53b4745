"""Marshmallow schemas at the API boundary: what readers may send."""

from __future__ import annotations

import re

from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, pre_load, validate

MAX_ID = 2**63 - 1
# Article and site keys travel in URLs and land in indexes: keep them printable.
KEY_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:~\-/]{0,199}$")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def no_control_characters(value: str) -> None:
    """Refuse NUL and other control characters except newlines and tabs."""
    if _CONTROL.search(value):
        raise ValidationError("Control characters are not allowed.")


class TrimmedString(fields.String):
    """A string with surrounding white space removed before length checks."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        return text.strip()


class CommentIn(Schema):
    """A reader's new comment."""

    class Meta:
        unknown = RAISE

    # Required of anonymous readers; a signed-in reader's name comes from their account.
    author_name = TrimmedString(
        load_default=None, validate=[validate.Length(min=1, max=80), no_control_characters]
    )
    body = TrimmedString(
        required=True, validate=[validate.Length(min=1, max=5000), no_control_characters]
    )
    email = fields.Email(load_default=None, allow_none=True, validate=validate.Length(max=320))
    # Email me when someone replies in this thread (anonymous readers confirm by a link).
    notify_replies = fields.Boolean(load_default=False)
    parent_id = fields.Integer(
        load_default=None, allow_none=True, strict=True, validate=validate.Range(min=1, max=MAX_ID)
    )
    article_url = fields.Url(
        load_default=None, allow_none=True, schemes={"http", "https"},
        validate=validate.Length(max=2000),
    )
    article_title = TrimmedString(
        load_default=None, allow_none=True,
        validate=[validate.Length(max=500), no_control_characters],
    )

    @pre_load
    def empty_email_is_none(self, data, **kwargs):
        """Treat an empty email field as absent, as a form with a blank box sends it."""
        if isinstance(data, dict) and data.get("email") == "":
            data = {**data, "email": None}
        return data


SORT_CHOICES = ("oldest", "newest", "top")


class ThreadQuery(Schema):
    """Query of a thread page; other query parameters (cache busters) are ignored."""

    class Meta:
        unknown = EXCLUDE

    sort = fields.String(load_default="oldest", validate=validate.OneOf(SORT_CHOICES))
    cursor = fields.String(load_default=None, validate=validate.Length(max=500))
    limit = fields.Integer(load_default=None, validate=validate.Range(min=1, max=200))


class ArticleIds(fields.Field):
    """A list of article ids (1-200 printable characters each), checked in one pass.

    Listing pages send hundreds of ids per call; a String field per item cost a fifth of
    the request's time.
    """

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, list):
            raise ValidationError("Not a valid list.")
        errors: dict[int, list[str]] = {}
        for index, item in enumerate(value):
            if not isinstance(item, str):
                errors[index] = ["Not a valid string."]
            elif not 1 <= len(item) <= 200:
                errors[index] = ["Length must be between 1 and 200."]
            elif _CONTROL.search(item):
                errors[index] = ["Control characters are not allowed."]
        if errors:
            raise ValidationError(errors)
        return value


class CountsIn(Schema):
    """A batch of article ids to count."""

    class Meta:
        unknown = RAISE

    articles = ArticleIds(required=True, validate=validate.Length(min=1, max=500))
