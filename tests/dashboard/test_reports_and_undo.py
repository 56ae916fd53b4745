"""Reported items show their open reports; one toolbar undo takes back the latest decision."""

from __future__ import annotations

from sqlalchemy import select, update

from moderation.extensions import db
from moderation.models import Comment, CommentStatus, Flag, FlagReason, ModerationEvent, Moderator
from moderation.services import actions
from moderation.services.queue import list_queue
from tests.dashboard.conftest import csrf_token
from tests.factories import make_comment, make_moderator


def report(comment_id: int, reason: FlagReason, reader: str, note: str | None = None):
    db.session.add(Flag(comment_id=comment_id, reader_hash=reader * 64, reason=reason, note=note))
    # As readers' reports do: counted in SQL, without a version bump.
    count = db.session.query(Flag).filter_by(comment_id=comment_id).count()
    db.session.execute(update(Comment).where(Comment.id == comment_id).values(flag_count=count))
    db.session.commit()


def test_reported_items_list_reasons_counts_and_notes(app, mod_client):
    with app.app_context():
        comment_id = make_comment(status=CommentStatus.published).id
        report(comment_id, FlagReason.spam, "a", "selling watches")
        report(comment_id, FlagReason.spam, "b")
        report(comment_id, FlagReason.off_topic, "c")
        make_comment(body="Nobody reported this one")
    html = mod_client.get("/dashboard/?tab=reported").get_data(as_text=True)
    assert "<strong>3 open reports:</strong>" in html
    assert "spam (2), off topic (1)" in html
    assert "<li>“selling watches”</li>" in html
    assert html.count('class="reports"') == 1


def test_resolved_reports_are_not_listed(app, mod):
    with app.app_context():
        comment = make_comment(status=CommentStatus.published)
        report(comment.id, FlagReason.abusive, "a")
        actions.approve(comment.id, db.session.get(Moderator, mod), version=1)
        page = list_queue("all", {})
    assert page.reports == {}


def test_cards_have_no_undo_and_the_toolbar_has_one(app, mod_client):
    with app.app_context():
        make_comment()
        make_comment()
    html = mod_client.get("/dashboard/").get_data(as_text=True)
    assert "Undo last decision" not in html
    assert html.count('id="undo-button"') == 1 and 'action="/dashboard/undo"' in html


def test_toolbar_undo_reverts_my_latest_decision(app, mod_client, mod):
    with app.app_context():
        first, second = make_comment().id, make_comment().id
    token = csrf_token(mod_client, "/dashboard/")
    for comment_id in (first, second):
        mod_client.post(f"/dashboard/api/comments/{comment_id}/reject",
                        json={"version": 1, "reason": "spam"}, headers={"X-CSRFToken": token})
    response = mod_client.post("/dashboard/undo", data={"csrf_token": token, "back": "/dashboard/"})
    assert response.status_code == 303
    page = mod_client.get("/dashboard/").get_data(as_text=True)
    assert f"Comment {second}: Undone: back to pending review." in page
    with app.app_context():
        statuses = [db.session.get(Comment, i).status for i in (first, second)]
    assert statuses == [CommentStatus.rejected, CommentStatus.pending_review]
    again = mod_client.post("/dashboard/api/undo", json={}, headers={"X-CSRFToken": token})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "nothing_to_undo"


def test_toolbar_undo_leaves_a_comment_someone_changed_since(app, mod_client, mod):
    with app.app_context():
        comment_id = make_comment().id
        actions.approve(comment_id, db.session.get(Moderator, mod), version=1)
        other = make_moderator("other@example.org")
        actions.reject(comment_id, other, reason="spam", version=2)
    token = csrf_token(mod_client, "/dashboard/")
    response = mod_client.post("/dashboard/api/undo", json={}, headers={"X-CSRFToken": token})
    assert response.status_code == 409
    assert "other@example.org" in response.get_json()["error"]["message"]
    with app.app_context():
        assert db.session.get(Comment, comment_id).status is CommentStatus.rejected
        reasons = db.session.scalars(select(ModerationEvent.reason)).all()
    assert "undo" not in reasons
