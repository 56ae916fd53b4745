"""Groups that readers of a news site discuss, with the word forms the templates need."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Group:
    """One group: its key and the noun forms that fit into a sentence."""

    key: str
    plural: str  # "refugees", "Black people"
    singular: str  # "refugee", "Black person" (no article)
    adjective: str  # "refugee" in "my refugee neighbour"
    # Ways a member describes themselves ("As a gay man, I ..."), article included.
    members: tuple[str, ...]
    # Real slurs for the group as (singular, plural), lowercase; kept as data so the
    # suite measures whether the scorer holds them, never shown to readers.
    slurs: tuple[tuple[str, str], ...] = ()

    @property
    def a_singular(self) -> str:
        """Return the singular with its indefinite article ("an immigrant")."""
        article = "an" if self.singular[0].lower() in "aeiou" else "a"
        return f"{article} {self.singular}"


GROUPS: tuple[Group, ...] = (
    Group("women", "women", "woman", "female", ("a woman", "a mother of two"),
          (("bitch", "bitches"), ("slut", "sluts"))),
    Group("immigrants", "immigrants", "immigrant", "immigrant",
          ("an immigrant", "an immigrant from Poland")),
    Group("refugees", "refugees", "refugee", "refugee", ("a refugee", "a former refugee")),
    Group("muslims", "Muslims", "Muslim", "Muslim", ("a Muslim woman", "a Muslim father"),
          (("raghead", "ragheads"), ("towelhead", "towelheads"))),
    Group("jews", "Jews", "Jew", "Jewish", ("a Jew", "a Jewish reader"),
          (("kike", "kikes"), ("yid", "yids"))),
    Group("black_people", "Black people", "Black person", "Black",
          ("a Black woman", "a Black man"), (("nigger", "niggers"), ("coon", "coons"))),
    Group("gay_people", "gay people", "gay person", "gay", ("a gay man", "a lesbian"),
          (("faggot", "faggots"), ("fag", "fags"), ("dyke", "dykes"))),
    Group("trans_people", "trans people", "trans person", "trans",
          ("a trans woman", "a trans man"), (("tranny", "trannies"), ("shemale", "shemales"))),
    Group("disabled_people", "disabled people", "disabled person", "disabled",
          ("a disabled person", "a wheelchair user"),
          (("retard", "retards"), ("spastic", "spastics"))),
    Group("chinese_people", "Chinese people", "Chinese person", "Chinese",
          ("a Chinese student", "a Chinese-born nurse"),
          (("chink", "chinks"), ("chinaman", "chinamen"))),
    Group("russians", "Russians", "Russian", "Russian",
          ("a Russian living here", "a Russian-speaking teacher"), (("vatnik", "vatniks"),)),
    Group("roma", "Roma", "Roma person", "Roma", ("a Roma woman", "a Romani man"),
          (("gyppo", "gyppos"), ("pikey", "pikeys"))),
    Group("asians", "Asians", "Asian", "Asian", ("an Asian woman", "a British Asian"),
          (("gook", "gooks"), ("paki", "pakis"))),
    Group("mexicans", "Mexicans", "Mexican", "Mexican", ("a Mexican", "a Mexican-American"),
          (("wetback", "wetbacks"), ("beaner", "beaners"))),
    Group("elderly_people", "elderly people", "elderly person", "elderly",
          ("a pensioner", "an 80-year-old")),
    Group("christians", "Christians", "Christian", "Christian",
          ("a Christian", "a churchgoing Christian")),
)

GROUPS_BY_KEY = {group.key: group for group in GROUPS}
