"""The dashboard in real headless Chromium: keyboard work, reasons, bulk, inert bodies, CSRF."""

from __future__ import annotations

import pytest

from moderation.extensions import db
from moderation.models import Comment, CommentStatus, ModerationEvent
from moderation.sites.create import create_site
from tests.conftest import clean_database, make_app
from tests.factories import PASSWORD, make_comment, make_moderator
from tests.live_server import serve

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live(database_url, tiny_models, tmp_path_factory):
    """One app served over real HTTP for the whole module."""
    # Small pages, so clearing one page and moving on to the next is quick to show.
    app = make_app(database_url, tiny_models, tmp_path_factory.mktemp("live"),
                   DASHBOARD_PAGE_SIZE=3)
    with serve(app) as base_url:
        yield app, base_url
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def dash(live):
    """A site and a moderator; everything is deleted after the test."""
    app, base_url = live
    with app.app_context():
        create_site("news")
        make_moderator("mod@example.org")
    yield app, base_url
    clean_database(app)


def log_in(page, base_url):
    page.goto(base_url + "/dashboard/")
    page.fill("#email", "mod@example.org")
    page.fill("#password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(base_url + "/dashboard/")


def statuses(app, ids):
    with app.app_context():
        db.session.expire_all()
        return [db.session.get(Comment, i).status for i in ids]


def test_three_pending_comments_are_cleared_with_the_keyboard_alone(dash, page):
    app, base_url = dash
    with app.app_context():
        ids = [make_comment(body=f"Comment number {n}", age_minutes=10 - n).id for n in range(3)]
    log_in(page, base_url)
    page.keyboard.press("?")
    assert page.locator("#help").is_visible()
    page.keyboard.press("?")
    assert not page.locator("#help").is_visible()
    assert page.evaluate("document.activeElement.id") == f"c{ids[0]}"
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.id") == f"c{ids[1]}"
    page.keyboard.press("a")
    page.locator(f"#c{ids[1]}.decided").wait_for(state="attached")
    assert page.evaluate("document.activeElement.id") == f"c{ids[2]}"
    page.keyboard.press("k")
    page.keyboard.press("a")
    page.locator(f"#c{ids[0]}.decided").wait_for(state="attached")
    page.keyboard.press("a")
    page.locator(f"#c{ids[2]}.decided").wait_for(state="attached")
    assert "Approved." in page.locator("#status").inner_text()
    assert statuses(app, ids) == [CommentStatus.published] * 3
    page.keyboard.press("u")
    page.locator(f"#c{ids[2]}:not(.decided)").wait_for()
    assert statuses(app, ids)[2] is CommentStatus.pending_review


def test_clearing_a_page_loads_the_next_one(dash, page):
    app, base_url = dash
    with app.app_context():
        ids = [make_comment(body=f"Queue item {n}", age_minutes=10 - n).id for n in range(4)]
    log_in(page, base_url)
    for comment_id in ids[:2]:
        assert page.evaluate("document.activeElement.id") == f"c{comment_id}"
        page.keyboard.press("a")
        page.locator(f"#c{comment_id}.decided").wait_for(state="attached")
    # The page's last approval reloads the queue, which then holds the fourth comment.
    page.keyboard.press("a")
    page.locator(f"#c{ids[3]}.current").wait_for()
    page.keyboard.press("a")
    page.locator(f"#c{ids[3]}.decided").wait_for(state="attached")
    assert "Queue cleared." in page.locator("#status").inner_text()
    assert statuses(app, ids) == [CommentStatus.published] * 4


def test_reject_with_a_reason_and_note_from_the_keyboard(dash, page):
    app, base_url = dash
    with app.app_context():
        comment_id = make_comment(body="Buy cheap watches").id
    log_in(page, base_url)
    page.keyboard.press("r")
    assert page.evaluate("document.activeElement.name") == "reason"
    page.keyboard.type("Spam")
    page.keyboard.press("Tab")
    page.keyboard.type("watch seller again")
    page.keyboard.press("Enter")
    page.locator(f"#c{comment_id}.decided").wait_for(state="attached")
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        event = db.session.query(ModerationEvent).order_by(ModerationEvent.id.desc()).first()
        assert (comment.status, comment.reason) == (CommentStatus.rejected, "spam")
        assert (event.reason, event.note) == ("spam", "watch seller again")


def test_bulk_reject_of_selected_comments(dash, page):
    app, base_url = dash
    with app.app_context():
        ids = [make_comment(body=f"Bulk {n}", age_minutes=10 - n).id for n in range(3)]
    log_in(page, base_url)
    page.keyboard.press("x")
    page.keyboard.press("j")
    page.keyboard.press("x")
    assert page.locator("#selected-count").inner_text() == "Selected: 2"
    page.select_option("#bulk-reason", "off_topic")
    page.click("button[name=action][value=reject]")
    page.wait_for_selector("text=2 comments rejected.")
    assert statuses(app, ids) == [CommentStatus.rejected, CommentStatus.rejected,
                                  CommentStatus.pending_review]


def test_script_and_onerror_bodies_are_shown_as_text(dash, page):
    app, base_url = dash
    body = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">'
    with app.app_context():
        comment_id = make_comment(body=body, author="<img src=y onerror=alert(3)>").id
    log_in(page, base_url)
    assert page.locator(f"#c{comment_id} .body").inner_text() == body
    assert page.locator(f"#c{comment_id} img").count() == 0
    assert page.evaluate("window.pwned") is None


def test_forged_post_without_csrf_token_is_refused(dash, page):
    app, base_url = dash
    with app.app_context():
        comment_id = make_comment().id
    log_in(page, base_url)
    response = page.request.post(f"{base_url}/dashboard/comments/{comment_id}/approve",
                                 form={"version": "1"}, headers={"Accept": "text/html"})
    assert response.status == 400
    ajax = page.request.post(f"{base_url}/dashboard/api/comments/{comment_id}/approve",
                             data={"version": 1})
    assert ajax.status == 400
    assert statuses(app, [comment_id]) == [CommentStatus.pending_review]
