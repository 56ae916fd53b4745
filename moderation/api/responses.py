"""Marshmallow schemas of what the public API answers: they feed the OpenAPI document."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

STATES = ("published", "pending", "rejected", "deleted")


class ErrorDetail(Schema):
    code = fields.String(required=True, metadata={"example": "validation_failed"})
    message = fields.String(required=True)
    fields = fields.Dict(keys=fields.String(),
                         metadata={"description": "Problems per field (validation_failed)."})


class Error(Schema):
    """The one error shape of the service."""

    error = fields.Nested(ErrorDetail, required=True)


class PublicComment(Schema):
    """What readers see of a published comment; replies nest up to the maximum reply depth."""

    id = fields.Integer(required=True)
    parent_id = fields.Integer(required=True, allow_none=True)
    author_name = fields.String(required=True)
    body = fields.String(required=True)
    created_at = fields.String(required=True, metadata={"format": "date-time"})
    likes = fields.Integer(required=True)
    featured = fields.Boolean(required=True)
    replies = fields.List(fields.Nested(lambda: PublicComment()), required=True)
    reply_count = fields.Integer(metadata={"description": "Published replies (top level only)."})


class PostedComment(PublicComment):
    """A comment just posted: its public form, its state and the author's edit token."""

    state = fields.String(required=True, validate=validate.OneOf(STATES))
    message = fields.String(required=True)
    edit_token = fields.String(required=True)
    edit_seconds = fields.Integer(required=True)


class NudgedDraft(Schema):
    """A draft not stored: the model would hold or reject it, so the author is asked first."""

    state = fields.String(required=True, validate=validate.OneOf(["nudge"]))
    message = fields.String(required=True)
    nudge_token = fields.String(required=True, metadata={
        "description": "Send it back with the revised (or the same) body to post."})
    nudge_seconds = fields.Integer(required=True)


class EditedComment(PublicComment):
    state = fields.String(required=True, validate=validate.OneOf(STATES))
    message = fields.String(required=True)


class CommentState(Schema):
    id = fields.Integer(required=True)
    state = fields.String(required=True, validate=validate.OneOf(STATES))
    message = fields.String(required=True)


class Thread(Schema):
    count = fields.Integer(required=True)
    comments = fields.List(fields.Nested(PublicComment), required=True)
    featured = fields.List(fields.Nested(PublicComment), required=True)
    next_cursor = fields.String(required=True, allow_none=True)
    sort = fields.String(required=True)
    closed = fields.Boolean()


class Counts(Schema):
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)


class Likes(Schema):
    id = fields.Integer(required=True)
    likes = fields.Integer(required=True)
    liked = fields.Boolean(required=True)


class Reported(Schema):
    id = fields.Integer(required=True)
    reported = fields.Boolean(required=True)
    message = fields.String(required=True)


class DiscussedArticle(Schema):
    article = fields.String(required=True)
    title = fields.String(required=True, allow_none=True)
    url = fields.String(required=True, allow_none=True)
    count = fields.Integer(required=True)
    recent_count = fields.Integer(required=True)


class MostDiscussed(Schema):
    hours = fields.Integer(required=True)
    articles = fields.List(fields.Nested(DiscussedArticle), required=True)
