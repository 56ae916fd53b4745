"""Coral's external moderation phase: recorded request shapes get the policy's answer."""

from __future__ import annotations

import time

from sqlalchemy import func, select

from moderation.coral.schemas import CoralModerationResult
from moderation.coral.secrets import set_coral_secret, set_verdict_log
from moderation.coral.signature import sign
from moderation.coral.text import plain_text
from moderation.extensions import db, scorer
from moderation.models import CoralVerdict, Site
from tests.coral.conftest import SECRET, URL, coral_bytes, coral_request

FINE = "Thanks for the thorough reporting on the new bike lanes downtown."
TOXIC_FLAG = {"actionType": "FLAG", "reason": "COMMENT_DETECTED_TOXIC"}

# A request as one Coral release put it on the wire: tenant as flat fields, HTML body.
RECORDED_FLAT = b"""{
  "action": "EDIT",
  "comment": {
    "body": "<p>Thanks for the thorough <b>reporting</b> on the new bike lanes downtown.</p>",
    "parentID": "c0ffee-parent"
  },
  "author": {
    "id": "0f1e-author",
    "role": "COMMENTER"
  },
  "story": {
    "id": "9a8b-story",
    "url": "https://news.example/2026/bike-lanes"
  },
  "site": {
    "id": "5d6e-site"
  },
  "tenantID": "b8c2-tenant",
  "tenantDomain": "comments.news.example"
}"""


def answer_of(response) -> dict:
    """Return the answer, checked against the shape Coral validates."""
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert not CoralModerationResult().validate(body)
    return body


def test_a_fine_comment_is_approved(post_coral):
    assert answer_of(post_coral(coral_request(FINE))) == {
        "status": "APPROVED", "actions": [], "tags": []}


def test_recorded_flat_tenant_edit_with_html_body_is_approved(post_coral):
    assert answer_of(post_coral(RECORDED_FLAT))["status"] == "APPROVED"


def test_an_abusive_comment_is_rejected_and_flagged(app_factory, site):
    app = app_factory("abusive")
    with app.app_context():
        set_coral_secret(site, SECRET)
    raw = coral_bytes(coral_request(FINE))
    response = app.test_client().post(URL, data=raw, headers={
        "X-Coral-Signature": sign(SECRET, raw), "Content-Type": "application/json"})
    assert answer_of(response) == {"status": "REJECTED", "actions": [TOXIC_FLAG], "tags": []}


def test_a_borderline_comment_is_withheld_and_flagged(app_factory, site):
    app = app_factory("middling")
    with app.app_context():
        set_coral_secret(site, SECRET)
    raw = coral_bytes(coral_request(FINE))
    response = app.test_client().post(URL, data=raw, headers={"X-Coral-Signature":
                                                              sign(SECRET, raw)})
    assert answer_of(response) == {"status": "SYSTEM_WITHHELD", "actions": [TOXIC_FLAG],
                                   "tags": []}


def test_a_premoderated_site_gets_premod_without_a_flag(app, post_coral):
    with app.app_context():
        db.session.scalar(select(Site).where(Site.key == "news")).premoderate = True
        db.session.commit()
    assert answer_of(post_coral(coral_request(FINE))) == {
        "status": "PREMOD", "actions": [], "tags": []}


def test_a_site_banned_word_rejects(app, post_coral):
    from moderation.models import WordKind
    from moderation.policy.site_rules import add_words

    with app.app_context():
        add_words("news", WordKind.banned, "bikelanescam")
    response = post_coral(coral_request(FINE + " Total bikelanescam."))
    assert answer_of(response)["status"] == "REJECTED"


def test_invisible_only_body_gets_no_opinion(post_coral):
    response = post_coral(coral_request("<p>\u200b\u200b</p>"))
    assert response.status_code == 204 and response.get_data() == b""


def test_fields_coral_adds_later_are_ignored(post_coral):
    request = coral_request(FINE, newField={"x": 1})
    request["comment"]["revision"] = 3
    assert answer_of(post_coral(request))["status"] == "APPROVED"


def test_html_body_is_read_as_its_visible_text():
    html = "<p>Hello &amp; <b>welcome</b></p><script>bad()</script><p>Second line</p>"
    assert plain_text(html) == "Hello & welcome\nSecond line"
    assert plain_text("a < b and c > d") == "a < b and c > d"


class SlowScorer:
    """A loaded scorer that answers after the deadline."""

    model_id = "slow"
    languages = frozenset({"en"})
    loaded = True

    def score(self, texts):
        time.sleep(0.5)
        return [dict.fromkeys(("toxicity", "insult"), 0.01) for _ in texts]


def test_scorer_timeout_answers_premod(app, post_coral):
    scorer.override(app, SlowScorer())
    app.config["CORAL_SCORE_TIMEOUT_SECONDS"] = 0.05
    started = time.monotonic()
    response = post_coral(coral_request(FINE))
    assert time.monotonic() - started < 0.45
    assert answer_of(response) == {"status": "PREMOD", "actions": [], "tags": []}


def test_scorer_timeout_can_answer_no_opinion(app, post_coral):
    scorer.override(app, SlowScorer())
    app.config.update(CORAL_SCORE_TIMEOUT_SECONDS=0.05, CORAL_ON_SCORER_FAILURE="none")
    assert post_coral(coral_request(FINE)).status_code == 204


def _row_counts() -> dict:
    return {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables}


def test_nothing_is_stored_by_default(app, post_coral):
    with app.app_context():
        before = _row_counts()
    assert answer_of(post_coral(coral_request(FINE)))["status"] == "APPROVED"
    with app.app_context():
        assert _row_counts() == before


def test_a_site_that_asks_keeps_a_verdict_row_without_text(app, post_coral):
    with app.app_context():
        set_verdict_log("news", True)
    post_coral(coral_request(FINE))
    with app.app_context():
        row = db.session.scalar(select(CoralVerdict))
        assert (row.action, row.story_id, row.status) == ("NEW", "9a8b-story", "APPROVED")
        assert FINE not in repr([getattr(row, c.key) for c in CoralVerdict.__table__.columns])
