"""The author panel: the author's comments, decisions and reports, and what they are keyed on."""

from __future__ import annotations

from moderation.extensions import db
from moderation.models import Flag, FlagReason, Moderator
from moderation.services import actions
from tests.factories import make_comment

OFFICE = "o" * 64


def test_panel_lists_comments_decisions_reports_and_the_ip_key(app, mod_client, mod):
    with app.app_context():
        moderator = db.session.get(Moderator, mod)
        earlier = make_comment(author="Ann", body="First words", client_hash=OFFICE)
        actions.reject(earlier.id, moderator, reason="spam", version=1)
        db.session.add(Flag(comment_id=earlier.id, reader_hash="r" * 64,
                            reason=FlagReason.off_topic))
        db.session.commit()
        current = make_comment(author="Ann", body="Second words", client_hash=OFFICE).id
        make_comment(author="Bea", body="Someone else", client_hash="z" * 64)
    html = mod_client.get(f"/dashboard/comments/{current}/author?panel=1").get_data(
        as_text=True)
    assert "<html" not in html and "hash of their IP address only" in html
    assert "First words" in html and "Second words" in html and "Someone else" not in html
    assert "spam by mod@example.org" in html
    assert "1 report against them: off topic (1)" in html
    assert "0 published comments" in html and "1 rejected" in html and "1 pending" in html


def test_author_page_without_script_says_it_is_keyed_on_the_email_hash(app, mod_client):
    with app.app_context():
        comment = make_comment(email_hash="e" * 64)
        comment_id = comment.id
    page = mod_client.get(f"/dashboard/comments/{comment_id}/author").get_data(as_text=True)
    assert "<html" in page and "hash of the email address they gave" in page


def test_panel_for_a_missing_comment_is_a_404(mod_client):
    assert mod_client.get("/dashboard/comments/999999/author").status_code == 404
