"""Gunicorn settings for `make serve` (production profile); each can be overridden by environment."""
import gc
import multiprocessing
import os

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", str(max(2, multiprocessing.cpu_count()))))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
# At most this many open connections per worker: its threads and two kept alive between requests
# (beyond those, an answer closes its connection and the client reconnects). With gunicorn's
# default of 1,000, whichever worker woke first took every connection of a burst: the bench's 8
# kept-alive connections all on one worker, held to one core by the GIL while the other idled,
# which halved the vote (126 rps at 40 % idle against 252 with 4 and 4) and hello world alike.
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", str(threads + 2)))
timeout = 30
graceful_timeout = 20
keepalive = 5
# Restart workers now and then so a slow leak never grows without bound, but rarely: a restart
# empties the worker's caches and warm connections, and every 5,000 requests put a 600 ms p95
# spike on the home page in the bench. The jitter keeps the workers from restarting together.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "200000"))
max_requests_jitter = max_requests // 10
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")
# One JSON object per request, so log shippers need no parsing rules (cocreate/ops/accesslog.py:
# gunicorn's access_log_format is not used).
logger_class = "cocreate.ops.accesslog.JsonAccessLogger"


def post_worker_init(worker):
    """Once the worker has loaded the app: move what it built (the models, mappers, templates: about
    150,000 objects) out of the garbage collector's reach. They live as long as the worker, yet
    every full collection walked them all, holding the GIL. Under the bench's vote load, in runs
    alternating with and without this, the vote's p99 was 43 ms with it against 60-66 ms without
    (``docs/PERFORMANCE.md``, finding 17). Objects made later are collected as usual."""
    gc.collect()
    gc.freeze()
