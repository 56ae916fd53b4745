"""Cookie sessions for the dashboard and pages, and none for the public JSON API.

The API authenticates with headers only (API keys, reader tokens) and is CSRF-exempt, so it
never needs the cookie session. Skipping it spares every widget request the cookie's
signing setup, and keeps `Vary: Cookie` off answers that browsers and CDNs may share.
"""

from __future__ import annotations

from flask import Flask
from flask.sessions import SecureCookieSessionInterface

API_PREFIX = "/api/"


class PublicApiSessionInterface(SecureCookieSessionInterface):
    """The signed-cookie session everywhere but under /api/, where it is a null session."""

    def open_session(self, app: Flask, request):
        """Open the cookie session, or hand the API a null session that reads as empty."""
        if request.path.startswith(API_PREFIX):
            return self.make_null_session(app)
        return super().open_session(app, request)

    def save_session(self, app: Flask, session, response) -> None:
        """Write the cookie session back; the API's null session has nothing to write."""
        if self.is_null_session(session):
            return
        super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    """Use the session interface above."""
    app.session_interface = PublicApiSessionInterface()
