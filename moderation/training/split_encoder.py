"""Run the encoder in two parts: frozen lower layers (cached) and trained top layers."""

from __future__ import annotations

from moderation.scoring.base import LABELS
from moderation.training.datasets import Example

# torch and transformers load inside the functions: importing this module for its constants
# (the CLI, the tests) must not pay for them.

TRAINED_LAYERS = 6  # the whole encoder: six fp16 layers, pooler and head are 21 MB
MAX_LENGTH = 96  # trained and served at this length


def _attention_mask(model, hidden, mask):
    from transformers.masking_utils import create_bidirectional_mask

    return create_bidirectional_mask(config=model.config, inputs_embeds=hidden, attention_mask=mask)


def forward_lower(model, input_ids, mask):
    """Run embeddings and the frozen layers; return their hidden states."""
    import torch

    bert = model.bert
    hidden = bert.embeddings(input_ids=input_ids, token_type_ids=torch.zeros_like(input_ids))
    extended = _attention_mask(model, hidden, mask)
    for layer in bert.encoder.layer[: len(bert.encoder.layer) - TRAINED_LAYERS]:
        hidden = layer(hidden, extended)
    return hidden


def forward_upper(model, hidden, mask):
    """Run the trained layers, pooler and head on frozen hidden states; return logits."""
    bert = model.bert
    extended = _attention_mask(model, hidden, mask)
    for layer in bert.encoder.layer[len(bert.encoder.layer) - TRAINED_LAYERS :]:
        hidden = layer(hidden, extended)
    return model.classifier(model.dropout(bert.pooler(hidden)))


def trained_parameter_names(model) -> list[str]:
    """Return the names of the weights training changes (and the repository ships)."""
    first = model.config.num_hidden_layers - TRAINED_LAYERS
    prefixes = [f"bert.encoder.layer.{i}." for i in range(first, model.config.num_hidden_layers)]
    prefixes += ["bert.pooler.", "classifier."]
    return [name for name, _ in model.named_parameters() if name.startswith(tuple(prefixes))]


def pad(sequences, value=0.0):
    """Stack variable-length tensors into one batch, padded at the end."""
    import torch

    return torch.nn.utils.rnn.pad_sequence(sequences, batch_first=True, padding_value=value)


def _tokenize(tokenizer, texts: list[str]) -> list[list[int]]:
    return tokenizer(texts, truncation=True, max_length=MAX_LENGTH)["input_ids"]


def cache_lower(model, tokenizer, texts: list[str], progress: bool) -> list:
    """Return the frozen layers' fp16 hidden states for each text."""
    import torch
    from tqdm import tqdm

    ids = _tokenize(tokenizer, texts)
    cached: list = [None] * len(texts)
    order = sorted(range(len(texts)), key=lambda i: len(ids[i]))
    with torch.inference_mode():
        for start in tqdm(range(0, len(order), 64), desc="encoding", disable=not progress):
            index = order[start : start + 64]
            input_ids = pad([torch.tensor(ids[i]) for i in index], 0).long()
            mask = (input_ids != 0).long()
            hidden = forward_lower(model, input_ids, mask)
            for row, i in enumerate(index):
                cached[i] = hidden[row, : len(ids[i])].to(torch.float16).clone()
    return cached


def score_examples(model, tokenizer, examples: list[Example], progress: bool = False) -> list[dict]:
    """Score examples with the model in eval mode, as the product would at MAX_LENGTH."""
    import torch
    from tqdm import tqdm

    model.eval()
    ids = _tokenize(tokenizer, [e.text for e in examples])
    order = sorted(range(len(examples)), key=lambda i: len(ids[i]))
    scores: list = [None] * len(examples)
    with torch.inference_mode():
        for start in tqdm(range(0, len(order), 64), desc="scoring", disable=not progress):
            index = order[start : start + 64]
            input_ids = pad([torch.tensor(ids[i]) for i in index], 0).long()
            mask = (input_ids != 0).long()
            probs = torch.sigmoid(model(input_ids=input_ids, attention_mask=mask).logits).tolist()
            for row, i in enumerate(index):
                scores[i] = dict(zip(LABELS, probs[row], strict=True))
    return scores
