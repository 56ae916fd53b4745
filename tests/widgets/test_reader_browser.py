"""Signed-in readers in real Chromium: SSO from the site's page, a reply, its email, unsubscribe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from moderation.accounts.secrets import rotate_secret
from moderation.extensions import db, scorer
from moderation.models import ReplySubscription
from moderation.notifications.digest import send_due_emails
from moderation.sites.create import create_site
from tests.accounts.conftest import make_token
from tests.conftest import clean_database, make_app
from tests.live_server import serve
from tests.smtp_support import smtp_inbox

pytestmark = pytest.mark.browser

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Bike lanes</title></head>
<body><h1>Bike lanes</h1><div id="comments"></div>
<script src="{live}/embed.js" data-site="news" data-article="lanes" {sso} async></script>
</body></html>"""


@pytest.fixture
def reader_site(database_url, tiny_models, tmp_path, host):
    """A live service that mails through a test SMTP server, and a site with an SSO secret."""
    host_url, pages = host
    with smtp_inbox() as inbox:
        app = make_app(database_url, tiny_models, tmp_path, SMTP_HOST="127.0.0.1",
                       SMTP_PORT=inbox.port, SMTP_TLS="none")
        with serve(app) as live:
            app.config["PUBLIC_URL"] = live
            with app.app_context():
                secret = rotate_secret(create_site("news", name="News", origins=[host_url]))
                scorer.score(["Load the model before the browser waits on it."])
            yield app, live, host_url, pages, secret, inbox
        clean_database(app)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_signed_in_reader_hears_of_a_reply_and_unsubscribes(browser, page, reader_site):
    app, live, host_url, pages, secret, inbox = reader_site
    # The site's server signs the token and writes it into its article page.
    token = make_token(secret, sub="u-ann", username="Ann Lee", email="ann@example.org")
    pages["signed-in"] = PAGE.format(live=live, sso=f'data-sso-token="{token}"')
    pages["anonymous"] = PAGE.format(live=live, sso="")

    page.goto(host_url + "/signed-in")
    expect(page.locator(".mcw-signed-in")).to_have_text("Signed in as Ann Lee")
    expect(page.get_by_label("Name")).to_be_hidden()
    page.get_by_label("Comment", exact=True).fill("Will the lanes connect to the station?")
    page.get_by_label("Email me when someone replies").check()
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator(".mcw-status")).to_have_text("Your comment is published.",
                                                     timeout=15000)
    expect(page.locator(".mcw-thread .mcw-author")).to_have_text("Ann Lee")

    other = browser.new_context().new_page()
    other.goto(host_url + "/anonymous")
    other.locator(".mcw-thread > .mcw-comment").get_by_role("button", name="Reply").click()
    other.get_by_label("Name").fill("Bob")
    other.get_by_label("Comment", exact=True).fill("Yes, the plan shows a link to the station.")
    other.get_by_role("button", name="Post comment").click()
    expect(other.locator(".mcw-replies")).to_contain_text("a link to the station")
    other.context.close()

    with app.app_context():
        assert send_due_emails() == 1
    (email,) = inbox.to("ann@example.org")
    text = email.get_content()
    assert "Bob wrote:" in text and "a link to the station" in text
    unsubscribe = re.search(r"(http://\S+/notifications/unsubscribe\?token=\S+)", text).group(1)
    assert email["List-Unsubscribe"] == f"<{unsubscribe}>"

    page.goto(unsubscribe)
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("status")).to_contain_text("You will get no more emails")
    with app.app_context():
        assert db.session.scalar(select(ReplySubscription)) is None
