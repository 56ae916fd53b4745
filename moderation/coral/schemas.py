"""The request Coral's external moderation phase sends, and the answer it reads."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from moderation.api.schemas import NOTE_PATTERN, TrimmedString, no_control_characters

ACTIONS = ("NEW", "EDIT")
STATUSES = ("APPROVED", "REJECTED", "PREMOD", "SYSTEM_WITHHELD", "NONE")
FLAG_REASONS = ("COMMENT_DETECTED_TOXIC", "COMMENT_DETECTED_SPAM")


class CoralSchema(Schema):
    """Coral adds fields between releases: ones we do not read are ignored, not refused."""

    class Meta:
        unknown = EXCLUDE


def _id(**kwargs) -> fields.String:
    # Ids may land in the verdict log: no control characters (PostgreSQL refuses NUL).
    return fields.String(validate=[validate.Length(max=200), no_control_characters],
                         metadata={"pattern": NOTE_PATTERN}, **kwargs)


class CoralComment(CoralSchema):
    body = fields.String(required=True, validate=validate.Length(max=20000))
    parentID = _id(load_default=None, allow_none=True)  # noqa: N815 (Coral's wire name)


class CoralAuthor(CoralSchema):
    id = _id(required=True)
    role = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=40))


class CoralStory(CoralSchema):
    id = _id(required=True)
    url = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class CoralSite(CoralSchema):
    id = _id(required=True)


class CoralTenant(CoralSchema):
    id = _id(load_default=None, allow_none=True)
    domain = _id(load_default=None, allow_none=True)


class CoralModerationRequest(CoralSchema):
    """POST /coral/moderation: one comment, as Coral's pipeline sends it (NEW or EDIT)."""

    action = fields.String(required=True, validate=validate.OneOf(ACTIONS))
    comment = fields.Nested(CoralComment, required=True)
    author = fields.Nested(CoralAuthor, required=True)
    story = fields.Nested(CoralStory, required=True)
    site = fields.Nested(CoralSite, load_default=None, allow_none=True)
    # Coral's releases name the tenant either way.
    tenant = fields.Nested(CoralTenant, load_default=None, allow_none=True)
    tenantID = _id(load_default=None, allow_none=True)  # noqa: N815
    tenantDomain = _id(load_default=None, allow_none=True)  # noqa: N815


class CoralSiteQuery(CoralSchema):
    """Which of our sites the phase speaks for: the key in the phase's URL (?site=KEY)."""

    site = TrimmedString(required=True, validate=validate.Length(min=1, max=64),
                         metadata={"pattern": r"^[A-Za-z0-9][A-Za-z0-9._:~\-]{0,63}$"})


class CoralAction(Schema):
    actionType = fields.String(required=True, validate=validate.OneOf(["FLAG"]))  # noqa: N815
    reason = fields.String(required=True, validate=validate.OneOf(FLAG_REASONS))


class CoralModerationResult(Schema):
    """The answer: a status for the comment, flags for Coral's moderators, and tags."""

    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    actions = fields.List(fields.Nested(CoralAction), required=True)
    tags = fields.List(fields.String(), required=True)
