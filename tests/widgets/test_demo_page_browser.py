"""The demo article page as a reader sees it, on a desktop and a phone, checked by axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.axe_support import axe_violations

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def open_demo(page, live_url):
    page.goto(live_url + "/demo/")
    expect(page.locator(".mcw-count")).to_have_text("3 comments")


def test_demo_page_has_story_rails_and_comments(page, live_url, demo, tmp_path):
    open_demo(page, live_url)
    expect(page.locator(".standfirst")).to_contain_text("Protected lanes")
    expect(page.locator(".byline")).to_contain_text("By Alex Rivera")
    discussed = page.locator("#most-discussed li")
    expect(discussed).to_have_count(3)
    top = discussed.first.get_by_role("link", name="City council approves new bike lanes")
    expect(top).to_have_attribute("href", live_url + "/demo/")
    latest = page.locator(".latest li")
    expect(latest).to_have_count(3)
    expect(latest.first).to_contain_text("Library extends weekend opening hours")
    expect(latest.first.locator("[data-comment-count]")).to_have_text("2 comments")
    section = page.get_by_role("region", name="Leave your comment")
    expect(section.locator(".mcw-thread > .mcw-comment")).to_have_count(3)
    page.screenshot(path=tmp_path / "demo-desktop.png", full_page=True)


def test_demo_page_and_widget_have_no_serious_axe_violations(page, live_url, demo):
    open_demo(page, live_url)
    page.locator(".mcw-comment").first.get_by_role("button", name="Report").click()
    assert axe_violations(page) == []


def test_phone_layout_stacks_and_does_not_scroll_sideways(browser, live_url, demo, tmp_path):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        open_demo(page, live_url)
        expect(page.locator("#most-discussed li")).to_have_count(3)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        rails = page.locator(".rails").bounding_box()
        article = page.locator("article").bounding_box()
        assert rails["y"] > article["y"] + article["height"] - 1
        assert axe_violations(page) == []
        page.screenshot(path=tmp_path / "demo-phone.png", full_page=True)
    finally:
        context.close()
