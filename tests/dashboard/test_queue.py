"""The queue page: tabs and counts, filters, keyset pages, inert bodies and item context."""

from __future__ import annotations

import re

from sqlalchemy import event

from moderation.extensions import db
from moderation.models import CommentStatus, Flag, FlagReason, Moderator
from moderation.services import actions
from moderation.services.author_history import author_histories
from moderation.services.queue import list_queue
from tests.dashboard.conftest import csrf_token
from tests.factories import make_comment

SEVERE = {"toxicity": 0.95, "severe_toxicity": 0.7, "obscene": 0.2, "threat": 0.1,
          "insult": 0.6, "identity_attack": 0.05}


def ids_on(html: str) -> list[int]:
    """Return the comment ids of the queue items on a page, in order."""
    return [int(i) for i in re.findall(r'<article class="item[^"]*" id="c(\d+)"', html)]


def test_tabs_show_their_counts(app, mod_client):
    with app.app_context():
        make_comment()
        make_comment()
        make_comment(status=CommentStatus.rejected)
        published = make_comment(status=CommentStatus.published)
        db.session.add(Flag(comment_id=published.id, reader_hash="r" * 64,
                            reason=FlagReason.abusive))
        db.session.commit()
        published_id = published.id
    html = mod_client.get("/dashboard/").get_data(as_text=True)
    counts = dict(re.findall(r'>(Pending review|Reported|Rejected|Published|All) '
                             r'<span class="count">(\d+)<', html))
    assert counts == {"Pending review": "2", "Reported": "1", "Rejected": "1",
                      "Published": "1", "All": "4"}
    assert ids_on(mod_client.get("/dashboard/?tab=reported").get_data(as_text=True)) == [
        published_id]


def test_pending_is_the_default_tab_oldest_first(app, mod_client):
    with app.app_context():
        newer = make_comment(age_minutes=5).id
        older = make_comment(age_minutes=50).id
        make_comment(status=CommentStatus.published)
    assert ids_on(mod_client.get("/dashboard/").get_data(as_text=True)) == [older, newer]


def test_risk_sort_puts_unscored_then_highest_score_first(app, mod_client):
    with app.app_context():
        low = make_comment().id
        high = make_comment(scores=SEVERE).id
        unscored = make_comment(scores={}, reason="scorer_unavailable").id
    html = mod_client.get("/dashboard/?sort=risk").get_data(as_text=True)
    assert ids_on(html) == [unscored, high, low]


def test_keyset_pages_cover_every_item_once_in_both_sorts(app, mod):
    with app.app_context():
        made = [make_comment(age_minutes=i % 3,
                             scores=None if i % 4 else {}).id for i in range(11)]
        for sort in ("age", "risk"):
            seen, cursor = [], None
            while True:
                page = list_queue("pending", {}, sort=sort, cursor=cursor, limit=4)
                seen += [c.id for c in page.items]
                cursor = page.next_cursor
                if not cursor:
                    break
            assert sorted(seen) == sorted(made), sort


def test_a_page_costs_a_fixed_number_of_queries(app, mod, site):
    with app.app_context():
        parent = make_comment(status=CommentStatus.published)
        moderator = db.session.get(Moderator, mod)
        for i in range(30):
            reply = make_comment(parent=parent, client_hash=f"{i % 7}" * 64)
            if i % 5 == 0:
                actions.approve(reply.id, moderator, version=1)
                actions.undo(reply.id, moderator, version=2)
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            db.session.expire_all()
            page = list_queue("pending", {}, limit=25)
            [c.article.title for c in page.items]
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        assert len(page.items) == 25 and len(statements) <= 5


def test_filters_narrow_the_queue(app, mod_client):
    from moderation.sites.create import create_site

    with app.app_context():
        create_site("other")
        on_news = make_comment(article="a-1", author="Ann").id
        on_other = make_comment(site_key="other", article="b-1", author="Bob").id
        threat = make_comment(reason="suspect_word", scores=SEVERE, author="Cy").id
    assert ids_on(mod_client.get("/dashboard/?site=other").get_data(as_text=True)) == [on_other]
    assert ids_on(mod_client.get("/dashboard/?author=Bob").get_data(as_text=True)) == [on_other]
    assert ids_on(mod_client.get("/dashboard/?reason=suspect_word").get_data(as_text=True)) == [
        threat]
    assert ids_on(mod_client.get("/dashboard/?label=severe_toxicity").get_data(as_text=True)) == [
        threat]
    assert set(ids_on(mod_client.get("/dashboard/?article=a-1").get_data(as_text=True))) == {
        on_news, threat}


def test_bad_filter_value_is_a_422_page(mod_client):
    response = mod_client.get("/dashboard/?label=rudeness", headers={"Accept": "text/html"})
    assert response.status_code == 422 and "<html" in response.get_data(as_text=True)


def test_script_and_onerror_bodies_are_escaped(app, mod_client):
    with app.app_context():
        make_comment(body='<script>alert(1)</script><img src=x onerror="alert(2)">',
                     author="<b>Eve</b>")
    html = mod_client.get("/dashboard/").get_data(as_text=True)
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>Eve" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=" in html


def test_item_shows_article_parent_scores_reason_and_wait(app, mod_client):
    with app.app_context():
        parent = make_comment(status=CommentStatus.published, body="The original remark")
        make_comment(parent=parent, reason="banned_word", age_minutes=90)
    html = mod_client.get("/dashboard/").get_data(as_text=True)
    assert 'href="https://news.example/a-1"' in html and "Title of a-1" in html
    assert "In reply to Ann:" in html and "The original remark" in html
    assert html.count("<meter") == 6 and "banned word" in html
    assert "waited 1 h" in html


def test_item_shows_the_authors_history_and_last_decisions(app, mod_client, mod):
    with app.app_context():
        moderator = db.session.get(Moderator, mod)
        old = make_comment(email_hash="e" * 64)
        actions.reject(old.id, moderator, reason="spam", version=1)
        make_comment(email_hash="e" * 64, status=CommentStatus.published)
        make_comment(email_hash="e" * 64)
    html = mod_client.get("/dashboard/").get_data(as_text=True)
    assert "1 published, 1 rejected, 1 pending" in html
    assert "rejected (spam, mod@example.org)" in html


def test_severe_items_are_blurred_unless_the_moderator_opts_out(app, mod_client):
    with app.app_context():
        make_comment(scores=SEVERE)
    assert 'class="item blurred"' in mod_client.get("/dashboard/").get_data(as_text=True)
    token = csrf_token(mod_client, "/dashboard/")
    mod_client.post("/dashboard/settings", data={"csrf_token": token})
    assert 'class="item blurred"' not in mod_client.get("/dashboard/").get_data(as_text=True)


def test_form_action_flashes_already_decided_for_a_stale_version(app, mod_client, mod):
    with app.app_context():
        comment_id = make_comment().id
        actions.approve(comment_id, db.session.get(Moderator, mod), version=1)
    token = csrf_token(mod_client, "/dashboard/")
    response = mod_client.post(f"/dashboard/comments/{comment_id}/reject",
                               data={"csrf_token": token, "version": "1", "reason": "spam"},
                               follow_redirects=True)
    assert "already decided by mod@example.org" in response.get_data(as_text=True)


def test_json_action_returns_the_new_version(app, mod_client):
    with app.app_context():
        comment_id = make_comment().id
    token = csrf_token(mod_client, "/dashboard/")
    response = mod_client.post(f"/dashboard/api/comments/{comment_id}/approve",
                               json={"version": 1}, headers={"X-CSRFToken": token})
    assert response.status_code == 200
    assert response.get_json() == {"id": comment_id, "status": "published", "version": 2,
                                   "message": "Approved."}
    again = mod_client.post(f"/dashboard/api/comments/{comment_id}/reject",
                            json={"version": 1, "unknown": 1}, headers={"X-CSRFToken": token})
    assert again.status_code == 422 and "unknown" in again.get_json()["error"]["fields"]


def test_bulk_form_rejects_the_selected_items(app, mod_client):
    with app.app_context():
        ids = [make_comment().id for _ in range(3)]
    token = csrf_token(mod_client, "/dashboard/")
    response = mod_client.post("/dashboard/bulk", data={
        "csrf_token": token, "action": "reject", "reason": "spam",
        "items": [f"{ids[0]}:1", f"{ids[1]}:1"]}, follow_redirects=True)
    assert "2 comments rejected." in response.get_data(as_text=True)
    assert ids_on(mod_client.get("/dashboard/").get_data(as_text=True)) == [ids[2]]


def test_keeping_a_reported_comment_resolves_it_out_of_the_reported_tab(app, mod_client):
    with app.app_context():
        comment = make_comment(status=CommentStatus.published)
        db.session.add(Flag(comment_id=comment.id, reader_hash="r" * 64,
                            reason=FlagReason.off_topic))
        db.session.commit()
        comment_id = comment.id
    assert ids_on(mod_client.get("/dashboard/?tab=reported").get_data(as_text=True)) == [
        comment_id]
    token = csrf_token(mod_client, "/dashboard/")
    response = mod_client.post(f"/dashboard/api/comments/{comment_id}/approve",
                               json={"version": 1}, headers={"X-CSRFToken": token})
    assert response.get_json()["status"] == "published"
    assert ids_on(mod_client.get("/dashboard/?tab=reported").get_data(as_text=True)) == []



def test_authors_history_lists_only_moderators_decisions(app, mod):
    with app.app_context():
        comment = make_comment(email_hash="e" * 64)
        actions.reject(comment.id, db.session.get(Moderator, mod), reason="spam", version=1)
        make_comment(email_hash="e" * 64)
        last = author_histories([comment])["e" * 64]["last"]
    assert [(row.reason, row.email) for row in last] == [("spam", "mod@example.org")]
