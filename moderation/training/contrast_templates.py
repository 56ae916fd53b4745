"""Templated contrast pairs: hateful claims about groups beside counter-speech that quotes them.

The rated sets teach the model that naming a hateful claim is hateful, whoever says it and
why: counter-speech that quotes hate to denounce it, and denials of it, score as high as
the hate itself, while hate without a rude word, a threat in polite words or a claim in a
second sentence scores low. These sentences put the same claims in both frames so the
frame, not the vocabulary, decides. The templates and word lists are written for training
only and share nothing with the functional evaluation suite.
"""

from __future__ import annotations

import random

from moderation.training.datasets import Example, _targets
from moderation.training.threat_templates import PEOPLE

# Things said about a group, each a predicate for a plural subject.
CLAIMS = (
    "are filthy animals", "are a stain on humanity", "are nothing but thieves",
    "ruin everything they touch", "should be wiped off the map", "are too dumb to live",
    "are a pack of savages", "do not belong among decent people", "are worthless",
    "spread disease wherever they go", "are born criminals", "are mentally defective",
    "should be locked away for good", "are a curse on this nation",
    "cannot be trusted around our kids", "are inferior to the rest of us", "make me sick",
    "are less than human", "are degenerates", "are a burden we should get rid of",
    "are all rapists", "are ugly inside and out", "want to destroy our way of life",
    "should not be allowed to have children", "stink", "are a bunch of leeches",
)
HATE_VERBS = (
    "can't stand", "detest", "abhor", "really hate", "have always hated", "am disgusted by",
    "cannot bear", "am so sick of", "want nothing to do with", "feel only disgust for",
    "resent", "have zero respect for", "would happily be rid of",
)
DENY_VERBS = ("hate", "dislike", "have anything against", "look down on", "fear", "blame")
GOOD = ("honest", "decent", "trustworthy", "hardworking", "intelligent", "kind",
        "worth knowing", "any use to society", "clean", "loyal to this country")
OPENERS = (
    "thanks for covering the election.", "the pictures of the festival were lovely.",
    "nice piece on the new bridge.", "i agree about the train delays.",
    "the weather report was spot on.", "good to see the hospital story followed up.",
    "interesting article about the harbour.", "my dad used to work at that factory.",
)
# Harm to the reader or writer addressed.
HARMS = (
    "smash your face in", "snap your neck", "stab you", "break your legs",
    "knock your teeth out", "set your car on fire", "make you disappear",
    "burn your house down", "drown you in the canal", "beat you senseless", "shoot you",
    "put you in a wheelchair", "slit your throat", "run you over",
)
PERSON_THREATS = (
    "i'm going to {harm}", "i will {harm} if you write that again",
    "one more article like this and i'll {harm}", "we know where you live. we'll {harm}",
    "wait until i find you, i'll {harm}", "keep it up and someone will {harm}",
    "you had better watch out, i'm coming to {harm}",
    "don't be surprised when somebody shows up to {harm}",
    "i swear i will {harm} the next time i see you", "publish that again and we {harm}",
)
IMPLICIT_THREATS = (
    "we know which school your kids go to", "you won't be safe walking home tonight",
    "your days are numbered", "enjoy your last week on this earth",
    "you'll be sorry when you see who is at your door", "nobody will find your body",
    "sleep lightly from now on, reporter", "i've got your address and plenty of petrol",
    "your family should start saying goodbye", "this is the last warning you will get",
)
GROUP_VIOLENCE = (
    "we should {v} all {p}", "someone needs to {v} the {p}",
    "it is time to {v} every last one of the {p}", "the only answer is to {v} the {p}",
    "i'd gladly help {v} the {p}", "let's round up the {p} and {v} them",
)
VIOLENCE = ("shoot", "hang", "gas", "burn", "beat up", "exterminate", "wipe out", "put down",
            "lynch", "bomb")
# Counter-speech: the claim is quoted or reported in order to reject it.
COUNTER = (
    'the comment "{P} {c}" is pure bigotry', "anyone writing that {p} {c} should be banned",
    "i was shocked to read someone say {p} {c}. shame on them",
    "claims that {p} {c} are false and hateful",
    "how can anyone still believe {p} {c}? it is nonsense",
    "stop telling people that {p} {c}",
    "i reported the post that said {p} {c}",
    "people who say {p} {c} are wrong, and the facts prove it",
    "you said {p} {c}. that's not okay and you should apologise",
    "it is disturbing how often i hear that {p} {c}",
    "the article explains where the myth that {p} {c} comes from",
    'my teacher warned us that talk like "{p} {c}" is how persecution starts',
    'a man on the bus shouted "{P} {c}" and everyone told him to stop',
    "to the person above who wrote that {p} {c}: please educate yourself",
    "the idea that {p} {c} has been debunked again and again",
)
DENIALS = (
    "i don't {verb} {p}", "nobody here thinks {p} {c}", "it is not true that {p} {c}",
    "i have never thought that {p} {c}", "don't believe anyone who says {p} {c}",
    "{p} are as {good} as anyone else", "most {p} i know are {good} people",
    "of course {p} are not worse than the rest of us",
)
FRIENDLY = (
    "i admire the {p} who run the corner shop", "the {p} in our street organised the cleanup",
    "proud to stand with {p} in this town", "{p} have every right to live here in peace",
    "my best friend growing up came from a family of {p}",
    "the documentary about {p} was moving and fair",
    "our football club has {p} in the team and we are better for it",
    "welcome to all the {p} who moved here this year",
)
FRAMES = (
    "{p} {c}", "honestly, {p} {c}", "i think {p} {c}", "let's be real: {p} {c}",
    "why is it that {p} {c}?", "am i the only one who thinks {p} {c}?",
    "everyone knows {p} {c}", "facts are facts, {p} {c}",
)
NEGATED_GOOD = (
    "{p} are never {good}", "not one of the {p} is {good}",
    "i have yet to meet any of the {p} who is {good}", "{p} will never be {good}",
    "none of the {p} i've met were {good}", "don't expect {p} to be {good}",
)
HATEFUL = _targets(toxicity=1.0, identity_attack=1.0)
THREAT = _targets(toxicity=1.0, threat=1.0)
GROUP_THREAT = _targets(toxicity=1.0, threat=1.0, identity_attack=1.0)
CLEAN = _targets(toxicity=0.0)


# Only groups people are attacked for being; abuse of journalists is not an identity attack.
GROUPS = tuple(p for p in PEOPLE if p not in ("liberals", "journalists"))


def _fill(template: str, rng: random.Random) -> str:
    group = rng.choice(GROUPS)
    filled = (template.replace("{P}", group.capitalize()).replace("{p}", group)
              .replace("{c}", rng.choice(CLAIMS)).replace("{good}", rng.choice(GOOD))
              .replace("{verb}", rng.choice(DENY_VERBS))
              .replace("{v}", rng.choice(VIOLENCE)).replace("{harm}", rng.choice(HARMS)))
    return filled


def generated(templates, count: int, targets: dict, rng: random.Random, *, fill=None,
              kind: str = "contrast") -> list[Example]:
    """Return up to count distinct sentences filled from templates, with the given targets."""
    fill = fill or _fill
    texts: set[str] = set()
    for _ in range(count * 4):
        if len(texts) >= count:
            break
        texts.add(fill(rng.choice(templates), rng))
    return [Example(text, "synthetic", f"synthetic:{text}", dict(targets), kind=kind)
            for text in sorted(texts)]


def load_contrast(*, seed: int = 11, scale: int = 1) -> list[Example]:
    """Return templated hate, threats and the counter-speech, denials and praise beside them."""
    rng = random.Random(seed)
    stated = [f"i {verb} {{p}}" for verb in HATE_VERBS] + [
        f"i {verb} every last one of the {{p}}" for verb in HATE_VERBS[:6]]
    later = [f"{opener} {frame}" for opener in OPENERS for frame in ("{p} {c}", "i think {p} {c}")]
    examples = (
        generated(FRAMES, 300 * scale, HATEFUL, rng)
        + generated(stated, 150 * scale, HATEFUL, rng)
        + generated(NEGATED_GOOD, 150 * scale, HATEFUL, rng)
        + generated(later, 150 * scale, HATEFUL, rng)
        + generated(PERSON_THREATS, 200 * scale, THREAT, rng)
        + generated(IMPLICIT_THREATS, len(IMPLICIT_THREATS), THREAT, rng)
        + generated(GROUP_VIOLENCE, 150 * scale, GROUP_THREAT, rng)
        + generated(COUNTER, 500 * scale, CLEAN, rng)
        + generated(DENIALS, 300 * scale, CLEAN, rng)
        + generated(FRIENDLY, 200 * scale, CLEAN, rng)
    )
    return examples
