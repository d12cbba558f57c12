"""The performance benchmark (`make bench`): generate data sets, serve them with gunicorn, load each
page over loopback with wrk for a fixed time, uncached and cached, beside a floor view, and write
benchmarks/results.md.

    python -m benchmarks.run [--articles 100000] [--small 1000] [--engines sqlite,postgres] [--seconds 10]
"""

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "data"
RESULTS = ROOT / "benchmarks" / "results.md"
PG_SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
WORKERS = 2  # one per core on the benchmark machine
CONNECTIONS = 8


def database_url(engine, size):
    if engine == "sqlite":
        return f"sqlite:///{WORK / f'bench-{size}.sqlite3'}"
    return f"{PG_SERVER}/fibrosite_bench_{size}"


def base_env(url, cached):
    return {
        **{k: v for k, v in os.environ.items() if k not in ("TESTING", "SECURE_SSL_REDIRECT", "REDIS_URL")},
        "DATABASE_URL": url,
        "SECRET_KEY": BENCH_SECRET,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "BENCHMARK": "1",
        "PAGE_CACHE_SECONDS": "600" if cached else "0",
        "CONN_MAX_AGE": "600",
    }


BENCH_SECRET = secrets.token_urlsafe(50)


def run(args, env, **kwargs):
    return subprocess.run(args, cwd=ROOT, env=env, check=True, **kwargs)


def prepare(engine, size, env):
    """Create, migrate and fill the data set unless it already exists with that many articles."""
    marker = WORK / f"{engine}-{size}.done"
    if marker.exists():
        return
    if engine == "sqlite":
        Path(database_url(engine, size).removeprefix("sqlite:///")).unlink(missing_ok=True)
    else:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS fibrosite_bench_{size} WITH (FORCE)")
            connection.execute(f"CREATE DATABASE fibrosite_bench_{size}")
    run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], env)
    tags, authors = (5000, 1000) if size >= 10_000 else (max(50, size // 20), max(10, size // 100))
    run([sys.executable, "-m", "benchmarks.generate", "--articles", str(size), "--tags", str(tags),
         "--authors", str(authors)], env)  # fmt: skip
    if engine == "sqlite":
        run([sys.executable, "manage.py", "dbshell"], env, input=b"ANALYZE;\n", stdout=subprocess.DEVNULL)
    else:
        run([sys.executable, "manage.py", "dbshell", "--", "-c", "ANALYZE"], env, stdout=subprocess.DEVNULL)
    marker.touch()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, env):
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "fibrosite.wsgi", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(WORKERS), "--log-level", "warning"],
            cwd=ROOT, env=env,
        )  # fmt: skip
        deadline = time.time() + 60
        while subprocess.run(["curl", "-sf", "-o", "/dev/null", self.url("/healthz")]).returncode:
            if time.time() > deadline:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.3)

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def peak_worker_memory_mb(self):
        children = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True
        ).stdout
        peaks = []
        for pid in children.split():
            status = Path(f"/proc/{pid}/status").read_text()
            peaks.append(int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024)
        return max(peaks, default=0)

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def load(server, path, seconds, cookie=None):
    """Requests per second, p50 and p99 latency in ms, from wrk."""
    headers = ["-H", "X-Forwarded-Proto: https"] + (["-H", f"Cookie: sessionid={cookie}"] if cookie else [])
    subprocess.run(["curl", "-s", "-o", "/dev/null", *headers, server.url(path)])  # warm-up
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", *headers, server.url(path)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rps,
        "p50": _ms(re.search(r"50%\s+([\d.]+\w+)", out).group(1)),
        "p99": _ms(re.search(r"99%\s+([\d.]+\w+)", out).group(1)),
        "errors": int(non_2xx.group(1)) if non_2xx else 0,
    }


def _ms(text):
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def measure(engine, size, seconds):
    env = base_env(database_url(engine, size), cached=False)
    prepare(engine, size, env)
    probe = json.loads(run([sys.executable, "-m", "benchmarks.probe"], env, capture_output=True).stdout)
    result = {"engine": engine, "size": size, "queries": probe["queries"], "modes": {}}
    for mode in ("uncached", "cached"):
        server = Server(base_env(database_url(engine, size), cached=mode == "cached"))
        try:
            floor = load(server, "/_bench/floor", seconds)
            pages = {}
            for name, path in probe["pages"].items():
                cookie = probe["session"] if path.startswith("/admin/") else None
                pages[name] = load(server, path, seconds, cookie)
                print(f"{engine} {size} {mode:8} {name:24} {pages[name]['rps']:8.1f} req/s "
                      f"p50 {pages[name]['p50']:7.1f} ms", flush=True)  # fmt: skip
            result["modes"][mode] = {
                "floor": floor,
                "pages": pages,
                "memory_mb": server.peak_worker_memory_mb(),
            }
        finally:
            server.stop()
    return result


def write_results(results, options):
    lines = [
        "# Benchmark results",
        "",
        f"Measured {date.today():%Y-%m-%d} with `make bench` on this project's 2-core machine: gunicorn with "
        f"{WORKERS} workers, wrk with 2 threads and {CONNECTIONS} connections over loopback for "
        f"{options.seconds} s per page, `X-Forwarded-Proto: https` as from the load balancer. "
        "Ratio = the page's requests per second / the floor's (`HttpResponse('ok')` through the same "
        "server and middleware, without the page cache). Queries = SQL queries of one request.",
        "",
    ]
    for r in results:
        for mode, data in r["modes"].items():
            floor = data["floor"]
            lines += [
                f"## {r['engine']}, {r['size']:,} articles, {mode}",
                "",
                f"Floor: {floor['rps']:.0f} req/s, p50 {floor['p50']:.1f} ms. "
                f"Peak worker memory: {data['memory_mb']:.0f} MB.",
                "",
                "| page | req/s | ratio to floor | p50 ms | p99 ms | queries | errors |",
                "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
            ]
            for name, page in data["pages"].items():
                lines.append(
                    f"| {name} | {page['rps']:.0f} | {page['rps'] / floor['rps']:.1%} | {page['p50']:.1f} "
                    f"| {page['p99']:.1f} | {r['queries'][name]['queries']} | {page['errors']} |"
                )
            lines.append("")
    analysis = ROOT / "benchmarks" / "analysis.md"  # the reading of the figures against the targets
    RESULTS.write_text("\n".join(lines) + "\n" + (analysis.read_text() if analysis.exists() else ""))
    print(f"Wrote {RESULTS}")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("--seconds", type=int, default=10)
    options = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install -y wrk (make bench does this)")
    WORK.mkdir(parents=True, exist_ok=True)
    run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        base_env("sqlite://:memory:", False),
    )
    results = [
        measure(engine, size, options.seconds)
        for engine in options.engines.split(",")
        for size in (options.small, options.articles)
    ]
    write_results(results, options)


if __name__ == "__main__":
    main()
