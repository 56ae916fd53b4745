"""A site's thresholds as admins edit them: each value with its source, and a routing preview."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from moderation.extensions import db
from moderation.models import Article, Comment, CommentStatus, Site
from moderation.policy.routing import route
from moderation.policy.thresholds import DEFAULT_APPROVE, DEFAULT_REJECT, build_policy
from moderation.scoring.base import LABELS
from moderation.scoring.holder import recommended_thresholds

SIDES = ("approve", "reject")
PREVIEW_SIZE = 200
# Reasons decided before any threshold: the preview keeps them as they were.
HELD_BY_LANGUAGE = ("language_unsupported", "language_unclear")
OUTCOMES = ("published", "review", "rejected")


@dataclass(frozen=True)
class Effective:
    """One label's threshold on one side, and the layer it comes from."""

    value: float
    source: str


def inherited_layers() -> list[tuple[str, dict | None]]:
    """Return the layers under a site's own thresholds, lowest first, each with its name."""
    config = current_app.config
    return [
        ("built-in default", {"approve": DEFAULT_APPROVE, "reject": DEFAULT_REJECT}),
        ("model default", recommended_thresholds(config)),
        ("service settings", {"approve": config["APPROVE_THRESHOLDS"],
                              "reject": config["REJECT_THRESHOLDS"]}),
    ]


def effective(site_thresholds: dict | None) -> dict[str, dict[str, Effective]]:
    """Return each side's value per label with where it comes from, the site's layer last."""
    result: dict[str, dict[str, Effective]] = {side: {} for side in SIDES}
    for name, layer in [*inherited_layers(), ("this site", site_thresholds)]:
        for side in SIDES:
            for label, value in ((layer or {}).get(side) or {}).items():
                if label in LABELS:
                    result[side][label] = Effective(float(value), name)
    return result


def _outcome(policy, comment: Comment) -> str:
    """Return where the comment would go under the policy: published, review or rejected."""
    if comment.reason in HELD_BY_LANGUAGE:
        return "review"
    # A word rule held or rejected it whatever the scores; the matched text may be unknown.
    matched = comment.matched_word or comment.reason
    decision = route(
        policy, comment.scores,
        banned=comment.reason == "banned",
        banned_word=matched if comment.reason == "banned_word" else None,
        suspect_word=matched if comment.reason == "suspect_word" else None,
    )
    return {CommentStatus.published: "published",
            CommentStatus.rejected: "rejected"}.get(decision.status, "review")


def recent_scored(site: Site, limit: int = PREVIEW_SIZE) -> list[Comment]:
    """Return the site's latest comments that have stored scores, newest first."""
    return list(db.session.scalars(
        select(Comment).join(Article, Article.id == Comment.article_id)
        .options(contains_eager(Comment.article))
        .where(Article.site_id == site.id, Comment.max_score.is_not(None),
               Comment.status != CommentStatus.deleted)
        .order_by(Comment.id.desc()).limit(limit)))


def preview(site: Site, proposed: dict, comments: list[Comment] | None = None) -> dict:
    """Count how recent comments would route under the current and the proposed thresholds."""
    comments = recent_scored(site) if comments is None else comments
    base = [layer for _, layer in inherited_layers()[1:]]
    counts = {}
    for name, layer in (("current", site.thresholds), ("proposed", proposed)):
        totals = dict.fromkeys(OUTCOMES, 0)
        policies = {held: build_policy([*base, layer], premoderate=held, language_check=False)
                    for held in (False, True)}
        for comment in comments:
            held = site.premoderate or comment.article.premoderate
            totals[_outcome(policies[held], comment)] += 1
        counts[name] = totals
    return {"comments": len(comments), **counts}
