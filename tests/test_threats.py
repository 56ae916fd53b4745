"""Built-in threat phrases send profanity-free threats to review, and leave benign text."""

from __future__ import annotations

import pytest

from moderation.services.threats import find_threat

# Written for this test, apart from the model's behavioural set (tests/scoring).
THREATS = [
    "We will hunt you down like a dog.",
    "I'm going to break your legs, reporter.",
    "You deserve to die for printing this.",
    "Go kill yourself.",
    "Somebody needs to shoot the mayor.",
    "I know where your kids go to school.",
    "Next time I see you I will hurt you badly.",
    "Someone should put a bullet in that editor.",
]

BENIGN = [
    "We will beat you in the final on Sunday!",
    "I will find your article useful.",
    "The police said the suspect will hurt no one else.",
    "They should hang the painting in the museum.",
    "I'm going to kill it at the exam tomorrow.",
    "You will regret missing this concert!",
    "The report describes how the gunman threatened to kill the guards.",
    "I will call you tomorrow about the story.",
    "People must hang on to their receipts.",
    "We are going to find out who leaked the memo.",
    "I will get you the documents tomorrow.",
    "That was a hell of a game last night.",
]


@pytest.mark.parametrize("text", THREATS)
def test_threats_are_found(app, text):
    with app.app_context():
        assert find_threat(text)


@pytest.mark.parametrize("text", BENIGN)
def test_benign_text_is_left_alone(app, text):
    with app.app_context():
        assert find_threat(text) is None


def test_a_threat_goes_to_review_with_the_phrase_shown(app, client, site):
    from moderation.extensions import db
    from moderation.models import Comment

    response = client.post("/api/v1/sites/news/articles/a/comments",
                           json={"author_name": "X", "body": "I know where you live, writer."})
    assert response.get_json()["state"] == "pending"
    with app.app_context():
        comment = db.session.get(Comment, response.get_json()["id"])
        assert comment.reason == "suspect_word"
        assert comment.matched_word == "know where you live"


def test_the_check_can_be_switched_off(app_factory, site):
    client = app_factory(THREAT_PHRASES=False).test_client()
    response = client.post("/api/v1/sites/news/articles/a/comments",
                           json={"author_name": "X", "body": "I know where you live, writer."})
    assert response.get_json()["state"] == "published"
