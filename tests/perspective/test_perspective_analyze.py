"""comments:analyze answers Perspective's and Coral Talk's requests in Perspective's shape."""

from __future__ import annotations

from tests.perspective.conftest import ANALYZE

# Coral Talk's toxicity phase: comment text, doNotStore, TOXICITY with default options.
CORAL_BODY = {
    "comment": {"text": "Thanks for the great article, you are a good reporter."},
    "doNotStore": True,
    "requestedAttributes": {"TOXICITY": {}},
}

# Perspective's documented analyze request (every request field).
DOCS_BODY = {
    "comment": {"text": "What kind of idiot name is foo?", "type": "PLAIN_TEXT"},
    "context": {"entries": [{"text": "The article this comment is on.", "type": "PLAIN_TEXT"}]},
    "requestedAttributes": {"TOXICITY": {"scoreType": "PROBABILITY", "scoreThreshold": 0},
                            "INSULT": {}},
    "languages": ["en"],
    "doNotStore": True,
    "spanAnnotations": True,
    "clientToken": "token-123",
    "sessionId": "session-9",
    "communityId": "news-politics",
}


def is_probability(score: dict) -> bool:
    return score["type"] == "PROBABILITY" and 0.0 <= score["value"] <= 1.0


def test_coral_request_gets_a_toxicity_probability(analyze):
    response = analyze(CORAL_BODY)
    assert response.status_code == 200
    data = response.get_json()
    assert set(data["attributeScores"]) == {"TOXICITY"}
    assert is_probability(data["attributeScores"]["TOXICITY"]["summaryScore"])
    assert "spanScores" not in data["attributeScores"]["TOXICITY"]
    assert data["languages"] == ["en"]


def test_coral_request_with_languages_is_accepted(analyze):
    response = analyze({**CORAL_BODY, "languages": ["en"]})
    assert response.status_code == 200
    assert response.get_json()["languages"] == ["en"]


def test_abusive_model_scores_high_and_benign_model_low(app_factory, site, make_key):
    values = {}
    for model in ("benign", "abusive"):
        app = app_factory(model=model)
        key = make_key(app, site if model == "benign" else "news")
        response = app.test_client().post(ANALYZE, json=CORAL_BODY, query_string={"key": key})
        values[model] = response.get_json()["attributeScores"]["TOXICITY"]["summaryScore"]["value"]
    assert values["benign"] < 0.1 < 0.9 < values["abusive"]


def test_documented_request_with_every_field_gets_documented_response(analyze):
    response = analyze(DOCS_BODY)
    assert response.status_code == 200
    data = response.get_json()
    # detectedLanguages appears only when the detector is sure; this text is too short.
    assert {"attributeScores", "languages", "clientToken"} <= set(data)
    assert set(data) <= {"attributeScores", "languages", "detectedLanguages", "clientToken"}
    assert set(data["attributeScores"]) == {"TOXICITY", "INSULT"}
    for attribute in data["attributeScores"].values():
        assert is_probability(attribute["summaryScore"])
        assert [(s["begin"], s["end"]) for s in attribute["spanScores"]] == [(0, 31)]
    assert data["languages"] == ["en"]
    assert data["clientToken"] == "token-123"


def test_clear_english_is_reported_as_detected(analyze):
    text = "I read the whole article twice and I think the council made the right call here."
    response = analyze({"comment": {"text": text}, "requestedAttributes": {"TOXICITY": {}}})
    data = response.get_json()
    assert data["languages"] == ["en"] and data["detectedLanguages"] == ["en"]


def test_key_in_goog_api_key_header_is_accepted(client, api_key):
    response = client.post(ANALYZE, json=CORAL_BODY, headers={"X-Goog-Api-Key": api_key})
    assert response.status_code == 200


def test_all_six_model_attributes_are_answered(analyze):
    names = ["TOXICITY", "SEVERE_TOXICITY", "IDENTITY_ATTACK", "INSULT", "PROFANITY", "THREAT"]
    response = analyze({"comment": {"text": "nice game"},
                        "requestedAttributes": {name: {} for name in names}})
    assert response.status_code == 200
    assert sorted(response.get_json()["attributeScores"]) == sorted(names)


def test_profanity_comes_from_the_obscene_label(app, analyze):
    from moderation.extensions import scorer

    text = "you are stupid"
    with app.app_context():
        expected = scorer.score([text])[0]["obscene"]
    response = analyze({"comment": {"text": text}, "requestedAttributes": {"PROFANITY": {}}})
    value = response.get_json()["attributeScores"]["PROFANITY"]["summaryScore"]["value"]
    assert abs(value - expected) < 1e-5


def test_span_annotations_score_each_sentence(analyze):
    text = "Thanks for this.  You are an idiot!\nI will read it again."
    response = analyze({"comment": {"text": text}, "spanAnnotations": True,
                        "requestedAttributes": {"TOXICITY": {}}})
    spans = response.get_json()["attributeScores"]["TOXICITY"]["spanScores"]
    assert [text[s["begin"]:s["end"]] for s in spans] == [
        "Thanks for this.", "You are an idiot!", "I will read it again."]
    assert all(is_probability(s["score"]) for s in spans)


def test_score_threshold_leaves_out_attributes_below_it(app_factory, site, make_key):
    app = app_factory(model="middling")
    key = make_key(app, site)
    body = {"comment": {"text": "nice game"},
            "requestedAttributes": {"TOXICITY": {"scoreThreshold": 0.0},
                                    "INSULT": {"scoreThreshold": 1.0}}}
    data = app.test_client().post(ANALYZE, json=body, query_string={"key": key}).get_json()
    assert set(data["attributeScores"]) == {"TOXICITY"}


def test_threshold_above_every_score_leaves_out_attribute_scores(analyze):
    body = {"comment": {"text": "nice game"},
            "requestedAttributes": {"TOXICITY": {"scoreThreshold": 0.99}}}
    response = analyze(body)
    assert response.status_code == 200
    assert "attributeScores" not in response.get_json()


def test_snake_case_field_names_are_accepted_like_camel_case(analyze):
    body = {"comment": {"text": "nice game"}, "requested_attributes": {"TOXICITY": {}},
            "do_not_store": True, "client_token": "t"}
    response = analyze(body)
    assert response.status_code == 200
    assert response.get_json()["clientToken"] == "t"


def test_google_system_parameters_in_the_query_are_ignored(client, api_key):
    response = client.post(ANALYZE, json=CORAL_BODY,
                           query_string={"key": api_key, "alt": "json", "prettyPrint": "false"})
    assert response.status_code == 200


def test_body_without_json_content_type_is_still_read(client, api_key):
    import json

    response = client.post(ANALYZE, data=json.dumps(CORAL_BODY), query_string={"key": api_key},
                           content_type="text/plain")
    assert response.status_code == 200


# Coral Talk's feedback call (when "send feedback" is on), as Coral formats it.
CORAL_FEEDBACK = {
    "comment": {"text": "Thanks for the great article."},
    "context": {"entries": [{"text": '{"url": "https://news.example/a?commentID=c1", '
                                     '"Coral_comment_id": "c1"}'}]},
    "attributeScores": {"APPROVED": {"summaryScore": {"value": 1}}},
    "languages": ["en"],
    "communityId": "Coral:https://news.example",
    "clientToken": "comment:c1",
}


def test_coral_feedback_is_acknowledged_and_not_stored(app, client, api_key):
    from tests.perspective.test_perspective_privacy import rows_mentioning

    response = client.post("/v1alpha1/comments:suggestscore", json=CORAL_FEEDBACK,
                           query_string={"key": api_key})
    assert response.status_code == 200
    assert response.get_json() == {"requestedLanguages": ["en"], "clientToken": "comment:c1"}
    assert rows_mentioning(app, "Thanks for the great article.") == []


def test_feedback_needs_a_valid_key_and_a_comment(client, api_key):
    url = "/v1alpha1/comments:suggestscore"
    no_key = client.post(url, json=CORAL_FEEDBACK)
    assert no_key.status_code == 403
    assert no_key.get_json()["error"]["status"] == "PERMISSION_DENIED"
    empty = client.post(url, json={**CORAL_FEEDBACK, "comment": {"text": ""}},
                        query_string={"key": api_key})
    assert empty.get_json()["error"] == {"code": 400, "message": "Comment must be non-empty.",
                                         "status": "INVALID_ARGUMENT"}


def test_chinese_toxicity_is_scored_by_the_chinese_model(analyze):
    response = analyze({"comment": {"text": "这篇文章写得很好，谢谢作者的认真报道"},
                        "requestedAttributes": {"TOXICITY": {}}})
    assert response.status_code == 200
    data = response.get_json()
    assert data["detectedLanguages"] == ["zh"] and data["languages"] == ["zh"]
    assert 0.0 <= data["attributeScores"]["TOXICITY"]["summaryScore"]["value"] < 0.5


def test_labels_a_language_model_does_not_score_are_refused_by_name(analyze):
    response = analyze({"comment": {"text": "这篇文章写得很好，谢谢作者的认真报道"},
                        "requestedAttributes": {"TOXICITY": {}, "INSULT": {}}})
    assert response.status_code == 400
    assert response.get_json()["error"]["message"] == (
        "Attribute INSULT does not support request languages: zh")


def test_a_language_the_main_model_reads_keeps_every_attribute(app, analyze, tiny_models):
    """A main model that reads Turkish itself answers INSULT in Turkish; no n-gram model."""
    from moderation.extensions import scorer
    from moderation.scoring.detoxify_backend import DetoxifyScorer

    checkpoint, config_dir = tiny_models["benign"]
    scorer.override(app, DetoxifyScorer(checkpoint=checkpoint, config_dir=config_dir,
                                        languages=frozenset({"en", "tr"})))
    response = analyze({"comment": {"text": "Bu haber çok önemli, herkesin okuması gerekiyor"},
                        "requestedAttributes": {"TOXICITY": {}, "INSULT": {}}})
    assert response.status_code == 200
    assert set(response.get_json()["attributeScores"]) == {"TOXICITY", "INSULT"}
