"""The links in notification emails: confirm a subscription, unsubscribe (RFC 8058 one-click)."""

from __future__ import annotations

from flask import current_app, request

from moderation.notifications import bp
from moderation.notifications.subscriptions import confirm, unsubscribe

PAGES = {
    "confirm": ("Confirm reply notifications", "Confirm", "You will get an email when someone "
                "replies in this discussion, at most one an hour."),
    "unsubscribe": ("Stop reply notifications", "Unsubscribe", "You will get no more emails "
                    "about this discussion, and your address is deleted."),
}


def _page(kind: str, *, done: bool | None = None, status: int = 200):
    title, button, outcome = PAGES[kind]
    html = current_app.jinja_env.get_template("notifications/page.html").render(
        title=title, button=button, outcome=outcome, done=done,
        token=request.args.get("token", ""))
    headers = {"Cache-Control": "no-store", "X-Frame-Options": "DENY",
               "Referrer-Policy": "no-referrer"}
    return html, status, headers


# GET only shows a button: mail scanners open links, and must not confirm or unsubscribe.
@bp.get("/confirm")
def confirm_page():
    """Show the button that confirms a subscription."""
    return _page("confirm")


@bp.post("/confirm")
def confirm_post():
    """Confirm the subscription named by the link's token."""
    ok = confirm(request.args.get("token", ""))
    return _page("confirm", done=ok, status=200 if ok else 400)


@bp.get("/unsubscribe")
def unsubscribe_page():
    """Show the button that ends a subscription."""
    return _page("unsubscribe")


@bp.post("/unsubscribe")
def unsubscribe_post():
    """End the subscription: from the page's button, or a mail client's one-click POST."""
    ok = unsubscribe(request.args.get("token", ""))
    return _page("unsubscribe", done=ok, status=200 if ok else 400)
