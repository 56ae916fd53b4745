"""Marshmallow schemas of what the Perspective-compatible API answers, for its document."""

from __future__ import annotations

from marshmallow import Schema, fields


class GoogleErrorDetail(Schema):
    code = fields.Integer(required=True)
    message = fields.String(required=True)
    status = fields.String(required=True, metadata={"example": "INVALID_ARGUMENT"})


class GoogleErrorBody(Schema):
    """Google's error shape."""

    error = fields.Nested(GoogleErrorDetail, required=True)


class Score(Schema):
    value = fields.Float(required=True)
    type = fields.String(required=True)


class SpanScore(Schema):
    begin = fields.Integer(required=True)
    end = fields.Integer(required=True)
    score = fields.Nested(Score, required=True)


class AttributeScores(Schema):
    summaryScore = fields.Nested(Score, required=True)  # noqa: N815 (the wire name)
    spanScores = fields.List(fields.Nested(SpanScore))  # noqa: N815


class AnalyzeResponse(Schema):
    """AnalyzeCommentResponse."""

    attributeScores = fields.Dict(keys=fields.String(),  # noqa: N815
                                  values=fields.Nested(AttributeScores))
    languages = fields.List(fields.String(), required=True)
    detectedLanguages = fields.List(fields.String())  # noqa: N815
    clientToken = fields.String()  # noqa: N815


class SuggestScoreResponse(Schema):
    """SuggestCommentScoreResponse."""

    requestedLanguages = fields.List(fields.String())  # noqa: N815
    clientToken = fields.String()  # noqa: N815
