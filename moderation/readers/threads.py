"""Reading published threads and counts: keyset pages, no query per comment."""

from __future__ import annotations

import base64
import json
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import and_, bindparam, or_, select

from moderation.errors import ApiError, NotFound
from moderation.extensions import db
from moderation.models import Article, Comment, CommentStatus, Site
from moderation.readers.thread_cache import cached_page
from moderation.services.comments import MAX_REPLY_DEPTH
from moderation.services.tallies import published_now, revision_now
from moderation.sites.lookup import get_site

SORTS = {
    # sort -> (columns of the keyset, descending?)
    "oldest": ((Comment.created_at, Comment.id), False),
    "newest": ((Comment.created_at, Comment.id), True),
    "top": ((Comment.like_count, Comment.id), True),
}


def encode_cursor(values: list) -> str:
    """Encode the keyset position after a page as an opaque token."""
    raw = json.dumps([v.isoformat() if hasattr(v, "isoformat") else v for v in values])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> tuple:
    """Decode a cursor made by encode_cursor, or raise a 400."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        first, last_id = json.loads(base64.urlsafe_b64decode(padded.encode()))
        first = int(first) if sort == "top" else datetime.fromisoformat(first)
        if not isinstance(last_id, int) or not 0 < last_id < 2**63:
            raise ValueError("bad id")
        return first, last_id
    except (ValueError, TypeError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ApiError("The cursor is not valid; start again without it.",
                       code="invalid_cursor", fields={"cursor": ["Not a valid cursor."]}) from exc


def public_comment(comment: Comment) -> dict:
    """Return what readers may see of a comment (never email, scores or hashes)."""
    return {
        "id": comment.id,
        "parent_id": comment.parent_id,
        "author_name": comment.author_name,
        "body": comment.body,
        "created_at": comment.created_at.isoformat() + "Z",
        "likes": comment.like_count,
        "featured": comment.is_featured,
        "replies": [],
    }


def _page_roots(article: ArticleVersion, sort: str, cursor: str | None,
                limit: int) -> list[Comment]:
    """Return one page of published top-level comments, plus one to detect a next page."""
    (first_col, id_col), descending = SORTS[sort]
    query = select(Comment).where(
        Comment.article_id == article.id,
        Comment.status == CommentStatus.published,
        Comment.parent_id.is_(None),
    )
    if cursor:
        first, last_id = decode_cursor(cursor, sort)
        if descending:
            query = query.where(or_(first_col < first, and_(first_col == first, id_col < last_id)))
        else:
            query = query.where(or_(first_col > first, and_(first_col == first, id_col > last_id)))
    order = (first_col.desc(), id_col.desc()) if descending else (first_col, id_col)
    return list(db.session.scalars(query.order_by(*order).limit(limit + 1)))


def _nest_replies(roots: list[Comment]) -> list[dict]:
    """Fetch every published reply of the page's threads in one query and nest them."""
    tree = {c.id: public_comment(c) for c in roots}
    if not roots:
        return []
    # Filtering on root_id alone keeps SQLite on the root_id index; with the status in the
    # WHERE it picks the status index and scans every published comment of every article.
    replies = db.session.scalars(
        select(Comment)
        .where(Comment.root_id.in_(list(tree)))
        .order_by(Comment.created_at, Comment.id)
    )
    # hosts: where a comment's replies hang (itself, or its host once at the maximum depth);
    # chains stored before the maximum existed are flattened the same way.
    hosts: dict[int, tuple[dict, int]] = {c.id: (tree[c.id], 0) for c in roots}
    for reply in replies:
        if reply.status is not CommentStatus.published:
            continue
        node = public_comment(reply)
        # A reply whose parent is no longer shown hangs under its thread's root.
        host, depth = hosts.get(reply.parent_id) or hosts[reply.root_id]
        host["replies"].append(node)
        hosts[reply.id] = (node, depth + 1) if depth + 1 < MAX_REPLY_DEPTH else (host, depth)
    return [tree[c.id] for c in roots]


def _reply_counts(thread: list[dict]) -> None:
    """Set each top-level comment's count of published replies (iteratively: no recursion)."""
    for top in thread:
        count, stack = 0, list(top["replies"])
        while stack:
            node = stack.pop()
            count += 1
            stack.extend(node["replies"])
        top["reply_count"] = count


def featured_comments(article: ArticleVersion) -> list[dict]:
    """Return the article's published editor's picks, newest first."""
    picks = db.session.scalars(
        select(Comment)
        .where(
            Comment.article_id == article.id,
            Comment.status == CommentStatus.published,
            Comment.is_featured.is_(True),
        )
        .order_by(Comment.created_at.desc())
        .limit(20)
    )
    return [public_comment(c) for c in picks]


class ArticleVersion(NamedTuple):
    """What a thread page depends on of its article, read in one statement."""

    id: int
    created_at: datetime
    revision: int
    is_closed: bool
    published_count: int


# Built once: the site, and the article with its unfolded tallies, in one statement.
_VERSION_QUERY = (
    select(Site.id, Article.id, Article.created_at, revision_now, Article.is_closed,
           published_now)
    .select_from(Site)
    .outerjoin(Article, and_(Article.site_id == Site.id,
                             Article.external_id == bindparam("article")))
    .where(Site.key == bindparam("site"))
)


def thread_version(site_key: str, article_key: str) -> tuple[int, ArticleVersion | None]:
    """Return the site's id and the article's version (None before its first comment)."""
    row = db.session.execute(_VERSION_QUERY, {"site": site_key, "article": article_key}).first()
    if row is None:
        raise NotFound(f"No site '{site_key}'.", code="site_not_found")
    site_id, article_id = row[0], row[1]
    return site_id, (ArticleVersion(*row[1:]) if article_id is not None else None)


def list_thread(article: ArticleVersion | None, *, sort: str, cursor: str | None,
                limit: int) -> dict:
    """Return one page of an article's published thread with replies nested."""
    if article is None:
        return {"count": 0, "comments": [], "featured": [], "next_cursor": None, "sort": sort}
    return cached_page(article, sort, cursor, limit,
                       lambda: _render_thread(article, sort=sort, cursor=cursor, limit=limit))


def _render_thread(article: ArticleVersion, *, sort: str, cursor: str | None,
                   limit: int) -> dict:
    """Render one page of a thread from the database (three queries)."""
    roots = _page_roots(article, sort, cursor, limit)
    has_more = len(roots) > limit
    roots = roots[:limit]
    comments = _nest_replies(roots)
    _reply_counts(comments)
    next_cursor = None
    if has_more:
        last = roots[-1]
        first_value = last.like_count if sort == "top" else last.created_at
        next_cursor = encode_cursor([first_value, last.id])
    return {
        "count": article.published_count,
        "comments": comments,
        "featured": featured_comments(article) if cursor is None else [],
        "next_cursor": next_cursor,
        "sort": sort,
        "closed": article.is_closed,
    }


# Built once with an expanding parameter: coercing hundreds of literals into a fresh
# statement per call cost more than running the query.
_COUNTS_QUERY = (
    select(Article.external_id, published_now)
    .join(Site, Site.id == Article.site_id)
    .where(Site.key == bindparam("key"), Article.external_id.in_(bindparam("ids", expanding=True)))
)


def count_published(site_key: str, external_ids: list[str]) -> dict[str, int]:
    """Return published counts by site key, in one query when any article is known.

    Counts are the busiest public call (every listing page); joining the site saves the
    separate site lookup. Only when no article matches is the site itself checked, for 404.
    """
    rows = db.session.execute(_COUNTS_QUERY, {"key": site_key, "ids": external_ids}).all()
    if not rows:
        get_site(site_key)
    counts = dict.fromkeys(external_ids, 0)
    counts.update({external_id: count for external_id, count in rows})
    return counts
