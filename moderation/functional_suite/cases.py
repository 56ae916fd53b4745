"""Expand the templates into the suite's cases: fixed seed, stable order, stable ids."""

from __future__ import annotations

import hashlib
import itertools
import random
import re
import string
from dataclasses import dataclass

from moderation.functional_suite.groups import GROUPS, Group
from moderation.functional_suite.obfuscate import obfuscate
from moderation.functional_suite.templates import OBFUSCATION_SOURCES, Category, categories
from moderation.functional_suite.words import SLOTS

SEED = 20240611
# Cases kept per plain category and per obfuscation: about 1,450 cases in all,
# enough for stable shares while a full run stays well under a minute.
PER_CATEGORY = 54
PER_OBFUSCATION = 45

GROUP_FIELDS = {"plural", "singular", "a_singular", "adj", "member", "slur", "slurs"}
_KEY = re.compile(r"\[([^\]]+)\]")


@dataclass(frozen=True)
class Case:
    """One comment of the suite and the outcome the service should reach."""

    case_id: str
    category: str
    expected: str  # "hold" or "publish"
    text: str
    group: str | None
    # For obfuscated cases: the plain text the obfuscation was applied to.
    plain: str | None = None


@dataclass(frozen=True)
class _Draft:
    """A rendered template before sampling: its text and where its key words are."""

    text: str
    group: str | None
    keys: tuple[tuple[int, int], ...]


def _fields(template: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


def _group_values(group: Group) -> list[dict[str, str]]:
    """Return the placeholder values a group offers: one set per member form or slur."""
    base = {"plural": group.plural, "singular": group.singular,
            "a_singular": group.a_singular, "adj": group.adjective}
    sets = []
    for member in group.members:
        for slur in group.slurs or ((None, None),):
            values = dict(base, member=member)
            if slur[0]:
                values.update(slur=slur[0], slurs=slur[1])
            sets.append(values)
    return sets


def _render(template: str, values: dict[str, str], group: str | None) -> _Draft:
    """Fill the template, then strip the [key] marks and remember where the keys are."""
    filled = template.format_map(values)
    text, keys, pos = [], [], 0
    length = 0
    for match in _KEY.finditer(filled):
        text.append(filled[pos : match.start()])
        length += match.start() - pos
        keys.append((length, length + len(match.group(1))))
        text.append(match.group(1))
        length += len(match.group(1))
        pos = match.end()
    text.append(filled[pos:])
    return _Draft("".join(text), group, tuple(keys))


def _with_capitals(values: dict[str, str]) -> dict[str, str]:
    """Add {Plural}-style capitalised variants for sentence starts."""
    out = dict(values)
    for name, value in values.items():
        out[name[0].upper() + name[1:]] = value[0].upper() + value[1:]
    return out


def _expand(template: str) -> list[_Draft]:
    """Return every rendering of one template: each group form times each slot word."""
    names = {name[0].lower() + name[1:] for name in _fields(template)}
    slot_names = sorted(names - GROUP_FIELDS)
    slot_values = [SLOTS[name] for name in slot_names]
    if names & GROUP_FIELDS:
        needs_slur = bool(names & {"slur", "slurs"})
        needs_member = "member" in names
        group_sets = []
        for group in GROUPS:
            if needs_slur and not group.slurs:
                continue
            seen = set()
            for values in _group_values(group):
                # Only distinct fillings count: most templates use neither slurs nor members.
                used = tuple(values.get(n) for n in ("slur", "member") if n in names)
                if used in seen or (needs_member and "member" not in values):
                    continue
                seen.add(used)
                group_sets.append((group.key, values))
    else:
        group_sets = [(None, {})]
    drafts = []
    for key, values in group_sets:
        for combo in itertools.product(*slot_values):
            filled = _with_capitals(dict(values, **dict(zip(slot_names, combo, strict=True))))
            drafts.append(_render(template, filled, key))
    return drafts


def _sample(per_template: list[list], limit: int, rng: random.Random, text_of=None) -> list:
    """Take up to limit items, round-robin over templates so each template is represented."""
    text_of = text_of or (lambda item: item.text)
    pools = [rng.sample(pool, len(pool)) for pool in per_template]
    chosen, seen = [], set()
    while len(chosen) < limit and any(pools):
        for pool in pools:
            while pool:
                item = pool.pop()
                text = text_of(item)
                if text not in seen:
                    seen.add(text)
                    chosen.append(item)
                    break
            if len(chosen) >= limit:
                break
    return chosen


def _case_id(category: str, text: str) -> str:
    return f"{category}-{hashlib.sha1(text.encode('utf-8')).hexdigest()[:10]}"


def _plain_drafts(category: Category) -> list[_Draft]:
    rng = random.Random(f"{SEED}/{category.name}")
    return _sample([_expand(t) for t in category.templates], PER_CATEGORY, rng)


def build_cases() -> list[Case]:
    """Return the whole suite: every category's cases, in category order."""
    drafts = {c.name: _plain_drafts(c) for c in categories() if not c.obfuscation}
    cases: list[Case] = []
    for category in categories():
        if category.obfuscation:
            cases.extend(_obfuscated(category, drafts))
            continue
        cases.extend(Case(_case_id(category.name, d.text), category.name, category.expected,
                          d.text, d.group) for d in drafts[category.name])
    return cases


def _obfuscated(category: Category, drafts: dict[str, list[_Draft]]) -> list[Case]:
    """Obfuscate the key words of plain hold cases, spread over the source categories."""
    rng = random.Random(f"{SEED}/{category.name}")
    per_source = []
    for source in OBFUSCATION_SOURCES:
        pool = []
        for draft in drafts[source]:
            if not draft.keys:
                continue
            text = obfuscate(draft.text, draft.keys, category.obfuscation, rng)
            if text != draft.text:
                pool.append((draft, text))
        per_source.append(pool)
    chosen = _sample(per_source, PER_OBFUSCATION, rng, text_of=lambda pair: pair[1])
    return [Case(_case_id(category.name, text), category.name, category.expected, text,
                 draft.group, plain=draft.text) for draft, text in chosen]


def sample_cases(cases: list[Case], per_category: int) -> list[Case]:
    """Return the first per_category cases of each category: a fixed, smaller suite."""
    counts: dict[str, int] = {}
    out = []
    for case in cases:
        if counts.get(case.category, 0) < per_category:
            counts[case.category] = counts.get(case.category, 0) + 1
            out.append(case)
    return out
