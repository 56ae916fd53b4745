"""Settings per environment, each key overridable by a MODERATION_* environment variable."""

from __future__ import annotations

import json
import os

PREFIX = "MODERATION_"


class ConfigError(RuntimeError):
    """Raised when the settings cannot start the service; the message says what to set."""


class Base:
    """Settings shared by every environment."""

    ENV_NAME = "base"
    SECRET_KEY: str | None = None
    # The embedded default: a SQLite file in the instance folder (filled in by create_app).
    DATABASE_URL: str | None = None
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    # No ping before every checkout: moderation/pooling.py pings a connection only once it
    # has sat idle, which saves two round trips a post under traffic.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    # PostgreSQL connections a process keeps open: one per request thread, one for the
    # article folds after a commit, and spares. A pool smaller than the threads closes and
    # reopens connections under load (73-134 new sessions in 6 s at 8 threads and the
    # default 5). SQLALCHEMY_ENGINE_OPTIONS["pool_size"] wins where it is set.
    DATABASE_POOL_SIZE = 10
    # Reader bodies above this are refused with 413 before parsing.
    MAX_CONTENT_LENGTH = 64 * 1024
    JSON_SORT_KEYS = False

    # Rate limits (Flask-Limiter). memory:// only suits a single process.
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_KEY_PREFIX = "moderation"
    COMMENT_RATE_LIMIT_CLIENT = "5/minute;30/hour"
    COMMENT_RATE_LIMIT_SITE = "600/minute"
    # Number of reverse proxies in front of the service; 0 trusts no forwarded header.
    PROXY_HOPS = 0

    # Scoring. "bundled" is the project's offline model; Detoxify names download
    # where a network exists; "checkpoint" uses MODEL_CHECKPOINT + MODEL_CONFIG_DIR.
    MODEL = "bundled"
    MODEL_CHECKPOINT: str | None = None
    MODEL_CONFIG_DIR: str | None = None
    MODEL_THREADS: int | None = None
    MODEL_QUANTIZE: bool | None = None
    # What runs the bundled model: "auto" times torch and ONNX Runtime at load and keeps
    # the faster; "torch" or "onnx" forces one.
    MODEL_RUNTIME = "auto"
    # What this process scores, for that measurement: "posts" (web processes: a comment or
    # a few a call) or "batches" (set by the queue worker, `score` and backlog scoring).
    MODEL_USE = "posts"
    SCORER_TIMEOUT_SECONDS = 10.0
    # Loading the model is slower than scoring and has its own deadline.
    MODEL_LOAD_TIMEOUT_SECONDS = 120.0
    SCORING = "inline"
    # Concurrent requests in one process share a model call: up to this many texts,
    # waiting at most this long for company. Off scores each request on its own.
    SCORER_BATCHING = True
    SCORER_BATCH_MAX_TEXTS = 64
    SCORER_BATCH_WAIT_MS = 2.0

    # The Perspective-compatible endpoint refuses longer comments, as Perspective does.
    PERSPECTIVE_MAX_TEXT_BYTES = 20480
    # Coral's external moderation phase (docs/CORAL.md): the scoring deadline, kept under the
    # phase's timeout in Coral, and the answer when the model fails or misses it:
    # "premod" (Coral holds the comment for its moderators) or "none" (204, no opinion).
    CORAL_SCORE_TIMEOUT_SECONDS = 1.0
    CORAL_ON_SCORER_FAILURE = "premod"

    # Shared Redis for the scoring queue and the thread cache (None: queue off, cache in-process).
    REDIS_URL: str | None = None
    # Stream and cache keys start with this, so several deployments (or tests) share one Redis.
    QUEUE_PREFIX = "moderation"
    # A worker scores up to QUEUE_BATCH_SIZE comments or waits QUEUE_BATCH_MS, whichever first.
    QUEUE_BATCH_SIZE = 64
    QUEUE_BATCH_MS = 20
    # Entries a worker took but did not acknowledge for this long are reclaimed by another.
    QUEUE_CLAIM_IDLE_MS = 30000
    # Comments unscored this long (their queue entry lost) are scored by a worker's sweep...
    QUEUE_RESCUE_SECONDS = 60
    # ...and those still unscored after this long go to human review as scorer_unavailable.
    QUEUE_DEADLINE_SECONDS = 120
    QUEUE_SWEEP_SECONDS = 10.0
    # Rendered thread pages kept per article revision; 0 turns the cache off.
    THREAD_CACHE_SECONDS = 300
    THREAD_CACHE_ENTRIES = 2048
    # Whole public answers (threads, counts) kept per process and served while their
    # generations stand still; needs Redis or SQLite to share generations (0 turns it off).
    ANSWER_CACHE_SECONDS = 300
    ANSWER_CACHE_ENTRIES = 4096
    ANSWER_CACHE_MB = 64
    # Replay kept counts and thread answers in front of Flask (moderation/readers/front.py).
    FRONT_CACHE = True
    # With Redis, mirror generations in each process and hear bumps by pub/sub, so checking
    # a kept answer needs no round trip (moderation/readers/generations.py).
    GENERATION_MIRROR = True
    # One JSON line per request on the "moderation.access" logger.
    ACCESS_LOG = True

    # Per-label {label: threshold} overrides of the model's recommended thresholds,
    # e.g. MODERATION_APPROVE_THRESHOLDS='{"threat": 0.2}'. Sites may override again.
    APPROVE_THRESHOLDS: dict | None = None
    REJECT_THRESHOLDS: dict | None = None
    # Built-in threat phrases ("I will hurt you", "I know where you live") send a comment
    # to review: the bundled model barely learned threats (docs/MODEL.md).
    THREAT_PHRASES = True
    # Built-in group-attack phrases ("refugees are vermin", "Jews control the media") send
    # a comment to review: the model learned attacks on groups mostly through slurs.
    GROUP_ATTACK_PHRASES = True
    # Built-in slurs (words with no everyday meaning besides the slur) send a comment to
    # review: the model holds a slur in a plain sentence only about three times in four.
    SLUR_PHRASES = True
    # Languages not covered by the model go to review unless a site opts out.
    LANGUAGE_CHECK = True

    # Dashboard sessions: never readable by scripts, not sent on cross-site posts.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # Moderators keep one queue page open for hours; its CSRF token (tied to the
    # session anyway) must not expire under them after Flask-WTF's default hour.
    WTF_CSRF_TIME_LIMIT = 12 * 3600
    # Login attempts per client address. Per account, failures past LOGIN_FREE_FAILURES (in
    # LOGIN_FAILURE_WINDOW_SECONDS) make browsers that never logged in to it wait 1, 2, 4...
    # up to LOGIN_MAX_DELAY_SECONDS between tries (moderation/dashboard/lockout.py).
    LOGIN_RATE_LIMIT = "10/minute"
    LOGIN_FREE_FAILURES = 5
    LOGIN_FAILURE_WINDOW_SECONDS = 900
    LOGIN_MAX_DELAY_SECONDS = 60
    DASHBOARD_PAGE_SIZE = 25
    # Items whose severe_toxicity or threat score reaches this are blurred (per moderator).
    DASHBOARD_BLUR_MIN = 0.5
    # The "label" filter shows items whose score for that label reaches this.
    DASHBOARD_LABEL_MIN = 0.3
    STATS_DAYS = 14

    THREAD_PAGE_SIZE = 50
    THREAD_PAGE_SIZE_MAX = 200
    COUNTS_MAX_ARTICLES = 500

    # Reader engagement and widgets.
    READER_EDIT_SECONDS = 300
    # How long an author nudged before posting may take to revise or send the draft as is.
    NUDGE_TOKEN_SECONDS = 1800
    LIKE_RATE_LIMIT = "30/minute;300/hour"
    FLAG_RATE_LIMIT = "10/minute;50/day"
    EDIT_RATE_LIMIT = "10/minute"
    # Threads and counts: a CDN may serve them briefly; ETags make revalidation cheap.
    PUBLIC_CACHE_CONTROL = "public, max-age=10, stale-while-revalidate=30"
    MOST_DISCUSSED_CACHE_CONTROL = "public, max-age=60"
    WIDGET_CACHE_CONTROL = "public, max-age=300"

    # Reader accounts. Emails at rest are Fernet-encrypted with EMAIL_ENCRYPTION_KEY
    # (comma-separated, newest first, to rotate); without it a key is derived from SECRET_KEY.
    EMAIL_ENCRYPTION_KEY: str | None = None
    # A rotated SSO secret keeps verifying tokens this long, while the site deploys the new one.
    SSO_SECRET_OVERLAP_SECONDS = 86400
    SSO_LEEWAY_SECONDS = 30
    SSO_RATE_LIMIT = "30/minute"
    # How long the reader token issued after a sign-in lasts.
    READER_SESSION_SECONDS = 12 * 3600
    # Links in emails point here (the service as readers reach it).
    PUBLIC_URL = "http://127.0.0.1:5000"

    # Reply notifications by email, sent by `flask moderation deliver`, never in a request.
    SMTP_HOST = "localhost"
    SMTP_PORT = 25
    SMTP_TLS = "starttls"  # "starttls", "ssl" or "none"
    SMTP_USER: str | None = None
    SMTP_PASSWORD: str | None = None
    MAIL_FROM = "comments@localhost"
    NOTIFY_DIGEST_SECONDS = 3600
    NOTIFY_CONFIRM_SECONDS = 7 * 86400
    # At most one confirmation email per address in this interval (no flooding a stranger).
    NOTIFY_CONFIRM_INTERVAL_SECONDS = 86400

    # Webhooks: the worker's request deadline, attempts and backoff (base * 2^attempt).
    WEBHOOK_TIMEOUT_SECONDS = 5.0
    WEBHOOK_MAX_ATTEMPTS = 8
    WEBHOOK_RETRY_BASE_SECONDS = 30.0
    WEBHOOK_SECRET_OVERLAP_SECONDS = 86400
    DELIVER_POLL_SECONDS = 2.0
    # `flask moderation import`: comments per committed batch, and the guard against
    # compressed bombs: a gzipped input may not expand past this many bytes, nor past this
    # many times its own size once it is over 64 MiB. A commit writes every index page the
    # batch touched, so fewer, larger batches write each page fewer times: 10,000 imported
    # 200,000 comments on SQLite about 25% faster than 2,000, in 215 MB (BENCHMARKS.md).
    IMPORT_BATCH_SIZE = 10000
    IMPORT_MAX_EXPANDED_BYTES = 32 * 1024**3
    IMPORT_MAX_EXPANSION_RATIO = 200
    # Backlog scoring (`import --score`): texts per model call and per commit, and the CPU
    # priority (nice) it runs at, so serving processes on the same machine are scored first.
    # The model sorts a call's texts by length before its own batches of 32: on comments of
    # mixed length a call of 64 pads to about 30% more tokens than the texts hold, one of
    # 512 to about 4%.
    IMPORT_SCORE_BATCH_SIZE = 512
    IMPORT_SCORE_NICE = 10


class Development(Base):
    """Local quick start: SQLite, in-process limiter, the bundled model."""

    ENV_NAME = "development"
    SECRET_KEY = "dev-only-not-secret"


class Testing(Base):
    """Test runs: SQLite in a temporary folder unless a test database is given."""

    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret"
    RATELIMIT_ENABLED = True


class Production(Base):
    """Production: PostgreSQL and Redis; a secret key and database URL are required."""

    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    # Redis down must not stop readers from commenting: limits fall back to per-process
    # memory (see docs/OPERATIONS.md, "Redis outage").
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True


ENVIRONMENTS = {cls.ENV_NAME: cls for cls in (Development, Testing, Production)}


def _declared_default(cls: type, name: str):
    """Return a sample value of the type declared for a setting whose default is None."""
    import types
    import typing

    hint = typing.get_type_hints(cls).get(name)
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        for option in typing.get_args(hint):
            if option is not type(None):
                origin = typing.get_origin(option) or option
                return origin()
    return None


def _parse(raw: str, default):
    """Convert an environment string to the type of the default it overrides."""
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int) and not isinstance(default, bool):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    if isinstance(default, (dict, list)):
        return json.loads(raw)
    return raw


def load_settings(environ: dict[str, str] | None = None, env_name: str | None = None) -> dict:
    """Return the settings for env_name (or MODERATION_ENV), with MODERATION_* overrides."""
    environ = os.environ if environ is None else environ
    env_name = env_name or environ.get(PREFIX + "ENV", "development")
    if env_name not in ENVIRONMENTS:
        raise ConfigError(f"{PREFIX}ENV={env_name!r}; use one of {sorted(ENVIRONMENTS)}")
    cls = ENVIRONMENTS[env_name]
    settings = {k: getattr(cls, k) for k in dir(cls) if k.isupper()}
    for key, raw in environ.items():
        if not key.startswith(PREFIX) or key == PREFIX + "ENV":
            continue
        name = key[len(PREFIX) :]
        try:
            default = settings.get(name)
            if default is None:
                default = _declared_default(cls, name)
            settings[name] = _parse(raw, default)
        except ValueError as exc:
            raise ConfigError(f"{key}={raw!r} is not valid: {exc}") from exc
    return settings


def check_production(settings: dict) -> None:
    """Refuse to start production without the settings it cannot run safely without."""
    missing = [
        PREFIX + key for key in ("SECRET_KEY", "DATABASE_URL") if not settings.get(key)
    ]
    if missing:
        raise ConfigError(
            "production needs " + " and ".join(missing) + " to be set in the environment"
        )
