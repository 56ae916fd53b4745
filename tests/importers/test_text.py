"""Converting other systems' HTML, names, emails, addresses and dates to what is stored here."""

from __future__ import annotations

from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from moderation.importers import text
from moderation.importers.records import article_key


def test_html_becomes_plain_text_with_paragraphs_and_links():
    html = ('<p>Great &amp; useful <b>reporting</b>.</p><p>Line one<br>line two with a '
            '<a href="https://example.org/src">source</a></p><script>alert(1)</script>'
            "<style>p{}</style>&lt;not a tag&gt;")
    assert text.html_to_text(html) == (
        "Great & useful reporting.\n\nLine one\nline two with a source "
        "(https://example.org/src)\n\n<not a tag>"
    )


def test_link_whose_words_are_its_address_is_not_repeated():
    assert text.html_to_text('<a href="https://x.example/">https://x.example</a>') == \
        "https://x.example"


def test_wordpress_newlines_are_kept_and_control_characters_dropped():
    assert text.html_to_text("one\r\ntwo\x0b\n\n\n\nthree", keep_newlines=True) == \
        "one\ntwo\n\nthree"


def test_names_emails_and_addresses_follow_the_live_rules():
    assert text.author_name("  Ann &amp; Bo\x07 ") == "Ann & Bo"
    assert text.author_name("") == "Anonymous"
    assert len(text.author_name("x" * 300)) == 80
    assert text.author_email("ann@example.org") == "ann@example.org"
    assert text.author_email("not-an-email") is None
    assert text.canonical_ip("2001:0db8:0000::0001") == "2001:db8::1"
    assert text.canonical_ip("not-an-ip") is None


def test_dates_in_every_source_form_become_naive_utc():
    assert text.parse_time("2013-04-03T17:05:51Z") == datetime(2013, 4, 3, 17, 5, 51)
    assert text.parse_time("2019-01-14T22:54:07.524727519-06:00") == \
        datetime(2019, 1, 15, 4, 54, 7, 524727)
    assert text.parse_time("2014-02-07 09:13:44") == datetime(2014, 2, 7, 9, 13, 44)
    assert text.parse_time("0000-00-00 00:00:00") is None
    assert text.parse_time(1547500000.25) == datetime(2019, 1, 14, 21, 6, 40, 250000)


def test_offsets_without_a_fraction_are_read_as_utc_like_the_rest():
    assert text.parse_time("2013-04-03T17:05:51+02:00") == datetime(2013, 4, 3, 15, 5, 51)
    assert text.parse_time("2013-04-03T17:05:51z") == datetime(2013, 4, 3, 17, 5, 51)
    assert text.parse_time(" 2013-04-03T17:05:51Z ") == datetime(2013, 4, 3, 17, 5, 51)
    assert text.parse_time("2013-04-03T17:05:51.5Z") == datetime(2013, 4, 3, 17, 5, 51, 500000)
    assert text.parse_time("3 April 2013") is None


def test_article_keys_use_identifier_then_url_then_a_cleaned_form():
    assert article_key("bike-lanes", "https://n.example/b") == "bike-lanes"
    assert article_key(None, "https://n.example/b") == "https://n.example/b"
    assert article_key("102 https://n.example/?p=102", "https://n.example/?p=102") == \
        "102-https://n.example/-p-102"
    assert article_key(None, "/2019/01/hello/") == "2019/01/hello"
    assert article_key(None, None) is None


_FRAGMENTS = [
    "<p>", "</p>", "<br>", "<br/>", "<BR />", "<b>", "</b>", "</A >", "<a>", "</a>",
    '<a href="https://x.example/a">', "<a href='https://y.example/'>", "<a href=x/>",
    "<a href=https://z.example/?a=1&amp;b=2>", '<a href="">', "<a disabled>",
    '<a rel=nofollow href="https://q.example" >', '<img src="x.png" alt="a > b">',
    "<div class='c'>", "</div>", "<li>", "</li>", "<hr/>", "<p/>", "<pre>", "</pre>",
    "<title>", "</title>", "<iframe src=x>", "</iframe>", "<script>", "</script>",
    "<style>", "<!-- note -->", "</p/>", "<a href==x>", '<a href="x"title="y">', "<3", "<",
    ">", "&amp;", "&lt;b&gt;", "&#10;", "&nbsp;", "&bogus;", "&", "hello", " world ", "\n",
    "\r\n", "\t", "\x07", "https://x.example/a", "  ",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=14), st.booleans())
def test_simple_html_is_converted_exactly_as_htmlparser_converts_it(pieces, keep_newlines):
    html = "".join(pieces)
    assert text.html_to_text(html, keep_newlines=keep_newlines) == \
        text.parsed_html_to_text(html, keep_newlines=keep_newlines)
