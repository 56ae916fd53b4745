"""Moderators' view of the before-posting nudge: the draft on the card and the statistics."""

from __future__ import annotations

import csv
import io

import pytest

from moderation.dashboard.nudge_stats import nudge_stats
from moderation.extensions import db
from moderation.models import Moderator
from moderation.services import actions
from moderation.sites.create import create_site
from tests.dashboard.conftest import login
from tests.factories import make_moderator

URL = "/api/v1/sites/news/articles/a-1/comments"
DRAFT = "You are stupid and this game is stupid."


def nudge_then_send(client, body=None):
    """Get nudged on the draft, then send `body` (None: give up); return the posted JSON."""
    token = client.post(URL, json={"author_name": "Ann", "body": DRAFT, "nudge": True}
                        ).get_json()["nudge_token"]
    if body is None:
        return None
    return client.post(URL, json={"author_name": "Ann", "body": body, "nudge": True,
                                  "nudge_token": token}).get_json()


@pytest.fixture
def nudged(app_factory):
    """On a site whose model holds everything: one revision approved, one held, one as is,
    one author who gave up."""
    app = app_factory(model="middling")
    with app.app_context():
        create_site("news")
        moderator = make_moderator("mod@example.org").id
    client = app.test_client()
    approved = nudge_then_send(client, "I disagree with this game.")
    nudge_then_send(client, "I do not like this game.")
    nudge_then_send(client, DRAFT)
    nudge_then_send(client)
    with app.app_context():
        actions.approve(approved["id"], db.session.get(Moderator, moderator), version=1)
    return app


def test_stats_count_nudges_outcomes_and_decisions_of_revisions(nudged):
    with nudged.app_context():
        [row] = nudge_stats(days=1)
    assert (row.site, row.nudged, row.revised, row.sent_as_is, row.gave_up) == (
        "news", 4, 2, 1, 1)
    assert (row.revised_published, row.revised_rejected, row.revised_held) == (1, 0, 1)


def test_stats_page_and_csv_show_the_nudges(nudged):
    client = nudged.test_client()
    login(client, "mod@example.org")
    html = client.get("/dashboard/stats").get_data(as_text=True)
    assert "Before-posting nudges" in html
    assert "<td>news</td><td>4</td><td>2</td><td>1</td>" in html
    rows = list(csv.reader(io.StringIO(client.get("/dashboard/stats.csv").get_data(as_text=True))))
    assert ["news", "4", "2", "1", "1", "1", "0", "1"] in rows


def test_queue_card_shows_the_original_draft(nudged):
    client = nudged.test_client()
    login(client, "mod@example.org")
    html = client.get("/dashboard/").get_data(as_text=True)
    assert html.count("original draft:") == 1  # the held revision; the approved one left
    assert f'<span class="draft-text">{DRAFT}</span>' in html
    assert "Nudged before posting; sent as is." in html
