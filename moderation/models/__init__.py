"""Database models, one module per aggregate."""

from moderation.models.comment import Comment, CommentStatus
from moderation.models.engagement import Flag, FlagReason, Reaction
from moderation.models.event import ActorType, ModerationEvent
from moderation.models.imports import ImportRecord
from moderation.models.moderator import Moderator, Role
from moderation.models.policy import ApiKey, Ban, SiteWord, WordKind
from moderation.models.site import Article, Site

__all__ = [
    "ActorType",
    "ApiKey",
    "Article",
    "Ban",
    "Comment",
    "CommentStatus",
    "Flag",
    "FlagReason",
    "ImportRecord",
    "ModerationEvent",
    "Moderator",
    "Reaction",
    "Role",
    "Site",
    "SiteWord",
    "WordKind",
]
