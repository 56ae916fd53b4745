"""The functional suite's cases: deterministic, large enough, well-formed."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from moderation.functional_suite import build_cases, categories
from moderation.functional_suite.groups import GROUPS_BY_KEY
from moderation.functional_suite.obfuscate import UNLEET


@pytest.fixture(scope="module")
def cases():
    return build_cases()


def _by_category(cases):
    grouped: dict[str, list] = {}
    for case in cases:
        grouped.setdefault(case.category, []).append(case)
    return grouped


def test_build_cases_is_deterministic(cases):
    assert build_cases() == cases


def test_ids_are_unique_and_name_their_category(cases):
    ids = [c.case_id for c in cases]
    assert len(set(ids)) == len(ids)
    assert all(c.case_id.startswith(c.category + "-") for c in cases)


def test_at_least_25_categories_of_at_least_20_unique_cases(cases):
    grouped = _by_category(cases)
    assert len(grouped) >= 25
    for name, members in grouped.items():
        assert len({c.text for c in members}) >= 20, name


def test_no_duplicate_text_within_a_category(cases):
    for name, members in _by_category(cases).items():
        texts = Counter(c.text for c in members)
        assert [t for t, n in texts.items() if n > 1] == [], name


def test_every_case_has_its_category_outcome_and_a_known_group(cases):
    expected = {c.name: c.expected for c in categories()}
    assert {c.category for c in cases} == set(expected)
    for case in cases:
        assert case.expected in {"hold", "publish"}
        assert case.expected == expected[case.category]
        assert case.group is None or case.group in GROUPS_BY_KEY
        assert case.text.strip() and "[" not in case.text and "{" not in case.text


def test_both_outcomes_and_most_groups_are_covered(cases):
    assert {c.expected for c in cases} == {"hold", "publish"}
    assert len({c.group for c in cases if c.group}) == len(GROUPS_BY_KEY)


def _collapse_runs(text):
    return re.sub(r"(.)\1+", r"\1", text)


def _is_subsequence(short, long):
    letters = iter(long)
    return all(char in letters for char in short)


def _one_adjacent_swap(text, plain):
    diff = [i for i, (a, b) in enumerate(zip(text, plain, strict=True)) if a != b]
    return (len(diff) == 2 and diff[1] == diff[0] + 1
            and text[diff[0]] == plain[diff[1]] and text[diff[1]] == plain[diff[0]])


# What each obfuscation may change, stated as a check of the obfuscated text against the plain.
RECOGNISABLE = {
    "obfuscated_swap": lambda t, p: len(t) == len(p) and _one_adjacent_swap(t, p),
    "obfuscated_drop": lambda t, p: len(t) < len(p) and _is_subsequence(t, p),
    "obfuscated_repeat": lambda t, p: (len(t) > len(p) and _is_subsequence(p, t)
                                       and _collapse_runs(t) == _collapse_runs(p)),
    "obfuscated_leet": lambda t, p: (len(t) == len(p) and all(
        a == b or UNLEET.get(a) == b.lower() for a, b in zip(t, p, strict=True))),
    "obfuscated_spaced": lambda t, p: t.replace(" ", "") == p.replace(" ", "") and len(t) > len(p),
    "obfuscated_joined": lambda t, p: t.replace(" ", "") == p.replace(" ", "") and len(t) < len(p),
}


def test_every_obfuscation_category_is_checked():
    names = {c.name for c in categories() if c.obfuscation}
    assert names == set(RECOGNISABLE)


@pytest.mark.parametrize("category", sorted(RECOGNISABLE))
def test_obfuscation_changes_the_text_and_keeps_it_recognisable(cases, category):
    members = [c for c in cases if c.category == category]
    plain_texts = {c.text for c in cases if not c.category.startswith("obfuscated_")}
    assert members
    for case in members:
        assert case.plain in plain_texts
        assert case.text != case.plain
        assert RECOGNISABLE[category](case.text, case.plain), (case.text, case.plain)
