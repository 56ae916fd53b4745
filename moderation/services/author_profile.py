"""What a moderator sees about one author in the queue's side panel."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.orm import contains_eager

from moderation.extensions import db
from moderation.models import Article, Ban, Comment, Flag, ModerationEvent, Moderator
from moderation.models.types import utcnow
from moderation.services.author_history import matched_on, same_author

SHOWN = 20
# How each kind of key is said to a moderator.
KEYED_ON = {
    "account": "their reader account",
    "email": "a salted hash of the email address they gave (the address itself is not kept)",
    "device": "a salted hash of their IP address only: they gave no email and were not "
              "signed in, so other people on the same network share this history",
}


@dataclass
class AuthorProfile:
    """One author's comments, the decisions and reports on them, and their active bans."""

    comment: Comment
    keyed_on: str
    matched_on: str
    counts: Counter
    comments: list[Comment]
    decisions: dict[int, list] = field(default_factory=dict)
    reports: dict[int, Counter] = field(default_factory=dict)
    report_totals: Counter = field(default_factory=Counter)
    bans: list[Ban] = field(default_factory=list)


def _same_as(comment: Comment):
    """Return the condition for the comments grouped with this comment's author."""
    if comment.reader_id is not None:
        return same_author({comment.reader_id}, set(), set())
    if comment.email_hash:
        return same_author(set(), {comment.email_hash}, set())
    return same_author(set(), set(), {comment.client_hash})


def _active_bans(comment: Comment, site_id: int) -> list[Ban]:
    """Return the bans in force on the site that match this author."""
    matches = [Ban.client_hash == comment.client_hash]
    if comment.email_hash:
        matches.append(Ban.email_hash == comment.email_hash)
    if comment.reader_id is not None:
        matches.append(Ban.reader_id == comment.reader_id)
    return list(db.session.scalars(
        select(Ban).where(Ban.site_id == site_id, Ban.lifted_at.is_(None), or_(*matches),
                          or_(Ban.expires_at.is_(None), Ban.expires_at > utcnow()))
        .order_by(Ban.id.desc())))


def author_profile(comment: Comment, limit: int = SHOWN) -> AuthorProfile:
    """Return the author's latest comments with decisions and reports, and their bans."""
    same = _same_as(comment)
    counts = Counter(dict(db.session.execute(
        select(Comment.status, func.count()).where(same).group_by(Comment.status)).all()))
    comments = list(db.session.scalars(
        select(Comment).join(Article, Article.id == Comment.article_id)
        .options(contains_eager(Comment.article)).where(same)
        .order_by(Comment.id.desc()).limit(limit)))
    ids = [c.id for c in comments]
    decisions: dict[int, list] = defaultdict(list)
    for row in db.session.execute(
        select(ModerationEvent.comment_id, ModerationEvent.to_status, ModerationEvent.reason,
               ModerationEvent.note, ModerationEvent.created_at, Moderator.email)
        .join(Moderator, Moderator.id == ModerationEvent.moderator_id)
        .where(ModerationEvent.comment_id.in_(ids)).order_by(ModerationEvent.id)):
        decisions[row.comment_id].append(row)
    reports: dict[int, Counter] = defaultdict(Counter)
    totals: Counter = Counter()
    for comment_id, reason in db.session.execute(
        select(Flag.comment_id, Flag.reason).join(Comment, Comment.id == Flag.comment_id)
        .where(same)):
        totals[reason.value] += 1
        if comment_id in ids:
            reports[comment_id][reason.value] += 1
    kind = matched_on(comment)
    return AuthorProfile(comment=comment, keyed_on=KEYED_ON[kind], matched_on=kind,
                         counts=Counter({s.value: n for s, n in counts.items()}),
                         comments=comments, decisions=dict(decisions), reports=dict(reports),
                         report_totals=totals,
                         bans=_active_bans(comment, comment.article.site_id))
