"""Perspective client libraries from PyPI, pointed at this service, get working answers."""

from __future__ import annotations

import json
from pathlib import Path

import httplib2
import perspective
import pytest
from googleapiclient import discovery, errors

from tests.live_server import serve

DISCOVERY = Path(__file__).with_name("commentanalyzer_v1alpha1.json")


@pytest.fixture
def base_url(app, site):
    with serve(app) as url:
        yield url


def test_googles_python_client_with_a_custom_endpoint(base_url, api_key):
    """Perspective's own Python sample: googleapiclient, here with client_options api_endpoint."""
    client = discovery.build_from_document(
        json.loads(DISCOVERY.read_text()), developerKey=api_key, http=httplib2.Http(),
        client_options={"api_endpoint": base_url + "/"},
    )
    response = client.comments().analyze(body={
        "comment": {"text": "friendly greetings from python"},
        "requestedAttributes": {"TOXICITY": {}},
    }).execute()
    assert response["attributeScores"]["TOXICITY"]["summaryScore"]["type"] == "PROBABILITY"


def test_googles_python_client_raises_http_error_with_googles_body(base_url):
    client = discovery.build_from_document(
        json.loads(DISCOVERY.read_text()), developerKey="mk_wrong", http=httplib2.Http(),
        client_options={"api_endpoint": base_url + "/"},
    )
    with pytest.raises(errors.HttpError) as caught:
        client.comments().analyze(body={"comment": {"text": "hi"},
                                        "requestedAttributes": {"TOXICITY": {}}}).execute()
    assert caught.value.status_code == 403
    assert caught.value.reason == "API key not valid. Please pass a valid API key."


def test_perspective_package_with_its_url_pointed_here(base_url, api_key):
    """The `perspective` package keeps its endpoint in api_client.url (no option for it)."""
    client = perspective.PerspectiveAPI(api_key)
    client.api_client.url = base_url + "/v1alpha1/{endpoint}"
    scores = client.score("you are a good reporter", tests=["TOXICITY", "INSULT"])
    assert set(scores) == {"TOXICITY", "INSULT"}
    assert all(0.0 <= value <= 1.0 for value in scores.values())
