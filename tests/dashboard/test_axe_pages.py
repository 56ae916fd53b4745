"""axe-core finds no serious or critical violations on any dashboard page, desktop or phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.axe_support import axe_violations
from tests.dashboard.browser_walk import log_in

pytestmark = pytest.mark.browser

PAGES = [
    "/dashboard/?tab=pending",
    "/dashboard/?tab=reported",
    "/dashboard/?tab=rejected",
    "/dashboard/?tab=published",
    "/dashboard/?tab=all",
    "/dashboard/stats",
    "/dashboard/admin/sites",
    "/dashboard/admin/sites/news",
    "/dashboard/admin/sites/news/keys",
    "/dashboard/admin/sites/news/readers",
    "/dashboard/admin/sites/news/learning",
    "/dashboard/admin/moderators",
    "/dashboard/admin/privacy",
]


@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_serious_axe_violations(walk, desktop, path):
    app, base_url, ids = walk
    log_in(desktop, base_url)
    desktop.goto(base_url + path)
    assert axe_violations(desktop) == []


def test_login_page_has_no_serious_axe_violations(walk, desktop):
    app, base_url, ids = walk
    desktop.goto(base_url + "/dashboard/login")
    assert axe_violations(desktop) == []


@pytest.mark.parametrize("view", ["desktop", "phone"])
def test_queue_with_the_author_panel_open_has_no_serious_axe_violations(walk, desktop, phone,
                                                                         view):
    app, base_url, ids = walk
    target = desktop if view == "desktop" else phone
    log_in(target, base_url)
    target.locator(f"#c{ids['held']} .author-link").click()
    expect(target.locator("#author-drawer")).to_be_visible()
    assert axe_violations(target) == []


def test_author_page_and_threshold_preview_have_no_serious_axe_violations(walk, desktop):
    app, base_url, ids = walk
    log_in(desktop, base_url)
    desktop.goto(base_url + f"/dashboard/comments/{ids['held']}/author")
    assert axe_violations(desktop) == []
    desktop.goto(base_url + "/dashboard/admin/sites/news")
    desktop.get_by_role("button", name="Preview routing").click()
    expect(desktop.locator("#preview table")).to_be_visible()
    assert axe_violations(desktop) == []


def test_phone_queue_has_no_serious_axe_violations(walk, phone):
    app, base_url, ids = walk
    log_in(phone, base_url)
    assert axe_violations(phone) == []
