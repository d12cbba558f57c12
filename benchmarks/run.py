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
CONNECTIONS = 8  # throughput: more connections than workers, so that no worker waits for wrk
# Latency: one connection per worker, so that a request never queues behind another (with 8
# connections on 2 workers every p50 would be about 4 times the page's own time, whatever the page).
LATENCY_CONNECTIONS = WORKERS


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
        "TWO_FACTOR_REQUIRED": "0",  # the probe's admin session has no one-time code
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
        # As autovacuum would have by then on a live site: the visibility map lets counts and
        # id lists read the indexes alone.
        run(
            [sys.executable, "manage.py", "dbshell", "--", "-c", "VACUUM ANALYZE"],
            env,
            stdout=subprocess.DEVNULL,
        )
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
    """Requests per second (CONNECTIONS connections), then p50 and p99 latency in ms
    (LATENCY_CONNECTIONS connections), from wrk."""
    headers = ["-H", "X-Forwarded-Proto: https"] + (["-H", f"Cookie: sessionid={cookie}"] if cookie else [])
    subprocess.run(["curl", "-s", "-o", "/dev/null", *headers, server.url(path)])  # warm-up
    throughput = _wrk(server.url(path), headers, CONNECTIONS, seconds)
    latency = _wrk(server.url(path), headers, LATENCY_CONNECTIONS, seconds)
    return {
        "rps": throughput["rps"],
        "p50": latency["p50"],
        "p99": latency["p99"],
        "errors": throughput["errors"] + latency["errors"],
    }


def _wrk(url, headers, connections, seconds):
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", *headers, url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
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


PUBLIC = ("home", "article list, page 1", "article list, page 500", "one-tag page", "three-tag filter",
          "article", "author page", "search, common word", "search, rare word")  # fmt: skip


def write_results(results, options):
    lines = [
        "# Benchmark results",
        "",
        f"Measured {date.today():%Y-%m-%d} with `make bench` on this project's 2-core machine: gunicorn with "
        f"{WORKERS} workers over loopback, `X-Forwarded-Proto: https` as from the load balancer, "
        f"{options.seconds} s per figure. Requests per second with wrk at {CONNECTIONS} connections "
        "(every worker always busy); p50 and p99 latency with wrk at "
        f"{LATENCY_CONNECTIONS} connections, one per worker (with more, a request waits for others and "
        "every p50 grows with the queue, whatever the page). Ratio = the page's requests per second / "
        "the floor's (`HttpResponse('ok')` through the same server and middleware, without the page "
        "cache). *Uncached*: the whole-page cache is off; fragments and counts are kept per content "
        "version (docs/architecture.md). *Queries*: SQL queries of a first visit (empty cache, as after "
        "every content change) / of a repeated visit. *First visit*: one request with an empty cache, "
        "in-process, median of 3.",
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
                "| page | req/s | ratio to floor | p50 ms | p99 ms | queries | first visit ms | errors |",
                "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
            ]
            for name, page in data["pages"].items():
                probe = r["queries"][name]
                lines.append(
                    f"| {name} | {page['rps']:.0f} | {page['rps'] / floor['rps']:.1%} | {page['p50']:.1f} "
                    f"| {page['p99']:.1f} | {probe['first']} / {probe['queries']} | {probe['first_ms']:.0f} "
                    f"| {page['errors']} |"
                )
            lines.append("")
    lines += targets(results)
    analysis = ROOT / "benchmarks" / "analysis.md"  # the reading of the figures against the targets
    RESULTS.write_text("\n".join(lines) + "\n" + (analysis.read_text() if analysis.exists() else ""))
    print(f"Wrote {RESULTS}")


def targets(results):
    """The issue's targets at the larger size, checked against the figures, per engine."""
    by = {(r["engine"], r["size"]): r for r in results}
    lines = [
        "## Targets, checked",
        "",
        "| target | engine | worst figure | met? |",
        "| --- | --- | --- | --- |",
    ]
    for engine, size in sorted(by):
        if size != max(s for e, s in by if e == engine):
            continue
        large, small = by[(engine, size)], by.get((engine, min(s for e, s in by if e == engine)))
        uncached, cached = large["modes"]["uncached"], large["modes"]["cached"]

        def ratio(data, name):
            return data["pages"][name]["rps"] / data["floor"]["rps"]

        checks = [
            ("every public page ≤ 8 queries (first visit)", max(large["queries"][n]["first"] for n in PUBLIC), "≤", 8),
            ("uncached article ≥ 25% of the floor", ratio(uncached, "article"), "≥", 0.25),
            ("uncached list, page 1 ≥ 15%", ratio(uncached, "article list, page 1"), "≥", 0.15),
            ("uncached one-tag page ≥ 15%", ratio(uncached, "one-tag page"), "≥", 0.15),
            ("cached pages ≥ 70% (lowest)", min(ratio(cached, n) for n in PUBLIC), "≥", 0.70),
            ("search p50 < 30 ms (uncached, slowest)",
             max(uncached["pages"][n]["p50"] for n in ("search, common word", "search, rare word")), "<", 30),
            ("three-tag filter p50 < 50 ms (uncached)", uncached["pages"]["three-tag filter"]["p50"], "<", 50),
        ]  # fmt: skip
        if small and small is not large:
            growth = max(
                large["modes"][mode]["pages"][n]["p50"] / small["modes"][mode]["pages"][n]["p50"]
                for mode in ("uncached", "cached")
                for n in large["modes"][mode]["pages"]  # every page, the admin's included
                if n != "article list, page 500"  # the small set has no page 500
            )
            checks.append(("no page's p50 > 1.5 times its value at the small size", growth, "≤", 1.5))
        for label, value, op, limit in checks:
            met = {"≤": value <= limit, "≥": value >= limit, "<": value < limit}[op]
            shown = f"{value:.1%}" if isinstance(limit, float) and limit < 1 else f"{value:.2f}"
            lines.append(f"| {label} | {engine} | {shown} | {'yes' if met else '**no**'} |")
    return [*lines, ""]


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
