"""Submitting a comment: check, score, route and store it in one transaction."""

from __future__ import annotations

from flask import current_app

from moderation.clients import email_hash
from moderation.errors import ApiError, Conflict
from moderation.extensions import db
from moderation.learning import shadow
from moderation.models import ActorType, Comment, CommentStatus, ReaderAccount, Site
from moderation.models.types import utcnow
from moderation.notifications.subscriptions import check_subscription, subscribe
from moderation.policy.routing import Decision
from moderation.policy.site_rules import is_banned
from moderation.policy.verdict import route_comment
from moderation.readers.nudges import Nudged, nudge_author, outcome, read_draft, should_nudge
from moderation.services.decisions import AWAITING_SCORE, bump_article, record_event
from moderation.sites.kept import article_for_post
from moderation.sites.lookup import complete_article, get_or_create_article

# Replies nest at most this deep (a top-level comment is depth 0). A reply to a comment at
# the maximum hangs beside it, under that comment's parent: a thread stays readable on a
# phone, and no chain can grow deep enough to strain rendering or serialisation.
MAX_REPLY_DEPTH = 8
# Walking up a chain stops here; only chains stored before the maximum existed are longer.
_MAX_WALK = 10000

PUBLIC_STATES = {
    CommentStatus.published: ("published", "Your comment is published."),
    CommentStatus.pending_review: ("pending", "Your comment is awaiting moderation."),
    CommentStatus.rejected: (
        "rejected",
        "Your comment was not published because it appears to break the community guidelines.",
    ),
    CommentStatus.deleted: ("deleted", "This comment was deleted."),
}


def reply_depth(comment: Comment) -> int:
    """Return how deep a comment sits: 0 for a top-level comment."""
    depth, node = 0, comment
    while node.parent_id is not None and depth < _MAX_WALK:
        node = db.session.get(Comment, node.parent_id)
        if node is None:
            break
        depth += 1
    return depth


def attach_point(parent: Comment) -> Comment:
    """Return the comment a reply to parent hangs under: parent, or one up at the maximum."""
    if parent.parent_id is None or reply_depth(parent) < MAX_REPLY_DEPTH:
        return parent
    return db.session.get(Comment, parent.parent_id) or parent


def check_parent(parent_id: int | None, article) -> Comment | None:
    """Return the comment a reply hangs under; the parent must be published, same article."""
    if parent_id is None:
        return None
    parent = db.session.get(Comment, parent_id)
    if (
        parent is None
        or article is None
        or parent.article_id != article.id
        or parent.status is not CommentStatus.published
    ):
        # A conflict with the current state: the parent may have been removed meanwhile.
        raise ApiError(
            "The comment you reply to is not a published comment of this article.",
            status=409,
            code="parent_unavailable",
            fields={"parent_id": ["Not a published comment of this article."]},
        )
    return attach_point(parent)


def check_author(site: Site, data: dict, reader: ReaderAccount | None) -> dict:
    """Return the data with the author's name: the account's, or the one given anonymously."""
    if reader is not None:
        return {**data, "author_name": reader.username}
    if not site.allow_anonymous:
        raise ApiError("Sign in on the site to comment.", status=401, code="sign_in_required")
    if not data.get("author_name"):
        raise ApiError("Some fields are not valid.", status=422, code="validation_failed",
                       fields={"author_name": ["Missing data for required field."]})
    return data


def submit_comment(site: Site, article_key: str, data: dict, *, client_h: str,
                   reader: ReaderAccount | None = None) -> Comment | Nudged:
    """Store a new comment with its scores, decision and audit event in one transaction.

    With data["nudge"] a draft the model would hold or reject comes back as Nudged instead,
    once: the second submit carries data["nudge_token"] and is stored with the draft.
    """
    data = check_author(site, data, reader)
    token = data.get("nudge_token")
    draft = read_draft(token, site, article_key) if token else None
    article = article_for_post(site, article_key)
    if article is not None and article.is_closed:
        raise Conflict("Comments are closed on this article.", code="article_closed")
    parent = check_parent(data.get("parent_id"), article)
    email = data.get("email")
    email_h = reader.email_hash if reader is not None else email_hash(email)
    reader_id = reader.id if reader is not None else None
    check_subscription(data, reader)
    banned = is_banned(site, email_h, client_h, reader_id)

    if current_app.config["SCORING"] == "queue" and not banned:
        decision = Decision(CommentStatus.pending_review, AWAITING_SCORE)
        # The scoring worker detects the language, off the path that answers the reader.
        scores = model_id = language = None
    else:
        decision, scores, model_id, language = route_comment(
            site, article, data["body"], f"{data['author_name']} {data['body']}", banned=banned
        )
        # A failed scorer routes to review ("scorer_unavailable"), so it is never nudged.
        if data.get("nudge") and draft is None and should_nudge(site, decision):
            return nudge_author(site, article_key, data["body"])

    if article is None:
        article = get_or_create_article(
            site, article_key, url=data.get("article_url"), title=data.get("article_title"))
    else:
        complete_article(article, url=data.get("article_url"), title=data.get("article_title"))
    comment = Comment(
        article_id=article.id,
        parent_id=parent.id if parent else None,
        root_id=(parent.root_id or parent.id) if parent else None,
        author_name=data["author_name"],
        # Only the keyed hash: the address itself is kept (encrypted) by a subscription alone.
        author_email=None,
        email_hash=email_h,
        reader_id=reader_id,
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
        draft_body=draft,
        nudge_outcome=outcome(draft, data["body"]) if draft is not None else None,
    )
    db.session.add(comment)
    db.session.flush()
    record_event(comment, from_status=None, actor=ActorType.system, reason=decision.reason)
    if decision.reason != AWAITING_SCORE:  # the worker records the shadow's decision then
        shadow.record(comment, decision, site.id, site.premoderate or article.premoderate,
                      {site.id: shadow.running_for_post(site)})
    published = decision.status is CommentStatus.published
    # A comment awaiting the scoring worker moves no counter: its decision moves the
    # article's revision and time (set_status). One held for review moves them but, unseen
    # by readers, no generation.
    if decision.reason != AWAITING_SCORE:
        bump_article(article.id, int(published), commented_at=comment.created_at,
                     seen_by_readers=published)
    if data.get("notify_replies"):
        subscribe(comment, site, reader, email)
    _commit_keeping_state()
    if decision.reason == AWAITING_SCORE:
        current_app.extensions["moderation.queue"].enqueue([comment.id])
    return comment


def _commit_keeping_state() -> None:
    """Commit without expiring what was loaded: the answer is built from the comment just
    written, and reading its row back would cost a round trip on every post."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True
