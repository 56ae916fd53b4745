"""Coral's comments:suggestscore calls land in the decision store: verdict and scores, no text."""

from __future__ import annotations

import pytest

from moderation.extensions import db
from moderation.learning.decisions import load_decisions
from moderation.models import DecisionFeedback, Site
from tests.perspective.test_perspective_privacy import rows_mentioning

SUGGEST = "/v1alpha1/comments:suggestscore"


def coral_feedback(comment_id: str, status: str, text: str) -> dict:
    """Return the body Coral Talk posts after a moderator's decision (its sendFeedback)."""
    return {
        "comment": {"text": text},
        "context": {"entries": [{"text": '{"url": "https://news.example/a?commentID='
                                         f'{comment_id}", "reply_to_id_Coral_comment_id": null, '
                                         f'"Coral_comment_id": "{comment_id}"}}'}]},
        "attributeScores": {status: {"summaryScore": {"value": 1}}},
        "languages": ["EN"],
        "communityId": "Coral:https://news.example/",
        "clientToken": f"comment:{comment_id}",
    }


@pytest.fixture
def api_key(app, site):
    from moderation.perspective.api_keys import create_api_key

    with app.app_context():
        return create_api_key("news", quota="1000/second")[1]


def stored(app) -> list:
    with app.app_context():
        site = db.session.query(Site).filter_by(key="news").one()
        return [row for row in load_decisions(site) if row.source == "feedback"]


def test_coral_rejection_is_stored_as_a_label_with_scores(app, client, api_key):
    response = client.post(SUGGEST, json=coral_feedback("c-7", "DELETED", "You are an idiot."),
                           query_string={"key": api_key})
    assert response.status_code == 200
    assert response.get_json() == {"requestedLanguages": ["EN"], "clientToken": "comment:c-7"}
    [row] = stored(app)
    assert row.verdict == "rejected" and row.reason == "deleted" and row.article == "c-7"
    assert set(row.scores) == {"toxicity", "severe_toxicity", "obscene", "threat", "insult",
                               "identity_attack"}
    assert row.decided_by == "feedback:Coral:https://news.example/"


def test_a_later_verdict_on_the_same_coral_comment_replaces_the_first(app, client, api_key):
    for status in ("APPROVED", "DELETED"):
        client.post(SUGGEST, json=coral_feedback("c-9", status, "Hmm, nice."),
                    query_string={"key": api_key})
    assert [row.verdict for row in stored(app)] == ["rejected"]


def test_feedback_keeps_no_text(app, client, api_key):
    text = "markerfeedback4711 a perfectly fine comment"
    client.post(SUGGEST, json=coral_feedback("c-1", "APPROVED", text),
                query_string={"key": api_key})
    assert len(stored(app)) == 1
    assert rows_mentioning(app, "markerfeedback4711") == []


def test_a_suggested_attribute_score_counts_as_a_verdict(app, client, api_key):
    body = {"comment": {"text": "go away"}, "clientToken": "t-1",
            "attributeScores": {"TOXICITY": {"summaryScore": {"value": 0.9}}}}
    assert client.post(SUGGEST, json=body, query_string={"key": api_key}).status_code == 200
    [row] = stored(app)
    assert row.verdict == "rejected" and row.reason == "suggested_toxicity"


@pytest.mark.parametrize("scores", [{}, {"APPROVED": {"summaryScore": {"value": 7}}},
                                    {"APPROVED": {"summaryScore": {}}}])
def test_malformed_attribute_scores_are_refused_in_googles_shape(app, client, api_key, scores):
    body = {"comment": {"text": "fine"}, "attributeScores": scores}
    response = client.post(SUGGEST, json=body, query_string={"key": api_key})
    assert response.status_code == 400
    assert response.get_json()["error"]["status"] == "INVALID_ARGUMENT"
    with app.app_context():
        assert db.session.query(DecisionFeedback).count() == 0
