"""Load the non-English labelled sets as (text, toxic or not) per language.

Each set's own labels are mapped onto one binary "toxic" target; nothing else is
inferred. The mappings, per set:
- GermEval 2018 (de): OFFENSE -> toxic, OTHER -> clean.
- IWG refugee tweets (de): toxic when either expert said hate speech.
- ToLD-Br (pt): toxic when any rater flagged any category (the set's binary reading).
- OffensEval 2020 Turkish and DKhate Danish: OFF -> toxic, NOT -> clean.
- MLMA (fr, ar): toxic when offensive, hateful, abusive or disrespectful is among the
  annotated sentiments; "normal" or "fearful" alone is clean.
- BEEP! (ko): hate or offensive -> toxic, none -> clean. K-MHaS (ko): label 8 -> clean.
- COLD (zh): label 1 -> toxic. SWSR (zh): sexist -> toxic.
"""

from __future__ import annotations

import csv
import sys
from dataclasses import dataclass
from pathlib import Path

from moderation.training.datasets import split_of, text_group


@dataclass(frozen=True)
class LabelledText:
    """One comment in a language other than English, with its mapped label."""

    text: str
    toxic: bool
    source: str
    language: str

    @property
    def group(self) -> str:
        """Return the split group; identical texts share a split."""
        return text_group(self.source, self.text)


def _rows(path: Path, **options) -> list[dict]:
    csv.field_size_limit(sys.maxsize)
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle, **options))


def _tsv(path: Path) -> list[dict]:
    return _rows(path, delimiter="\t", quoting=csv.QUOTE_NONE)


def load_german(data_dir: Path) -> list[LabelledText]:
    """GermEval 2018 tweets and the IWG refugee tweets."""
    texts = []
    with (data_dir / "germeval2018" / "germeval2018.training.txt").open(encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2:
                texts.append(LabelledText(parts[0], parts[1] == "OFFENSE", "germeval", "de"))
    for row in _rows(data_dir / "iwg_refugees_de" / "german_hatespeech_refugees.csv"):
        toxic = "YES" in (row["HatespeechOrNot (Expert 1)"], row["HatespeechOrNot (Expert 2)"])
        texts.append(LabelledText(row["Tweet"], toxic, "iwg_refugees", "de"))
    return texts


def load_portuguese(data_dir: Path) -> list[LabelledText]:
    """ToLD-Br tweets."""
    categories = ("homophobia", "obscene", "insult", "racism", "misogyny", "xenophobia")
    return [
        LabelledText(row["text"], sum(float(row[c]) for c in categories) > 0, "told_br", "pt")
        for row in _rows(data_dir / "told_br" / "ToLD-BR.csv")
    ]


def load_offenseval(data_dir: Path, folder: str, file: str, source: str,
                    language: str) -> list[LabelledText]:
    """An OffensEval 2020 training file: OFF or NOT per tweet."""
    return [
        LabelledText(row["tweet"], row["subtask_a"] == "OFF", source, language)
        for row in _tsv(data_dir / folder / file)
    ]


def load_mlma(data_dir: Path, language: str) -> list[LabelledText]:
    """MLMA tweets in French or Arabic."""
    toxic = {"offensive", "hateful", "abusive", "disrespectful"}
    return [
        LabelledText(row["tweet"], bool(set(row["sentiment"].split("_")) & toxic),
                     f"mlma_{language}", language)
        for row in _rows(data_dir / "mlma_hate_speech" / f"{language}_dataset.csv")
    ]


def load_korean(data_dir: Path) -> list[LabelledText]:
    """BEEP! and K-MHaS news comments."""
    texts = [
        LabelledText(row["comments"], row["hate"] != "none", "beep", "ko")
        for row in _tsv(data_dir / "korean_hate_speech_beep" / "train.tsv")
    ]
    texts += [
        LabelledText(row["document"], row["label"].strip() != "8", "kmhas", "ko")
        for row in _rows(data_dir / "kmhas_korean" / "kmhas_test.txt", delimiter="\t")
    ]
    return texts


def load_chinese(data_dir: Path) -> list[LabelledText]:
    """COLD's training file and SWSR; COLD's dev file is kept as an outside check."""
    texts = [
        LabelledText(row["TEXT"], row["label"] == "1", "cold", "zh")
        for row in _rows(data_dir / "cold" / "train.csv")
    ]
    texts += [
        LabelledText(row["comment_text"], row["label"] == "1", "swsr", "zh")
        for row in _rows(data_dir / "swsr_chinese_sexism" / "SexComment.csv")
    ]
    return texts


def load_language(data_dir: Path, language: str) -> list[LabelledText]:
    """Return every labelled comment of one language."""
    data_dir = Path(data_dir)
    loaders = {
        "de": lambda: load_german(data_dir),
        "pt": lambda: load_portuguese(data_dir),
        "tr": lambda: load_offenseval(data_dir, "offenseval2020_tr",
                                      "offenseval-tr-training-v1.tsv", "offenseval_tr", "tr"),
        "da": lambda: load_offenseval(data_dir, "dkhate_da", "offenseval-da-training-v1.tsv",
                                      "dkhate", "da"),
        "fr": lambda: load_mlma(data_dir, "fr"),
        "ar": lambda: load_mlma(data_dir, "ar"),
        "ko": lambda: load_korean(data_dir),
        "zh": lambda: load_chinese(data_dir),
    }
    return [t for t in loaders[language]() if t.text.strip()]


LANGUAGES = ("de", "pt", "tr", "da", "fr", "ar", "ko", "zh")


def split_texts(texts: list[LabelledText], seed: int) -> dict[str, list[LabelledText]]:
    """Group texts into train, calibration and test by the fixed hash split."""
    splits: dict[str, list[LabelledText]] = {"train": [], "calibration": [], "test": []}
    for text in texts:
        splits[split_of(text, seed)].append(text)
    return splits
