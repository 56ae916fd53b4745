"""Reply chains: nesting is bounded, and a deep chain cannot break its thread."""

from __future__ import annotations

from moderation.extensions import db
from moderation.models import Article, Comment, CommentStatus, Site
from moderation.services.comments import MAX_REPLY_DEPTH
from tests.factories import make_comment

URL = "/api/v1/sites/news/articles/a-1/comments"


def deepest(node: dict) -> int:
    depth = 0
    while node["replies"]:
        node, depth = node["replies"][-1], depth + 1
    return depth


def test_replies_past_the_maximum_hang_beside_their_parent(client, site):
    parent_id = client.post(URL, json={"author_name": "Ann", "body": "Top"}).get_json()["id"]
    ids = []
    for n in range(MAX_REPLY_DEPTH + 3):
        posted = client.post(URL, json={"author_name": "Bo", "body": f"Reply {n}",
                                        "parent_id": parent_id}).get_json()
        ids.append(posted["id"])
        parent_id = posted["id"]
    thread = client.get(URL).get_json()["comments"][0]
    assert deepest(thread) == MAX_REPLY_DEPTH
    assert thread["reply_count"] == MAX_REPLY_DEPTH + 3


def test_a_stored_chain_hundreds_deep_still_renders(app, client, site):
    with app.app_context():
        root = make_comment(status=CommentStatus.published)
        article_id, parent = root.article_id, root
        for _ in range(600):  # rows as a chain stored before the maximum existed
            child = Comment(article_id=article_id, author_name="Bo", client_hash="c" * 64,
                            body="deeper", status=CommentStatus.published, reason="threshold",
                            parent_id=parent.id, root_id=root.id)
            db.session.add(child)
            db.session.flush()
            parent = child
        db.session.query(Article).update({"published_count": 601, "revision": 99})
        db.session.commit()
        assert db.session.query(Site).count() == 1
    response = client.get(URL)
    assert response.status_code == 200
    thread = response.get_json()["comments"][0]
    assert thread["reply_count"] == 600 and deepest(thread) == MAX_REPLY_DEPTH
