"""Load the shared labelled comment sets and map them onto Detoxify's six labels.

Each example carries a target per label or ``None`` where no rater judged that
label. A subtype label is set to 0 on a comment the raters found not toxic,
because every subtype (insult, threat, ...) is a kind of toxicity; that is
entailed by the rating, not invented.
"""

from __future__ import annotations

import ast
import csv
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from moderation.scoring.base import LABELS

SPLITS = ("train", "calibration", "test")
# Shares of each source that go to calibration and test; the rest trains.
CALIBRATION_SHARE = 0.12
TEST_SHARE = 0.2

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


@dataclass
class Example:
    """One comment (or comment fragment) with per-label targets."""

    text: str
    source: str
    group: str  # the id of the parent comment; fragments share their parent's split
    targets: dict[str, float | None]
    weight: float = 1.0
    kind: str = "comment"  # "comment", "span" or "remainder"
    meta: dict = field(default_factory=dict)

    @property
    def toxic(self) -> bool:
        """Tell whether the raters' majority found this text toxic."""
        return (self.targets.get("toxicity") or 0.0) >= 0.5


def _targets(**given: float | None) -> dict[str, float | None]:
    """Return a full label dict; subtypes of a clean comment are entailed zeros."""
    targets = {label: given.get(label) for label in LABELS}
    if targets["toxicity"] is not None and targets["toxicity"] < 0.5:
        for label in LABELS[1:]:
            if targets[label] is None:
                targets[label] = 0.0
    return targets


def text_group(source: str, text: str) -> str:
    """Return a split group keyed by the text, so a comment found in two sets shares a split."""
    return f"{source}:" + hashlib.sha256(" ".join(text.lower().split()).encode()).hexdigest()[:16]


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def load_davidson(data_dir: Path) -> list[Example]:
    """Tweets; toxicity is the share of raters who said hate or offensive."""
    examples = []
    for row in _read_csv(data_dir / "davidson" / "labeled_data.csv"):
        count = int(row["count"])
        hate = int(row["hate_speech"]) / count
        offensive = int(row["offensive_language"]) / count
        cls = int(row["class"])
        examples.append(
            Example(
                text=row["tweet"],
                source="davidson",
                group=f"davidson:{row['']}",
                # Davidson's hate speech targets a group, which is Detoxify's identity_attack.
                targets=_targets(toxicity=hate + offensive, identity_attack=hate),
                meta={"class": cls},
            )
        )
    return examples


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    """Return (start, end) offsets of the sentences in text."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def load_toxic_spans(data_dir: Path, *, remainder_weight: float = 0.5) -> list[Example]:
    """News comments rated toxic, plus their toxic and non-toxic sentences.

    The set has no clean rows, so sentences that hold no marked toxic character
    become weak clean examples in the same news style; that teaches the model
    which words carry the toxicity rather than which topics do.
    """
    examples = []
    for row in _read_csv(data_dir / "toxic_spans" / "tsd_train.csv"):
        text, offsets = row["text"], set(ast.literal_eval(row["spans"]))
        group = text_group("news", text)
        words = sorted({_word_at(text, i) for i in offsets} - {""})
        examples.append(
            Example(text, "toxic_spans", group, _targets(toxicity=1.0), meta={"toxic_words": words})
        )
        if not offsets:
            continue  # raters found it toxic but marked no words: no sentence to trust
        sentences = _sentence_spans(text)
        if len(sentences) < 2:
            continue
        for start, end in sentences:
            sentence = text[start:end].strip()
            if len(sentence.split()) < 4:
                continue
            if any(start <= i < end for i in offsets):
                examples.append(
                    Example(sentence, "toxic_spans", group, _targets(toxicity=1.0), kind="span")
                )
            else:
                examples.append(
                    Example(
                        sentence,
                        "toxic_spans",
                        group,
                        _targets(toxicity=0.0),
                        weight=remainder_weight,
                        kind="remainder",
                    )
                )
    return examples


def _word_at(text: str, index: int) -> str:
    """Return the alphabetic word around a character offset, lower-cased."""
    if index >= len(text) or not text[index].isalpha():
        return ""
    start = index
    while start > 0 and text[start - 1].isalpha():
        start -= 1
    end = index
    while end < len(text) and text[end].isalpha():
        end += 1
    return text[start:end].lower()


def load_wikipedia_talk(data_dir: Path) -> list[Example]:
    """Wikipedia talk-page comments with a majority toxic flag."""
    rows = _read_csv(data_dir / "wikipedia_talk" / "toxicity_nonfuzzed_testset.csv")
    return [
        Example(
            row["comment"],
            "wikipedia_talk",
            f"wikipedia_talk:{row['rev_id']}",
            _targets(toxicity=1.0 if row["toxic"] == "True" else 0.0),
        )
        for row in rows
    ]


def load_conversationai(data_dir: Path) -> list[Example]:
    """Wikipedia comments with rater shares for four subtypes.

    Raters judged only the subtypes; toxicity is their majority on any subtype,
    since each subtype is a kind of toxicity in the Jigsaw taxonomy.
    """
    examples = []
    for row in _read_csv(data_dir / "conversationai_sample" / "aggregated_majority.csv"):
        shares = {
            "identity_attack": float(row["identity_hate"]),
            "obscene": float(row["obscene"]),
            "threat": float(row["threat"]),
            "insult": float(row["insult"]),
        }
        examples.append(
            Example(
                row["comment_text"],
                "conversationai",
                f"conversationai:{row['_unit_id']}",
                _targets(toxicity=float(row["any_maj"]), **shares),
            )
        )
    return examples


def load_jigsaw(data_dir: Path) -> list[Example]:
    """Jigsaw challenge rows with all six labels; unlabelled (-1) rows are skipped."""
    names = {
        "toxicity": "toxic",
        "severe_toxicity": "severe_toxic",
        "obscene": "obscene",
        "threat": "threat",
        "insult": "insult",
        "identity_attack": "identity_hate",
    }
    examples = []
    for file in ("train.csv", "test.csv"):
        for row in _read_csv(data_dir / "jigsaw_dummy" / file):
            if row["toxic"] == "-1":
                continue
            targets = {label: float(row[column]) for label, column in names.items()}
            examples.append(Example(row["comment_text"], "jigsaw", f"jigsaw:{row['id']}", targets))
    return examples


def load_cold(data_dir: Path, file: str = "train.csv") -> list[Example]:
    """Chinese comments labelled offensive or safe (toxicity only)."""
    return [
        Example(
            row["TEXT"],
            "cold",
            f"cold:{file}:{row['']}",
            _targets(toxicity=float(row["label"])),
            meta={"topic": row["topic"]},
        )
        for row in _read_csv(data_dir / "cold" / file)
    ]


ENGLISH_LOADERS = (
    load_davidson,
    load_toxic_spans,
    load_wikipedia_talk,
    load_conversationai,
    load_jigsaw,
)


def load_all(data_dir: Path) -> list[Example]:
    """Load every English set, and the templated training sentences."""
    # Late: both modules build on this one's Example and loaders.
    from moderation.training.attack_templates import load_attacks
    from moderation.training.contrast_templates import load_contrast
    from moderation.training.further_sets import FURTHER_LOADERS
    from moderation.training.threat_templates import load_templated

    examples = []
    for loader in ENGLISH_LOADERS + FURTHER_LOADERS:
        examples.extend(loader(Path(data_dir)))
    examples.extend(load_templated())
    examples.extend(load_contrast())
    examples.extend(load_attacks())
    return examples


def split_of(example: Example, seed: int) -> str:
    """Return the fixed split of an example, decided by a hash of its parent comment."""
    digest = hashlib.sha256(f"{seed}:{example.group}".encode()).digest()
    fraction = int.from_bytes(digest[:8], "big") / 2**64
    if fraction < TEST_SHARE:
        return "test"
    if fraction < TEST_SHARE + CALIBRATION_SHARE:
        return "calibration"
    return "train"


def split_examples(examples: list[Example], seed: int) -> dict[str, list[Example]]:
    """Group examples into train, calibration and test splits."""
    splits: dict[str, list[Example]] = {name: [] for name in SPLITS}
    for example in examples:
        splits[split_of(example, seed)].append(example)
    return splits

