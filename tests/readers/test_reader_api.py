"""A reader's own comment: the edit token, edits re-moderated, deletion and state polling."""

from __future__ import annotations

from moderation.extensions import db
from moderation.models import ActorType, CommentStatus, ModerationEvent, SiteWord, WordKind
from moderation.models.site import Site
from tests.posting import THREAD, load_comment, post_comment

BASE = "/api/v1/sites/news/comments"


def edit(client, comment_id, token, body="A corrected remark."):
    return client.patch(f"{BASE}/{comment_id}", json={"body": body},
                        headers={"X-Edit-Token": token} if token else {})


def test_new_comment_comes_with_an_edit_token(client, site):
    comment = post_comment(client)
    assert isinstance(comment["edit_token"], str) and len(comment["edit_token"]) > 20
    assert comment["edit_seconds"] == 300


def test_author_edits_within_the_window(app, client, site):
    comment = post_comment(client)
    response = edit(client, comment["id"], comment["edit_token"])
    assert response.status_code == 200
    assert response.get_json()["body"] == "A corrected remark."
    assert response.get_json()["state"] == "published"
    thread = client.get(THREAD.format(article="a-1")).get_json()
    assert thread["comments"][0]["body"] == "A corrected remark."


def test_edit_runs_the_moderation_pipeline_again(app, client, site):
    comment = post_comment(client)
    with app.app_context():
        site_id = db.session.query(Site.id).scalar()
        db.session.add(SiteWord(site_id=site_id, word="scoundrel", kind=WordKind.banned))
        db.session.commit()
    response = edit(client, comment["id"], comment["edit_token"], body="You scoundrel.")
    assert response.get_json()["state"] == "rejected"
    stored = load_comment(app, comment["id"])
    assert (stored.status, stored.reason, stored.matched_word) == (
        CommentStatus.rejected, "banned_word", "scoundrel")
    assert client.get(THREAD.format(article="a-1")).get_json()["count"] == 0


def test_edit_needs_the_token_of_that_comment(client, site):
    first = post_comment(client)
    second = post_comment(client)
    assert edit(client, first["id"], None).status_code == 403
    wrong = edit(client, first["id"], second["edit_token"])
    assert wrong.status_code == 403
    assert wrong.get_json()["error"]["code"] == "edit_token_invalid"
    assert edit(client, first["id"], first["edit_token"] + "x").status_code == 403


def test_edit_window_closes(app_factory, site):
    client = app_factory(READER_EDIT_SECONDS=-1).test_client()
    comment = post_comment(client)
    response = edit(client, comment["id"], comment["edit_token"])
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "edit_window_closed"


def test_token_from_another_secret_is_refused(app_factory, site):
    comment = post_comment(app_factory(SECRET_KEY="one-secret").test_client())
    other = app_factory(SECRET_KEY="another-secret").test_client()
    assert edit(other, comment["id"], comment["edit_token"]).status_code == 403


def test_author_deletes_their_comment(app, client, site):
    comment = post_comment(client)
    response = client.delete(f"{BASE}/{comment['id']}",
                             headers={"X-Edit-Token": comment["edit_token"]})
    assert response.status_code == 200 and response.get_json()["state"] == "deleted"
    with app.app_context():
        last = (db.session.query(ModerationEvent).filter_by(comment_id=comment["id"])
                .order_by(ModerationEvent.id.desc()).first())
        assert (last.actor_type, last.to_status, last.reason) == (
            ActorType.reader, CommentStatus.deleted, "author_deleted")
    thread = client.get(THREAD.format(article="a-1")).get_json()
    assert thread["count"] == 0 and thread["comments"] == []
    again = edit(client, comment["id"], comment["edit_token"])
    assert again.status_code == 409


def test_reported_comment_cannot_be_edited_back(app, client, site):
    with app.app_context():
        db.session.query(Site).update({"flag_threshold": 1})
        db.session.commit()
    comment = post_comment(client)
    client.post(f"{BASE}/{comment['id']}/flags", json={"reason": "abusive"},
                environ_base={"REMOTE_ADDR": "10.9.9.9"})
    response = edit(client, comment["id"], comment["edit_token"])
    assert response.status_code == 409
    assert load_comment(app, comment["id"]).status is CommentStatus.pending_review


def test_state_shows_only_the_public_state(app_factory, site):
    client = app_factory(model="middling").test_client()
    comment = post_comment(client)
    response = client.get(f"{BASE}/{comment['id']}/state")
    assert response.get_json() == {"id": comment["id"], "state": "pending",
                                   "message": "Your comment is awaiting moderation."}
    assert response.headers["Cache-Control"] == "no-store"


def test_state_of_an_unknown_comment_is_404(client, site):
    assert client.get(f"{BASE}/999999/state").status_code == 404


def test_a_deleted_comment_has_no_state_to_read(client, site):
    comment = post_comment(client)
    client.delete(f"{BASE}/{comment['id']}", headers={"X-Edit-Token": comment["edit_token"]})
    response = client.get(f"{BASE}/{comment['id']}/state")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "comment_not_found"
