"""Export files in each format, written by hand from the published format descriptions.

Each carries the ugly parts real exports have: CDATA, entities, missing parents, posts before
their threads, duplicate ids, bytes that are not UTF-8, an empty thread, a 50,000-character
comment.
"""

from __future__ import annotations

import gzip
import json

LONG_BODY = ("All the words of a very long comment. " * 1400)[:50_000]
assert len(LONG_BODY) == 50_000

DISQUS_HEAD = (
    b'<?xml version="1.0" encoding="utf-8"?>\n'
    b'<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals" '
    b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    b'xsi:schemaLocation="http://disqus.com/api/schemas/1.0/disqus.xsd '
    b'http://disqus.com/api/schemas/1.0/disqus-internals.xsd">\n'
)


def disqus_post(post_id: str, thread_id: str, message: str, *, parent: str | None = None,
                name: str = "Ann", email: str = "ann@example.org", username: str = "ann",
                ip: str = "192.0.2.10", created: str = "2013-04-03T17:05:51Z",
                deleted: bool = False, spam: bool = False, approved: bool | None = None) -> str:
    parent_el = f'<parent dsq:id="{parent}"/>' if parent else ""
    approved_el = "" if approved is None else f"<isApproved>{str(approved).lower()}</isApproved>"
    return (
        f'<post dsq:id="{post_id}"><id/><message><![CDATA[{message}]]></message>'
        f"<createdAt>{created}</createdAt><isDeleted>{str(deleted).lower()}</isDeleted>"
        f"<isSpam>{str(spam).lower()}</isSpam>{approved_el}"
        f"<author><email>{email}</email><name>{name}</name>"
        f"<isAnonymous>false</isAnonymous><username>{username}</username></author>"
        f'<ipAddress>{ip}</ipAddress><thread dsq:id="{thread_id}"/>{parent_el}</post>\n'
    )


def disqus_thread(thread_id: str, identifier: str, link: str, title: str, *,
                  closed: bool = False) -> str:
    return (
        f'<thread dsq:id="{thread_id}"><id>{identifier}</id><forum>daily</forum>'
        f'<category dsq:id="1"/><link>{link}</link><title>{title}</title><message/>'
        "<createdAt>2013-04-01T08:00:00Z</createdAt><author><email>desk@example.org</email>"
        "<name>Desk</name><isAnonymous>false</isAnonymous><username>desk</username></author>"
        f"<ipAddress>127.0.0.1</ipAddress><isClosed>{str(closed).lower()}</isClosed>"
        "<isDeleted>false</isDeleted></thread>\n"
    )


def disqus_export() -> bytes:
    """A Disqus export with the ugly parts; returns bytes (one deliberately not UTF-8)."""
    body = [
        '<category dsq:id="1"><forum>daily</forum><title>General</title>'
        "<isDefault>true</isDefault></category>\n",
        # A post before its thread, replying to a parent that comes later in the file.
        disqus_post("1003", "100", "<p>Early reply</p>", parent="1001",
                    created="2013-04-03T18:00:00Z", name="Bo", email="bo@example.org",
                    username="bo", ip="2001:db8::1"),
        disqus_thread("100", "bike-lanes", "https://news.example/bike-lanes",
                      "Bike lanes &amp; buses"),
        disqus_thread("101", "", "https://news.example/empty?page=1", "Nobody commented"),
        disqus_thread("102", "102 https://news.example/?p=102",
                      "https://news.example/?p=102", "A WordPress-style identifier", closed=True),
        disqus_post("1001", "100",
                    "<p>Great &amp; useful <b>reporting</b>.</p><p>Second paragraph<br>"
                    'with a <a href="https://example.org/source" rel="nofollow">source</a>'
                    "</p><script>alert(1)</script>",
                    created="2013-04-03T17:05:51Z"),
        disqus_post("1002", "100", "Plain reply", parent="1001", created="2013-04-03T17:30:00Z",
                    name="Cy", email="not-an-email", username="", ip="not-an-ip"),
        disqus_post("1004", "100", "Reply to a post never exported", parent="999",
                    created="2013-04-03T19:00:00Z"),
        disqus_post("1005", "100", "Deleted one", deleted=True, created="2013-04-04T10:00:00Z"),
        disqus_post("1006", "100", "Buy cheap watches", spam=True,
                    created="2013-04-04T11:00:00Z"),
        disqus_post("1007", "102", "Waiting for approval", approved=False,
                    created="2013-04-04T12:00:00Z"),
        disqus_post("1008", "102", LONG_BODY, created="2013-04-05T12:00:00Z"),
        # The same id again: the first one wins.
        disqus_post("1001", "100", "A duplicate of 1001", created="2013-04-06T12:00:00Z"),
        disqus_post("1009", "999", "On a thread not in the file",
                    created="2013-04-06T13:00:00Z"),
        disqus_post("1010", "102", "Caf\x00MARK bar", created="2013-04-07T13:00:00Z"),
    ]
    text = DISQUS_HEAD.decode() + "".join(body) + "</disqus>\n"
    # "Café" written in Windows-1252 (0xE9), which is not UTF-8.
    return text.encode("utf-8").replace(b"Caf\x00MARK", b"Caf\xe9")


WXR_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" ?>\n'
    '<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n<title>The Daily</title>\n'
    "<link>https://daily.example</link>\n<wp:wxr_version>1.2</wp:wxr_version>\n"
)


def wxr_comment(comment_id: str, content: str, *, parent: str = "0", approved: str = "1",
                author: str = "Ann", email: str = "ann@example.org", ip: str = "198.51.100.7",
                date_gmt: str = "2014-02-07 09:13:44", kind: str = "", user_id: str = "0"
                ) -> str:
    return (
        f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>"
        f"<wp:comment_author><![CDATA[{author}]]></wp:comment_author>"
        f"<wp:comment_author_email><![CDATA[{email}]]></wp:comment_author_email>"
        "<wp:comment_author_url>https://ann.example</wp:comment_author_url>"
        f"<wp:comment_author_IP><![CDATA[{ip}]]></wp:comment_author_IP>"
        "<wp:comment_date><![CDATA[2014-02-07 10:13:44]]></wp:comment_date>"
        f"<wp:comment_date_gmt><![CDATA[{date_gmt}]]></wp:comment_date_gmt>"
        f"<wp:comment_content><![CDATA[{content}]]></wp:comment_content>"
        f"<wp:comment_approved><![CDATA[{approved}]]></wp:comment_approved>"
        f"<wp:comment_type><![CDATA[{kind}]]></wp:comment_type>"
        f"<wp:comment_parent>{parent}</wp:comment_parent>"
        f"<wp:comment_user_id>{user_id}</wp:comment_user_id>"
        "<wp:commentmeta><wp:meta_key><![CDATA[akismet_result]]></wp:meta_key>"
        "<wp:meta_value><![CDATA[false]]></wp:meta_value></wp:commentmeta>"
        "</wp:comment>\n"
    )


def wxr_item(post_id: str, link: str, title: str, comments: list[str], *,
             status: str = "open") -> str:
    return (
        f"<item><title>{title}</title><link>{link}</link>"
        "<pubDate>Fri, 07 Feb 2014 09:13:44 +0000</pubDate>"
        "<dc:creator><![CDATA[editor]]></dc:creator>"
        "<content:encoded><![CDATA[<p>The article.</p>]]></content:encoded>"
        f"<wp:post_id>{post_id}</wp:post_id>"
        "<wp:post_date_gmt>2014-02-07 09:00:00</wp:post_date_gmt>"
        f"<wp:comment_status>{status}</wp:comment_status><wp:status>publish</wp:status>"
        "<wp:post_type>post</wp:post_type>"
        "<wp:postmeta><wp:meta_key>_edit_last</wp:meta_key><wp:meta_value>1</wp:meta_value>"
        "</wp:postmeta>" + "".join(comments) + "</item>\n"
    )


def wordpress_export() -> bytes:
    items = [
        wxr_item("12", "https://daily.example/?p=12", "Council &amp; the budget", [
            # A reply before its parent, and a parent that is not in the file.
            wxr_comment("6", "A reply\nover two lines", parent="5", author="Bo",
                        email="bo@example.org", date_gmt="2014-02-07 10:00:00"),
            wxr_comment("5", "First! <strong>Bold</strong> &amp; brave",
                        date_gmt="2014-02-07 09:30:00"),
            wxr_comment("7", "Held for moderation", approved="0", date_gmt="0000-00-00 00:00:00"),
            wxr_comment("8", "Spam link", approved="spam"),
            wxr_comment("9", "Trashed", approved="trash"),
            wxr_comment("10", "", kind="pingback", author="Another blog"),
            wxr_comment("11", "Orphan reply", parent="4"),
            wxr_comment("5", "Duplicate id 5"),
            wxr_comment("13", LONG_BODY, user_id="3"),
            wxr_comment("14", "Caf\x00MARK au lait"),
        ], status="closed"),
        wxr_item("13", "https://daily.example/?p=13", "Empty post", []),
        wxr_item("14", "https://daily.example/about/", "About", [
            wxr_comment("20", "On the about page", ip="", email=""),
        ]),
    ]
    text = WXR_HEAD + "".join(items) + "</channel>\n</rss>\n"
    return text.encode("utf-8").replace(b"Caf\x00MARK", b"Caf\xe9")


def remark42_backup(*, gzipped: bool = True) -> bytes:
    meta = {"version": 1,
            "users": [{"id": "github_1", "blocked": {"status": False,
                                                     "until": "0001-01-01T00:00:00Z"},
                       "verified": True}],
            "posts": [{"url": "https://blog.example/closed/", "read_only": True}]}

    def comment(cid, text, *, pid="", url="https://blog.example/post/", user="github_1",
                name="Ann", time="2019-01-14T22:54:07.524727519-06:00", delete=False,
                orig=None):
        record = {"id": cid, "pid": pid, "text": text,
                  "user": {"name": name, "id": user, "picture": "", "ip": "293ec5b0cf1548552",
                           "admin": False, "site_id": "blog"},
                  "locator": {"site": "blog", "url": url}, "score": 0, "votes": {},
                  "time": time, "title": "A post"}
        if orig is not None:
            record["orig"] = orig
        if delete:
            record["delete"] = True
        return json.dumps(record, ensure_ascii=False)

    lines = [
        json.dumps(meta),
        comment("c-2", "<p>reply before parent</p>", pid="c-1",
                time="2019-01-15T10:00:00Z", name="Bo", user="google_2"),
        comment("c-1", '<p>Hello <a href="https://x.example/">x.example</a> &amp; all</p>',
                orig="Hello [x.example](https://x.example/) & all"),
        comment("c-3", "", delete=True, time="2019-01-16T10:00:00Z"),
        comment("c-4", "<p>orphan</p>", pid="c-missing", time="2019-01-17T10:00:00Z"),
        comment("c-5", "<p>on a closed post</p>", url="https://blog.example/closed/"),
        comment("c-1", "<p>duplicate</p>"),
        comment("c-6", f"<p>{LONG_BODY}</p>", time="2019-01-18T10:00:00Z"),
        comment("c-7", "<p>no locator</p>", url=""),
    ]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    return gzip.compress(data) if gzipped else data


# Isso's schema as its isso/db/__init__.py, threads.py and comments.py create it.
ISSO_SCHEMA = """
CREATE TABLE IF NOT EXISTS preferences (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS threads (id INTEGER PRIMARY KEY, uri VARCHAR(256) UNIQUE,
    title VARCHAR(256));
CREATE TABLE IF NOT EXISTS comments (
    tid REFERENCES threads(id), id INTEGER PRIMARY KEY, parent INTEGER,
    created FLOAT NOT NULL, modified FLOAT, mode INTEGER, remote_addr VARCHAR,
    text VARCHAR, author VARCHAR, email VARCHAR, website VARCHAR,
    likes INTEGER DEFAULT 0, dislikes INTEGER DEFAULT 0, voters BLOB NOT NULL,
    notification INTEGER DEFAULT 0);
"""


def isso_database(path) -> None:
    """Write an Isso database by its documented schema: modes 1, 2 and 4, a missing parent."""
    import sqlite3

    conn = sqlite3.connect(path)
    conn.executescript(ISSO_SCHEMA)
    conn.executemany("INSERT INTO threads (id, uri, title) VALUES (?, ?, ?)", [
        (1, "/2019/01/hello-world/", "Hello, World"),
        (2, "/empty/", "Nobody came"),
        (3, "/about?lang=en", None),
    ])
    rows = [
        # tid, id, parent, created, mode, remote_addr, text, author, email
        (1, 1, None, 1547500000.25, 1, "192.0.2.0", "First **comment**\n\nwith markdown",
         "Ann", "ann@example.org"),
        (1, 2, 1, 1547500100.0, 1, "192.0.2.0", "A reply", None, None),
        (1, 3, None, 1547500200.0, 2, "2001:db8::", "Waiting in the queue", "Bo", "bad@"),
        (1, 4, None, 1547500300.0, 4, "192.0.2.0", "", None, None),
        (1, 5, 4, 1547500400.0, 1, "192.0.2.0", "Reply to a deleted comment", "Cy", None),
        (1, 6, 77, 1547500500.0, 1, "192.0.2.0", "Parent gone", "Di", None),
        (3, 7, None, 1547500600.0, 1, "192.0.2.0", LONG_BODY, "Ed", None),
    ]
    conn.executemany(
        "INSERT INTO comments (tid, id, parent, created, mode, remote_addr, text, author, "
        "email, voters) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, x'00')", rows)
    conn.commit()
    conn.close()
