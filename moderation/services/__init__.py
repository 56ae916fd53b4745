"""The comment lifecycle and the review queue: the services that own their transactions."""
