"""Per-language toxicity models: logistic regression on character and word n-grams.

The analyzer here is the one training fits the vocabulary with, so serving and
training cut text into the same features by construction. Only numpy is needed
to serve; the weights are plain arrays in a .npz file, never a pickle.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# Mentions, links and retweet marks carry who and where, not how a comment speaks.
_NOISE = re.compile(r"@\w+|https?://\S+|\brt\b", re.IGNORECASE)
_WORD = re.compile(r"\w+")
CHAR_SIZES = (1, 2, 3, 4, 5)
# Hangul syllables and the initial consonant each one starts with (Unicode's own order).
_HANGUL_FIRST, _HANGUL_COUNT, _SYLLABLES_PER_INITIAL = 0xAC00, 11172, 588
_INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
# Long comments are cut here: the features of a 100,000-character text add nothing
# a few thousand characters do not, and would cost a second of CPU.
MAX_CHARS = 5000


def _runs(marker: str, word: str, sizes) -> list[str]:
    """Return the character runs of a word padded with spaces, each tagged with marker."""
    padded = f" {word} "
    return [marker + padded[i : i + size]
            for size in sizes for i in range(len(padded) - size + 1)]


def _hangul_features(word: str) -> list[str]:
    """Return runs of a Korean word's initial consonants and of its letters (jamo).

    Korean abuse is often typed as initial consonants alone ("ㅅㅂ" for "시발"), and
    inflected forms share letters but not whole syllables; syllable runs see neither.
    """
    initials = "".join(
        _INITIALS[(ord(ch) - _HANGUL_FIRST) // _SYLLABLES_PER_INITIAL]
        if 0 <= ord(ch) - _HANGUL_FIRST < _HANGUL_COUNT else ch
        for ch in word
    )
    if initials == word:
        return []
    return _runs("", initials, (2, 3, 4)) + _runs("d", unicodedata.normalize("NFD", word),
                                                    (2, 3, 4, 5))


def analyze(text: str) -> list[str]:
    """Return the n-gram features of text: words, word pairs and in-word character runs."""
    words = _WORD.findall(_NOISE.sub(" ", text[:MAX_CHARS]).lower())
    features = [f"w {word}" for word in words]
    features += [f"w {a} {b}" for a, b in zip(words, words[1:], strict=False)]
    for word in words:
        features += _runs("", word, CHAR_SIZES)
        features += _hangul_features(word)
    return features


def feature_hash(feature: str) -> int:
    """Return a stable 63-bit hash of a feature; the vocabulary is stored as these."""
    digest = hashlib.blake2b(feature.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little") >> 1  # fits numpy's int64


@dataclass
class NgramModel:
    """One language's toxicity model: hashed vocabulary, idf, weights and its thresholds.

    The vocabulary is a sorted array of feature hashes, with idf and weights in the same
    order: 1 MB a language where a dict of 120,000 strings took about 17 MB.
    """

    language: str
    hashes: object  # sorted numpy int64 array
    idf: object  # numpy array, in the order of hashes
    weights: object  # numpy array, in the order of hashes
    intercept: float
    thresholds: dict  # {"approve": {"toxicity": x}, "reject": {"toxicity": y}}
    metrics: dict

    @classmethod
    def from_vocabulary(cls, language: str, vocabulary: dict[str, int], idf, weights,
                        intercept: float) -> NgramModel:
        """Build a model from a fitted vocabulary (feature -> column) and its arrays."""
        import numpy as np

        columns = np.fromiter(vocabulary.values(), dtype=np.int64, count=len(vocabulary))
        hashes = np.fromiter((feature_hash(f) for f in vocabulary), dtype=np.int64,
                             count=len(vocabulary))
        order = np.argsort(hashes)
        if len(np.unique(hashes)) != len(hashes):
            raise ValueError("two features share a hash; change the hash")
        return cls(language, hashes[order], np.asarray(idf)[columns[order]],
                   np.asarray(weights)[columns[order]], intercept, {}, {})

    @property
    def model_id(self) -> str:
        """Return the id stored with the comments this model scored."""
        return f"ngrams-{self.language}-{self.metrics.get('version', 1)}"

    def score_one(self, text: str) -> float:
        """Return the probability that text is toxic."""
        import numpy as np

        counts: dict[int, int] = {}
        for feature in analyze(text):
            key = feature_hash(feature)
            counts[key] = counts.get(key, 0) + 1
        keys = np.fromiter(counts, dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        where = np.searchsorted(self.hashes, keys).clip(0, max(len(self.hashes) - 1, 0))
        known = self.hashes[where] == keys if len(self.hashes) else np.zeros(0, bool)
        if not known.any():
            return 1.0 / (1.0 + math.exp(-self.intercept))
        index = where[known]
        # Sublinear tf times idf, then unit length: what TfidfVectorizer did in training.
        values = (1.0 + np.log(tf[known])) * self.idf[index]
        values /= np.linalg.norm(values) or 1.0
        logit = self.intercept + float(values @ self.weights[index])
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, logit))))

    def score(self, texts: list[str]) -> list[dict[str, float]]:
        """Return {"toxicity": p} per text; this model scores no other label."""
        return [{"toxicity": self.score_one(text)} for text in texts]


def save_ngram_model(path: Path, model: NgramModel) -> None:
    """Write a model as arrays plus JSON metadata in one .npz file."""
    import numpy as np

    meta = {"language": model.language, "intercept": model.intercept,
            "thresholds": model.thresholds, "metrics": model.metrics}
    np.savez_compressed(
        path,
        hashes=np.asarray(model.hashes, dtype=np.int64),
        idf=np.asarray(model.idf, dtype=np.float16),
        weights=np.asarray(model.weights, dtype=np.float16),
        meta=np.array(json.dumps(meta, sort_keys=True)),
    )


def load_ngram_model(path: Path) -> NgramModel:
    """Read a model written by save_ngram_model; refuses pickled objects."""
    import numpy as np

    with np.load(path, allow_pickle=False) as data:
        meta = json.loads(str(data["meta"]))
        return NgramModel(
            language=meta["language"],
            hashes=data["hashes"],
            idf=data["idf"].astype(np.float32),
            weights=data["weights"].astype(np.float32),
            intercept=float(meta["intercept"]),
            thresholds=meta["thresholds"],
            metrics=meta["metrics"],
        )


LANGUAGE_WEIGHTS_DIR = Path(__file__).parent / "weights" / "languages"
_models: dict[tuple[Path, str], NgramModel] = {}
_models_lock = threading.Lock()


def language_model(language: str, folder: Path = LANGUAGE_WEIGHTS_DIR) -> NgramModel | None:
    """Return the shipped model of one language, loaded on its first comment; None if none."""
    key = (Path(folder), language)
    if key not in _models:
        if language not in scored_languages(Path(folder)):
            return None
        with _models_lock:
            if key not in _models:
                _models[key] = load_ngram_model(Path(folder) / f"{language}.npz")
    return _models[key]


def language_models(folder: Path = LANGUAGE_WEIGHTS_DIR) -> dict[str, NgramModel]:
    """Return every shipped per-language model by language code."""
    return {code: language_model(code, folder)
            for code in sorted(scored_languages(Path(folder)))}


@lru_cache(maxsize=8)
def scored_languages(folder: Path = LANGUAGE_WEIGHTS_DIR) -> frozenset[str]:
    """Return the languages a shipped model scores, without loading the weights.

    Cached: routing asks for every comment, and shipped weights do not change while a
    process runs.
    """
    if not Path(folder).is_dir():
        return frozenset()
    return frozenset(path.stem for path in Path(folder).glob("*.npz"))
