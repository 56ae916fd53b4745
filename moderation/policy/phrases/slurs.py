"""Built-in slurs: a word whose only common meaning is a slur sends the comment to review.

The model holds a slur in an otherwise plain sentence ("the new tenants are ...") only
about three times in four: it learned slurs from the few rated rows that carry each one.
Only words with no everyday meaning beside the slur are listed: "chink" (in the armour),
"dyke" (a sea wall), "fag" (a cigarette), "coon" (a cheese), "retard" (to slow), "tranny"
(a gearbox), "wop" (doo-wop) and reclaimed words are left to the model. Like the other
phrase lists this never rejects. Matching is whole-word and sees through leetspeak,
spacing and repeated letters.
"""

from __future__ import annotations

from flask import current_app

from moderation.policy.words import find_word

SLURS = [
    "nigger", "niggers", "sandnigger", "sandniggers", "kike", "kikes", "faggot", "faggots",
    "shemale", "shemales", "gook", "gooks", "towelhead", "towelheads", "raghead", "ragheads",
    "wetback", "wetbacks", "beaner", "beaners", "zipperhead", "zipperheads", "jigaboo",
    "jigaboos", "darkie", "darkies", "gyppo", "gyppos", "pikey", "pikeys", "paki", "pakis",
    "spics", "vatnik", "vatniks", "kaffir", "kaffirs", "golliwog", "golliwogs",
]


def find_slur(text: str) -> str | None:
    """Return the first built-in slur the text contains, or None when the check is off."""
    if not current_app.config.get("SLUR_PHRASES", True):
        return None
    return find_word(text, SLURS)
