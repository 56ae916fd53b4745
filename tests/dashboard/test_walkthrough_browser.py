"""The dashboard walked through in Chromium on a desktop and a phone, item by item."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from moderation.extensions import db
from moderation.models import Comment, CommentStatus
from tests.dashboard.browser_walk import PHONE, THREAT, log_in, shot

pytestmark = pytest.mark.browser


def status_of(app, comment_id):
    with app.app_context():
        db.session.expire_all()
        return db.session.get(Comment, comment_id).status


def test_reported_items_show_reasons_and_counts(walk, desktop, phone, tmp_path):
    app, base_url, ids = walk
    for name, view in (("desktop", desktop), ("phone", phone)):
        log_in(view, base_url)
        view.goto(base_url + "/dashboard/?tab=reported")
        card = view.locator(f"#c{ids['reported']}")
        expect(card.locator(".reports")).to_contain_text("3 open reports: spam (2), off topic (1)")
        expect(card.locator(".report-notes")).to_contain_text("an advert")
        expect(card.locator(".chip.reported")).to_have_text("3 reports")
        shot(view, tmp_path, f"reported-{name}")


def test_one_undo_in_the_toolbar_and_u_after_a_reload(walk, desktop, tmp_path):
    app, base_url, ids = walk
    log_in(desktop, base_url)
    expect(desktop.locator("#undo-button")).to_have_count(1)
    expect(desktop.get_by_text("Undo last decision")).to_have_count(0)
    desktop.locator(f"#c{ids['held']}").focus()
    desktop.keyboard.press("a")
    desktop.locator(f"#c{ids['held']}.decided").wait_for(state="attached")
    assert status_of(app, ids["held"]) is CommentStatus.published
    desktop.reload()  # the undo is found on the server, not in the page's memory
    desktop.keyboard.press("u")
    expect(desktop.locator("#status")).to_contain_text("Undone: back to pending review")
    assert status_of(app, ids["held"]) is CommentStatus.pending_review
    desktop.locator("#undo-button").click()
    expect(desktop.locator("#status")).to_contain_text("no decision left to undo")
    shot(desktop, tmp_path, "undo-toolbar")


def test_wording_of_chips_ban_menu_and_phrases(walk, desktop, tmp_path):
    app, base_url, ids = walk
    log_in(desktop, base_url)
    card = desktop.locator(f"#c{ids['held']}")
    expect(card.locator(".chip.reason")).to_have_text(f"built-in threat phrase: “{THREAT}”")
    card.locator("summary").click()
    options = card.locator("select[name=days] option").all_inner_texts()
    assert options == ["1 day", "7 days", "30 days", "forever"]
    desktop.goto(base_url + "/dashboard/admin/moderators")
    when = desktop.locator("td time").first
    expect(when).to_have_text(re.compile(r"^\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d UTC$"))
    assert when.get_attribute("title").endswith("UTC")
    desktop.goto(base_url + "/dashboard/admin/sites/news/keys")
    expect(desktop.locator("main p code").nth(1)).to_have_text(base_url + "/v1alpha1")
    shot(desktop, tmp_path, "keys-host")


def test_author_panel_opens_from_the_keyboard_and_closes_with_escape(walk, desktop, phone,
                                                                      tmp_path):
    app, base_url, ids = walk
    for name, view in (("desktop", desktop), ("phone", phone)):
        log_in(view, base_url)
        card = view.locator(f"#c{ids['held']}")
        card.focus()
        view.keyboard.press("p")
        drawer = view.locator("#author-drawer")
        expect(drawer).to_be_visible()
        expect(drawer.locator(".keyed-on")).to_contain_text("hash of the email address")
        expect(drawer.locator(".author-comments > li")).to_have_count(2)
        expect(drawer).to_contain_text("An earlier remark by the same author.")
        expect(drawer.locator("#author-title")).to_be_focused()
        shot(view, tmp_path, f"author-panel-{name}", full_page=False)  # as the screen shows it
        view.keyboard.press("Escape")
        expect(drawer).to_be_hidden()
        expect(card.locator(".author-link")).to_be_focused()  # focus goes back
    # Tab reaches the link too, and Enter opens the same panel.
    desktop.locator(f"#c{ids['held']} .author-link").focus()
    desktop.keyboard.press("Enter")
    expect(desktop.locator("#author-drawer")).to_be_visible()


def test_thresholds_are_fields_with_sources_and_a_live_preview(walk, desktop, tmp_path):
    app, base_url, ids = walk
    log_in(desktop, base_url)
    desktop.goto(base_url + "/dashboard/admin/sites/news")
    field = desktop.get_by_label("Publish below: toxicity")
    expect(field).to_have_attribute("type", "number")
    expect(desktop.locator("#approve_toxicity-now")).to_contain_text("default")
    field.fill("0.01")
    preview = desktop.locator("#preview")
    expect(preview).to_contain_text("latest 3 scored comments")
    proposed = preview.locator("tbody tr").nth(1).locator("td")
    expect(proposed.nth(0)).to_have_text("0")
    shot(desktop, tmp_path, "thresholds-preview")
    desktop.get_by_label("Reject from: toxicity").fill("0.005")
    expect(preview).to_contain_text("must stay below reject")


def test_statistics_show_the_review_queue_over_time(walk, desktop, tmp_path):
    app, base_url, ids = walk
    log_in(desktop, base_url)
    desktop.goto(base_url + "/dashboard/stats?days=7")
    expect(desktop.locator("svg .line-size")).to_have_count(1)
    expect(desktop.locator(".queue-history tbody tr")).to_have_count(7)
    expect(desktop.locator(".queue-history tbody tr").last.locator("td").nth(1)).to_have_text("2")
    shot(desktop, tmp_path, "stats")


def test_phone_layout_has_no_sideways_scroll_or_overlaps(walk, phone, tmp_path):
    app, base_url, ids = walk
    log_in(phone, base_url)
    for path in ("/dashboard/", "/dashboard/?tab=reported", "/dashboard/stats",
                 "/dashboard/admin/sites/news", "/dashboard/admin/moderators"):
        phone.goto(base_url + path)
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
    phone.goto(base_url + "/dashboard/")
    card = phone.locator(f"#c{ids['held']}")
    box = card.bounding_box()
    for row in card.locator(".scores > div").all():
        label, meter = row.locator("dt").bounding_box(), row.locator("meter").bounding_box()
        assert label["x"] + label["width"] <= meter["x"] + 0.5
        assert meter["x"] + meter["width"] <= box["x"] + box["width"]
    note = card.locator("input[name=note]").first.bounding_box()
    assert note["x"] >= box["x"] and note["x"] + note["width"] <= box["x"] + box["width"]
    for button in ("#undo-button", "#help-button", "button[value=approve]"):
        found = phone.locator(button).first.bounding_box()
        assert found["x"] >= 0 and found["x"] + found["width"] <= PHONE["width"], button
    shot(phone, tmp_path, "queue-phone")
