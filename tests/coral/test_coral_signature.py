"""Coral's signature: only requests signed with the site's secret get an answer."""

from __future__ import annotations

from moderation.coral.secrets import set_coral_secret
from moderation.coral.signature import is_signed, sign
from tests.coral.conftest import SECRET, coral_bytes, coral_request

OLD = "ssec_previous_secret_0000000000"


def error_code(response, status: int) -> str:
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()["error"]["code"]


def test_missing_signature_is_refused(post_coral):
    assert error_code(post_coral(coral_request(), signature=None), 401) == "invalid_signature"


def test_signature_with_another_secret_is_refused(post_coral):
    raw = coral_bytes(coral_request())
    response = post_coral(raw, signature=sign("ssec_not_the_secret_000000", raw))
    assert error_code(response, 401) == "invalid_signature"


def test_body_changed_after_signing_is_refused(post_coral):
    raw = coral_bytes(coral_request())
    tampered = raw.replace(b"COMMENTER", b"ADMIN")
    assert error_code(post_coral(tampered, signature=sign(SECRET, raw)), 401) == \
        "invalid_signature"


def test_signature_of_the_parsed_then_reserialised_body_is_refused(post_coral):
    request = coral_request()
    compact = coral_bytes(request).replace(b"\n", b"").replace(b"  ", b"")
    response = post_coral(coral_bytes(request), signature=sign(SECRET, compact))
    assert error_code(response, 401) == "invalid_signature"


def test_other_schemes_do_not_count(post_coral):
    raw = coral_bytes(coral_request())
    digest = sign(SECRET, raw).split("=", 1)[1]
    assert error_code(post_coral(raw, signature=f"sha1={digest}"), 401) == "invalid_signature"


def test_rotation_header_with_several_signatures_is_accepted(post_coral):
    raw = coral_bytes(coral_request())
    header = f"{sign('ssec_rotated_out_000000000', raw)},{sign(SECRET, raw)}"
    assert post_coral(raw, signature=header).status_code == 200


def test_previous_secret_still_works_while_kept(app, post_coral):
    with app.app_context():
        set_coral_secret("news", OLD)
        set_coral_secret("news", SECRET, keep_previous=True)
    raw = coral_bytes(coral_request())
    assert post_coral(raw, signature=sign(OLD, raw)).status_code == 200
    with app.app_context():
        set_coral_secret("news", SECRET)  # rotation over: the old one stops working
    assert error_code(post_coral(raw, signature=sign(OLD, raw)), 401) == "invalid_signature"


def test_site_without_a_secret_is_refused(client, site):
    raw = coral_bytes(coral_request())
    response = client.post("/coral/moderation?site=news", data=raw,
                           headers={"X-Coral-Signature": sign(SECRET, raw)})
    assert error_code(response, 403) == "coral_not_configured"


def test_unknown_site_and_missing_site_are_refused(post_coral):
    assert error_code(post_coral(coral_request(), url="/coral/moderation?site=nope"), 404) == \
        "site_not_found"
    assert error_code(post_coral(coral_request(), url="/coral/moderation"), 422) == \
        "validation_failed"


def test_signed_but_malformed_requests_get_the_error_shape(post_coral):
    assert error_code(post_coral(b"[1, 2"), 400) == "invalid_json"
    assert error_code(post_coral(b"[]"), 400) == "invalid_json"
    assert error_code(post_coral(coral_bytes({"action": "DELETE"})), 422) == "validation_failed"


def test_is_signed_ignores_garbage_in_the_header():
    body = b"{}"
    assert not is_signed(body, "sha256=\udcff,,=,sha256=", [SECRET])
    assert not is_signed(body, "x" * 5000, [SECRET])
    assert is_signed(body, " sha256=" + sign(SECRET, body).split("=")[1].upper(), [SECRET])


def test_cli_sets_rotates_and_clears_the_secret(app, runner, site):
    result = runner.invoke(args=["moderation", "coral-secret", "news"],
                           env={"MODERATION_CORAL_SECRET": SECRET})
    assert result.exit_code == 0 and "1 Coral signing secret" in result.output
    result = runner.invoke(args=["moderation", "coral-secret", "news", "--keep-previous"],
                           env={"MODERATION_CORAL_SECRET": OLD})
    assert "2 Coral signing secret" in result.output
    result = runner.invoke(args=["moderation", "coral-secret", "news"],
                           env={"MODERATION_CORAL_SECRET": "short"})
    assert result.exit_code != 0 and "at least 16" in result.output
    result = runner.invoke(args=["moderation", "coral-secret", "news", "--clear"])
    assert result.exit_code == 0


def test_control_characters_in_ids_are_refused(post_coral):
    request = coral_request()
    request["story"]["id"] = "story\x00id"
    response = post_coral(request)
    assert error_code(response, 422) == "validation_failed"

