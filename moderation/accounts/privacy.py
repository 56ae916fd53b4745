"""Privacy requests: a reader's data as JSON, and erasing it (by the reader or an admin)."""

from __future__ import annotations

from sqlalchemy import delete, or_, select, update

from moderation.accounts.crypto import decrypt, email_lookup
from moderation.clients import hash_value
from moderation.extensions import db
from moderation.models import (
    ActorType,
    Article,
    Ban,
    Comment,
    CommentStatus,
    ModerationEvent,
    ReaderAccount,
    ReplySubscription,
    Site,
    WebhookDelivery,
)
from moderation.models.types import utcnow
from moderation.services.decisions import bump_article, record_event, set_status
from moderation.webhooks.outbox import STATES

ERASED = "privacy_erasure"
ERASED_NAME = "Deleted reader"


def _owner(accounts: list[ReaderAccount], email_h: str | None):
    """Return the condition that picks rows of this person: their accounts or their address."""
    terms = [Comment.reader_id.in_([a.id for a in accounts])] if accounts else []
    if email_h:
        terms.append(Comment.email_hash == email_h)
    return or_(*terms) if terms else None


def find_person(*, account: ReaderAccount | None = None, email: str | None = None,
                site: Site | None = None) -> tuple[list[ReaderAccount], str | None]:
    """Return the accounts and the address hash a request is about."""
    if account is not None:
        return [account], account.email_hash
    email_h = email_lookup(email)
    query = select(ReaderAccount).where(ReaderAccount.email_hash == email_h)
    if site is not None:
        query = query.where(ReaderAccount.site_id == site.id)
    return list(db.session.scalars(query)), email_h


def _comments(accounts, email_h, site: Site | None, *, lock: bool = False) -> list[Comment]:
    condition = _owner(accounts, email_h)
    if condition is None:
        return []
    query = select(Comment).join(Article, Article.id == Comment.article_id).where(condition)
    if site is not None:
        query = query.where(Article.site_id == site.id)
    return list(db.session.scalars(query.order_by(Comment.id)))


def export_person(accounts: list[ReaderAccount], email_h: str | None,
                  site: Site | None = None) -> dict:
    """Return everything kept about the person, as JSON-ready data."""
    sites = {s.id: s.key for s in db.session.scalars(select(Site))}
    articles: dict[int, Article] = {}
    comments = []
    for comment in _comments(accounts, email_h, site):
        article = articles.get(comment.article_id) or db.session.get(Article, comment.article_id)
        articles[article.id] = article
        comments.append({"id": comment.id, "site": sites[article.site_id],
                         "article": article.external_id, "article_url": article.url,
                         "parent_id": comment.parent_id, "author_name": comment.author_name,
                         "body": comment.body, "state": STATES[comment.status],
                         "created_at": comment.created_at.isoformat() + "Z"})
        if comment.draft_body is not None:  # the first draft, kept after a nudge
            comments[-1]["draft_body"] = comment.draft_body
    subs = db.session.scalars(select(ReplySubscription).where(or_(
        ReplySubscription.email_hash == (email_h or ""),
        ReplySubscription.reader_id.in_([a.id for a in accounts]))))
    return {
        "accounts": [{"site": sites[a.site_id], "id": a.external_id, "username": a.username,
                      "email": decrypt(a.email_encrypted),
                      "created_at": a.created_at.isoformat() + "Z"} for a in accounts],
        "comments": comments,
        "reply_notifications": [{"site": sites[s.site_id], "thread": s.root_id,
                                 "email": decrypt(s.email_encrypted),
                                 "confirmed": s.confirmed_at is not None} for s in subs],
    }


def _erase_comment(comment: Comment, mode: str, actor: ActorType, moderator_id: int | None):
    """Unattribute one comment; "remove" also withdraws its text. The decision is audited."""
    if mode == "remove" and comment.status is not CommentStatus.deleted:
        set_status(comment, CommentStatus.deleted, reason=ERASED, actor=actor,
                   moderator_id=moderator_id)
        comment.body = ""
        comment.draft_body = None if comment.draft_body is None else ""
    else:
        record_event(comment, from_status=comment.status, actor=actor, reason=ERASED,
                     moderator_id=moderator_id)
        if comment.status is CommentStatus.published:
            bump_article(comment.article_id)  # readers see the new name
    comment.author_name = ERASED_NAME
    comment.author_email = None
    comment.email_hash = None
    comment.reader_id = None
    comment.client_hash = hash_value(f"erased:{comment.id}", "client")


def erase_person(accounts: list[ReaderAccount], email_h: str | None, site: Site | None = None,
                 *, actor: ActorType = ActorType.reader, moderator_id: int | None = None) -> dict:
    """Erase the person: comments as each site chooses, subscriptions, address, account."""
    modes = {s.id: s.erase_mode for s in db.session.scalars(select(Site))}
    comments = _comments(accounts, email_h, site)
    ids = [c.id for c in comments]
    with db.session.no_autoflush:
        for comment in comments:
            site_id = db.session.scalar(select(Article.site_id)
                                        .where(Article.id == comment.article_id))
            _erase_comment(comment, modes[site_id], actor, moderator_id)
    if ids:
        # Decisions stay; moderators' notes on them may name the person, so they go.
        db.session.execute(update(ModerationEvent).where(ModerationEvent.comment_id.in_(ids))
                           .values(note=None))
        # Queued and logged webhook bodies carry the name and text.
        db.session.execute(delete(WebhookDelivery).where(WebhookDelivery.comment_id.in_(ids)))
    sub_terms = [ReplySubscription.reader_id.in_([a.id for a in accounts])]
    if email_h:
        sub_terms.append(ReplySubscription.email_hash == email_h)
    subscriptions = db.session.execute(delete(ReplySubscription).where(or_(*sub_terms))).rowcount
    for account in accounts:
        _erase_account(account)
    db.session.commit()
    return {"comments": len(ids), "subscriptions": subscriptions, "accounts": len(accounts)}


def _erase_account(account: ReaderAccount) -> None:
    """Delete the account; a banned one stays as a nameless tombstone so the ban still holds."""
    banned = db.session.scalar(select(Ban.id).where(
        Ban.reader_id == account.id, Ban.lifted_at.is_(None),
        or_(Ban.expires_at.is_(None), Ban.expires_at > utcnow())).limit(1))
    if banned is None:
        db.session.delete(account)
        return
    account.username = ERASED_NAME
    account.email_hash = None
    account.email_encrypted = None
