"""The contract every toxicity scorer meets."""

from typing import Protocol

# Detoxify's six labels, in Detoxify's own names.
LABELS: tuple[str, ...] = (
    "toxicity",
    "severe_toxicity",
    "obscene",
    "threat",
    "insult",
    "identity_attack",
)


class ScorerUnavailable(RuntimeError):
    """Raised when a scorer cannot load or cannot answer in time."""


class Scorer(Protocol):
    """Score texts; one dict of label -> probability per text, in input order."""

    model_id: str
    languages: frozenset[str]

    def score(self, texts: list[str]) -> list[dict[str, float]]: ...
