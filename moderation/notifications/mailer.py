"""Sending one email through the configured SMTP server (host, port, TLS, login, sender)."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from flask import current_app


def build_message(to: str, subject: str, text: str, headers: dict | None = None) -> EmailMessage:
    """Return a plain-text message from the configured sender."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    return message


def send(message: EmailMessage) -> None:
    """Deliver a message to the SMTP server; raises smtplib/OSError errors to the caller."""
    config = current_app.config
    mode = (config["SMTP_TLS"] or "none").lower()
    host, port = config["SMTP_HOST"], int(config["SMTP_PORT"])
    context = ssl.create_default_context()
    if mode == "ssl":
        smtp = smtplib.SMTP_SSL(host, port, timeout=15, context=context)
    else:
        smtp = smtplib.SMTP(host, port, timeout=15)
    with smtp:
        if mode == "starttls":
            smtp.starttls(context=context)
        if config.get("SMTP_USER"):
            smtp.login(config["SMTP_USER"], config.get("SMTP_PASSWORD") or "")
        smtp.send_message(message)
