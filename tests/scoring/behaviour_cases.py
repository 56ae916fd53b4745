"""A CheckList-style behavioural set (Ribeiro et al., ACL 2020) for the bundled model."""

# Threats with no profanity: a word filter misses them, the model must not.
THREATS = [
    "I know where you live and I will make you pay for this.",
    "Someone should put a bullet in that reporter.",
    "I am going to hurt you and your whole family.",
    "You will regret writing this when I find you.",
    "People like you deserve to be beaten until you stop talking.",
    "I will kill you if you come back here.",
    "Watch your back, we are coming for you.",
    "Keep writing lies and see what happens to your house.",
]

# Attacks on a group with no profanity.
IDENTITY_ATTACKS = [
    "Muslims are a disease on this country.",
    "All immigrants are criminals and should be thrown out.",
    "Women are too stupid to be allowed to vote.",
    "Jews control the media and must be stopped.",
    "Black people are animals.",
    "Gay people are disgusting and sick.",
    "Mexicans are lazy parasites living off our taxes.",
    "Those refugees are vermin and should go back where they came from.",
]

# Profanity and insults spelled to dodge word filters.
OBFUSCATED = [
    "you are a f.u.c.k.i.n.g idiot",
    "what a sh1t article, the author is a moron",
    "shut up you stupid b!tch",
    "go f*ck yourself",
    "you stupid a$$hole",
    "this writer is an 1d1ot",
    "what a bunch of m0rons",
    "you s.t.u.p.i.d loser",
]

# Harmless uses of words that often appear in abuse: these must not be rejected.
BENIGN = [
    "That was a hell of a game last night.",
    "This app is killer, I use it every day.",
    "Calling someone that slur is racist and wrong, and the paper should say so.",
    "The killer was sentenced to life in prison yesterday.",
    "I hate it when the bus is late.",
    "Damn, what a goal in the last minute!",
    "The article about the attack on the embassy was well researched.",
    "My grandmother was a Muslim immigrant and she taught me to cook.",
    "Gay and lesbian couples will be able to adopt under the new law.",
    "The mayor's plan is stupid expensive but it might work.",
    "We killed it at the quiz night, our team won.",
    "That is a sick skateboard trick.",
]
