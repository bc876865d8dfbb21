"""gunicorn on a web node (``gunicorn -c deploy/gunicorn.conf.py sg17portal.wsgi``), behind nginx.

nginx has read each request completely before it arrives here, so plain synchronous workers are enough.
"""

import ctypes
import ctypes.util
import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# The application is loaded once, before the port opens: a node that listens can answer at once, and its workers
# share the loaded code.
preload_app = True
# Each worker is replaced after this many requests (spread by the jitter, so they don't all restart at once).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 1000))
max_requests_jitter = max_requests // 10
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5
# The scheme nginx reports is believed only from the same proxies Django trusts (TRUSTED_PROXIES); with none
# configured, from nobody (gunicorn alone would trust 127.0.0.1).
forwarded_allow_ips = ",".join(p.strip() for p in os.environ.get("TRUSTED_PROXIES", "").split(",") if p.strip())
control_socket_disable = True
# Workers signal they are alive through a file; in memory it never waits on a slow container disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 - gunicorn heartbeat files only
# nginx logs every request it passes on (deploy/nginx.conf). gunicorn's line for the same request cost its worker
# 50 µs of CPU in a loop and 2.7 % of the workers' CPU in a deadline crunch. GUNICORN_ACCESS_LOG=- writes it too.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# Large blocks are always mapped on their own and given back when freed. Each sign-in hashes the password with
# Argon2, which allocates 19 MiB and frees it; glibc's malloc, once it has freed such a block, raises its threshold
# for mapping blocks on their own, serves the next sign-in's 19 MiB from its heap and keeps it: every worker that
# had verified two passwords stayed 19 MiB larger for good. A fixed threshold (set here, in the master, so every
# worker forked from it inherits it) turns that adjustment off. 1 MiB keeps the pages' HTML on the heap.
M_MMAP_THRESHOLD = -3
LARGE_BLOCK_BYTES = 1024 * 1024
_mallopt = getattr(ctypes.CDLL(ctypes.util.find_library("c")), "mallopt", None)  # glibc's; others have none
if _mallopt is not None:
    _mallopt(M_MMAP_THRESHOLD, LARGE_BLOCK_BYTES)


def pre_fork(server, worker):
    """Before each worker is forked: what the master has loaded (Django, the apps, the URLs, the templates' code)
    lives as long as the worker, so it is moved where the garbage collector never scans it. Each collection then
    looks only at what a request made (on the documents list, about 3 ms of a 30 ms page less), and a worker's
    collections no longer write into the pages it shares with the master."""
    gc.freeze()
