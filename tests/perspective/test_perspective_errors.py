"""Every error under /v1alpha1 comes out in Google's shape with Perspective's wording."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.perspective.conftest import ANALYZE

TOXICITY = {"TOXICITY": {}}


def google_error(response, code: int, status: str) -> str:
    """Assert Google's error shape and return the message."""
    assert response.status_code == code
    body = response.get_json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "status"}
    assert body["error"]["code"] == code and body["error"]["status"] == status
    return body["error"]["message"]


def test_thai_text_is_refused_naming_attribute_and_language(analyze):
    response = analyze({"comment": {"text": "สวัสดีครับ ยินดีต้อนรับ"},
                        "requestedAttributes": {"THREAT": {}}})
    message = google_error(response, 400, "INVALID_ARGUMENT")
    assert message == "Attribute THREAT does not support request languages: th"


def test_requested_language_the_model_lacks_is_refused(analyze):
    response = analyze({"comment": {"text": "nice game"}, "languages": ["th"],
                        "requestedAttributes": TOXICITY})
    assert google_error(response, 400, "INVALID_ARGUMENT") == (
        "Attribute TOXICITY does not support request languages: th")


def test_regional_language_tag_counts_as_its_language(analyze):
    response = analyze({"comment": {"text": "nice game"}, "languages": ["en-US"],
                        "requestedAttributes": TOXICITY})
    assert response.status_code == 200
    assert response.get_json()["languages"] == ["en-US"]


def test_unknown_attribute_is_refused(analyze):
    response = analyze({"comment": {"text": "nice game"}, "requestedAttributes": {"FOO": {}}})
    assert google_error(response, 400, "INVALID_ARGUMENT") == "Unknown attribute: FOO"


@pytest.mark.parametrize("name", ["SEXUALLY_EXPLICIT", "FLIRTATION", "TOXICITY_EXPERIMENTAL"])
def test_perspective_attribute_the_model_lacks_is_refused(analyze, name):
    response = analyze({"comment": {"text": "nice game"}, "requestedAttributes": {name: {}}})
    message = google_error(response, 400, "INVALID_ARGUMENT")
    assert message == f"Attribute {name} is not supported by this server's model."


def test_missing_comment_is_refused(analyze):
    response = analyze({"requestedAttributes": TOXICITY})
    assert google_error(response, 400, "INVALID_ARGUMENT") == "Comment must be non-empty."


def test_empty_comment_text_is_refused(analyze):
    response = analyze({"comment": {"text": "   "}, "requestedAttributes": TOXICITY})
    assert google_error(response, 400, "INVALID_ARGUMENT") == "Comment must be non-empty."


def test_no_requested_attribute_is_refused(analyze):
    response = analyze({"comment": {"text": "nice game"}})
    message = google_error(response, 400, "INVALID_ARGUMENT")
    assert message == "Request must specify at least one attribute."


def test_text_over_20_kb_is_refused_and_20_kb_accepted(analyze):
    at_limit = analyze({"comment": {"text": "a" * 20480}, "requestedAttributes": TOXICITY})
    assert at_limit.status_code == 200
    over = analyze({"comment": {"text": "é" * 10241}, "requestedAttributes": TOXICITY})
    assert google_error(over, 400, "INVALID_ARGUMENT") == (
        "Comment text too long: 20482 bytes; the limit is 20480 bytes.")


def test_unknown_field_is_refused_as_googles_parser_does(analyze):
    response = analyze({"comment": {"text": "hi"}, "requestedAttributes": TOXICITY, "foo": 1})
    assert google_error(response, 400, "INVALID_ARGUMENT") == (
        'Invalid JSON payload received. Unknown name "foo": Cannot find field.')


def test_unknown_nested_field_names_its_place(analyze):
    response = analyze({"comment": {"text": "hi", "lang": "en"}, "requestedAttributes": TOXICITY})
    assert google_error(response, 400, "INVALID_ARGUMENT") == (
        'Invalid JSON payload received. Unknown name "lang" at \'comment\': Cannot find field.')


def test_wrong_type_is_refused_without_echoing_the_value(analyze):
    response = analyze({"comment": {"text": ["secret words"]}, "requestedAttributes": TOXICITY})
    message = google_error(response, 400, "INVALID_ARGUMENT")
    assert message.startswith("Invalid value at 'comment.text'") and "secret" not in message


def test_unsupported_score_type_is_refused(analyze):
    response = analyze({"comment": {"text": "hi"},
                        "requestedAttributes": {"TOXICITY": {"scoreType": "STD_DEV_SCORE"}}})
    google_error(response, 400, "INVALID_ARGUMENT")


def test_threshold_outside_zero_to_one_is_refused(analyze):
    response = analyze({"comment": {"text": "hi"},
                        "requestedAttributes": {"TOXICITY": {"scoreThreshold": 2}}})
    assert "requestedAttributes.TOXICITY.scoreThreshold" in google_error(
        response, 400, "INVALID_ARGUMENT")


def test_body_that_is_not_json_is_refused(client, api_key):
    response = client.post(ANALYZE, data="{not json", query_string={"key": api_key},
                           content_type="application/json")
    google_error(response, 400, "INVALID_ARGUMENT")


def test_missing_key_is_permission_denied(analyze):
    response = analyze({"comment": {"text": "hi"}, "requestedAttributes": TOXICITY}, key=None)
    message = google_error(response, 403, "PERMISSION_DENIED")
    assert message == "The request is missing a valid API key."


def test_wrong_key_is_permission_denied(analyze, api_key):
    response = analyze({"comment": {"text": "hi"}, "requestedAttributes": TOXICITY},
                       key=api_key[:-2] + "xx")
    message = google_error(response, 403, "PERMISSION_DENIED")
    assert message == "API key not valid. Please pass a valid API key."


def test_unknown_path_under_the_prefix_is_google_shaped_404(client):
    google_error(client.post("/v1alpha1/comments:nothing"), 404, "NOT_FOUND")


def test_get_on_analyze_is_google_shaped_405_with_allow(client):
    response = client.get(ANALYZE)
    google_error(response, 405, "METHOD_NOT_ALLOWED")
    assert "POST" in response.headers["Allow"]


def test_project_api_keeps_the_projects_own_error_shape(client):
    response = client.get("/api/v1/nowhere")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_model_that_cannot_load_is_google_shaped_503(app_factory, site, make_key, tmp_path):
    app = app_factory(MODEL_CHECKPOINT=str(tmp_path / "missing.ckpt"), SCORER_BATCHING=False)
    key = make_key(app, site)
    response = app.test_client().post(
        ANALYZE, json={"comment": {"text": "hi"}, "requestedAttributes": TOXICITY},
        query_string={"key": key})
    google_error(response, 503, "UNAVAILABLE")


def test_body_over_the_size_limit_is_google_shaped(analyze):
    response = analyze({"comment": {"text": "a" * 70000}, "requestedAttributes": TOXICITY})
    google_error(response, 413, "INVALID_ARGUMENT")


def test_model_failure_inside_a_batch_is_google_shaped_503(app_factory, site, make_key,
                                                           tmp_path):
    app = app_factory(MODEL_CHECKPOINT=str(tmp_path / "missing.ckpt"), SCORER_BATCHING=True)
    key = make_key(app, site)
    response = app.test_client().post(
        ANALYZE, json={"comment": {"text": "hi"}, "requestedAttributes": TOXICITY},
        query_string={"key": key})
    google_error(response, 503, "UNAVAILABLE")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(
        st.sampled_from(["text", "TOXICITY", "scoreThreshold", "scoreType", "x", "en"]),
        children, max_size=3),
    max_leaves=8,
)
bodies = st.fixed_dictionaries({}, optional={
    "comment": json_values, "requestedAttributes": json_values, "languages": json_values,
    "doNotStore": json_values, "spanAnnotations": json_values, "clientToken": json_values,
    "context": json_values,
})


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=bodies)
def test_any_json_body_gets_a_score_or_a_google_shaped_400(analyze, body):
    response = analyze(body)
    assert response.status_code in (200, 400), response.get_json()
    if response.status_code == 400:
        google_error(response, 400, "INVALID_ARGUMENT")


def test_attribute_missing_from_the_loaded_model_is_refused(app, site, make_key):
    from moderation.extensions import scorer

    class NoThreat:
        """A model without the threat label, as a trimmed checkpoint would be."""

        model_id, languages = "no-threat", frozenset({"en"})

        def score(self, texts):
            return [{"toxicity": 0.2, "insult": 0.1} for _ in texts]

    scorer.override(app, NoThreat())
    key = make_key(app, site)
    client = app.test_client()
    ok = client.post(ANALYZE, json={"comment": {"text": "hi"}, "requestedAttributes": TOXICITY},
                     query_string={"key": key})
    assert ok.get_json()["attributeScores"]["TOXICITY"]["summaryScore"]["value"] == 0.2
    response = client.post(ANALYZE, json={"comment": {"text": "hi"},
                                          "requestedAttributes": {"THREAT": {}}},
                           query_string={"key": key})
    assert google_error(response, 400, "INVALID_ARGUMENT") == (
        "Attribute THREAT is not supported by this server's model.")
