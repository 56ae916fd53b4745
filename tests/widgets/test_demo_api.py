"""The demo content: seeded through the real pipeline, and the model decides new posts."""

from __future__ import annotations

from moderation.sites.create import DEMO_ARTICLE, DEMO_LISTING, seed_demo

DEMO_THREAD = f"/api/v1/sites/demo/articles/{DEMO_ARTICLE}/comments"


def seed(app):
    with app.app_context():
        seed_demo()


def test_seed_demo_fills_the_listing_articles(app, client):
    seed(app)
    keys = ",".join(key for key, _title, _comments in DEMO_LISTING)
    counts = client.get(f"/api/v1/sites/demo/counts?articles={keys}").get_json()["counts"]
    assert counts == {key: len(comments) for key, _title, comments in DEMO_LISTING}
    assert client.get(DEMO_THREAD).get_json()["count"] == 3


def test_demo_publishes_a_benign_comment(app, client):
    seed(app)
    response = client.post(DEMO_THREAD, json={"author_name": "Newcomer",
                                              "body": "Lovely to see safer streets."})
    assert response.get_json()["message"] == "Your comment is published."


def test_demo_holds_back_an_abusive_comment(app_factory):
    app = app_factory(model="abusive")
    seed(app)
    response = app.test_client().post(
        DEMO_THREAD, json={"author_name": "Troll", "body": "You are all idiots."})
    assert response.get_json()["state"] in {"rejected", "pending"}
    assert "Troll" not in app.test_client().get(DEMO_THREAD).get_data(as_text=True)
