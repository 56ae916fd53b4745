"""The front page's browser tests reuse the widgets' live server and demo fixtures."""

from tests.widgets.conftest import demo, host, live_app, live_url  # noqa: F401
