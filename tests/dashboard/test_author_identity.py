"""The queue says what an author's history is matched on, and warns before a wide device ban."""

from __future__ import annotations

from tests.factories import make_comment

OFFICE = "o" * 64


def test_queue_warns_before_a_ban_by_device_covers_other_names(app, site, mod_client):
    with app.app_context():
        make_comment(author="Ann", client_hash=OFFICE)
        make_comment(author="Bob", client_hash=OFFICE)
        make_comment(author="Cat", client_hash=OFFICE)
    page = mod_client.get("/dashboard/").get_data(as_text=True)
    assert "would also cover 2 other names seen on this device or network" in page
    assert "matched on device and network only" in page
