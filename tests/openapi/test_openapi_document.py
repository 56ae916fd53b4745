"""The OpenAPI documents: valid 3.1, complete, and rendered for people without scripts."""

from __future__ import annotations

from openapi_spec_validator import validate

from moderation.openapi.document import openapi_path

DOCUMENTED_PREFIXES = ("/api/v1/", "/coral/")


def test_api_document_is_valid_openapi_3_1(client):
    document = client.get("/api/v1/openapi.json").get_json()
    validate(document)
    assert document["openapi"] == "3.1.0"


def test_perspective_document_is_valid_and_google_shaped(client):
    document = client.get("/v1alpha1/openapi.json").get_json()
    validate(document)
    assert set(document["paths"]) == {"/v1alpha1/comments:analyze",
                                      "/v1alpha1/comments:suggestscore"}
    assert "status" in document["components"]["schemas"]["GoogleErrorDetail"]["properties"]


def test_every_public_route_and_method_is_documented(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(DOCUMENTED_PREFIXES) or rule.endpoint.startswith("openapi."):
            continue
        path, _ = openapi_path(rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            operation = document["paths"][path][method.lower()]
            assert "503" in operation["responses"], (path, method)


def test_every_error_answer_refers_to_the_one_error_shape(client):
    document = client.get("/api/v1/openapi.json").get_json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if int(status) >= 400:
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/Error"}, (path, method)


def test_reading_routes_document_their_answers(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    thread = paths["/api/v1/sites/{site}/articles/{article}/comments"]
    assert set(thread["get"]["responses"]) >= {"200", "304", "404", "422", "503"}
    assert set(thread["post"]["responses"]) >= {"201", "202", "400", "409", "413", "415",
                                                "422", "429"}
    coral = paths["/coral/moderation"]["post"]
    assert set(coral["responses"]) >= {"200", "204", "401", "403"}


def test_reference_page_renders_both_documents_without_scripts(client):
    response = client.get("/api/v1/docs")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "<script" not in page and "http://" not in page.split("<body>")[0]
    assert "/coral/moderation" in page and "/v1alpha1/comments:analyze" in page


def test_openapi_path_converts_every_converter():
    path, parameters = openapi_path("/sites/<site>/comments/<id:comment_id>/<path:rest>")
    assert path == "/sites/{site}/comments/{comment_id}/{rest}"
    assert [p["schema"]["type"] for p in parameters] == ["string", "integer", "string"]
