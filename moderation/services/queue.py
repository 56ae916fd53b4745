"""The review queue: tabs, filters and keyset pages, with a fixed number of queries per page."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import contains_eager

from moderation.clients import email_hash
from moderation.errors import ApiError
from moderation.extensions import db
from moderation.models import (
    Article,
    Comment,
    CommentStatus,
    Flag,
    Site,
)
from moderation.models.types import utcnow
from moderation.services.author_history import author_histories

TABS = {
    "pending": "Pending review",
    "reported": "Reported",
    "rejected": "Rejected",
    "published": "Published",
    "all": "All",
}
TAB_STATUS = {
    "pending": CommentStatus.pending_review,
    "rejected": CommentStatus.rejected,
    "published": CommentStatus.published,
}
REASONS = ("threshold", "banned", "banned_word", "suspect_word", "scorer_unavailable",
           "language_unsupported", "language_unclear", "premoderation", "awaiting_score",
           "reported")


@dataclass
class QueuePage:
    """One page of the queue and what the template needs around it."""

    items: list[Comment]
    next_cursor: str | None
    parents: dict[int, Comment] = field(default_factory=dict)
    history: dict[str, dict] = field(default_factory=dict)
    reports: dict[int, dict] = field(default_factory=dict)


def _reported():
    """Return the condition for the Reported tab: comments with open reader reports.

    A comment held after reports (reason "reported") keeps its open flags until a
    moderator decides it, so the flags alone find it. Driven from the few open
    flags rather than probing flags for every comment.
    """
    open_flags = select(Flag.comment_id).where(Flag.resolved.is_(False))
    return and_(Comment.status != CommentStatus.deleted, Comment.id.in_(open_flags))


def _filtered(query, tab: str, filters: dict):
    """Apply the tab and the filters to a select over Comment joined to Article."""
    if tab in TAB_STATUS:
        query = query.where(Comment.status == TAB_STATUS[tab])
    elif tab == "reported":
        query = query.where(_reported())
    else:
        query = query.where(Comment.status != CommentStatus.deleted)
    if filters.get("site"):
        query = query.where(Article.site_id == select(Site.id).where(
            Site.key == filters["site"]).scalar_subquery())
    if filters.get("article"):
        query = query.where(Article.external_id == filters["article"])
    if filters.get("reason"):
        query = query.where(Comment.reason == filters["reason"])
    if filters.get("label"):
        minimum = current_app.config["DASHBOARD_LABEL_MIN"]
        query = query.where(Comment.scores[filters["label"]].as_float() >= minimum)
    if filters.get("author"):
        author = filters["author"].strip()
        matches = [Comment.author_name == author, Comment.email_hash == author,
                   Comment.client_hash == author]
        if "@" in author:
            matches.append(Comment.email_hash == email_hash(author))
        if author.startswith("reader:") and author[7:].isdigit():
            matches.append(Comment.reader_id == int(author[7:]))
        query = query.where(or_(*matches))
    return query


def encode_cursor(score: float | None, created: str | None, last_id: int) -> str:
    """Encode the keyset position after a page."""
    raw = json.dumps([score, created, last_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[float | None, str | None, int]:
    """Decode a queue cursor, or raise a 400."""
    try:
        raw = base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode())
        score, created, last_id = json.loads(raw)
        if not isinstance(last_id, int) or not 0 < last_id < 2**63:
            raise ValueError("bad id")
        return (None if score is None else float(score)), created, last_id
    except (ValueError, TypeError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ApiError("The page position is not valid; start again.",
                       code="invalid_cursor") from exc


def _base(tab: str, filters: dict):
    """Return the filtered select of comments with their articles loaded in the same query."""
    query = select(Comment).join(Article, Article.id == Comment.article_id)
    return _filtered(query, tab, filters).options(contains_eager(Comment.article))


def _by_age(tab: str, filters: dict, cursor: str | None, limit: int) -> list[Comment]:
    """Return one page, oldest first (longest waiting first), by (created_at, id)."""
    query = _base(tab, filters)
    if cursor:
        _, created, last_id = decode_cursor(cursor)
        when = datetime.fromisoformat(created)
        query = query.where(or_(Comment.created_at > when,
                                and_(Comment.created_at == when, Comment.id > last_id)))
    return list(db.session.scalars(
        query.order_by(Comment.created_at, Comment.id).limit(limit + 1)).unique())


def _by_risk(tab: str, filters: dict, cursor: str | None, limit: int) -> list[Comment]:
    """Return one page, riskiest first: unscored items, then by (max_score, id) descending.

    Two indexed range reads instead of one ORDER BY over NULLs, which SQLite and
    PostgreSQL sort differently and neither can take from the index.
    """
    score, last_id = (None, None)
    in_scored = False
    if cursor:
        score, _, last_id = decode_cursor(cursor)
        in_scored = score is not None
    items: list[Comment] = []
    if not in_scored:
        query = _base(tab, filters).where(Comment.max_score.is_(None))
        if last_id:
            query = query.where(Comment.id < last_id)
        items = list(db.session.scalars(
            query.order_by(Comment.id.desc()).limit(limit + 1)).unique())
    if len(items) <= limit:
        query = _base(tab, filters).where(Comment.max_score.is_not(None))
        if in_scored:
            query = query.where(or_(Comment.max_score < score,
                                    and_(Comment.max_score == score, Comment.id < last_id)))
        items += list(db.session.scalars(
            query.order_by(Comment.max_score.desc(), Comment.id.desc())
            .limit(limit + 1 - len(items))).unique())
    return items


NOTES_SHOWN = 3


def open_reports(items: list[Comment]) -> dict[int, dict]:
    """Return each reported item's open reports: counts per reason and the latest notes."""
    ids = [c.id for c in items if c.flag_count]
    if not ids:
        return {}
    reports: dict[int, dict] = {}
    rows = db.session.execute(
        select(Flag.comment_id, Flag.reason, Flag.note)
        .where(Flag.comment_id.in_(ids), Flag.resolved.is_(False)).order_by(Flag.id.desc()))
    for comment_id, reason, note in rows:
        entry = reports.setdefault(comment_id, {"total": 0, "reasons": {}, "notes": []})
        entry["total"] += 1
        entry["reasons"][reason.value] = entry["reasons"].get(reason.value, 0) + 1
        if note and len(entry["notes"]) < NOTES_SHOWN:
            entry["notes"].append(note)
    return reports


def list_queue(tab: str, filters: dict, *, sort: str = "age", cursor: str | None = None,
               limit: int = 25) -> QueuePage:
    """Return one page of the queue with parents, authors' histories and open reports.

    Five queries, and a sixth when an item on the page has reports.
    """
    rows = (_by_risk if sort == "risk" else _by_age)(tab, filters, cursor, limit)
    items, more = rows[:limit], len(rows) > limit
    next_cursor = None
    if more:
        last = items[-1]
        next_cursor = encode_cursor(last.max_score if sort == "risk" else None,
                                    last.created_at.isoformat(), last.id)
    parent_ids = {c.parent_id for c in items if c.parent_id}
    parents = {}
    if parent_ids:
        parents = {p.id: p for p in db.session.scalars(
            select(Comment).where(Comment.id.in_(parent_ids)))}
    return QueuePage(items, next_cursor, parents, author_histories(items), open_reports(items))


def _joined(query, filters: dict):
    """Join articles only when a filter needs them, so plain counts read one index."""
    if filters.get("site") or filters.get("article"):
        return query.join(Article, Article.id == Comment.article_id)
    return query


def tab_counts(filters: dict) -> dict[str, int]:
    """Return the number of comments in each tab under the filters, in one query."""
    query = _joined(select(Comment.status, func.count()).select_from(Comment), filters)
    counts = {tab: 0 for tab in TABS}
    for status, count in db.session.execute(
        _filtered(query, "all", filters).group_by(Comment.status)
    ):
        for tab, tab_status in TAB_STATUS.items():
            if status is tab_status:
                counts[tab] = count
        counts["all"] += count
    reported = _joined(select(func.count()).select_from(Comment), filters)
    counts["reported"] = db.session.scalar(_filtered(reported, "reported", filters))
    return counts


def waiting_per_site() -> list[tuple[str, int, float]]:
    """Return, per site, how many comments wait for a human or a score and the oldest's age."""
    rows = db.session.execute(
        select(Site.key, func.count(Comment.id), func.min(Comment.created_at))
        .join(Article, Article.site_id == Site.id)
        .join(Comment, Comment.article_id == Article.id)
        .where(Comment.status == CommentStatus.pending_review)
        .group_by(Site.key)
    )
    now = utcnow()
    return [(key, count, (now - oldest).total_seconds() if oldest else 0.0)
            for key, count, oldest in rows]
