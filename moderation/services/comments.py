"""Submitting a comment: check, score, route and store it in one transaction."""

from __future__ import annotations

from flask import current_app

from moderation.clients import email_hash
from moderation.errors import ApiError, Conflict
from moderation.extensions import db
from moderation.learning import shadow
from moderation.models import ActorType, Comment, CommentStatus
from moderation.models.types import utcnow
from moderation.policy.routing import Decision
from moderation.policy.site_rules import is_banned
from moderation.policy.verdict import route_comment
from moderation.scoring.language import detect_language
from moderation.services.decisions import bump_article, record_event
from moderation.sites.lookup import find_article, get_or_create_article, get_site

AWAITING_SCORE = "awaiting_score"

PUBLIC_STATES = {
    CommentStatus.published: ("published", "Your comment is published."),
    CommentStatus.pending_review: ("pending", "Your comment is awaiting moderation."),
    CommentStatus.rejected: (
        "rejected",
        "Your comment was not published because it appears to break the community guidelines.",
    ),
    CommentStatus.deleted: ("deleted", "This comment was deleted."),
}


def check_parent(parent_id: int | None, article) -> Comment | None:
    """Return the parent comment, which must be published and on the same article."""
    if parent_id is None:
        return None
    parent = db.session.get(Comment, parent_id)
    if (
        parent is None
        or article is None
        or parent.article_id != article.id
        or parent.status is not CommentStatus.published
    ):
        raise ApiError(
            "The comment you reply to is not a published comment of this article.",
            status=422,
            code="validation_failed",
            fields={"parent_id": ["Not a published comment of this article."]},
        )
    return parent


def submit_comment(site_key: str, article_key: str, data: dict, *, client_h: str) -> Comment:
    """Store a new comment with its scores, decision and audit event in one transaction."""
    site = get_site(site_key)
    article = find_article(site, article_key)
    if article is not None and article.is_closed:
        raise Conflict("Comments are closed on this article.", code="article_closed")
    parent = check_parent(data.get("parent_id"), article)
    email = data.get("email")
    email_h = email_hash(email)
    banned = is_banned(site.id, email_h, client_h)

    if current_app.config["SCORING"] == "queue" and not banned:
        decision = Decision(CommentStatus.pending_review, AWAITING_SCORE)
        scores = model_id = None
        language = detect_language(data["body"])
    else:
        decision, scores, model_id, language = route_comment(
            site, article, data["body"], f"{data['author_name']} {data['body']}", banned=banned
        )

    article = get_or_create_article(
        site, article_key, url=data.get("article_url"), title=data.get("article_title")
    )
    comment = Comment(
        article_id=article.id,
        parent_id=parent.id if parent else None,
        root_id=(parent.root_id or parent.id) if parent else None,
        author_name=data["author_name"],
        author_email=email,
        email_hash=email_h,
        client_hash=client_h,
        body=data["body"],
        status=decision.status,
        reason=decision.reason,
        matched_word=decision.matched_word,
        scores=scores,
        max_score=max(scores.values()) if scores else None,
        model_id=model_id,
        language=language,
        scored_at=utcnow() if scores else None,
    )
    db.session.add(comment)
    db.session.flush()
    record_event(comment, from_status=None, actor=ActorType.system, reason=decision.reason)
    shadow.record(comment, decision, site.id, site.premoderate or article.premoderate)
    bump_article(article.id, int(decision.status is CommentStatus.published))
    article.last_comment_at = comment.created_at
    db.session.commit()
    if decision.reason == AWAITING_SCORE:
        current_app.extensions["moderation.queue"].enqueue([comment.id])
    return comment
