"""The comments widget, counts and most-discussed rail in real headless Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select, update

from moderation.extensions import db
from moderation.models import Article, Comment
from moderation.sites.create import DEMO_ARTICLE

pytestmark = pytest.mark.browser


def open_demo(page, live_url):
    page.goto(live_url + "/demo/")
    expect(page.locator(".mcw-count")).to_have_text("3 comments")


def write(page, name, body):
    page.get_by_label("Name").fill(name)
    page.get_by_label("Comment", exact=True).fill(body)
    page.get_by_role("button", name="Post comment").click()


def comment_id(app, author):
    with app.app_context():
        return db.session.scalar(select(Comment.id).where(Comment.author_name == author))


def test_demo_page_reads_like_a_news_article(page, live_url, demo):
    open_demo(page, live_url)
    headline = page.get_by_role("heading", level=1)
    expect(headline).to_have_text("City council approves new bike lanes")
    expect(page.locator(".byline")).to_contain_text("By Alex Rivera")
    expect(page.locator(".mcw").get_by_role("heading", name="Leave your comment")).to_be_visible()
    expect(page.locator(".mcw-thread > .mcw-comment")).to_have_count(3)
    expect(page.get_by_text("5000 characters left")).to_be_visible()


def test_published_comment_appears_in_the_thread(page, live_url, demo):
    open_demo(page, live_url)
    write(page, "Lena", "Protected lanes will get my kids cycling to school.")
    expect(page.locator(".mcw-status")).to_have_text("Your comment is published.")
    expect(page.locator(".mcw-thread")).to_contain_text("Protected lanes will get my kids")
    expect(page.locator(".mcw-count")).to_have_text("4 comments")
    expect(page.get_by_label("Comment", exact=True)).to_have_value("")


def test_held_comment_says_it_awaits_moderation(page, live_app, live_url, demo):
    with live_app.app_context():
        db.session.execute(update(Article).where(Article.external_id == DEMO_ARTICLE)
                           .values(premoderate=True))
        db.session.commit()
    open_demo(page, live_url)
    write(page, "Sam", "Will the lanes be cleared of snow in winter?")
    expect(page.locator(".mcw-status")).to_have_text("Your comment is awaiting moderation.")
    # Shown in place to its author alone, marked as waiting.
    mine = page.locator(".mcw-thread > .mcw-pending")
    expect(mine).to_contain_text("cleared of snow")
    expect(mine.locator(".mcw-badge")).to_have_text("Awaiting moderation")
    expect(page.locator(".mcw-count")).to_have_text("3 comments")


def test_reply_nests_under_its_parent(page, live_app, live_url, demo):
    open_demo(page, live_url)
    maria = page.locator(f"#mcw-c{comment_id(live_app, 'Maria')}")
    maria.get_by_role("button", name="Reply").click()
    expect(page.locator(".mcw-replying")).to_contain_text("Replying to Maria")
    expect(page.get_by_label("Comment", exact=True)).to_be_focused()
    write(page, "Omar", "Same here, my commute will be much calmer.")
    expect(maria.locator(".mcw-replies .mcw-comment")).to_contain_text("my commute will be")
    expect(page.locator(".mcw-thread > .mcw-comment")).to_have_count(3)


def test_xss_in_name_and_body_stays_inert_text(page, live_url, demo):
    open_demo(page, live_url)
    name = '<img src=x onerror="window.__pwned=1">'
    body = ('<script>window.__pwned=2</script> <b>bold</b> javascript:window.__pwned=3 '
            'see https://example.org/lanes.')
    write(page, name, body)
    expect(page.locator(".mcw-status")).to_have_text("Your comment is published.")
    item = page.locator(".mcw-thread > .mcw-comment").last
    expect(item.locator(".mcw-author")).to_have_text(name)
    expect(item.locator(".mcw-body")).to_contain_text("<script>window.__pwned=2</script>")
    assert item.locator("img, script, b").count() == 0
    link = item.locator(".mcw-body a")
    expect(link).to_have_count(1)
    expect(link).to_have_attribute("href", "https://example.org/lanes")
    expect(link).to_have_attribute("rel", "nofollow ugc noopener")
    assert page.evaluate("window.__pwned") is None


def test_too_fast_shows_the_friendly_message(page, live_app, live_url, demo):
    old = live_app.config["COMMENT_RATE_LIMIT_CLIENT"]
    live_app.config["COMMENT_RATE_LIMIT_CLIENT"] = "1/minute"
    try:
        open_demo(page, live_url)
        write(page, "Kim", "First thought.")
        expect(page.locator(".mcw-status")).to_have_text("Your comment is published.")
        write(page, "Kim", "Second thought.")
        expect(page.locator(".mcw-status")).to_have_text(
            re.compile(r"^You are commenting too fast; try again in \d+ s\.$"))
    finally:
        live_app.config["COMMENT_RATE_LIMIT_CLIENT"] = old


def test_validation_errors_show_inline(page, live_url, demo):
    open_demo(page, live_url)
    page.get_by_label("Comment", exact=True).fill("No name given.")
    page.get_by_label("Name").fill("")
    page.get_by_role("button", name="Post comment").click()
    expect(page.get_by_text("Please enter your name.")).to_be_visible()
    expect(page.get_by_label("Name")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Name")).to_be_focused()


def test_keyboard_only_posting_works(page, live_url, demo):
    open_demo(page, live_url)
    name_id = page.get_by_label("Name").get_attribute("id")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == name_id:
            break
    else:
        pytest.fail("the Name field cannot be reached with Tab")
    page.keyboard.type("Keyboard Kate")
    page.keyboard.press("Tab")  # email, optional
    page.keyboard.press("Tab")
    page.keyboard.type("Posted without touching the mouse.")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Email me when someone replies")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Post comment")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".mcw-status")).to_have_text("Your comment is published.")
    expect(page.locator(".mcw-thread")).to_contain_text("Posted without touching the mouse.")


def test_featured_comments_show_first_under_their_heading(page, live_app, live_url, demo):
    with live_app.app_context():
        db.session.execute(update(Comment).where(Comment.author_name == "Tom")
                           .values(is_featured=True))
        db.session.commit()
    open_demo(page, live_url)
    featured = page.locator(".mcw-featured")
    expect(featured.get_by_role("heading")).to_have_text("Editors' picks")
    expect(featured.locator(".mcw-comment")).to_have_count(1)
    expect(featured).to_contain_text("delivery vans")


def test_like_and_top_sort(page, live_app, live_url, demo):
    open_demo(page, live_url)
    ines = page.locator(f"#mcw-c{comment_id(live_app, 'Ines')}")
    ines.get_by_role("button", name="Like (0)").click()
    expect(ines.get_by_role("button", name="Like (1)")).to_have_attribute("aria-pressed", "true")
    page.get_by_label("Sort by").select_option("top")
    expect(page.locator(".mcw-thread > .mcw-comment").first).to_contain_text("Ines")


def test_report_sends_the_reason(page, live_app, live_url, demo):
    from moderation.models import Flag, FlagReason

    open_demo(page, live_url)
    tom = page.locator(f"#mcw-c{comment_id(live_app, 'Tom')}")
    tom.get_by_role("button", name="Report").click()
    tom.get_by_label("Why are you reporting this comment?").select_option("spam")
    tom.get_by_role("button", name="Send report").click()
    expect(tom.locator(".mcw-note")).to_contain_text("the moderators will look")
    expect(tom.get_by_role("button", name="Reported")).to_be_disabled()
    with live_app.app_context():
        assert [f.reason for f in db.session.scalars(select(Flag))] == [FlagReason.spam]


def test_author_edits_own_comment(page, live_url, demo):
    open_demo(page, live_url)
    write(page, "Eve", "Tpyo in my comment.")
    item = page.locator(".mcw-thread > .mcw-comment").last
    item.get_by_role("button", name="Edit").click()
    page.get_by_label("Edit your comment").fill("Typo fixed in my comment.")
    item.get_by_role("button", name="Save").click()
    expect(page.locator(".mcw-thread")).to_contain_text("Typo fixed in my comment.")
    expect(page.get_by_role("button", name="Edit")).to_have_count(1)


HOST_ARTICLE = """<!doctype html><html><head><title>Host</title></head><body>
<h1>Elsewhere</h1><div id="comments"></div>
<script src="{service}/embed.js" data-site="demo" data-article="{article}" async></script>
</body></html>"""


def test_embed_works_from_a_page_on_another_port(page, live_url, host, demo):
    host_url, pages = host
    pages["article"] = HOST_ARTICLE.format(service=live_url, article=DEMO_ARTICLE)
    page.goto(host_url + "/article")
    expect(page.locator(".mcw-count")).to_have_text("3 comments")
    write(page, "Remote", "Posting from the newspaper's own domain.")
    expect(page.locator(".mcw-status")).to_have_text("Your comment is published.")
    expect(page.locator(".mcw-thread")).to_contain_text("newspaper's own domain")
    # Likes and edits need CORS preflights (JSON body, X-Edit-Token header) to pass.
    mine = page.locator(".mcw-thread > .mcw-comment").last
    mine.get_by_role("button", name="Like (0)").click()
    expect(mine.get_by_role("button", name="Like (1)")).to_be_visible()
    mine.get_by_role("button", name="Edit").click()
    page.get_by_label("Edit your comment").fill("Edited from the newspaper's own domain.")
    mine.get_by_role("button", name="Save").click()
    expect(page.locator(".mcw-thread")).to_contain_text("Edited from the newspaper's own domain.")


def test_twenty_counts_fill_with_one_request(page, live_app, live_url, host, demo):
    host_url, pages = host
    items = "".join(
        f'<li>Story {n} <span data-comment-count data-site="demo" data-article="story-{n}">'
        "</span></li>" for n in range(19)
    )
    items += (f'<li>Main <span data-comment-count data-site="demo" '
              f'data-article="{DEMO_ARTICLE}"></span></li>')
    pages["listing"] = (f"<!doctype html><html><body><ul>{items}</ul>"
                        f'<script src="{live_url}/count.js" async></script></body></html>')
    counted = []
    page.on("request", lambda r: counted.append(r.url) if "/counts" in r.url else None)
    page.goto(host_url + "/listing")
    spans = page.locator("[data-comment-count]")
    expect(spans.last).to_have_text("3 comments")
    expect(spans.first).to_have_text("0 comments")
    assert spans.count() == 20
    assert page.locator("[data-comment-count][data-count]").count() == 20
    assert len(counted) == 1


def test_demo_listing_shows_counts_and_most_discussed(page, live_url, demo):
    page.goto(live_url + "/demo/listing")
    main = page.locator(f'[data-article="{DEMO_ARTICLE}"]')
    expect(main).to_have_text("3 comments")
    expect(page.locator('[data-article="river-cleanup-volunteers-needed"]')).to_have_text(
        "0 comments")
    rail = page.locator("#most-discussed li")
    expect(rail).to_have_count(3)
    expect(rail.first).to_contain_text("City council approves new bike lanes")
    expect(rail.first).to_contain_text("3 comments")


class RecordingQueue:
    """Stands in for the background scorer: it only records what was queued."""

    def __init__(self):
        self.ids = []

    def enqueue(self, ids):
        self.ids.extend(ids)


def test_queued_comment_shows_the_decision_when_it_comes(page, live_app, live_url, demo):
    from moderation.models import ActorType, CommentStatus
    from moderation.services.decisions import set_status

    queue = RecordingQueue()
    live_app.extensions["moderation.queue"] = queue
    live_app.config["SCORING"] = "queue"
    try:
        open_demo(page, live_url)
        write(page, "Patient", "Waiting for the scorer.")
        expect(page.locator(".mcw-status")).to_have_text("Your comment is awaiting moderation.")
        assert len(queue.ids) == 1
        with live_app.app_context():
            comment = db.session.get(Comment, queue.ids[0])
            set_status(comment, CommentStatus.published, reason="threshold",
                       actor=ActorType.system)
            db.session.commit()
        expect(page.locator(".mcw-status")).to_have_text("Your comment is published.",
                                                         timeout=8000)
        expect(page.locator(".mcw-thread")).to_contain_text("Waiting for the scorer.")
    finally:
        live_app.config["SCORING"] = "inline"
        live_app.extensions.pop("moderation.queue", None)


def test_load_more_and_newest_first(page, live_app, live_url, demo):
    old = live_app.config["THREAD_PAGE_SIZE"]
    live_app.config["THREAD_PAGE_SIZE"] = 2
    try:
        open_demo(page, live_url)
        thread = page.locator(".mcw-thread > .mcw-comment")
        expect(thread).to_have_count(2)
        page.get_by_role("button", name="Load more").click()
        expect(thread).to_have_count(3)
        expect(page.get_by_role("button", name="Load more")).to_be_hidden()
        page.get_by_label("Sort by").select_option("newest")
        expect(thread.first).to_contain_text("Ines")
    finally:
        live_app.config["THREAD_PAGE_SIZE"] = old


def test_author_deletes_own_comment_and_sees_characters_left(page, live_url, demo):
    open_demo(page, live_url)
    page.get_by_label("Comment", exact=True).fill("Hello")
    expect(page.get_by_text("4995 characters left")).to_be_visible()
    write(page, "Del", "Posted by mistake.")
    expect(page.locator(".mcw-count")).to_have_text("4 comments")
    mine = page.locator(".mcw-thread > .mcw-comment").last
    mine.get_by_role("button", name="Delete").click()
    mine.get_by_role("button", name="Confirm delete").click()
    expect(page.locator(".mcw-status")).to_have_text("Your comment was deleted.")
    expect(page.locator(".mcw-count")).to_have_text("3 comments")
    expect(page.locator(".mcw-thread")).not_to_contain_text("Posted by mistake.")
