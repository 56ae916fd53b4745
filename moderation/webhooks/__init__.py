"""Signed webhooks: per-site endpoints, the outbox written with each decision, the deliverer."""
