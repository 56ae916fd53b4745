"""Reader accounts: sign-in from the site (SSO), who is asking, and privacy requests.

Its own package rather than part of `readers/`: `readers/` is what every reader sees and does
to comments (threads, likes, reports, edits); this package decides who a reader is and keeps
the personal data that comes with an account (encrypted emails, export and erasure).
"""
