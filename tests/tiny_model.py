"""Build a tiny Detoxify-format checkpoint that Detoxify's own loader can load."""

from __future__ import annotations

import json
from pathlib import Path

from moderation.scoring.base import LABELS

VOCAB = [
    "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
    "the", "a", "is", "good", "article", "thanks", "great", "you", "are",
    "idiot", "stupid", "kill", "hate", "i", "will", "this", "game", "nice",
]


def build_tiny_checkpoint(
    folder: Path, *, seed: int = 0, toxic_bias: float = 0.0, initializer_range: float = 0.02
) -> tuple[Path, Path]:
    """Write a small random BERT classifier as a Detoxify checkpoint; return (ckpt, config_dir).

    ``toxic_bias`` shifts every classifier logit, so tests can build a model that
    scores everything high (or low) without training it; a wide ``initializer_range``
    makes the scores differ from text to text.
    """
    import torch
    from transformers import BertConfig, BertForSequenceClassification

    folder.mkdir(parents=True, exist_ok=True)
    config_dir = folder / "hf"
    config_dir.mkdir(exist_ok=True)
    (config_dir / "vocab.txt").write_text("\n".join(VOCAB) + "\n")
    (config_dir / "tokenizer_config.json").write_text(
        json.dumps(
            {"do_lower_case": True, "model_max_length": 64, "tokenizer_class": "BertTokenizer"}
        )
    )
    config = BertConfig(
        vocab_size=len(VOCAB),
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=64,
        num_labels=len(LABELS),
        problem_type="multi_label_classification",
        initializer_range=initializer_range,
    )
    config.save_pretrained(config_dir)
    torch.manual_seed(seed)
    model = BertForSequenceClassification(config)
    with torch.no_grad():
        model.classifier.bias.fill_(toxic_bias)
    checkpoint = {
        "config": {
            "arch": {
                "args": {
                    # Deliberately a hub name: the loader must rewrite it to the local folder.
                    "model_type": "bert-base-uncased",
                    "model_name": "BertForSequenceClassification",
                    "tokenizer_name": "BertTokenizer",
                    "num_classes": len(LABELS),
                }
            },
            "dataset": {"args": {"classes": list(LABELS)}},
        },
        "state_dict": model.state_dict(),
    }
    path = folder / "tiny.ckpt"
    torch.save(checkpoint, path)
    return path, config_dir
