"""Cutting texts into model calls by token length, and padding each call."""

from __future__ import annotations

import random

import numpy as np
import pytest

from moderation.scoring.length_groups import group_by_length, padded


def padded_tokens(lengths: list[int], groups: list[list[int]]) -> int:
    return sum(len(group) * max(lengths[i] for i in group) for group in groups)


def test_every_text_lands_in_one_call_of_at_most_the_size():
    lengths = [random.Random(seed).randint(3, 96) for seed in range(200)]
    groups = group_by_length(lengths, 32)
    assert sorted(i for group in groups for i in group) == list(range(200))
    assert all(1 <= len(group) <= 32 for group in groups)
    # Calls follow length order: no call holds a text shorter than one in the call before.
    for before, after in zip(groups, groups[1:], strict=False):
        assert max(lengths[i] for i in before) <= min(lengths[i] for i in after)


def test_a_mixed_batch_pads_far_less_than_fixed_cuts():
    rng = random.Random(3)
    # A queue worker's batch as it arrives: mostly short comments, a few long ones.
    lengths = [rng.choice([rng.randint(5, 30), rng.randint(30, 96)]) for _ in range(64)]
    order = sorted(range(64), key=lengths.__getitem__)
    fixed = [order[:32], order[32:]]
    grouped = group_by_length(lengths, 32)
    assert padded_tokens(lengths, grouped) < 0.8 * padded_tokens(lengths, fixed)
    assert padded_tokens(lengths, grouped) <= 1.1 * sum(lengths)


def test_texts_of_one_length_fill_whole_calls():
    assert [len(group) for group in group_by_length([20] * 64, 32)] == [32, 32]
    assert group_by_length([], 32) == []


def test_two_lengths_far_apart_are_never_padded_together():
    groups = group_by_length([90, 5] * 16, 32)
    assert sorted(len(group) for group in groups) == [16, 16]


def test_a_call_size_below_one_is_refused():
    with pytest.raises(ValueError):
        group_by_length([3, 4], 0)


def test_padding_fills_ids_with_the_pad_id_and_masks_with_zero():
    encoded = {"input_ids": [[101, 7, 102], [101, 102]], "attention_mask": [[1, 1, 1], [1, 1]]}
    right = padded(encoded, [1, 0], pad_id=9)
    assert right["input_ids"].tolist() == [[101, 102, 9], [101, 7, 102]]
    assert right["attention_mask"].tolist() == [[1, 1, 0], [1, 1, 1]]
    assert right["input_ids"].dtype == np.int64
    left = padded(encoded, [1], pad_id=9, left=True)
    assert left["input_ids"].tolist() == [[101, 102]]
    left = padded(encoded, [0, 1], pad_id=9, left=True)
    assert left["input_ids"].tolist() == [[101, 7, 102], [9, 101, 102]]
    assert left["attention_mask"].tolist() == [[1, 1, 1], [0, 1, 1]]
