"""Built-in group-attack phrases send dehumanising claims to review and leave news text."""

from __future__ import annotations

import pytest

from moderation.services.group_attacks import find_group_attack

# Written for this test, apart from the model's behavioural set (tests/scoring).
ATTACKS = [
    "Arabs are savages who cannot live in a modern society.",
    "These migrants are an infestation and must be removed.",
    "Gays should not be allowed near our children.",
    "The Chinese secretly control the banks.",
    "Asylum seekers are nothing but leeches.",
    "Trans people are sick and need to be locked up.",
    "Send them home: those foreigners should go back to their own country.",
    "Jewish people are parasites.",
    "Africans are like animals.",
    "Muslims need to be deported, every last one.",
]

BENIGN = [
    "Refugees are fleeing a disease outbreak in the north.",
    "Muslims are sick of being blamed for every attack.",
    "Immigrants are vital to the local economy.",
    "In 1942 the Jews of the city were deported to the camps.",
    "Women are paid less than men for the same work.",
    "Black people are more likely to be stopped by police, the report says.",
    "The refugees say they want to go back when the war ends.",
    "Many asylum seekers are fleeing criminals and gangs at home.",
    "Christians are celebrating Easter this weekend.",
    "Gay people are allowed to marry in most of Europe now.",
    "The article says immigrants are often called criminals, which is false.",
    "Women should not be afraid to walk home at night.",
]


@pytest.mark.parametrize("text", ATTACKS)
def test_group_attacks_are_found(app, text):
    with app.app_context():
        assert find_group_attack(text)


@pytest.mark.parametrize("text", BENIGN)
def test_news_about_groups_is_left_alone(app, text):
    with app.app_context():
        assert find_group_attack(text) is None


def test_a_group_attack_goes_to_review_with_the_phrase_shown(app, client, site):
    from moderation.extensions import db
    from moderation.models import Comment

    response = client.post("/api/v1/sites/news/articles/a/comments",
                           json={"author_name": "X", "body": "Refugees are vermin, all of them."})
    assert response.get_json()["state"] == "pending"
    with app.app_context():
        comment = db.session.get(Comment, response.get_json()["id"])
        assert comment.reason == "suspect_word"
        assert comment.matched_word == "Refugees are vermin"


def test_the_check_can_be_switched_off(app_factory, site):
    client = app_factory(GROUP_ATTACK_PHRASES=False).test_client()
    response = client.post("/api/v1/sites/news/articles/a/comments",
                           json={"author_name": "X", "body": "Refugees are vermin, all of them."})
    assert response.get_json()["state"] == "published"
