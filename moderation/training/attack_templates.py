"""Templated attacks the rated sets barely hold, each beside harmless sentences like it.

Threats against one reader or journalist in plain words, slurs in otherwise plain
sentences, hate asked as a question and stereotypes stated as common sense are rare in
the rated sets; counter-speech that attacks the haters rather than quoting them is rarer.
Each hateful family comes with clean sentences of the same shape (sports talk, idioms,
rebukes of bigots), so the shape alone teaches nothing. The templates and word lists are
written for training only and share nothing with the functional evaluation suite.
"""

from __future__ import annotations

import random

from moderation.training.contrast_templates import CLEAN, GROUPS, HATEFUL, THREAT, generated
from moderation.training.datasets import Example, _targets

ADDRESSED = (
    "i am going to {harm}",
    "we are coming round to {harm}",
    "if you print another word i will {harm}",
    "you have until friday before we {harm}",
    "i will personally {harm}",
    "my brothers and i will {harm}",
    "count the days until i {harm}",
    "remember my name, because i will {harm}",
    "after the game i'm going to {harm}",
    "let's see how brave you are when i {harm}",
    "next time you walk past the pub we {harm}",
    "one day i will catch you alone and {harm}",
    "write about my family again and i {harm}",
)
HARMS = (
    "cut your fingers off",
    "throw acid in your face",
    "strangle you with your own scarf",
    "crush your skull",
    "hang you from the bridge",
    "put you six feet under",
    "bury you in the woods",
    "choke the life out of you",
    "make you bleed",
    "tear your throat out",
    "poison your dog",
    "hurt your children",
    "end your life",
    "bash your head against the kerb",
    "push you under a train",
    "hunt you down like an animal",
    "put a knife between your ribs",
    "give you a beating you will never forget",
    "make sure you never walk again",
    "break every finger you type with",
)
# Harm to a named third person: the journalist, an official, a commenter.
NAMED = (
    "the journalist who wrote this",
    "that columnist",
    "the editor",
    "this councillor",
    "the judge in this case",
    "the guy who posted above",
    "the woman in the photo",
)
NAMED_THREATS = (
    "someone should {verb} {t} and be done with it",
    "i'd happily {verb} {t} myself",
    "{t} is going to get what's coming, i'll {verb} them myself",
    "give me ten minutes alone with {t} and i will {verb} them",
    "i know where {t} parks. time to {verb} them",
)
NAMED_VERBS = (
    "shoot",
    "stab",
    "strangle",
    "beat",
    "hang",
    "poison",
    "run over",
    "drown",
    "cripple",
    "torture",
)
# The same grammar with harmless objects: sport, games, work, idioms.
HARMLESS = (
    "we are going to beat you in the final on saturday",
    "i will crush you at chess next week",
    "this heat is killing me",
    "i'm going to kill it at the interview tomorrow",
    "the editor should cut this article in half",
    "i'll hunt down the source of that quote",
    "we will bury the time capsule in the park",
    "break a leg at the show tonight",
    "my brothers and i will smash the quiz on friday",
    "i am going to strangle this budget",
    "you have until friday before we close the survey",
    "count the days until i retire",
    "next time you walk past the pub we should grab a drink",
    "i will personally make sure the letter reaches the mayor",
    "the goalkeeper will destroy you if you shoot like that",
    "this crossword is torture",
    "someone should shoot a documentary about the harbour",
    "i'd happily beat that record myself",
    "after the game i'm going to sleep for a week",
    "let's see how brave you are on the climbing wall",
)
KIND_FRAMES = (
    "i am going to {ok}",
    "after the game i'm going to {ok}",
    "next week i will {ok}",
    "i will personally {ok}",
    "my brothers and i will {ok}",
)
KIND_ACTS = (
    "beat you at pool",
    "buy you a pint",
    "show you the new bakery",
    "send you the recipe",
    "prove you wrong with the figures",
    "crush you at darts",
    "fix your fence",
    "interview you for the podcast",
    "bring you the petition",
    "cheer you on at the race",
)
# Menace without a violent verb: the harm is left to the reader's imagination.
VEILED = (
    "{lead} your family will pay for this",
    "{lead} you will regret ever writing it",
    "{lead} you won't see it coming",
    "{lead} accidents happen to people like you",
    "{lead} people have vanished for less",
    "{lead} we are watching your house",
    "{lead} you'll end up like the last one who tried",
    "{lead} it would be a pity if something happened to your kids",
    "{lead} keep looking over your shoulder",
    "{lead} think about your wife before you publish again",
    "{lead} your car might not start one morning",
    "{lead} you have no idea who you are dealing with",
    "{lead} you'll find out what happens to snitches",
    "{lead} say goodbye to your pretty face",
    "{lead} we have friends who know your street",
    "{lead} you will not be writing for much longer",
    "{lead} nobody will miss you when it happens",
    "{lead} your mother won't recognise you",
)
VEILED_LEADS = (
    "",
    "take this article down or",
    "one more story like this and",
    "keep lying about us and",
    "mark my words,",
    "i'm only saying this once:",
    "dear reporter,",
    "carry on like this and",
)
# The same openings and endings with nothing menacing in them.
VEILED_LOOKALIKES = (
    "{lead} i will cancel my subscription",
    "{lead} i'm writing to the editor about it",
    "{lead} your readers will pay for it with their trust",
    "{lead} you won't see my name in the comments again",
    "{lead} you will regret missing the final",
    "{lead} your family will love the new park by the river",
    "{lead} people have queued for less at that bakery",
    "{lead} we are watching the match at my house",
    "{lead} it would be a pity if the library closed",
    "{lead} keep looking for the source, it's worth it",
    "{lead} think about the readers before you publish again",
    "{lead} my car might not start one morning in this cold",
    "{lead} you have no idea how good the soup is there",
    "{lead} you will not be disappointed by the exhibition",
    "{lead} say goodbye to cheap train tickets",
    "{lead} your mother would enjoy the concert",
)
# Slurs, a hand-made list; the functional suite's own list stays apart from training.
SLURS = (
    ("nigger", "niggers"),
    ("spic", "spics"),
    ("kike", "kikes"),
    ("faggot", "faggots"),
    ("dyke", "dykes"),
    ("tranny", "trannies"),
    ("retard", "retards"),
    ("chink", "chinks"),
    ("gook", "gooks"),
    ("towelhead", "towelheads"),
    ("sandnigger", "sandniggers"),
    ("wetback", "wetbacks"),
    ("paki", "pakis"),
    ("coon", "coons"),
    ("wop", "wops"),
    ("jap", "japs"),
    ("gyppo", "gyppos"),
    ("poofter", "poofters"),
    ("darkie", "darkies"),
    ("jigaboo", "jigaboos"),
    ("zipperhead", "zipperheads"),
    ("camel jockey", "camel jockeys"),
    ("kraut", "krauts"),
    ("half-breed", "half-breeds"),
    ("mongoloid", "mongoloids"),
)
SLUR_FRAMES = (
    "no {slurs} allowed in this pub",
    "my landlord rents to {slurs} now",
    "the {slur} at the till was slow again",
    "the new neighbours are {slurs}",
    "that {slur} on the council should resign",
    "ask the {slur} who wrote this",
    "my son's teacher is a {slur}",
    "{slurs} everywhere in this city now",
    "just another {slur} complaining",
    "what does a {slur} know about football",
    "the {slurs} are at it again",
    "heard a {slur} got the job",
    "reply to this, {slur}",
    "even the bus driver was a {slur} today",
    "the paper hires {slurs} to write this stuff",
)
QUESTIONS = (
    "should {p} even be allowed to vote?",
    "what is the point of letting {p} into our schools?",
    "how long until we admit {p} {c}?",
    "does anyone actually want {p} living next door?",
    "when did we decide {p} deserve the same pay as us?",
    "wouldn't we all be better off if the {p} left?",
    "who let the {p} run this town?",
    "is it wrong to want {p} kept away from our children?",
    "why do we keep paying for {p} to live here?",
    "can someone explain why {p} get a say?",
)
STEREOTYPES = (
    "another day, another {p} scam",
    "watch your wallet around {p}",
    "{p} and honest work never mix",
    "hide the silverware, the {p} are visiting",
    "{p} always find a way to play the victim",
    "it's always the {p} behind the fraud",
    "of course the thief was one of the {p}",
    "{p} only come here for the benefits",
    "{p} can't run anything without bribes",
    "the {p} got the job because of quotas, not brains",
    "give the {p} an inch and they take a mile",
    "{p} don't do anything unless there's money in it",
)
# The writer's own hatred, beside the rebukes below that name hatred to condemn it.
STATED = (
    "i will always hate {p}",
    "i truly cannot stomach {p}",
    "{p} revolt me",
    "nothing makes my skin crawl like {p}",
    "i have hated {p} my whole life",
    "{p} make me want to throw up",
    "i feel nothing but hatred for {p}",
    "the sight of {p} fills me with rage",
    "i hate {p}, simple as that",
    "my family has always hated {p} and so do i",
    "i can't hide how much i hate {p}",
    "every day i hate {p} a little more",
    "we hate {p} in this town and we say it openly",
    "sorry not sorry, i hate {p}",
    "i am sick to death of {p}",
)
# Counter-speech that rebukes the haters without quoting them.
REBUKES = (
    "people who hate {p} are the real problem here",
    "anyone who harasses {p} is a coward",
    "hating {p} says more about you than about them",
    "bigots who blame {p} for everything should be ashamed",
    "i'm tired of seeing {p} abused in these comments",
    "the hatred aimed at {p} on this page is disgusting",
    "whoever keeps attacking {p} online needs to grow up",
    "standing up for {p} against bullies is the least we can do",
    "if you think {p} are the enemy, you have been lied to",
    "the people spreading fear about {p} should be ashamed of themselves",
    "shame on the trolls who go after {p} every time this topic comes up",
)
INSULT_GROUP = _targets(toxicity=1.0, identity_attack=1.0, insult=1.0)


def _filled(template: str, rng: random.Random) -> str:
    slur, slurs = rng.choice(SLURS)
    return (
        template.replace("{harm}", rng.choice(HARMS))
        .replace("{ok}", rng.choice(KIND_ACTS))
        .replace("{t}", rng.choice(NAMED))
        .replace("{verb}", rng.choice(NAMED_VERBS))
        .replace("{p}", rng.choice(GROUPS))
        .replace("{slurs}", slurs)
        .replace("{slur}", slur)
        .replace("{c}", rng.choice(("are a drain on us", "are dangerous", "are inferior")))
        .replace("{lead} ", (rng.choice(VEILED_LEADS) + " ").lstrip())
    )


def _generated(templates, count: int, targets: dict, rng: random.Random) -> list[Example]:
    return generated(templates, count, targets, rng, fill=_filled, kind="attack")


def load_attacks(*, seed: int = 17) -> list[Example]:
    """Return templated threats, slurs, hateful questions, stereotypes and their look-alikes."""
    rng = random.Random(seed)
    return (
        _generated(ADDRESSED, 350, THREAT, rng)
        + _generated(NAMED_THREATS, 150, THREAT, rng)
        + _generated(VEILED, 250, THREAT, rng)
        + _generated(VEILED_LOOKALIKES, 150, CLEAN, rng)
        + _generated(HARMLESS, len(HARMLESS), CLEAN, rng)
        + _generated(KIND_FRAMES, 50, CLEAN, rng)
        + _generated(SLUR_FRAMES, 350, INSULT_GROUP, rng)
        + _generated(QUESTIONS, 200, HATEFUL, rng)
        + _generated(STEREOTYPES, 200, HATEFUL, rng)
        + _generated(STATED, 250, HATEFUL, rng)
        + _generated(REBUKES, 300, CLEAN, rng)
    )
