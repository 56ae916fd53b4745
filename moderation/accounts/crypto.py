"""Personal data at rest: Fernet encryption keyed from the settings, keyed hashes for lookups."""

from __future__ import annotations

import base64
import functools

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

from moderation.clients import email_hash


@functools.lru_cache(maxsize=8)
def _fernet(keys: str | None, secret_key: str) -> MultiFernet:
    """Return the cipher of EMAIL_ENCRYPTION_KEY (newest first), else one from SECRET_KEY."""
    if keys:
        return MultiFernet([Fernet(key.strip().encode()) for key in keys.split(",") if key.strip()])
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                   info=b"moderation personal data").derive(secret_key.encode())
    return MultiFernet([Fernet(base64.urlsafe_b64encode(derived))])


def cipher() -> MultiFernet:
    """Return the current app's cipher."""
    config = current_app.config
    return _fernet(config.get("EMAIL_ENCRYPTION_KEY"), config["SECRET_KEY"])


def encrypt(value: str) -> str:
    """Return the ciphertext of a value, as text."""
    return cipher().encrypt(value.encode()).decode()


def decrypt(token: str | None) -> str | None:
    """Return the plain value of a ciphertext, or None when absent or unreadable."""
    if not token:
        return None
    try:
        return cipher().decrypt(token.encode()).decode()
    except InvalidToken:
        return None


def normalise_email(email: str) -> str:
    """Return the form of an address that is hashed and stored."""
    return email.strip().lower()


def email_lookup(email: str) -> str:
    """Return the keyed hash an address is looked up by."""
    return email_hash(normalise_email(email))
