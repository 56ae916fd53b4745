"""An author's own comments in the widget: pending in place, counts after posting, the nudge."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select, update

from moderation.extensions import db
from moderation.models import Article, Comment, Moderator, Site
from moderation.services import actions
from moderation.sites.create import DEMO_ARTICLE
from tests.axe_support import axe_violations
from tests.factories import make_moderator

pytestmark = pytest.mark.browser
ARTICLE = """<!doctype html><html lang="en"><head><title>Host</title></head><body>
<h1>Elsewhere</h1><p>Talk: <span data-comment-count="{article}" data-site="demo"></span></p>
<div id="comments"></div>
<script src="{service}/embed.js" data-site="demo" data-article="{article}" async></script>
<script src="{service}/count.js" async></script></body></html>"""
LISTING = """<!doctype html><html lang="en"><head><title>Listing</title></head><body>
<p>Main story <span data-comment-count="{article}" data-site="demo"></span></p>
<script src="{service}/count.js" async></script></body></html>"""


def open_demo(page, url):
    page.goto(url)
    expect(page.locator(".mcw-count")).to_have_text("3 comments")


def write(page, name, body):
    page.get_by_label("Name").fill(name)
    page.get_by_label("Comment", exact=True).fill(body)
    page.get_by_role("button", name="Post comment").click()


def by_author(app, author):
    with app.app_context():
        # The oldest: a reader's two comments can share a creation second.
        comment = db.session.scalar(select(Comment).where(Comment.author_name == author)
                                    .order_by(Comment.id).limit(1))
        if comment is not None:
            db.session.expunge(comment)
        return comment


def test_own_pending_comments_stay_in_place_until_moderators_decide(
        browser, page, live_app, live_url, demo, tmp_path):
    with live_app.app_context():
        db.session.execute(update(Article).where(Article.external_id == DEMO_ARTICLE)
                           .values(premoderate=True))
        db.session.commit()
        moderator = make_moderator("desk@example.org").id
    page.clock.install()  # moderators' decisions are polled for: fast-forward, not wait
    open_demo(page, live_url + "/demo/")
    pending = page.locator(".mcw-thread > .mcw-pending")
    write(page, "Sam", "Will the lanes be cleared of snow in winter?")
    expect(pending).to_have_count(1)
    write(page, "Sam", "And who pays for the salt?")
    expect(pending).to_have_count(2)
    page.reload()  # remembered on this device, not only in the page
    expect(pending).to_have_count(2)
    expect(pending.first).to_contain_text("cleared of snow")  # in the order they were sent
    expect(pending.first.locator(".mcw-badge")).to_have_text("Awaiting moderation")
    expect(pending.first.get_by_role("button", name="Edit")).to_be_visible()
    expect(pending.first.get_by_role("button", name="Delete")).to_be_visible()
    expect(pending.first.get_by_role("button", name="Reply")).to_have_count(0)
    expect(page.locator(".mcw-count")).to_have_text("3 comments")
    page.screenshot(path=tmp_path / "own-pending.png", full_page=True)
    assert axe_violations(page, include=".mcw") == []

    other = browser.new_context().new_page()  # another reader sees neither
    try:
        open_demo(other, live_url + "/demo/")
        expect(other.locator(".mcw-thread > .mcw-comment")).to_have_count(3)
        expect(other.locator(".mcw-thread")).not_to_contain_text("cleared of snow")
    finally:
        other.context.close()

    with live_app.app_context():
        desk = db.session.get(Moderator, moderator)
        actions.approve(by_author(live_app, "Sam").id, desk, version=1)
        salt = db.session.scalar(select(Comment.id).where(Comment.body.contains("salt")))
        actions.reject(salt, desk, reason="off_topic", version=1)
    page.clock.fast_forward("00:30")
    published = page.locator(".mcw-thread > .mcw-comment:not(.mcw-pending)",
                             has_text="cleared of snow")
    expect(published).to_have_count(1)
    expect(published.get_by_role("button", name="Reply")).to_be_visible()
    expect(page.locator(".mcw-count")).to_have_text("4 comments")
    expect(page.locator(".mcw-gone")).to_have_text("Your comment was not published.")
    expect(page.locator(".mcw-thread")).not_to_contain_text("pays for the salt")
    expect(pending).to_have_count(0)
    page.screenshot(path=tmp_path / "own-decided.png", full_page=True)


def test_nudge_once_then_the_revision_is_stored_with_its_draft(page, live_app, live_url, demo,
                                                               tmp_path):
    draft = "This council is full of idiots and the lanes are a stupid waste of money."
    revised = "I think the lanes are a waste of money and the council should reconsider."
    with live_app.app_context():
        # Every score reaches an approve threshold of 0: the model holds every comment.
        db.session.execute(update(Site).where(Site.key == "demo")
                           .values(thresholds={"approve": {"toxicity": 0.0}}))
        db.session.commit()
    open_demo(page, live_url + "/demo/")
    write(page, "Kim", draft)
    nudge = page.get_by_role("alert")
    expect(nudge).to_contain_text("Before you post: our moderators might not publish")
    expect(nudge.get_by_role("button", name="Send as is")).to_be_visible()
    body = page.get_by_label("Comment", exact=True)
    expect(body).to_have_value(draft)
    expect(body).to_be_focused()
    page.screenshot(path=tmp_path / "nudge.png", full_page=True)
    assert axe_violations(page, include=".mcw") == []
    assert by_author(live_app, "Kim") is None  # the first submit is not stored

    body.fill(revised)
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator(".mcw-status")).to_have_text("Your comment is awaiting moderation.")
    expect(nudge).to_be_hidden()
    expect(page.locator(".mcw-pending")).to_contain_text("reconsider")
    stored = by_author(live_app, "Kim")
    assert (stored.body, stored.draft_body, stored.nudge_outcome) == (revised, draft, "revised")


def test_counts_and_shown_pages_stay_right_after_posting(page, live_app, live_url, host, demo,
                                                         tmp_path):
    host_url, pages = host
    pages["article"] = ARTICLE.format(service=live_url, article=DEMO_ARTICLE)
    pages["listing"] = LISTING.format(service=live_url, article=DEMO_ARTICLE)
    counter = page.locator("[data-comment-count]")
    page.goto(host_url + "/listing")  # the browser now holds "3" for a few seconds
    expect(counter).to_have_text("3 comments")
    old = live_app.config["THREAD_PAGE_SIZE"]
    live_app.config["THREAD_PAGE_SIZE"] = 1
    try:
        open_demo(page, host_url + "/article")
        expect(counter).to_have_text("3 comments")
        thread = page.locator(".mcw-thread > .mcw-comment")
        # One page at a time: a second click while the first page loads finds the button busy.
        page.get_by_role("button", name="Load more").click()
        expect(thread).to_have_count(2)
        page.get_by_role("button", name="Load more").click()
        expect(thread).to_have_count(3)
        write(page, "Lee", "Counting along with the newsroom.")
        expect(page.locator(".mcw-count")).to_have_text("4 comments")
        expect(counter).to_have_text("4 comments")
        expect(thread).to_have_count(4)  # the pages already shown stay
        page.screenshot(path=tmp_path / "counts-after-posting.png", full_page=True)
    finally:
        live_app.config["THREAD_PAGE_SIZE"] = old
    page.goto(host_url + "/listing")
    expect(counter).to_have_text("4 comments")  # not the cached 3
