"""The dashboard's words: plurals, ban lengths, readable dates, the real host, phrase labels."""

from __future__ import annotations

from datetime import datetime

import pytest

from moderation.extensions import db
from moderation.models import Comment, Moderator
from tests.factories import make_comment


def set_comment(app, comment_id, **values):
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        for name, value in values.items():
            setattr(comment, name, value)
        db.session.commit()


@pytest.mark.parametrize(("count", "chip"), [(1, "1 report<"), (3, "3 reports<")])
def test_report_chip_follows_plural_rules(app, mod_client, count, chip):
    with app.app_context():
        comment_id = make_comment().id
    set_comment(app, comment_id, flag_count=count)
    html = mod_client.get("/dashboard/").get_data(as_text=True)
    assert f'class="chip reported">{chip}' in html and "1 reports" not in html


def test_ban_lengths_read_as_days_and_forever(app, mod_client):
    with app.app_context():
        make_comment()
    html = mod_client.get("/dashboard/").get_data(as_text=True)
    assert '<option value="1">1 day</option>' in html
    assert '<option value="7">7 days</option>' in html
    assert '<option value="forever">forever</option>' in html and ">good<" not in html


@pytest.mark.parametrize(("matched", "label"), [
    ("I know where you live", "built-in threat phrase"),
    ("refugees are vermin", "group-attack phrase"),
    ("kikes", "built-in slur"),
    ("lawsuit", "suspect word"),
])
def test_held_phrases_are_labelled_by_what_they_are(app, mod_client, matched, label):
    with app.app_context():
        comment_id = make_comment(reason="suspect_word").id
    set_comment(app, comment_id, matched_word=matched)
    html = mod_client.get("/dashboard/").get_data(as_text=True)
    assert f'class="chip reason">{label}: “{matched}”' in html


def test_last_login_is_a_readable_date_with_the_exact_time_on_hover(app, admin_client):
    with app.app_context():
        moderator = db.session.query(Moderator).filter_by(email="admin@example.org").one()
        moderator.last_login_at = datetime(2026, 11, 30, 1, 3, 46, 518579)
        db.session.commit()
    html = admin_client.get("/dashboard/admin/moderators").get_data(as_text=True)
    assert ('<time datetime="2026-11-30T01:03:46Z" title="2026-11-30 01:03:46 UTC">'
            "30 Nov 2026, 01:03 UTC</time>") in html
    assert "518579" not in html


def test_api_keys_page_names_the_real_host(admin_client):
    html = admin_client.get("/dashboard/admin/sites/news/keys").get_data(as_text=True)
    assert "<code>http://localhost/v1alpha1</code>" in html
    assert "THIS-HOST" not in html
