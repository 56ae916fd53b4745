"""The widget files and demo pages as served: types, caching, size and safe DOM use."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from moderation.sites.create import DEMO_ARTICLE

STATIC = Path(__file__).resolve().parents[2] / "moderation" / "widgets" / "static"
SCRIPTS = ["embed.js", "count.js", "most-discussed.js"]


@pytest.mark.parametrize("name", SCRIPTS)
def test_scripts_are_served_as_javascript_with_caching(client, name):
    response = client.get("/" + name)
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert "max-age=" in response.headers["Cache-Control"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_stylesheet_uses_namespaced_classes_and_colour_variables(client):
    response = client.get("/embed.css")
    assert response.mimetype == "text/css"
    css = response.get_data(as_text=True)
    selectors = re.findall(r"\.([a-z][\w-]*)", re.sub(r"\{[^}]*\}", "{}", css))
    assert selectors and all(s.startswith("mcw") for s in selectors)
    assert "prefers-color-scheme: dark" in css and "var(--mcw-" in css


def test_embed_is_at_most_15_kb_gzipped():
    assert len(gzip.compress((STATIC / "embed.js").read_bytes(), 9)) <= 15 * 1024


@pytest.mark.parametrize("name", SCRIPTS)
def test_scripts_never_parse_html(name):
    source = (STATIC / name).read_text()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in source


def test_demo_article_page_embeds_the_widget(client):
    html = client.get("/demo/").get_data(as_text=True)
    assert 'src="/embed.js"' in html and 'data-site="demo"' in html
    assert f'data-article="{DEMO_ARTICLE}"' in html and '<div id="comments">' in html


def test_demo_listing_page_has_counts_and_the_rail(client):
    html = client.get("/demo/listing").get_data(as_text=True)
    assert html.count("data-comment-count") == 4
    assert 'src="/count.js"' in html and 'src="/most-discussed.js"' in html


def catalogue_keys() -> dict[str, set[str]]:
    """Read the widget's translation catalogue: the English keys of each language."""
    source = (STATIC / "embed.js").read_text()
    block = source[source.index("var CATALOGUE"):source.index("var lang =")]
    parts = re.split(r"\n    (\w+): \{", block)[1:]
    key = r'"((?:[^"\\]|\\.)*)":\s'
    pairs = zip(parts[::2], parts[1::2], strict=True)
    return {lang: set(re.findall(key, body)) for lang, body in pairs}


def test_every_widget_string_is_translated_in_each_language():
    source = (STATIC / "embed.js").read_text()
    used = set(re.findall(r'\b(?:t|say)\("((?:[^"\\]|\\.)+)"', source))
    used |= set(re.findall(r'\bfield\("([^"]+)"', source))
    used |= set(re.findall(r'\["\w+", "([^"]+)"\]', source))
    languages = catalogue_keys()
    assert set(languages) >= {"fr", "ar"}
    assert len(used) > 35
    for lang, keys in languages.items():
        assert used - keys == set(), lang


def test_server_messages_shown_by_the_widget_are_translated():
    from moderation.readers.nudges import MESSAGE as NUDGE_MESSAGE
    from moderation.services.comments import PUBLIC_STATES

    messages = {message for _state, message in PUBLIC_STATES.values()}
    messages.add("Thank you; the moderators will look at this comment.")
    messages.add(NUDGE_MESSAGE)
    for lang, keys in catalogue_keys().items():
        assert messages - {"This comment was deleted."} <= keys, lang
