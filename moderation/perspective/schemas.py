"""The AnalyzeCommentRequest body, as Perspective documents it; unknown fields are refused."""

from __future__ import annotations

import re

from marshmallow import RAISE, Schema, fields, pre_load, validate

_SNAKE = re.compile(r"_([a-z])")


def camel_keys(data):
    """Rename snake_case keys to lowerCamelCase, as Google's JSON parser accepts both."""
    if not isinstance(data, dict):
        return data
    return {(_SNAKE.sub(lambda m: m.group(1).upper(), k) if isinstance(k, str) else k): v
            for k, v in data.items()}


class CamelSchema(Schema):
    """A schema that refuses unknown fields and accepts proto field names in either case."""

    class Meta:
        unknown = RAISE

    @pre_load
    def accept_snake_case(self, data, **kwargs):
        return camel_keys(data)


class TextEntry(CamelSchema):
    """A piece of text: the comment, or a context entry."""

    text = fields.String(load_default="")
    type = fields.String(validate=validate.OneOf(["TEXT_TYPE_UNSPECIFIED", "PLAIN_TEXT", "HTML"]))


class Context(CamelSchema):
    """Conversation context: accepted and ignored, as Perspective does today."""

    entries = fields.List(fields.Nested(TextEntry))
    articleAndParentComment = fields.Dict()  # noqa: N815 (the wire name)


class AttributeParameters(CamelSchema):
    """Per-attribute options."""

    scoreType = fields.String()  # noqa: N815
    scoreThreshold = fields.Float(validate=validate.Range(0, 1))  # noqa: N815


class AnalyzeRequest(CamelSchema):
    """POST /v1alpha1/comments:analyze."""

    comment = fields.Nested(TextEntry, load_default=None)
    context = fields.Nested(Context)
    requestedAttributes = fields.Dict(  # noqa: N815
        keys=fields.String(), values=fields.Nested(AttributeParameters), load_default=dict
    )
    languages = fields.List(fields.String(validate=validate.Length(1, 35)), load_default=list)
    doNotStore = fields.Boolean(load_default=False)  # noqa: N815
    spanAnnotations = fields.Boolean(load_default=False)  # noqa: N815
    clientToken = fields.String(validate=validate.Length(max=1000))  # noqa: N815
    sessionId = fields.String(validate=validate.Length(max=1000))  # noqa: N815
    communityId = fields.String(validate=validate.Length(max=1000))  # noqa: N815


class SuggestScoreRequest(CamelSchema):
    """POST /v1alpha1/comments:suggestscore: a client's verdict on a comment."""

    comment = fields.Nested(TextEntry, load_default=None)
    context = fields.Nested(Context)
    attributeScores = fields.Dict(keys=fields.String(), values=fields.Dict(),  # noqa: N815
                                  load_default=dict)
    languages = fields.List(fields.String(validate=validate.Length(1, 35)), load_default=list)
    clientToken = fields.String(validate=validate.Length(max=1000))  # noqa: N815
    sessionId = fields.String(validate=validate.Length(max=1000))  # noqa: N815
    communityId = fields.String(validate=validate.Length(max=1000))  # noqa: N815
