"""Posting and reading comments through the public API."""

from __future__ import annotations

import pytest

from moderation.clients import email_hash
from moderation.extensions import db
from moderation.models import Article, Comment, CommentStatus, ModerationEvent

URL = "/api/v1/sites/news/articles/a-1/comments"


def post(client, **fields):
    body = {"author_name": "Ann", "body": "Thanks for the careful reporting."}
    body.update(fields)
    return client.post(URL, json=body)


def test_benign_comment_is_published_with_its_event(app, client, site):
    response = post(client, email="ann@example.org", article_title="Bike lanes")
    assert response.status_code == 201
    data = response.get_json()
    assert data["state"] == "published"
    assert "email" not in data and "scores" not in data and "author_email" not in data
    with app.app_context():
        comment = db.session.get(Comment, data["id"])
        assert comment.status is CommentStatus.published
        assert set(comment.scores) == {"toxicity", "severe_toxicity", "obscene", "threat",
                                       "insult", "identity_attack"}
        # Only the keyed hash of the address is kept, never the address itself.
        assert comment.author_email is None and comment.email_hash == email_hash("ann@example.org")
        assert comment.client_hash != "127.0.0.1" and len(comment.client_hash) == 64
        events = db.session.query(ModerationEvent).filter_by(comment_id=comment.id).all()
        assert [(e.from_status, e.to_status, e.reason) for e in events] == [
            (None, CommentStatus.published, "threshold")
        ]
        article = db.session.get(Article, comment.article_id)
        assert article.title == "Bike lanes" and article.published_count == 1


def test_abusive_comment_is_rejected_and_not_shown(app_factory, site):
    app = app_factory(model="abusive")
    client = app.test_client()
    response = post(client, body="You are an idiot")
    assert response.status_code == 201
    assert response.get_json()["state"] == "rejected"
    thread = client.get(URL).get_json()
    assert thread["comments"] == [] and thread["count"] == 0


def test_borderline_comment_waits_for_review(app_factory, site):
    app = app_factory(model="middling")
    response = post(app.test_client())
    assert response.get_json()["state"] == "pending"
    assert response.get_json()["message"] == "Your comment is awaiting moderation."


def test_scorer_failure_sends_comment_to_review(app_factory, site, tmp_path):
    app = app_factory(MODEL_CHECKPOINT=str(tmp_path / "missing.ckpt"))
    response = post(app.test_client())
    assert response.status_code == 201
    assert response.get_json()["state"] == "pending"
    with app.app_context():
        comment = db.session.get(Comment, response.get_json()["id"])
        assert comment.reason == "scorer_unavailable"
        assert comment.scores is None


def test_hanging_scorer_times_out_to_review(app, client, site):
    import threading

    release = threading.Event()

    class HangingScorer:
        model_id = "hangs"
        languages = frozenset({"en"})

        def score(self, texts):
            release.wait(5)
            return [{"toxicity": 0.0} for _ in texts]

    from moderation.extensions import scorer

    scorer.override(app, HangingScorer())
    app.config["SCORER_TIMEOUT_SECONDS"] = 0.2
    try:
        response = post(client)
    finally:
        release.set()
    assert response.get_json()["state"] == "pending"
    with app.app_context():
        assert db.session.get(Comment, response.get_json()["id"]).reason == "scorer_unavailable"


def test_premoderated_site_holds_everything(app, client, site):
    from moderation.models import Site

    with app.app_context():
        db.session.query(Site).filter_by(key="news").update({"premoderate": True})
        db.session.commit()
    response = post(client)
    assert response.get_json()["state"] == "pending"


def test_chinese_comment_is_scored_by_the_chinese_model(app, client, site):
    response = post(client, body="这篇文章写得很好，谢谢作者的认真报道")
    assert response.get_json()["state"] == "published"
    with app.app_context():
        comment = db.session.get(Comment, response.get_json()["id"])
        assert (comment.language, comment.model_id) == ("zh", "ngrams-zh-2")
        assert set(comment.scores) == {"toxicity"}  # the only label it was trained for


@pytest.mark.parametrize(("body", "state"), [
    ("기사 잘 읽었습니다 좋은 정보 감사합니다", "published"),
    ("이 기자 진짜 개새끼네 ㅅㅂ 꺼져라", "rejected"),
])
def test_korean_comment_is_decided_by_the_korean_model(app, client, site, body, state):
    response = post(client, body=body)
    assert response.get_json()["state"] == state
    with app.app_context():
        comment = db.session.get(Comment, response.get_json()["id"])
        assert (comment.language, comment.model_id) == ("ko", "ngrams-ko-2")


def test_language_a_site_did_not_accept_goes_to_review(app, client, site):
    from moderation.models import Site

    with app.app_context():
        db.session.query(Site).filter_by(key="news").update({"auto_languages": ["tr"]})
        db.session.commit()
    response = post(client, body="这篇文章写得很好，谢谢作者的认真报道")
    assert response.get_json()["state"] == "pending"
    with app.app_context():
        assert db.session.get(Comment, response.get_json()["id"]).reason == "language_unsupported"


def test_language_without_a_model_goes_to_review(app, client, site):
    response = post(client, body="Essa matéria é muito boa, parabéns aos jornalistas pelo trabalho")
    assert response.get_json()["state"] == "pending"
    with app.app_context():
        comment = db.session.get(Comment, response.get_json()["id"])
        assert (comment.language, comment.reason) == ("pt", "language_unsupported")


def test_text_of_undetermined_language_goes_to_review(app, client, site):
    response = post(client, body="Lmao true")
    with app.app_context():
        comment = db.session.get(Comment, response.get_json()["id"])
        assert (comment.language, comment.reason) == ("und", "language_unclear")


def test_site_may_opt_out_of_language_check(app, client, site):
    from moderation.models import Site

    with app.app_context():
        db.session.query(Site).filter_by(key="news").update({"language_check": False})
        db.session.commit()
    response = post(client, body="这篇文章写得很好，谢谢你们的报道")
    assert response.get_json()["state"] == "published"


def test_reply_nests_under_parent_and_counts(client, site):
    parent = post(client).get_json()
    reply = post(client, body="I agree.", parent_id=parent["id"]).get_json()
    post(client, body="And a reply to the reply.", parent_id=reply["id"])
    thread = client.get(URL).get_json()
    assert thread["count"] == 3
    assert len(thread["comments"]) == 1
    top = thread["comments"][0]
    assert top["reply_count"] == 2
    assert top["replies"][0]["id"] == reply["id"]
    assert top["replies"][0]["replies"][0]["body"] == "And a reply to the reply."


def test_thread_pages_with_cursor_newest_first(client, site):
    ids = [post(client, body=f"Comment number {i}").get_json()["id"] for i in range(5)]
    first = client.get(URL + "?sort=newest&limit=2").get_json()
    assert [c["id"] for c in first["comments"]] == ids[::-1][:2]
    second = client.get(URL + f"?sort=newest&limit=2&cursor={first['next_cursor']}").get_json()
    assert [c["id"] for c in second["comments"]] == ids[::-1][2:4]
    third = client.get(URL + f"?sort=newest&limit=2&cursor={second['next_cursor']}").get_json()
    assert [c["id"] for c in third["comments"]] == ids[:1]
    assert third["next_cursor"] is None


def test_page_size_is_capped(app, client, site):
    response = client.get(URL + "?limit=5000")
    assert response.status_code == 422


def test_counts_for_many_articles_in_one_query(app, client, site):
    post(client)
    client.post("/api/v1/sites/news/articles/a-2/comments",
                json={"author_name": "Bo", "body": "Good piece."})
    client.post("/api/v1/sites/news/articles/a-2/comments",
                json={"author_name": "Cy", "body": "Agreed."})
    from sqlalchemy import event

    statements = []

    def collect(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", collect)
    try:
        ids = ["a-1", "a-2"] + [f"none-{i}" for i in range(498)]
        response = client.post("/api/v1/sites/news/counts", json={"articles": ids})
    finally:
        event.remove(engine, "before_cursor_execute", collect)
    counts = response.get_json()["counts"]
    assert counts["a-1"] == 1 and counts["a-2"] == 2 and counts["none-7"] == 0
    assert len([s for s in statements if "articles" in s.lower()]) == 1
    get = client.get("/api/v1/sites/news/counts?article=a-1&article=a-2").get_json()
    assert get["counts"] == {"a-1": 1, "a-2": 2}


def test_counts_refuse_more_than_500(client, site):
    response = client.post("/api/v1/sites/news/counts",
                           json={"articles": [str(i) for i in range(501)]})
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "validation_failed"


def test_closed_article_refuses_comments(app, client, site):
    post(client)
    with app.app_context():
        db.session.query(Article).update({"is_closed": True})
        db.session.commit()
    response = post(client)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "article_closed"


class SlowLoadingScorer:
    """A scorer whose first load outlasts the per-comment deadline, as a real model can."""

    model_id = "slow-load"
    languages = frozenset({"en"})

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.loaded = False

    def load(self):
        import time

        time.sleep(self.seconds)
        self.loaded = True

    def score(self, texts):
        return [dict.fromkeys(("toxicity", "insult"), 0.01) for _ in texts]


def test_model_load_time_does_not_count_against_the_scoring_deadline(app, client, site):
    from moderation.extensions import scorer

    scorer.override(app, SlowLoadingScorer(0.6))
    app.config["SCORER_TIMEOUT_SECONDS"] = 0.2
    response = post(client)
    assert response.get_json()["state"] == "published"


def test_a_model_that_never_loads_sends_comments_to_review(app, client, site):
    from moderation.extensions import scorer

    scorer.override(app, SlowLoadingScorer(1.0))
    app.config.update(SCORER_TIMEOUT_SECONDS=0.2, MODEL_LOAD_TIMEOUT_SECONDS=0.3)
    response = post(client)
    with app.app_context():
        assert db.session.get(Comment, response.get_json()["id"]).reason == "scorer_unavailable"


def test_a_main_model_that_reads_the_language_keeps_it(app, client, site, tiny_models):
    from moderation.extensions import scorer
    from moderation.scoring.detoxify_backend import DetoxifyScorer

    checkpoint, config_dir = tiny_models["benign"]
    scorer.override(app, DetoxifyScorer(checkpoint=checkpoint, config_dir=config_dir,
                                        model_id="reads-chinese",
                                        languages=frozenset({"en", "zh"})))
    response = post(client, body="这篇文章写得很好，谢谢作者的认真报道")
    with app.app_context():
        comment = db.session.get(Comment, response.get_json()["id"])
        assert (comment.language, comment.model_id) == ("zh", "reads-chinese")
