"""What a reader sees in the widget: times, deep links, tap targets, reports, languages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from moderation.extensions import db
from moderation.models import Comment
from moderation.sites.create import DEMO_ARTICLE
from tests.axe_support import axe_violations

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
HOST_ARTICLE = """<!doctype html><html lang="{lang}"><head><title>Host</title></head><body>
<h1>Elsewhere</h1><div id="comments"></div>
<script src="{service}/embed.js" data-site="demo" data-article="{article}"
        data-lang="{lang}" async></script></body></html>"""


def comment_id(app, author):
    with app.app_context():
        return db.session.scalar(select(Comment.id).where(Comment.author_name == author))


def open_demo(page, live_url, fragment=""):
    page.goto(live_url + "/demo/" + fragment)
    expect(page.locator(".mcw-count")).to_have_text("3 comments")


def test_times_are_relative_with_the_exact_time_on_hover(page, live_url, demo):
    open_demo(page, live_url)
    stamp = page.locator(".mcw-thread .mcw-time-text").first
    expect(stamp).to_have_text(re.compile(r"^(now|\d+ (seconds?|minutes?) ago)$"))
    exact = stamp.get_attribute("title")
    assert re.search(r"\d{4}", exact) and re.search(r"\d{1,2}:\d{2}", exact)
    assert ":" not in re.sub(r"\d{1,2}:\d{2}", "", exact)  # hours and minutes, no seconds


def test_deep_link_scrolls_to_and_highlights_the_comment(page, live_app, live_url, demo,
                                                         tmp_path):
    old = live_app.config["THREAD_PAGE_SIZE"]
    live_app.config["THREAD_PAGE_SIZE"] = 1
    page.set_viewport_size(PHONE)
    try:
        ines = comment_id(live_app, "Ines")
        page.goto(f"{live_url}/demo/#comment-{ines}")
        target = page.locator(f"#mcw-c{ines}")
        expect(target).to_have_class(re.compile(r"\bmcw-target\b"))  # found on the third page
        expect(target).to_be_focused()
        expect(target).to_be_in_viewport()
        expect(target.get_by_role("link", name=re.compile("ago|now"))).to_have_attribute(
            "href", f"#comment-{ines}")
        page.screenshot(path=tmp_path / "deep-link-phone.png")
    finally:
        live_app.config["THREAD_PAGE_SIZE"] = old


def test_controls_are_44_px_touch_targets_on_a_phone(browser, live_url, demo, tmp_path):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        open_demo(page, live_url)
        sizes = page.eval_on_selector_all(
            ".mcw button:not([hidden]), .mcw select",
            # Only controls a reader can touch: a signed-in reader's panel is not rendered
            # for an anonymous one (no client rects).
            "nodes => nodes.filter(n => n.getClientRects().length > 0)"
            ".map(n => [n.textContent, n.getBoundingClientRect().width,"
            " n.getBoundingClientRect().height])")
        assert len(sizes) >= 10
        small = [s for s in sizes if s[1] < 44 or s[2] < 44]
        assert small == []
        page.screenshot(path=tmp_path / "widget-phone.png", full_page=True)
    finally:
        context.close()


def test_report_is_confirmed_on_the_comment_and_stays_reported(page, live_app, live_url,
                                                                demo):
    open_demo(page, live_url)
    tom = page.locator(f"#mcw-c{comment_id(live_app, 'Tom')}")
    tom.get_by_role("button", name="Report").click()
    tom.get_by_role("button", name="Send report").click()
    expect(tom.get_by_role("status")).to_have_text(
        "Thank you; the moderators will look at this comment.")
    expect(tom.get_by_role("button", name="Reported")).to_be_disabled()
    page.reload()
    expect(page.locator(f"#mcw-c{comment_id(live_app, 'Tom')}").get_by_role(
        "button", name="Reported")).to_be_disabled()


def test_site_chosen_french_translates_the_widget(page, live_url, host, demo):
    host_url, pages = host
    pages["fr"] = HOST_ARTICLE.format(service=live_url, article=DEMO_ARTICLE, lang="fr")
    page.goto(host_url + "/fr")
    expect(page.locator(".mcw-count")).to_have_text("3 commentaires")
    expect(page.get_by_role("button", name="Répondre")).to_have_count(3)
    expect(page.get_by_role("heading", name="Laissez votre commentaire")).to_be_visible()
    expect(page.locator(".mcw-time-text").first).to_have_text(
        re.compile(r"^(maintenant|il y a \d+ (secondes?|minutes?))$"))
    page.get_by_label("Nom").fill("Léa")
    page.get_by_label("Commentaire", exact=True).fill("Bonne nouvelle pour le quartier.")
    page.get_by_role("button", name="Publier").click()
    # French is not among the model's languages, so the demo site holds it for a person.
    expect(page.locator(".mcw-status")).to_have_text("Votre commentaire attend la modération.")


def test_arabic_widget_is_right_to_left_and_passes_axe(page, live_url, host, demo, tmp_path):
    host_url, pages = host
    pages["ar"] = HOST_ARTICLE.format(service=live_url, article=DEMO_ARTICLE, lang="ar")
    page.goto(host_url + "/ar")
    box = page.locator(".mcw")
    expect(page.locator(".mcw-count")).to_have_text("التعليقات: 3")
    expect(box).to_have_attribute("dir", "rtl")
    expect(box).to_have_attribute("lang", "ar")
    expect(page.locator(".mcw-body").first).to_have_attribute("dir", "auto")
    replies_side = page.evaluate(
        "getComputedStyle(document.querySelector('.mcw')).direction")
    assert replies_side == "rtl"
    assert axe_violations(page, include=".mcw") == []
    page.screenshot(path=tmp_path / "widget-arabic.png", full_page=True)


def test_reply_form_opens_under_the_comment_without_stale_errors(page, live_app, live_url,
                                                                 demo):
    open_demo(page, live_url)
    page.get_by_role("button", name="Post comment").click()
    expect(page.get_by_text("Please enter your name.")).to_be_visible()
    maria = page.locator(f"#mcw-c{comment_id(live_app, 'Maria')}")
    maria.get_by_role("button", name="Reply").click()
    expect(maria.locator("form.mcw-form")).to_be_visible()
    expect(page.get_by_text("Please enter your name.")).to_be_hidden()
    expect(page.locator(".mcw-status")).to_have_text("")
    tom = page.locator(f"#mcw-c{comment_id(live_app, 'Tom')}")
    assert (maria.locator("form").bounding_box()["y"] < tom.bounding_box()["y"])
    maria.get_by_role("button", name="Cancel reply").click()
    expect(page.locator(".mcw > form.mcw-form")).to_be_visible()
    expect(maria.locator("form")).to_have_count(0)
