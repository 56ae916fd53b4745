"""Who is asking: the client address and its salted hash."""

import hashlib
import hmac

from flask import current_app, request


def client_address() -> str:
    """Return the client's address as the WSGI server (after configured proxy hops) saw it."""
    # X-Forwarded-For is never read here: ProxyFix rewrites remote_addr only when
    # PROXY_HOPS is set, so a client cannot choose its own rate-limit key.
    return request.remote_addr or "unknown"


def hash_value(value: str, purpose: str) -> str:
    """Return a salted, keyed hash of a value so the raw value is never stored."""
    salt = current_app.config["SECRET_KEY"].encode()
    return hmac.new(salt, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def client_hash() -> str:
    """Return the salted hash of the client's address."""
    return hash_value(client_address(), "client")


def email_hash(email: str | None) -> str | None:
    """Return the salted hash of a normalised email address, or None."""
    if not email:
        return None
    return hash_value(email.strip().lower(), "email")
