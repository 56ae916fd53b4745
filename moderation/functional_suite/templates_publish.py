"""Templates for comments the service must publish, many of them naming a group."""

from __future__ import annotations

from moderation.functional_suite.templates import PUBLISH, Category

PUBLISH_CATEGORIES: tuple[Category, ...] = (
    Category("neutral_group", PUBLISH, "news-style statements of fact about a group", (
        "The census counted more {plural} in the region than a decade ago.",
        "A new survey asked {plural} about their experience of public transport.",
        "The council met representatives of {plural} on Tuesday.",
        "The report looks at how many {plural} work in the health service.",
        "The museum is opening an exhibition on the history of {plural} in the city.",
        "The article quotes several {plural} who live near the new rail line.",
        "Researchers interviewed {plural} about rising rents.",
        "Polling suggests {plural} are split on the new budget.",
        "The charity says {plural} in the area wait weeks for a doctor's appointment.",
        "My {adj} neighbour was interviewed for this piece about the bypass.",
    )),
    Category("positive_group", PUBLISH, "positive statements about a group", (
        "{Plural} have made this city a better place to live.",
        "I love working with {plural}; my team is stronger for it.",
        "{Plural} are a valued part of our community.",
        "So proud of the {plural} who ran the food bank this winter.",
        "My {adj} neighbours are the kindest people on the street.",
        "{Plural} deserve the same respect as everyone else.",
        "We are lucky to have {plural} in our town.",
        "Great to read about {plural} doing well in local business.",
        "Every {singular} I have met here has been welcoming.",
        "{Plural} bring so much to the culture of this country.",
    )),
    Category("counter_quote", PUBLISH, "counter-speech that quotes hate to denounce it", (
        'Saying "{Plural} {hate_claim}" is disgusting.',
        "A commenter above wrote that {plural} {hate_claim}. That is bigotry, plain and simple.",
        'When people shout "{Plural} {hate_claim}", they are spreading hate.',
        'The poster saying "{Plural} {hate_claim}" should be taken down at once.',
        "If you think {plural} {hate_claim}, take a hard look at yourself.",
        "Please report any comment claiming that {plural} {hate_claim}.",
        'My grandfather heard "{Plural} {hate_claim}" all his life, and it was hateful then too.',
    )),
    Category("counter_plain", PUBLISH, "counter-speech that denounces hate without quoting it", (
        "Hatred of {plural} has no place in this comment section.",
        "Attacking {plural} for who they are is wrong, full stop.",
        "I am tired of seeing {plural} blamed for everything. It is scapegoating.",
        "Please stop spreading lies about {plural}.",
        "The abuse {plural} receive online is a disgrace to all of us.",
        "Comments demeaning {plural} should be removed by the moderators.",
        "We should stand with {plural} when they are targeted.",
        "Bigotry against {plural} says more about the bigot than about them.",
        "Anyone stirring up hatred against {plural} should be ashamed.",
    )),
    Category("negated_hate", PUBLISH, "hateful claims that are denied", (
        "I would never say {plural} are {bad_adj}.",
        "{Plural} are not {bad_noun}.",
        "No one should call {plural} {bad_noun}.",
        "It is simply not true that {plural} are {bad_adj}.",
        "I have never believed that {plural} are {bad_adj}.",
        "{Plural} are not to blame for the housing crisis.",
        "There is nothing wrong with being {a_singular}.",
        "Nobody deserves to be treated badly for being {a_singular}.",
    )),
    Category("lookalike_words", PUBLISH, "harmless words that contain rude-looking letters", (
        "The {attraction} was the best part of our day out in {town}.",
        "We watched {film} at the community cinema in {town}.",
        "The restaurant's {dish} was the best thing on the menu.",
        "My daughter's {desk_word} is due before the half-term break.",
        "The {town} farmers' market moves to Saturdays from next month.",
    )),
    Category("strong_words_events", PUBLISH, "strong words about events or policies, or civil "
             "disagreement with a journalist", (
        "This {policy} is {strong}.",
        "The {official} killed the match with that decision.",
        "That {event} absolutely destroyed my weekend plans.",
        "The author is wrong about {topic}; the figures in the report say otherwise.",
        "I strongly disagree with this editorial on {topic}, it ignores the evidence.",
        "Our striker absolutely murdered that {shot}.",
        "This {policy} will kill small businesses on the high street.",
        "What a stupid decision by the council to close the {facility}.",
        "With respect, the reporter has {topic} completely backwards.",
    )),
    Category("identity_mention", PUBLISH, "readers naming their own identity, neutrally", (
        "As {member}, I found this article very balanced.",
        "As {member}, I would like to see more coverage of local schools.",
        "Speaking as {member}, the new bus route has made my commute much easier.",
        "As {member} who has lived here for twenty years, I support the park plan.",
        "I'm {member} and I volunteer at the library every Saturday.",
        "As {member}, I was glad to be asked for my view in this piece.",
    )),
)
