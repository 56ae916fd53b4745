"""Column types and helpers shared by the models."""

from datetime import UTC, datetime

from sqlalchemy import BigInteger, Integer

# SQLite only autoincrements INTEGER PRIMARY KEY; PostgreSQL gets a bigint.
BigId = BigInteger().with_variant(Integer(), "sqlite")


def utcnow() -> datetime:
    """Return the current UTC time as a naive datetime, the form stored in every table."""
    return datetime.now(UTC).replace(tzinfo=None)
