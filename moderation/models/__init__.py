"""Database models, one module per aggregate."""

from moderation.models.comment import Comment, CommentStatus
from moderation.models.engagement import Flag, FlagReason, Reaction
from moderation.models.event import ActorType, ModerationEvent
from moderation.models.learning import (
    DecisionFeedback,
    PolicyChange,
    ShadowDecision,
    ShadowPolicy,
    SiteModel,
)
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
    "DecisionFeedback",
    "Flag",
    "FlagReason",
    "ModerationEvent",
    "Moderator",
    "PolicyChange",
    "Reaction",
    "Role",
    "ShadowDecision",
    "ShadowPolicy",
    "Site",
    "SiteModel",
    "SiteWord",
    "WordKind",
]
