"""Submitting a comment: check, score, route and store it in one transaction."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import or_, select

from moderation.clients import email_hash
from moderation.errors import ApiError, Conflict
from moderation.extensions import db, scorer
from moderation.models import (
    ActorType,
    Ban,
    Comment,
    CommentStatus,
    Site,
    SiteWord,
    WordKind,
)
from moderation.models.types import utcnow
from moderation.policy.phrases import find_hold_phrase
from moderation.policy.routing import Decision, Policy, build_policy, route
from moderation.policy.words import find_word
from moderation.scoring.base import ScorerUnavailable
from moderation.scoring.batcher import score_texts
from moderation.scoring.holder import recommended_thresholds
from moderation.scoring.language import detect_language
from moderation.services.decisions import bump_article, record_event
from moderation.services.sites import find_article, get_or_create_article, get_site

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


def default_policy(site_thresholds: dict | None = None, *, premoderate: bool = False,
                   language_check: bool = True) -> Policy:
    """Return the policy from the model's thresholds, the settings, then the site's own."""
    config = current_app.config
    settings = {"approve": config["APPROVE_THRESHOLDS"], "reject": config["REJECT_THRESHOLDS"]}
    return build_policy(
        [recommended_thresholds(config), settings, site_thresholds],
        premoderate=premoderate,
        language_check=language_check and config["LANGUAGE_CHECK"],
    )


def site_policy(site: Site, article=None) -> Policy:
    """Return the effective routing policy of a site (and article)."""
    return default_policy(
        site.thresholds,
        premoderate=site.premoderate or bool(article is not None and article.premoderate),
        language_check=site.language_check,
    )


def is_banned(site_id: int, email_h: str | None, client_h: str) -> bool:
    """Tell whether an active ban matches the author's email or client hash."""
    now = utcnow()
    matches = [Ban.client_hash == client_h]
    if email_h:
        matches.append(Ban.email_hash == email_h)
    ban = db.session.scalar(
        select(Ban.id).where(
            Ban.site_id == site_id,
            Ban.lifted_at.is_(None),
            or_(Ban.expires_at.is_(None), Ban.expires_at > now),
            or_(*matches),
        ).limit(1)
    )
    return ban is not None


def site_words(site_id: int) -> dict[WordKind, list[str]]:
    """Return a site's banned and suspect words."""
    words: dict[WordKind, list[str]] = {WordKind.banned: [], WordKind.suspect: []}
    for word, kind in db.session.execute(
        select(SiteWord.word, SiteWord.kind).where(SiteWord.site_id == site_id)
    ):
        words[kind].append(word)
    return words


def score_one(text: str) -> tuple[dict[str, float] | None, str | None]:
    """Score one text; (None, None) when the scorer fails or is too slow."""
    try:
        # Through the process's micro-batcher: concurrent posts share one model call.
        scores = score_texts([text])[0]
        return scores, scorer.get().model_id
    except ScorerUnavailable as exc:
        current_app.logger.warning("scoring failed, comment goes to review: %s", exc)
        return None, None


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


def model_languages() -> frozenset[str]:
    """Return the languages the configured model reads; English if it cannot be prepared."""
    try:
        return scorer.get().languages
    except ScorerUnavailable:
        return frozenset({"en"})


def decide(site: Site, article, body: str, text_for_words: str, *, banned: bool
           ) -> tuple[Decision, dict | None, str | None, str | None]:
    """Run the checks and the scorer; return (decision, scores, model id, language)."""
    words = site_words(site.id)
    banned_word = find_word(text_for_words, words[WordKind.banned])
    suspect_word = find_word(text_for_words, words[WordKind.suspect]) or find_hold_phrase(body)
    language = detect_language(body)
    scores = model_id = None
    if not (banned or banned_word):
        scores, model_id = score_one(body)
    decision = route(
        site_policy(site, article),
        scores,
        banned=banned,
        banned_word=banned_word,
        suspect_word=suspect_word,
        language=language,
        model_languages=model_languages(),
    )
    return decision, scores, model_id, language


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
        decision, scores, model_id, language = decide(
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
    bump_article(article.id, int(decision.status is CommentStatus.published))
    article.last_comment_at = comment.created_at
    db.session.commit()
    if decision.reason == AWAITING_SCORE:
        current_app.extensions["moderation.queue"].enqueue([comment.id])
    return comment
