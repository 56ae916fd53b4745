"""Built-in threat phrases: the model barely learned threats, so these force review.

The training data holds almost no threat labels (see docs/MODEL.md), and threats are often
written without a single rude word. These patterns catch the common grammar of a threat
(first person + future + violence aimed at the reader, calls for violence, "I know where
you live") and send the comment to a human; they never reject on their own.
"""

from __future__ import annotations

import re

from flask import current_app

from moderation.policy.phrases.patterns import first_match

_VIOLENCE = r"(kill|hurt|shoot|stab|murder|strangle|hang|burn|rape|punch|choke|slit|gut|break)"
_FLAGS = re.IGNORECASE

_ATTACK = r"(kill|hurt|shoot|stab|murder|strangle|burn|rape|punch|choke|slit|gut)"
# Parts of a body, for "I'll smash your face in": smashing a body is a threat whoever says
# it, where "smash the record" is not. "Break" stays out ("don't break your arm patting
# yourself on the back"); "I will break your legs" is caught by the first-person pattern.
_BODY = r"(face|head|skull|teeth|nose|jaw|legs?|arms?|fingers?|knees?|ribs|kneecaps?)"
_KIN = r"(family|kids|children|wife|husband|son|daughter|parents|mother|father|loved ones)"

PATTERNS = [
    # "I will kill you", "we're gonna hurt your family", "I'm going to break your legs"
    re.compile(r"\b(i|we)\b(?:'m|'re| am| are)?[^.!?]{0,20}?\b(will|'ll|going to|gonna|shall)"
               rf"\b[^.!?]{{0,20}}?\b({_VIOLENCE[1:-1]})\b[^.!?]{{0,15}}?\b(you|u|ya|your)\b",
               _FLAGS),
    # "I'll hurt them the moment they leave": the third person, without "shoot" ("I'll shoot
    # him an email") or "break" ("we'll break her record").
    re.compile(r"\b(i|we)\b(?:'m|'re| am| are)?[^.!?]{0,20}?\b(will|'ll|going to|gonna)\s+"
               r"(kill|hurt|stab|murder|strangle|rape|punch|choke|beat up)\s+(him|her|them)\b",
               _FLAGS),
    # "I'll smash your face in", "someone should kick his head in"
    re.compile(r"\b(smash|bash|cave|kick|stamp on)\s+(your|his|her|their)\s+"
               rf"(\w+\s+)?{_BODY}\b", _FLAGS),
    # "your family will pay", "your kids will suffer for this"
    re.compile(rf"\byour\s+{_KIN}\s+(will|'ll|are going to|is going to|gonna)\s+"
               r"(pay|suffer|be sorry|regret)\b", _FLAGS),
    # "you will end up in hospital", "you'll wind up in a body bag"
    re.compile(r"\byou('ll| will| are going to| gonna)\s+(end up|wind up)\s+(in\s+)?"
               r"(a |the )?(hospital|coffin|body bag|wheelchair|morgue|grave|dead)\b", _FLAGS),
    re.compile(r"\b(sleep with one eye open|your days are numbered)\b", _FLAGS),
    # "I will find you", "we are coming for you", "we will hunt you down"
    re.compile(r"\b(i|we)\b[^.!?]{0,20}?\b(will|'ll|going to|gonna)\s+(find|hunt)\s+"
               r"(you|u|ya)\b", _FLAGS),
    # "someone should put a bullet in that reporter", "somebody needs to shoot the mayor"
    re.compile(r"\b(someone|somebody|people|they|you|we)\s+(should|ought to|needs? to|must)"
               rf"\s+(put a bullet|{_ATTACK[1:-1]})\b", _FLAGS),
    re.compile(r"\bput (a|one|two) (bullet|round)s? (in|into|through|between)\b", _FLAGS),
    re.compile(r"\bknow where (you|u|your \w+|he|she|they) (live|lives|work|works|sleep|go)",
               _FLAGS),
    # "we know where your house is"; "where your kids are" is a public-service slogan.
    re.compile(r"\bknow where your (house|home|flat|apartment|office) is\b", _FLAGS),
    re.compile(r"\b(watch your back|coming for you|make you pay)\b", _FLAGS),
    re.compile(r"\byou('ll| will) regret (this|it|that|writing|saying|the day)\b", _FLAGS),
    re.compile(r"\bsee what happens to (you|your)\b", _FLAGS),
    re.compile(r"\bdeserves? to (die|be (killed|shot|beaten|hanged|hung|raped|hurt|burned))\b",
               _FLAGS),
    re.compile(r"\bkill (yourself|urself|yourselves)\b", _FLAGS),
]


def find_threat(text: str) -> str | None:
    """Return the first threatening phrase in the text, or None when the check is off."""
    if not current_app.config.get("THREAT_PHRASES", True):
        return None
    return first_match(PATTERNS, text)
