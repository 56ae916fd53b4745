"""Gunicorn settings for a web node: `gunicorn -c config/gunicorn.conf.py wsgi:app`.

Every value can be overridden with a GUNICORN_* environment variable (shown next to it).
Each worker loads the model (and language detection) after it forks and before it takes
a request (post_worker_init; GUNICORN_WARM_START=false turns it off), never in the master:
preload_app stays off, so no torch state is shared across fork. Each worker listens on a
socket of its own once it is warm (reuse_port; GUNICORN_REUSE_PORT=false shares one).
"""

import multiprocessing
import os
import shutil
import tempfile

from moderation.ops.logs import gunicorn_logconfig

_cores = multiprocessing.cpu_count()

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# One process per core: each holds its own model copy (~100-300 MB), so more processes
# than cores only costs memory. Threads cover waiting on PostgreSQL, Redis and clients.
workers = int(os.environ.get("GUNICORN_WORKERS", _cores))
worker_class = "gthread"
# Four, not more: on 2 cores with PostgreSQL and Redis beside them, queue-mode accepts ran
# at 419-453 req/s with 4 threads a worker against 394-416 with 8 (pool large enough), and
# reads and inline-scored posts were level (docs/BENCHMARKS.md). Threads beyond what hides
# the round trips only contend for the interpreter. Raise it where the database is far away.
threads = int(os.environ.get("GUNICORN_THREADS", 4))
# The scorer has its own deadline (MODERATION_SCORER_TIMEOUT_SECONDS, 10 s by default);
# a worker silent for longer than this is stuck and gets replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
# On SIGTERM (deploys, scale-in) requests in flight get this long to finish.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 5))
# Recycle workers now and then so slow leaks cannot build up; jitter avoids a herd. Each
# recycle reloads the model (seconds, one worker short): at the thousands of replayed reads
# a second a worker serves, 20,000 requests came round every few seconds and stalled it.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 1000000))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", 100000))
preload_app = False
# One SO_REUSEPORT socket per worker (gunicorn 24 and later open them in the worker), so the
# kernel spreads new connections evenly. On one shared socket, whichever worker woke first
# took them: kept-alive connections (a proxy's pool, a load test) often all landed on one
# process while the other idled, which halved throughput in about half of the benchmark runs.
# A Unix socket path cannot be shared that way (each worker would replace the last one's).
reuse_port = (os.environ.get("GUNICORN_REUSE_PORT", "true").lower() not in ("0", "false", "no")
              and not bind.startswith("unix:"))
# Heartbeat files on tmpfs: a worker blocked on a slow disk is not mistaken for stuck.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# Request size: the app refuses URLs over 4 KB, headers over 8 KB and bodies over
# MAX_CONTENT_LENGTH itself, in its JSON error shape (moderation/ops/limits.py). These
# limits sit above the app's, so gunicorn's own HTML 400 only meets requests the reverse
# proxy must already refuse (docs/OPERATIONS.md, "Request limits").
limit_request_line = int(os.environ.get("GUNICORN_LIMIT_REQUEST_LINE", 8190))  # gunicorn's max
limit_request_fields = int(os.environ.get("GUNICORN_LIMIT_REQUEST_FIELDS", 100))
limit_request_field_size = int(os.environ.get("GUNICORN_LIMIT_REQUEST_FIELD_SIZE", 16380))

logconfig_dict = gunicorn_logconfig(os.environ.get("GUNICORN_LOG_LEVEL", "info"))
# The app logs one JSON line per request with its request id; gunicorn's access log is off.
accesslog = None


def on_starting(server):
    """Give the workers a fresh folder for their shared Prometheus samples."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not folder:
        folder = tempfile.mkdtemp(prefix="moderation-metrics-")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = folder
    else:
        # Samples of a previous run would be added to this one's.
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder, exist_ok=True)
    server.log.info("prometheus samples in %s", folder)


def post_fork(server, worker):
    """Give the worker's model its share of the cores, and close the worker's own socket until
    it is warm: the kernel would queue connections on it."""
    # PyTorch starts a thread per core in every process; with a process per core, their
    # threads spin-wait on each other's cores (two scoring workers of two threads each drained
    # 109 comments/s where two of one thread drained 281/s). Read when torch first loads.
    if not os.environ.get("OMP_NUM_THREADS"):
        os.environ["OMP_NUM_THREADS"] = str(max(1, _cores // server.cfg.workers))
    if reuse_port:
        for listener in worker.sockets:
            listener.close()
        worker.sockets = []


def post_worker_init(worker):
    """Load the model before this worker accepts a request, so no reader waits for a load."""
    try:
        _warm(worker)
    finally:
        if reuse_port:
            _listen(worker)


def _warm(worker):
    if os.environ.get("GUNICORN_WARM_START", "true").lower() in ("0", "false", "no"):
        return
    from moderation.ops.warm import warm_start

    try:
        seconds = warm_start(worker.wsgi)  # the Flask app wsgi.py built, loaded by now
    except Exception as exc:  # noqa: BLE001 (a worker that cannot load still serves reads)
        worker.log.warning("model not loaded at start (%s); it loads on first use", exc)
        return
    worker.log.info("model loaded in %.1f s before serving", seconds)


def _listen(worker):
    """Open the worker's own SO_REUSEPORT socket, as gunicorn would have at fork."""
    from gunicorn import sock, util

    worker.sockets = sock.create_sockets(worker.cfg, worker.log)
    for listener in worker.sockets:
        util.close_on_exec(listener)


def child_exit(server, worker):
    """Stop counting a dead worker's live gauges."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
