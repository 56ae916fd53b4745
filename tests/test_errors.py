"""Bad input gets one JSON error shape with the right status, never a 500."""

from __future__ import annotations

import pytest

from moderation.extensions import db
from moderation.models import Comment

URL = "/api/v1/sites/news/articles/a-1/comments"


def assert_error(response, status, code=None):
    assert response.status_code == status, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert set(error) <= {"code", "message", "fields"}
    assert error["message"]
    if code:
        assert error["code"] == code
    return error


@pytest.mark.parametrize("raw", ["{not json", "[1, 2]", '"a string"', "42", "null", ""])
def test_malformed_or_non_object_body_is_400(client, site, raw):
    response = client.post(URL, data=raw, content_type="application/json")
    assert_error(response, 400, "invalid_json")


def test_wrong_content_type_is_415(client, site):
    response = client.post(URL, data="author_name=a&body=b",
                           content_type="application/x-www-form-urlencoded")
    assert_error(response, 415, "unsupported_media_type")


def test_body_over_64_kib_is_413(client, site):
    response = client.post(URL, data='{"body": "' + "x" * 70_000 + '"}',
                           content_type="application/json")
    assert_error(response, 413, "payload_too_large")


def test_unknown_method_is_405_with_allow(client, site):
    response = client.delete(URL)
    assert_error(response, 405, "method_not_allowed")
    assert "POST" in response.headers["Allow"]


def test_unknown_route_is_json_404(client):
    assert_error(client.get("/api/v1/nothing-here"), 404, "not_found")


@pytest.mark.parametrize(
    "fields, bad_field",
    [
        ({"body": ""}, "body"),
        ({"body": "   "}, "body"),
        ({"body": "x" * 5001}, "body"),
        ({"author_name": ""}, "author_name"),
        ({"author_name": "n" * 81}, "author_name"),
        ({"email": "not-an-email"}, "email"),
        ({"body": "null\u0000byte"}, "body"),
        ({"author_name": "A\u0000"}, "author_name"),
        ({"parent_id": 10**20}, "parent_id"),
        ({"parent_id": -1}, "parent_id"),
        ({"parent_id": "12"}, "parent_id"),
        ({"surprise": True}, "surprise"),
        ({"article_url": "javascript:alert(1)"}, "article_url"),
    ],
)
def test_invalid_fields_are_422_and_store_nothing(app, client, site, fields, bad_field):
    body = {"author_name": "Ann", "body": "Fine text."}
    body.update(fields)
    error = assert_error(client.post(URL, json=body), 422, "validation_failed")
    assert bad_field in error["fields"]
    with app.app_context():
        assert db.session.query(Comment).count() == 0


def test_body_of_5000_characters_after_trim_is_accepted(client, site):
    response = client.post(URL, json={"author_name": "Ann", "body": "  " + "y" * 5000 + "  "})
    assert response.status_code == 201
    assert len(response.get_json()["body"]) == 5000


def test_missing_parent_is_409(client, site):
    client.post(URL, json={"author_name": "Ann", "body": "First."})
    error = assert_error(
        client.post(URL, json={"author_name": "Bo", "body": "Reply", "parent_id": 999999}), 409
    )
    assert "parent_id" in error["fields"]


def test_parent_from_another_article_is_409(client, site):
    other = client.post("/api/v1/sites/news/articles/other/comments",
                        json={"author_name": "Ann", "body": "Elsewhere."}).get_json()
    response = client.post(URL, json={"author_name": "Bo", "body": "Reply",
                                      "parent_id": other["id"]})
    assert "parent_id" in assert_error(response, 409)["fields"]


def test_unknown_site_is_404(client):
    response = client.post("/api/v1/sites/nope/articles/a/comments",
                           json={"author_name": "Ann", "body": "Hi"})
    assert_error(response, 404, "site_not_found")
    assert_error(client.get("/api/v1/sites/nope/articles/a/comments"), 404, "site_not_found")
    assert_error(client.post("/api/v1/sites/nope/counts", json={"articles": ["a"]}), 404)


def test_unknown_article_reads_as_empty_thread(client, site):
    response = client.get("/api/v1/sites/news/articles/never-commented/comments")
    assert response.status_code == 200
    assert response.get_json()["count"] == 0


def test_null_byte_and_huge_ids_in_paths_are_404(client, site):
    assert_error(client.get("/api/v1/sites/news%00/articles/a/comments"), 404)
    assert_error(client.get("/api/v1/sites/news/articles/a%00b/comments"), 404)


def test_bad_cursor_is_400(client, site):
    client.post(URL, json={"author_name": "Ann", "body": "First."})
    for cursor in ["garbage", "WzEsMl0", "bnVsbA", "W251bGwsIDFd"]:
        assert_error(client.get(URL + f"?cursor={cursor}"), 400, "invalid_cursor")


def test_bad_sort_is_422(client, site):
    assert_error(client.get(URL + "?sort=loudest"), 422, "validation_failed")


@pytest.mark.parametrize("articles, index", [(["ok", 7], "1"), (["ok", ""], "1"),
                                             (["a\u0000b"], "0"), (["x" * 201], "0")])
def test_bad_article_ids_in_counts_are_422_naming_the_item(client, site, articles, index):
    error = assert_error(client.post("/api/v1/sites/news/counts", json={"articles": articles}),
                         422, "validation_failed")
    assert index in {str(k) for k in error["fields"]["articles"]}


def test_counts_body_must_list_articles(client, site):
    for body in ({"articles": "a,b"}, {"articles": []}, {}):
        assert_error(client.post("/api/v1/sites/news/counts", json=body), 422)
