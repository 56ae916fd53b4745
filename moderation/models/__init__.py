"""Database models, one module per aggregate."""

from moderation.models.comment import Comment, CommentStatus
from moderation.models.coral import CoralVerdict
from moderation.models.engagement import Flag, FlagReason, Reaction
from moderation.models.event import ActorType, ModerationEvent
from moderation.models.imports import ImportRecord
from moderation.models.learning import (
    DecisionFeedback,
    PolicyChange,
    ShadowDecision,
    ShadowPolicy,
    SiteModel,
)
from moderation.models.moderator import Moderator, ModeratorSession, Role
from moderation.models.notification import ReplyNotice, ReplySubscription
from moderation.models.nudge import Nudge
from moderation.models.policy import ApiKey, Ban, SiteWord, WordKind
from moderation.models.reader import ReaderAccount, SsoSecret, SsoTokenUse
from moderation.models.site import Article, ArticleTally, Site
from moderation.models.webhook import WebhookDelivery, WebhookEndpoint

__all__ = [
    "ActorType",
    "ApiKey",
    "Article",
    "ArticleTally",
    "Ban",
    "Comment",
    "CommentStatus",
    "CoralVerdict",
    "DecisionFeedback",
    "Flag",
    "FlagReason",
    "ImportRecord",
    "ModerationEvent",
    "Moderator",
    "ModeratorSession",
    "Nudge",
    "PolicyChange",
    "Reaction",
    "ReaderAccount",
    "ReplyNotice",
    "ReplySubscription",
    "Role",
    "ShadowDecision",
    "ShadowPolicy",
    "Site",
    "SiteModel",
    "SiteWord",
    "SsoSecret",
    "SsoTokenUse",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WordKind",
]
