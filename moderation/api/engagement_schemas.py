"""Marshmallow schemas for likes, reports, reader edits and most-discussed queries."""

from __future__ import annotations

from marshmallow import EXCLUDE, RAISE, Schema, fields, validate

from moderation.api.schemas import (
    NOTE_PATTERN,
    TEXT_PATTERN,
    TrimmedString,
    no_control_characters,
    visible_text,
)
from moderation.models import FlagReason


class FlagIn(Schema):
    """A reader's report of a comment."""

    class Meta:
        unknown = RAISE

    reason = fields.Enum(FlagReason, required=True)
    note = TrimmedString(load_default=None, allow_none=True, metadata={"pattern": NOTE_PATTERN},
                         validate=[validate.Length(max=500), no_control_characters])


class EditIn(Schema):
    """A reader's new text for their own comment."""

    class Meta:
        unknown = RAISE

    body = TrimmedString(
        required=True, metadata={"pattern": TEXT_PATTERN},
        validate=[validate.Length(min=1, max=5000), no_control_characters, visible_text],
    )


class MostDiscussedQuery(Schema):
    """Window and size of the most-discussed list; other parameters are ignored."""

    class Meta:
        unknown = EXCLUDE

    hours = fields.Integer(load_default=24, validate=validate.Range(min=1, max=24 * 30))
    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=50))
