"""How gunicorn serves fibrosite: read by `make serve` and by the benchmark (benchmarks/run.py), which
overrides only the address, the number of workers and the log level on its command line."""

import os

wsgi_app = "fibrosite.wsgi"
bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
# Threads: a request waiting on the database or the cache does not hold up the process, and a
# kept-alive connection costs no thread while idle.
worker_class = "gthread"
threads = 4
keepalive = 2  # seconds an idle connection stays open for its next request (gunicorn's default)
# Without Redis the cache lives in each process: one worker process (with threads) keeps it consistent.
workers = int(os.environ.get("WEB_CONCURRENCY") or (2 if os.environ.get("REDIS_URL") else 1))
accesslog = "-"
# gunicorn's control interface (`gunicornc`) is not used here, and its socket's default path is one
# per user, shared by every gunicorn that user starts: a second server on the host (another site,
# the multi-server test) would take the first one's. Off; turn it on with a path of its own.
control_socket_disable = True
