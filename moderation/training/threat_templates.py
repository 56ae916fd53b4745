"""Templated training sentences for what the rated sets barely cover: plain-worded threats.

These templates and word lists are written for training only and share nothing with the
functional evaluation suite, which has its own templates and vocabulary.
"""

from __future__ import annotations

import random

from moderation.training.datasets import Example, _targets

# Nouns for people a comment may target; plural, as readers write them.
PEOPLE = (
    "feminists", "migrants", "asylum seekers", "muslims", "jewish people", "black folks",
    "lesbians", "transgender people", "wheelchair users", "chinese immigrants", "russians",
    "gypsies", "mexicans", "asians", "old people", "catholics", "arabs", "africans",
    "liberals", "journalists", "foreigners", "poles", "ukrainians", "indians", "hispanics",
)
TARGETS = ("you", "the author", "this reporter", "your editor", "that councillor", "the mayor")
THREATS = (
    "we will come for {t} one night and nobody will hear a thing",
    "{t} should watch {their} back when walking home",
    "someone is going to put a bullet in {t} soon",
    "i am going to track down {t} and make {them} bleed",
    "{t} will not survive the next election day, i promise",
    "keep talking and {t} will end up in a ditch",
    "we know the address. {t} better lock the doors",
    "i will burn down the house of {t}",
    "one day soon {t} will be strung up from a lamppost",
    "{t} deserve a rope and a tall tree",
    "line {t} up against a wall and be done with it",
    "it would be a pleasure to break every bone of {t}",
    "i pray that {t} get hit by a truck",
    "may {t} choke and die slowly",
    "i hope {t} all catch a disease and rot",
    "i have the home address of {t} now, think about that",
    "one of these nights someone will be waiting outside the door of {t}",
    "{t} will be picking teeth up off the pavement soon",
    "there will be consequences for {t} and the kids",
    "i am going to put {t} in the hospital",
    "{t} will not see next christmas",
    "i will be waiting in the car park for {t} tonight",
    "mark my words, {t} will get hurt",
    "people like {t} tend to have accidents, just saying",
    "stop writing or {t} will regret ever being born",
)
DEGRADING = (
    "{p} are a plague spreading through our towns",
    "{p} breed like rats and take everything",
    "{p} are parasites living off honest people",
    "{p} are not fully human if you ask me",
    "{p} should be kept in cages, away from decent folk",
    "every one of the {p} is a thief and a liar",
    "our country would be cleaner without any {p}",
    "deport all {p} before they ruin another city",
    "{p} have no place in a civilised society",
    "{p} are subhuman trash",
    "why should {p} be allowed to vote at all?",
    "{p} will never be real citizens of this country",
    "no one among the {p} can be trusted with children",
    "is there a single one of the {p} who is not a criminal?",
    "you cannot really call {p} people, can you?",
    "i would not let any of the {p} near my family",
)
NEUTRAL = (
    "the council met with {p} from the neighbourhood to discuss the new bus route",
    "a survey of {p} found most were worried about rents",
    "many {p} volunteered at the food bank this winter",
    "the article quotes several {p} who disagree with the policy",
    "i work with {p} every day and they are great colleagues",
    "{p} deserve the same rights and respect as anyone else",
    "the museum's new exhibit tells the history of {p} in this city",
    "calling {p} vermin is vile and the paper was right to remove that comment",
    "it is wrong to say {p} are criminals; the data shows otherwise",
    "i disagree with the mayor, but threats against anyone are unacceptable",
    "the report says hate crimes against {p} rose last year, which is shameful",
    "my neighbours are {p} and they helped us after the flood",
    "saying {p} are animals is hateful nonsense",
    "people who attack {p} online should be ashamed of themselves",
    "i reported a comment here that called {p} subhuman",
    "no, {p} are not a threat to this country",
    "it is simply false that {p} commit more crimes",
    "the abuse aimed at {p} in this thread is appalling",
    "why do people keep blaming {p} for things they did not do?",
    "i would never tell {p} to go back where they came from",
    "some commenters wrote that {p} should be deported, which is disgraceful",
)


def _fill(template: str, target: str) -> str:
    plural = target not in ("the author", "this reporter", "your editor", "that councillor",
                            "the mayor")
    text = template.replace("{t}", target).replace("{p}", target)
    them, their = ("them", "their") if plural else ("him", "his")
    return text.replace("{them}", them).replace("{their}", their)


def load_templated(data_dir=None, *, seed: int = 7) -> list[Example]:
    """Return templated threats, degrading remarks and neutral mentions of groups."""
    rng = random.Random(seed)
    examples = []
    for template in THREATS:
        for target in rng.sample(PEOPLE + TARGETS, 8):
            text = _fill(template, target)
            examples.append(Example(text, "synthetic", f"synthetic:{text}",
                                    _targets(toxicity=1.0, threat=1.0), kind="synthetic"))
    for template in DEGRADING:
        for target in rng.sample(PEOPLE, 8):
            text = _fill(template, target)
            examples.append(Example(text, "synthetic", f"synthetic:{text}",
                                    _targets(toxicity=1.0, identity_attack=1.0),
                                    kind="synthetic"))
    for template in NEUTRAL:
        for target in rng.sample(PEOPLE, 10):
            text = _fill(template, target)
            examples.append(Example(text, "synthetic", f"synthetic:{text}",
                                    _targets(toxicity=0.0), kind="synthetic"))
    return examples
