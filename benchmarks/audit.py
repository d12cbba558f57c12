"""`make audit`: Lighthouse (from npm) in Debian's Chromium on the home page and the seed article,
mobile and desktop, served as `make serve` serves them (DEBUG off, gunicorn, hashed and compressed
static files) from a throwaway SQLite database with the demo content. Prints the accessibility,
best-practices, SEO and performance scores; exits 1 when one is under its target.

    python -m benchmarks.audit [--keep-reports]
"""

import argparse
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
PAGES = {"home": "/", "article": "/articles/botox-injections-for-fibromyalgia/"}
TARGETS = {"accessibility": 100, "best-practices": 100, "seo": 100, "performance": 98}
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(folder):
    """A gunicorn serving the demo content on localhost (a secure origin for browsers), and its address."""
    port = free_port()
    env = {
        **os.environ,
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        "DATABASE_URL": f"sqlite:///{folder / 'audit.sqlite3'}",
        "SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback; HTTPS is the load balancer's job
        "SECURE_HSTS_SECONDS": "0",
        "PORT": str(port),
        "DEBUG": "0",
    }
    env.pop("REDIS_URL", None)
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "--noinput"], ["load_demo"], ["collectstatic", "--noinput"]):
        subprocess.run(
            [*manage, *command, "--verbosity", "0"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
        )
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            "gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--no-control-socket",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,  # the access log
    )
    url = f"http://localhost:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{url}/healthz", timeout=1)
            return server, url
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("the server did not start")


def lighthouse(url, form_factor, report):
    """{category: score out of 100} for `url` on a phone ('mobile') or a desktop ('desktop')."""
    command = [
        str(LIGHTHOUSE), url, f"--chrome-path={CHROMIUM}", f"--chrome-flags={CHROME_FLAGS}",
        f"--only-categories={','.join(TARGETS)}", "--output=json", f"--output-path={report}", "--quiet",
    ]  # fmt: skip
    if form_factor == "desktop":
        command.append("--preset=desktop")
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": CHROMIUM})
    result = json.loads(Path(report).read_text())
    return {name: round(category["score"] * 100) for name, category in result["categories"].items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep-reports", action="store_true", help="keep the JSON reports in audit-reports/")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse is missing: `make tools` installs it (npm ci)")
    below = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        reports = ROOT / "audit-reports" if args.keep_reports else folder
        reports.mkdir(exist_ok=True)
        server, base = serve(folder)
        try:
            print(f"{'page':10} {'device':8} " + " ".join(f"{name:>14}" for name in TARGETS))
            for page, path in PAGES.items():
                for form_factor in ("mobile", "desktop"):
                    scores = lighthouse(base + path, form_factor, reports / f"{page}-{form_factor}.json")
                    print(f"{page:10} {form_factor:8} " + " ".join(f"{scores[name]:>14}" for name in TARGETS))
                    below += [f"{page} {form_factor} {name} {scores[name]} < {target}"
                              for name, target in TARGETS.items() if scores[name] < target]  # fmt: skip
        finally:
            server.terminate()
            server.wait()
    if below:
        print("Under target: " + "; ".join(below))
        return 1
    print("Every score at or above its target.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
