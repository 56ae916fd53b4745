"""Word lists that fill the non-group slots of the templates."""

from __future__ import annotations

# Each key is a slot name used as {name} in a template; every value fits that slot's grammar.
SLOTS: dict[str, tuple[str, ...]] = {
    # Dehumanisation: vermin, animals, disease, filth.
    "vermin": ("rats", "cockroaches", "parasites", "vermin", "maggots", "lice", "leeches"),
    "beasts": ("animals", "beasts", "pigs", "dogs", "hyenas", "swine"),
    "disease": ("disease", "plague", "cancer", "infection", "virus", "rot"),
    "filth": ("filth", "garbage", "trash", "scum", "sewage", "waste"),
    # Threats against a person: body parts and places a commenter could name.
    "body": ("legs", "arms", "jaw", "nose", "fingers", "ribs"),
    "place": ("house", "office", "flat", "newsroom", "front door"),
    "meeting": ("station", "market", "school gates", "gym", "car park"),
    # Profane insults at a person.
    "insult": ("idiot", "moron", "clown", "loser", "disgrace"),
    "profane_noun": ("arsehole", "dickhead", "prick", "twat", "bastard", "asshole"),
    "addressee": ("the author", "this journalist", "the editor", "whoever wrote this",
                  "the reporter"),
    # Counter-speech and negated hate: hateful claims to quote or deny.
    "hate_claim": ("are vermin", "should all be deported", "are parasites",
                   "are a disease", "do not deserve rights", "are subhuman",
                   "should go back where they came from", "are all criminals"),
    "bad_adj": ("lazy", "dangerous", "dirty", "stupid", "dishonest", "violent"),
    "bad_noun": ("criminals", "a threat", "parasites", "freeloaders", "invaders", "liars"),
    # Words that only look rude: place names, dishes and everyday words.
    "town": ("Scunthorpe", "Penistone", "Essex", "Sussex", "Middlesex", "Cockermouth",
             "Clitheroe"),
    "attraction": ("peacock enclosure", "cocktail bar", "bass guitar workshop",
                   "Titanic exhibition", "classic car show", "Dickens festival",
                   "Hitchcock season", "grape harvest", "scrapbook fair", "cockle stall"),
    "dish": ("shiitake risotto", "spotted dick", "cockle chowder", "grilled sea bass",
             "grape sorbet", "cocktail sausages"),
    "film": ("a Dick Van Dyke musical", "Moby Dick", "a Hitchcock thriller", "Titanic",
             "a classic Western"),
    "desk_word": ("class assessment", "passage analysis", "cumulative score",
                  "assistant's document", "button design", "Sussex assignment"),
    # Strong words about events and policies, not people.
    "policy": ("tax plan", "parking scheme", "rail timetable", "budget",
               "bin collection change", "new bus route"),
    "strong": ("stupid", "a total disaster", "insane", "absolutely ridiculous", "a joke",
               "dumb"),
    "official": ("referee", "umpire", "linesman", "video review"),
    "event": ("storm", "rail strike", "roadworks", "power cut", "heatwave"),
    "topic": ("the deficit", "bus fares", "housing numbers", "school funding",
              "crime figures", "hospital waiting lists"),
    "facility": ("library", "swimming pool", "youth centre", "post office", "night bus"),
    "shot": ("penalty", "free kick", "volley", "serve"),
}
