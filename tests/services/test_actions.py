"""Every moderator action changes the comment and writes exactly one audit event with it."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select, text

from moderation.errors import Conflict
from moderation.extensions import db
from moderation.models import (
    ActorType,
    Article,
    Ban,
    Comment,
    CommentStatus,
    Flag,
    FlagReason,
    ModerationEvent,
    Moderator,
)
from moderation.services import actions, bans
from tests.factories import make_comment, make_moderator


def events_of(comment_id: int) -> list[tuple]:
    """Return (actor, moderator, from, to, reason, note) of a comment's events, oldest first."""
    rows = db.session.scalars(select(ModerationEvent).where(
        ModerationEvent.comment_id == comment_id).order_by(ModerationEvent.id))
    return [(e.actor_type, e.moderator_id, e.from_status, e.to_status, e.reason, e.note)
            for e in rows]


@pytest.fixture
def ctx(app, site):
    """An app context with a moderator; yields the moderator."""
    with app.app_context():
        yield make_moderator("mod@example.org")


def test_approve_publishes_counts_and_audits(ctx):
    comment = make_comment()
    article = db.session.get(Article, comment.article_id)
    revision = article.revision
    outcome = actions.approve(comment.id, ctx, version=comment.version)
    db.session.expire_all()
    assert outcome.status is CommentStatus.published and outcome.version == 2
    assert db.session.get(Comment, comment.id).reason == "approved"
    article = db.session.get(Article, comment.article_id)
    assert article.published_count == 1 and article.revision == revision + 1
    assert events_of(comment.id)[-1] == (ActorType.moderator, ctx.id,
                                         CommentStatus.pending_review, CommentStatus.published,
                                         "approved", None)


def test_reject_records_reason_and_note(ctx):
    comment = make_comment(status=CommentStatus.published)
    actions.reject(comment.id, ctx, reason="spam", note="link farm", version=1)
    db.session.expire_all()
    stored = db.session.get(Comment, comment.id)
    assert stored.status is CommentStatus.rejected and stored.reason == "spam"
    assert db.session.get(Article, comment.article_id).published_count == 0
    assert events_of(comment.id)[-1][2:] == (CommentStatus.published, CommentStatus.rejected,
                                             "spam", "link farm")


def test_reject_refuses_an_unknown_reason(ctx):
    comment = make_comment()
    with pytest.raises(Exception, match="reason"):
        actions.reject(comment.id, ctx, reason="because", version=1)
    assert len(events_of(comment.id)) == 1


def test_feature_publishes_a_pending_comment_as_a_pick(ctx):
    comment = make_comment()
    actions.feature(comment.id, ctx, version=1)
    db.session.expire_all()
    stored = db.session.get(Comment, comment.id)
    assert stored.is_featured and stored.status is CommentStatus.published
    assert events_of(comment.id)[-1][3:5] == (CommentStatus.published, "featured")


def test_feature_toggles_on_a_published_comment_and_bumps_version(ctx):
    comment = make_comment(status=CommentStatus.published)
    first = actions.feature(comment.id, ctx, version=1)
    second = actions.feature(comment.id, ctx, version=first.version)
    db.session.expire_all()
    assert second.version == 3 and not db.session.get(Comment, comment.id).is_featured
    assert [e[4] for e in events_of(comment.id)[1:]] == ["featured", "unfeatured"]


def test_ban_rejects_the_comment_and_stores_the_ban(ctx):
    comment = make_comment(email_hash="e" * 64)
    bans.ban_author(comment.id, ctx, days=7, match="email", note="repeat", version=1)
    db.session.expire_all()
    ban = db.session.scalar(select(Ban))
    assert ban.email_hash == "e" * 64 and ban.client_hash is None and ban.expires_at is not None
    assert ban.created_by_id == ctx.id
    assert db.session.get(Comment, comment.id).status is CommentStatus.rejected
    assert events_of(comment.id)[-1][4:] == ("banned", f"ban:{ban.id} repeat")


def test_ban_for_good_without_email_matches_the_client(ctx):
    comment = make_comment(email_hash=None)
    bans.ban_author(comment.id, ctx, days=None, match="email", version=1)
    ban = db.session.scalar(select(Ban))
    assert ban.client_hash == "c" * 64 and ban.expires_at is None


def test_undo_restores_status_reason_and_counts(ctx):
    comment = make_comment(reason="suspect_word")
    actions.approve(comment.id, ctx, version=1)
    outcome = actions.undo(comment.id, ctx, version=2)
    db.session.expire_all()
    stored = db.session.get(Comment, comment.id)
    assert outcome.status is CommentStatus.pending_review and stored.reason == "suspect_word"
    assert db.session.get(Article, comment.article_id).published_count == 0
    assert events_of(comment.id)[-1][2:5] == (CommentStatus.published,
                                              CommentStatus.pending_review, "undo")


def test_undo_of_a_ban_lifts_it(ctx):
    comment = make_comment()
    bans.ban_author(comment.id, ctx, days=None, version=1)
    actions.undo(comment.id, ctx, version=2)
    assert db.session.scalar(select(Ban)).lifted_at is not None


def test_undo_of_a_feature_toggle_restores_the_flag(ctx):
    comment = make_comment(status=CommentStatus.published)
    actions.feature(comment.id, ctx, version=1)
    actions.undo(comment.id, ctx, version=2)
    db.session.expire_all()
    assert not db.session.get(Comment, comment.id).is_featured


def test_undo_twice_is_refused(ctx):
    comment = make_comment()
    actions.approve(comment.id, ctx, version=1)
    actions.undo(comment.id, ctx, version=2)
    with pytest.raises(Conflict, match="no moderator decision"):
        actions.undo(comment.id, ctx, version=3)


def test_undo_without_a_moderator_decision_is_refused(ctx):
    comment = make_comment()
    with pytest.raises(Conflict):
        actions.undo(comment.id, ctx, version=1)


def test_second_moderator_with_a_stale_version_is_told_who_decided(ctx):
    other = make_moderator("other@example.org")
    comment = make_comment()
    actions.approve(comment.id, ctx, version=1)
    with pytest.raises(Conflict, match="already decided by mod@example.org"):
        actions.reject(comment.id, other, reason="spam", version=1)
    db.session.expire_all()
    assert db.session.get(Comment, comment.id).status is CommentStatus.published
    assert [e[4] for e in events_of(comment.id)] == ["threshold", "approved"]


def test_concurrent_update_between_read_and_write_keeps_nothing(ctx, app):
    """Another moderator commits after this one loaded the comment: the versioned UPDATE misses."""
    other = make_moderator("other@example.org")
    comment = make_comment()
    comment_id, other_id = comment.id, other.id
    db.session.expunge(comment)

    fired = []

    def decide_elsewhere(session, instance):
        if not isinstance(instance, Comment) or fired:
            return
        fired.append(instance.id)
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE comments SET status='rejected', reason='spam', "
                              "version=version+1 WHERE id=:id"), {"id": comment_id})
            conn.execute(text("INSERT INTO moderation_events (comment_id, actor_type, "
                              "moderator_id, from_status, to_status, reason, created_at) VALUES "
                              "(:id, 'moderator', :m, 'pending_review', 'rejected', 'spam', "
                              "CURRENT_TIMESTAMP)"), {"id": comment_id, "m": other_id})

    # Fires right after this session reads the comment, before it writes anything.
    event.listen(db.session, "loaded_as_persistent", decide_elsewhere)
    try:
        with pytest.raises(Conflict, match="already decided by other@example.org"):
            actions.approve(comment_id, ctx, version=1)
    finally:
        event.remove(db.session, "loaded_as_persistent", decide_elsewhere)
    assert fired == [comment_id]
    db.session.expire_all()
    assert db.session.get(Comment, comment_id).status is CommentStatus.rejected
    assert [e[4] for e in events_of(comment_id)] == ["threshold", "spam"]
    assert db.session.get(Article, comment.article_id).published_count == 0


def test_bulk_rejects_fresh_items_and_skips_stale_ones(ctx):
    first, second, third = make_comment(), make_comment(), make_comment()
    actions.approve(third.id, ctx, version=1)
    done, skipped = actions.bulk([(first.id, 1), (second.id, 1), (third.id, 1)], "reject",
                                 ctx, reason="off_topic")
    assert done == 2 and len(skipped) == 1 and "already decided" in skipped[0]
    db.session.expire_all()
    statuses = [db.session.get(Comment, c.id).status for c in (first, second, third)]
    assert statuses == [CommentStatus.rejected, CommentStatus.rejected, CommentStatus.published]
    assert events_of(first.id)[-1][4] == "off_topic"


def test_reject_all_pending_from_author_leaves_others_alone(ctx):
    mine = [make_comment(email_hash="e" * 64, client_hash=f"{i}" * 64) for i in range(3)]
    published = make_comment(email_hash="e" * 64, status=CommentStatus.published)
    someone_else = make_comment(email_hash="f" * 64, client_hash="d" * 64)
    count = bans.reject_pending_from_author(mine[0].id, ctx, reason="spam")
    db.session.expire_all()
    assert count == 3
    assert all(db.session.get(Comment, c.id).status is CommentStatus.rejected for c in mine)
    assert db.session.get(Comment, published.id).status is CommentStatus.published
    assert db.session.get(Comment, someone_else.id).status is CommentStatus.pending_review


def test_deciding_a_reported_comment_resolves_its_reports(ctx):
    comment = make_comment(status=CommentStatus.published)
    db.session.add(Flag(comment_id=comment.id, reader_hash="r" * 64, reason=FlagReason.spam))
    db.session.commit()
    actions.reject(comment.id, ctx, reason="spam", version=1)
    assert db.session.scalar(select(Flag.resolved)) is True


def test_moderator_relationship_is_recorded_on_events(ctx):
    comment = make_comment()
    actions.approve(comment.id, ctx, version=1)
    last = db.session.scalars(select(ModerationEvent).order_by(ModerationEvent.id.desc())).first()
    assert isinstance(last.moderator, Moderator) and last.moderator.email == "mod@example.org"
