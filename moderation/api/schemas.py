"""Marshmallow schemas at the API boundary: what readers may send."""

from __future__ import annotations

import re
import unicodedata

from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, pre_load, validate

MAX_ID = 2**63 - 1
# Article and site keys travel in URLs and land in indexes: keep them printable.
KEY_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:~\-/]{0,199}$")


# C0 controls but tab and newlines, DEL, C1 controls, and lone UTF-16 surrogates (which
# no database or encoder accepts).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_LINE_BREAK = re.compile(r"[\n\r\x0b\x0c\x85\u2028\u2029]")
# What a reader cannot see: white space, controls, zero-width and direction marks, word
# joiners, variation selectors, the byte-order mark and the blank "filler" letters.
_INVISIBLE = (r"\s\x00-\x1f\x7f-\x9f\xad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f"
              r"\u200b-\u200f\u202a-\u202e\u2060-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff"
              r"\uffa0\ufff0-\ufffb")
_VISIBLE = re.compile(f"[^{_INVISIBLE}\\ud800-\\udfff]")
# The same rules as JSON Schema patterns, for the OpenAPI document.
_TEXT_CHAR = r"[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
_LINE_CHAR = r"[^\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]"
TEXT_PATTERN = f"^{_TEXT_CHAR}*[^{_INVISIBLE}]{_TEXT_CHAR}*$"
NAME_PATTERN = f"^{_LINE_CHAR}*[^{_INVISIBLE}]{_LINE_CHAR}*$"
LINE_PATTERN = f"^{_LINE_CHAR}*$"
NOTE_PATTERN = f"^{_TEXT_CHAR}*$"
URL_PATTERN = (r"^https?://(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,20}[A-Za-z0-9])?\.){1,4}"
               r"[A-Za-z]{2,6}(?:/[A-Za-z0-9._~-]*){0,8}$")


def no_control_characters(value: str) -> None:
    """Refuse NUL and other control characters (C0 but tab and newlines, DEL, C1)."""
    if _CONTROL.search(value):
        raise ValidationError("Control characters are not allowed.")


def single_line(value: str) -> None:
    """Refuse line breaks in a one-line field such as a name or a title."""
    if _LINE_BREAK.search(value):
        raise ValidationError("Line breaks are not allowed here.")


def has_visible_text(value: str) -> bool:
    """Tell whether a reader would see any character (zero-width and blank fillers are not)."""
    return _VISIBLE.search(value) is not None


def visible_text(value: str) -> None:
    """Refuse text made only of spaces and invisible characters."""
    if value and not has_visible_text(value):
        raise ValidationError("Write some visible text.")


class TrimmedString(fields.String):
    """A string in Unicode NFC form, surrounding white space removed before length checks."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if _CONTROL.search(text):  # a lone surrogate cannot be normalised; refuse it first
            raise ValidationError("Control characters are not allowed.")
        return unicodedata.normalize("NFC", text).strip()


class WholeNumber(fields.Integer):
    """An integer as JSON Schema reads one: 12 and 12.0, never "12" or true."""

    def __init__(self, **kwargs):
        super().__init__(strict=True, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            raise self.make_error("invalid")
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return super()._deserialize(value, attr, data, **kwargs)


class CommentIn(Schema):
    """A reader's new comment."""

    class Meta:
        unknown = RAISE

    # Required of anonymous readers; a signed-in reader's name comes from their account.
    author_name = TrimmedString(
        load_default=None, metadata={"pattern": NAME_PATTERN},
        validate=[validate.Length(min=1, max=80), no_control_characters, single_line,
                  visible_text],
    )
    body = TrimmedString(
        required=True, metadata={"pattern": TEXT_PATTERN},
        validate=[validate.Length(min=1, max=5000), no_control_characters, visible_text],
    )
    email = fields.Email(load_default=None, allow_none=True, validate=validate.Length(max=320))
    # Email me when someone replies in this thread (anonymous readers confirm by a link).
    notify_replies = fields.Boolean(load_default=False)
    parent_id = WholeNumber(
        load_default=None, allow_none=True, validate=validate.Range(min=1, max=MAX_ID)
    )
    article_url = fields.Url(
        load_default=None, allow_none=True, schemes={"http", "https"},
        metadata={"format": "uri", "pattern": URL_PATTERN},
        validate=validate.Length(max=2000),
    )
    article_title = TrimmedString(
        load_default=None, allow_none=True, metadata={"pattern": LINE_PATTERN},
        validate=[validate.Length(max=500), no_control_characters, single_line],
    )
    # Tell me first if the model would hold or reject this (the widget asks; the site decides).
    nudge = fields.Boolean(load_default=False, metadata={
        "description": "Answer 200 with a nudge_token instead of storing a comment the model "
                       "would hold or reject; sent once per comment."})
    # The token of that answer: this submit is stored, and the first draft kept with it.
    nudge_token = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(min=1, max=60000),
        metadata={"description": "The nudge_token of a nudge answer; never nudged again."})

    @pre_load
    def empty_email_is_none(self, data, **kwargs):
        """Treat an empty email field as absent, as a form with a blank box sends it."""
        if isinstance(data, dict) and data.get("email") == "":
            data = {**data, "email": None}
        return data


SORT_CHOICES = ("oldest", "newest", "top")



class AnonymousCommentIn(CommentIn):
    """A new comment from a reader who is not signed in: the name is required (the document)."""

    # Asking to hear of replies needs an address to confirm (the service checks it too).
    OPENAPI_RULES = {
        "if": {"properties": {"notify_replies": {"const": True}}, "required": ["notify_replies"]},
        "then": {"required": ["email"], "properties": {"email": {"type": "string"}}},
    }

    author_name = TrimmedString(
        required=True, metadata={
            "pattern": NAME_PATTERN,
            "description": "Required unless the reader is signed in through the site (SSO).",
        },
        validate=[validate.Length(min=1, max=80), no_control_characters, single_line,
                  visible_text],
    )

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

    articles = ArticleIds(required=True, validate=validate.Length(min=1, max=500), metadata={
        "type": "array", "minItems": 1, "maxItems": 500,
        "items": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": NOTE_PATTERN},
    })
