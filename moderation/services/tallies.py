"""Article counters that busy articles do not queue on.

On PostgreSQL a change to an article's count or revision appends an ArticleTally row in the
change's own transaction instead of updating the article row: an UPDATE would hold the row
lock until commit, and every post to the same article would wait its turn (seconds at the
99th percentile under load). Right after the commit, one statement folds the article's
tallies into its row. Readers add the tallies not yet folded, so counts stay exact at every
moment. SQLite has one writer at a time anyway and updates the row directly.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import event, func, insert, select, text, update
from sqlalchemy.orm import Session

from moderation.models import Article, ArticleTally

log = logging.getLogger(__name__)

_FOLDS = "moderation.tallied_articles"
_READY = "moderation.tallies_to_fold"

# What readers select: the row's values plus the tallies not yet folded into it, read in
# the same statement (one snapshot), so a concurrent fold never counts anything twice.
pending_published = (
    select(func.coalesce(func.sum(ArticleTally.published_delta), 0))
    .where(ArticleTally.article_id == Article.id)
    .correlate(Article)
    .scalar_subquery()
)
pending_revisions = (
    select(func.count(ArticleTally.id))
    .where(ArticleTally.article_id == Article.id)
    .correlate(Article)
    .scalar_subquery()
)
published_now = (Article.published_count + pending_published).label("published_count")
revision_now = (Article.revision + pending_revisions).label("revision")

# One statement an article, in a transaction of its own (a batch's articles share one), so
# article rows are locked only inside the server, never while Python runs. SKIP LOCKED
# leaves tallies another fold is taking to that fold: each tally is folded exactly once,
# and two folds never wait on each other's tallies (no deadlock). Losing this commit in a
# crash loses the whole fold, never a tally (they stay for the next fold), so it need not
# wait for the disk: synchronous_commit is off for this transaction alone, set inside the
# statement to save a round trip.
_FOLD = text("""
WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true) AS setting),
gone AS (
    DELETE FROM article_tallies WHERE id IN (
        SELECT id FROM article_tallies WHERE article_id = :article_id
        FOR UPDATE SKIP LOCKED)
    RETURNING published_delta, commented_at
)
UPDATE articles SET
    published_count = published_count + (SELECT coalesce(sum(published_delta), 0) FROM gone),
    revision = revision + (SELECT count(*) FROM gone),
    last_comment_at = greatest(last_comment_at, (SELECT max(commented_at) FROM gone))
WHERE id = :article_id AND EXISTS (SELECT 1 FROM gone) AND EXISTS (SELECT 1 FROM relaxed)
""")


def tally_article(session: Session, article_id: int, published_delta: int = 0,
                  commented_at: datetime | None = None) -> None:
    """Add a change to an article's count and revision to the session's transaction."""
    tally_articles(session, [(article_id, published_delta, commented_at)])


def tally_articles(session: Session,
                   changes: list[tuple[int, int, datetime | None]]) -> None:
    """Add changes (article id, published delta, commented at) to the session's transaction.

    Each change moves its article's revision on by one, as if tallied alone; a batch of
    decisions writes them in one statement per article on SQLite, one in all on PostgreSQL.
    """
    if not changes:
        return
    if session.get_bind().dialect.name != "postgresql":
        for article_id, (delta, count, latest) in _per_article(changes).items():
            values = {"revision": Article.revision + count}
            if delta:
                values["published_count"] = Article.published_count + delta
            if latest is not None:
                values["last_comment_at"] = latest
            session.execute(update(Article).where(Article.id == article_id).values(**values)
                            .execution_options(readers_noted=True))
        return
    session.execute(insert(ArticleTally).values([
        {"article_id": article_id, "published_delta": delta, "commented_at": commented_at}
        for article_id, delta, commented_at in changes
    ]).execution_options(readers_noted=True))
    session.info.setdefault(_FOLDS, set()).update(article_id for article_id, _, _ in changes)


def _per_article(changes) -> dict[int, tuple[int, int, datetime | None]]:
    """Return each article's summed delta, number of changes and last commented-at given."""
    merged: dict[int, tuple[int, int, datetime | None]] = {}
    for article_id, delta, commented_at in changes:
        total, count, latest = merged.get(article_id, (0, 0, None))
        merged[article_id] = (total + delta, count + 1,
                              commented_at if commented_at is not None else latest)
    return merged


def fold_tallies(engine, article_ids) -> None:
    """Fold the articles' tallies into their rows: a statement each, sent together.

    The driver sends them in one round trip and the server runs them as one transaction,
    which takes the article rows in id order. Whatever else locks several articles at
    once does so in id order too (an import batch's counters), so no two wait on each
    other in a circle.
    """
    params = [{"article_id": article_id} for article_id in sorted(article_ids)]
    if not params:
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        # A post's own fold (one article) stays a plain statement, outside pipeline mode.
        conn.execute(_FOLD, params if len(params) > 1 else params[0])


@event.listens_for(Session, "after_commit")
def _fold_after_commit(session: Session) -> None:
    """Mark what the committed transaction tallied as ready to fold."""
    article_ids = session.info.pop(_FOLDS, None)
    if article_ids:
        session.info.setdefault(_READY, set()).update(article_ids)


@event.listens_for(Session, "after_transaction_end")
def _fold_when_released(session: Session, transaction) -> None:
    """Fold once the session has given its connection back, so a request never holds two
    (threads holding one and waiting for another would drain the pool)."""
    if transaction.parent is not None:
        return
    article_ids = session.info.pop(_READY, None)
    if not article_ids:
        return
    try:
        fold_tallies(session.get_bind(), article_ids)
    except Exception as exc:  # noqa: BLE001 (the change is committed; readers add tallies)
        log.warning("could not fold article tallies %s: %s", sorted(article_ids), exc)


@event.listens_for(Session, "after_rollback")
def _forget_tallies(session: Session) -> None:
    """Nothing to fold once the transaction that tallied is rolled back."""
    if not session.in_transaction():
        session.info.pop(_FOLDS, None)
