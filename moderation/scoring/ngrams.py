"""Per-language toxicity models: logistic regression on character and word n-grams.

The analyzer here is the one training fits the vocabulary with, so serving and
training cut text into the same features by construction. Only numpy is needed
to serve; the weights are plain arrays in a .npz file, never a pickle.
"""

from __future__ import annotations

import json
import math
import re
import threading
from dataclasses import dataclass
from pathlib import Path

# Mentions, links and retweet marks carry who and where, not how a comment speaks.
_NOISE = re.compile(r"@\w+|https?://\S+|\brt\b", re.IGNORECASE)
_WORD = re.compile(r"\w+")
CHAR_SIZES = (1, 2, 3, 4, 5)
# Long comments are cut here: the features of a 100,000-character text add nothing
# a few thousand characters do not, and would cost a second of CPU.
MAX_CHARS = 5000


def analyze(text: str) -> list[str]:
    """Return the n-gram features of text: words, word pairs and in-word character runs."""
    words = _WORD.findall(_NOISE.sub(" ", text[:MAX_CHARS]).lower())
    features = [f"w {word}" for word in words]
    features += [f"w {a} {b}" for a, b in zip(words, words[1:], strict=False)]
    for word in words:
        padded = f" {word} "
        for size in CHAR_SIZES:
            features += [padded[i : i + size] for i in range(len(padded) - size + 1)]
    return features


@dataclass
class NgramModel:
    """One language's toxicity model: vocabulary, idf, weights and its thresholds."""

    language: str
    vocabulary: dict[str, int]
    idf: object  # numpy array
    weights: object  # numpy array
    intercept: float
    thresholds: dict  # {"approve": {"toxicity": x}, "reject": {"toxicity": y}}
    metrics: dict

    @property
    def model_id(self) -> str:
        """Return the id stored with the comments this model scored."""
        return f"ngrams-{self.language}-{self.metrics.get('version', 1)}"

    def score_one(self, text: str) -> float:
        """Return the probability that text is toxic."""
        counts: dict[int, int] = {}
        for feature in analyze(text):
            index = self.vocabulary.get(feature)
            if index is not None:
                counts[index] = counts.get(index, 0) + 1
        if not counts:
            return 1.0 / (1.0 + math.exp(-self.intercept))
        indices = list(counts)
        # Sublinear tf times idf, then unit length: what TfidfVectorizer did in training.
        values = [(1.0 + math.log(counts[i])) * float(self.idf[i]) for i in indices]
        norm = math.sqrt(sum(v * v for v in values)) or 1.0
        logit = self.intercept + sum(
            v / norm * float(self.weights[i]) for v, i in zip(values, indices, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, logit))))

    def score(self, texts: list[str]) -> list[dict[str, float]]:
        """Return {"toxicity": p} per text; this model scores no other label."""
        return [{"toxicity": self.score_one(text)} for text in texts]


def save_ngram_model(path: Path, model: NgramModel) -> None:
    """Write a model as arrays plus JSON metadata in one .npz file."""
    import numpy as np

    terms = sorted(model.vocabulary, key=model.vocabulary.get)
    meta = {"language": model.language, "intercept": model.intercept,
            "thresholds": model.thresholds, "metrics": model.metrics}
    np.savez_compressed(
        path,
        terms=np.array("\n".join(terms)),
        idf=np.asarray(model.idf, dtype=np.float16),
        weights=np.asarray(model.weights, dtype=np.float16),
        meta=np.array(json.dumps(meta, sort_keys=True)),
    )


def load_ngram_model(path: Path) -> NgramModel:
    """Read a model written by save_ngram_model; refuses pickled objects."""
    import numpy as np

    with np.load(path, allow_pickle=False) as data:
        terms = str(data["terms"]).split("\n")
        meta = json.loads(str(data["meta"]))
        return NgramModel(
            language=meta["language"],
            vocabulary={term: i for i, term in enumerate(terms)},
            idf=data["idf"].astype(np.float32),
            weights=data["weights"].astype(np.float32),
            intercept=float(meta["intercept"]),
            thresholds=meta["thresholds"],
            metrics=meta["metrics"],
        )


LANGUAGE_WEIGHTS_DIR = Path(__file__).parent / "weights" / "languages"
_models: dict[Path, dict[str, NgramModel]] = {}
_models_lock = threading.Lock()


def language_models(folder: Path = LANGUAGE_WEIGHTS_DIR) -> dict[str, NgramModel]:
    """Return the shipped per-language models by language code, loaded once per process."""
    if folder not in _models:
        with _models_lock:
            if folder not in _models:
                paths = sorted(Path(folder).glob("*.npz")) if Path(folder).is_dir() else []
                loaded = [load_ngram_model(path) for path in paths]
                _models[folder] = {model.language: model for model in loaded}
    return _models[folder]


def scored_languages(folder: Path = LANGUAGE_WEIGHTS_DIR) -> frozenset[str]:
    """Return the languages a shipped model scores, without loading the weights."""
    if not Path(folder).is_dir():
        return frozenset()
    return frozenset(path.stem for path in Path(folder).glob("*.npz"))
