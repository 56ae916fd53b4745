"""Built-in hold phrases send profanity-free threats and group attacks to review.

The sentences here were written apart from the model's behavioural set (tests/scoring),
so the patterns are checked on text they were not fitted to.
"""

from __future__ import annotations

import pytest

from moderation import create_app
from moderation.policy.phrases import find_hold_phrase
from moderation.policy.phrases.group_attacks import find_group_attack
from moderation.policy.phrases.slurs import find_slur
from moderation.policy.phrases.threats import find_threat

THREATS = [
    "We will hunt you down like a dog.",
    "I'm going to break your legs, reporter.",
    "You deserve to die for printing this.",
    "Go kill yourself.",
    "Somebody needs to shoot the mayor.",
    "I know where your kids go to school.",
    "Next time I see you I will hurt you badly.",
    "Someone should put a bullet in that editor.",
    "Keep this up and you'll wind up in a body bag.",
    "Somebody ought to cave his skull in.",
    "Your kids are going to suffer for what you wrote.",
    "Your days are numbered, hack.",
    "We know where your home is, so be careful what you print.",
    "When she shows her face in town I'm going to hurt her.",
    "Print that again and we will choke them all.",
]

BENIGN_NEAR_THREATS = [
    "We will beat you in the final on Sunday!",
    "I will find your article useful.",
    "The police said the suspect will hurt no one else.",
    "They should hang the painting in the museum.",
    "I'm going to kill it at the exam tomorrow.",
    "You will regret missing this concert!",
    "The report describes how the gunman threatened to kill the guards.",
    "I will call you tomorrow about the story.",
    "People must hang on to their receipts.",
    "We are going to find out who leaked the memo.",
    "I will get you the documents tomorrow.",
    "That was a hell of a game last night.",
    "Don't break your arm patting yourself on the back.",
    "I'll shoot him an email about the correction.",
    "Do you know where your kids are tonight?",
    "If you skip the warm-up you will end up in physio for weeks.",
    "The new tax will make your family pay twice.",
    "Their striker will smash the league record this season.",
]

GROUP_ATTACKS = [
    "Arabs are savages who cannot live in a modern society.",
    "These migrants are an infestation and must be removed.",
    "Gays should not be allowed near our children.",
    "The Chinese secretly control the banks.",
    "Asylum seekers are nothing but leeches.",
    "Trans people are sick and need to be locked up.",
    "Send them home: those foreigners should go back to their own country.",
    "Jewish people are parasites.",
    "Africans are like animals.",
    "Muslims need to be deported, every last one.",
]

BENIGN_ABOUT_GROUPS = [
    "Refugees are fleeing a disease outbreak in the north.",
    "Muslims are sick of being blamed for every attack.",
    "Immigrants are vital to the local economy.",
    "In 1942 the Jews of the city were deported to the camps.",
    "Women are paid less than men for the same work.",
    "Black people are more likely to be stopped by police, the report says.",
    "The refugees say they want to go back when the war ends.",
    "Many asylum seekers are fleeing criminals and gangs at home.",
    "Christians are celebrating Easter this weekend.",
    "Gay people are allowed to marry in most of Europe now.",
    "The article says immigrants are often called criminals, which is false.",
    "Women should not be afraid to walk home at night.",
]

# Counter-speech: the phrase is quoted or reported to be denounced; the model judges these.
QUOTED_OR_REPORTED = [
    'Somebody spray-painted "Migrants are vermin" on the mosque wall. Disgraceful.',
    "My uncle keeps claiming that asylum seekers are nothing but leeches; he is wrong.",
    "The candidate said Jewish people are parasites and still got elected?!",
    "Stop calling refugees an infestation.",
    "'Go back to your own country' was written on her door last night.",
    'A reader posted "I know where you live" under my article. That is not okay.',
]

# The writer's own words after a quote, or in a later sentence, are still held.
OWN_WORDS_AFTER_REPORTING = [
    'He said "hello" and I said Muslims are parasites.',
    "The minister said it twice. Refugees are vermin.",
    "Write one more article like this and I will break your legs.",
    "I'd say Arabs are savages.",
    "Keep saying that and I will break your legs.",
]

SLUR_SENTENCES = [
    "The flats on Elm Street are full of kikes now.",
    "Sent from my phone, n i g g e r.",
    "Our new vicar is a raghead, apparently.",
    "w3tb4cks took every job at the plant",
    "That columnist is a faaaaggot.",
    "Pikeys at the car boot sale again.",
]

# Words that are slurs in another sense, or contain one, stay with the model.
BENIGN_NEAR_SLURS = [
    "There is a chink in the armour of this argument.",
    "The dyke held back the flood in 1953.",
    "He stepped outside for a fag.",
    "The garage fitted a new tranny to my van.",
    "Doo wop was big in our town in the fifties.",
    "The kitchen was spick and span.",
    "Scunthorpe won on Saturday.",
    "Pakistan's election results are in.",
    "The mop's rag head needs changing.",
    "Fire retardant foam was used on the roof.",
]

# (finder, setting that turns it off, a posted comment it holds, the phrase shown)
FAMILIES = {
    "threat": (find_threat, "THREAT_PHRASES", "I know where you live, writer.",
               "know where you live"),
    "group attack": (find_group_attack, "GROUP_ATTACK_PHRASES",
                     "Refugees are vermin, all of them.", "Refugees are vermin"),
    "slur": (find_slur, "SLUR_PHRASES", "The new tenants upstairs are wetbacks.", "wetbacks"),
}


@pytest.fixture(scope="module")
def settings_app():
    """An app for its settings alone: the patterns read their switches, never the database."""
    return create_app({"ENV_NAME": "testing", "TESTING": True, "DATABASE_URL": "sqlite://"})


def _cases(family: str, texts: list[str]) -> list:
    return [pytest.param(FAMILIES[family][0], text, id=f"{family}: {text[:30]}") for text in texts]


@pytest.mark.parametrize(("find", "text"),
                         _cases("threat", THREATS) + _cases("group attack", GROUP_ATTACKS)
                         + _cases("slur", SLUR_SENTENCES))
def test_abuse_is_found(settings_app, find, text):
    with settings_app.app_context():
        assert find(text)


@pytest.mark.parametrize(("find", "text"), _cases("threat", BENIGN_NEAR_THREATS)
                         + _cases("group attack", BENIGN_ABOUT_GROUPS)
                         + _cases("slur", BENIGN_NEAR_SLURS))
def test_benign_text_is_left_alone(settings_app, find, text):
    with settings_app.app_context():
        assert find(text) is None


@pytest.mark.parametrize("text", QUOTED_OR_REPORTED, ids=lambda t: t[:30])
def test_quoted_or_reported_phrases_are_left_to_the_model(settings_app, text):
    with settings_app.app_context():
        assert find_hold_phrase(text) is None


@pytest.mark.parametrize("text", OWN_WORDS_AFTER_REPORTING, ids=lambda t: t[:30])
def test_the_writers_own_words_beside_a_quote_are_still_held(settings_app, text):
    with settings_app.app_context():
        assert find_hold_phrase(text)


def _post(client, body: str):
    return client.post("/api/v1/sites/news/articles/a/comments",
                       json={"author_name": "X", "body": body}).get_json()


@pytest.mark.parametrize("family", FAMILIES)
def test_a_held_comment_goes_to_review_with_the_phrase_shown(app, client, site, family):
    from moderation.extensions import db
    from moderation.models import Comment

    _, _, body, phrase = FAMILIES[family]
    posted = _post(client, body)
    assert posted["state"] == "pending"
    with app.app_context():
        comment = db.session.get(Comment, posted["id"])
        assert comment.reason == "suspect_word"
        assert comment.matched_word == phrase


@pytest.mark.parametrize("family", FAMILIES)
def test_each_check_can_be_switched_off(app_factory, site, family):
    _, setting, body, _ = FAMILIES[family]
    client = app_factory(**{setting: False}).test_client()
    assert _post(client, body)["state"] == "published"
