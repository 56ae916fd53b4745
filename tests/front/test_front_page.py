"""The service's front page and its operator guides."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.axe_support import axe_violations


def test_front_page_links_demo_dashboard_docs_and_readiness(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for href in ("/demo/", "/dashboard/", "/readyz", "/docs/WIDGETS.md"):
        assert f'href="{href}"' in html
    assert "create-moderator" in html and "seed-demo" in html


def test_guides_are_served_as_text(client):
    response = client.get("/docs/WIDGETS.md")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert "embed.js" in response.get_data(as_text=True)


@pytest.mark.parametrize("name", ["README.md", "..%2Fpyproject.toml", "STYLE.md"])
def test_only_the_listed_guides_are_served(client, name):
    assert client.get("/docs/" + name).status_code == 404


@pytest.mark.browser
def test_front_page_leads_to_the_demo_and_passes_axe(page, live_url, demo, tmp_path):
    page.goto(live_url + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("service is running")
    assert axe_violations(page) == []
    page.screenshot(path=tmp_path / "front.png", full_page=True)
    page.get_by_role("link", name="Try the demo article").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "City council approves new bike lanes")
