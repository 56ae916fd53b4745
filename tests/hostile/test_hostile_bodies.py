"""Bodies a hostile client sends: refused with the one error shape, never a 500."""

from __future__ import annotations

import pytest

from moderation.jsonbodies import MAX_JSON_DEPTH, has_lone_surrogate, too_deep

URL = "/api/v1/sites/news/articles/a-1/comments"
RAW_JSON = {"Content-Type": "application/json"}


def error_of(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    return response.get_json()["error"]


@pytest.mark.parametrize("field", ["author_name", "body", "article_title", "email"])
def test_lone_surrogate_in_any_comment_field_is_refused(client, site, field):
    body = '{"author_name": "Ann", "body": "Hello there"}'[:-1] + f', "{field}": "a\\ud800b"}}'
    body = body.replace(f'"{field}": "Ann", ', "").replace(f'"{field}": "Hello there", ', "")
    response = client.post(URL, data=body, headers=RAW_JSON)
    assert error_of(response, 400)["code"] == "invalid_json"


@pytest.mark.parametrize("url, body", [
    ("/api/v1/sites/news/counts", '{"articles": ["\\udfff"]}'),
    ("/api/v1/sites/news/comments/1/flags", '{"reason": "spam", "note": "\\ud800"}'),
])
def test_lone_surrogates_elsewhere_are_refused(client, site, url, body):
    assert error_of(client.post(url, data=body, headers=RAW_JSON), 400)["code"] == "invalid_json"


def test_surrogate_pair_is_a_real_character_and_accepted(client, site):
    response = client.post(URL, data='{"author_name": "Ann", "body": "Nice \\ud83d\\ude00"}',
                           headers=RAW_JSON)
    assert response.status_code == 201 and response.get_json()["body"] == "Nice \U0001f600"


def test_deeply_nested_json_is_refused_not_a_recursion_error(client, site):
    for url in (URL, "/api/v1/sites/news/counts", "/v1alpha1/comments:analyze?key=x"):
        response = client.post(url, data="[" * 20000 + "]" * 20000, headers=RAW_JSON)
        assert 400 <= response.status_code < 500, url
        assert "error" in response.get_json()


def test_nesting_up_to_the_maximum_still_parses(app):
    with app.app_context():
        nested = "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH
        assert app.json.loads(nested) is not None
        assert too_deep("[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1))
        assert not too_deep('["' + "[" * 100 + '"]')  # brackets inside strings do not count
        assert has_lone_surrogate({"k\udc00": 1}) and not has_lone_surrogate(["\U0001f600"])


@pytest.mark.parametrize("field, value", [
    ("body", "\u200b\u200b\u2060"),
    ("body", "\u3164\u3164"),
    ("body", "  \ufeff  "),
    ("author_name", "\u200d"),
    ("author_name", "Ann\nAdmin"),
    ("author_name", "Ann\u2028x"),
    ("body", "bad \x7f char"),
    ("body", "bad \x85 char"),
    ("body", "bad \x9b char"),
    ("article_title", "Title\r\nInjected"),
])
def test_invisible_and_control_text_is_refused(client, site, field, value):
    data = {"author_name": "Ann", "body": "Hello there", field: value}
    error = error_of(client.post(URL, json=data), 422)
    assert field in error["fields"]


def test_text_is_normalised_to_nfc(client, site):
    response = client.post(URL, json={"author_name": "Zoe\u0301", "body": "Cafe\u0301 talk"})
    assert response.get_json()["author_name"] == "Zo\u00e9"
    assert response.get_json()["body"] == "Caf\u00e9 talk"


@pytest.mark.parametrize("value", ["[" * 20000 + "]" * 20000, "nan", "1e999", "0x1"])
def test_admin_threshold_fields_refuse_what_is_not_a_number_between_0_and_1(app, site, value):
    from marshmallow import ValidationError

    from moderation.dashboard.forms import PreviewForm

    with app.test_request_context(), pytest.raises(ValidationError) as refused:
        PreviewForm().load({"approve_toxicity": value})
    assert "approve_toxicity" in refused.value.messages
