"""The site page says whether Coral's external moderation phase is connected."""

from __future__ import annotations

from moderation.coral.secrets import set_coral_secret

SECRET = "ssec_0123456789abcdefghijklmnop"


def test_site_page_shows_whether_coral_is_connected(app, admin_client, site):
    page = admin_client.get("/dashboard/admin/sites/news").get_data(as_text=True)
    assert "Coral external moderation phase:" in page and "not connected" in page
    with app.app_context():
        set_coral_secret("news", SECRET)
    page = admin_client.get("/dashboard/admin/sites/news").get_data(as_text=True)
    assert "connected (1 signing secret)" in page and SECRET not in page
    assert "/coral/moderation?site=news" in page
