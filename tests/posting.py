"""Post a comment through the API and load it back: shared by the readers and widget tests."""

from __future__ import annotations

from moderation.extensions import db
from moderation.models import Comment

THREAD = "/api/v1/sites/news/articles/{article}/comments"


def post_comment(client, article="a-1", remote="10.0.0.1", **fields):
    """Post a comment as the client at this address and return the JSON answer."""
    body = {"author_name": "Ann", "body": "Thanks for the careful reporting."}
    body.update(fields)
    response = client.post(THREAD.format(article=article), json=body,
                           environ_base={"REMOTE_ADDR": remote})
    assert response.status_code in (201, 202), response.get_json()
    return response.get_json()


def load_comment(app, comment_id):
    """Return a fresh copy of a comment from the database."""
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        db.session.expunge(comment)
        return comment
