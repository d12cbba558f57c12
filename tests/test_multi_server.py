"""Two app servers sharing one PostgreSQL and one Redis: what an editor does through one server is
what readers get from the other, on the very next request."""

import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import psycopg
import pytest

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

ROOT = Path(__file__).resolve().parent.parent
HTTPS = {"X-Forwarded-Proto": "https"}  # as the TLS-terminating load balancer sets it


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """Just enough of a browser: cookies (sent although marked Secure: TLS ends at the balancer)."""

    def __init__(self, port):
        self.port, self.cookies = port, {}

    def request(self, method, path, data=None, referer_path="/"):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {**HTTPS, "Host": "127.0.0.1", "Referer": f"https://127.0.0.1{referer_path}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";")[0]
        return response.status, dict(response.getheaders()), response.read().decode()

    def get(self, path):
        return self.request("GET", path)

    def post_form(self, path, data):
        _, _, page = self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        return self.request("POST", path, {**data, "csrfmiddlewaretoken": token}, referer_path=path)


@pytest.fixture(scope="module")
def servers():
    base = urlsplit(os.environ["DATABASE_URL"])
    name = f"fibrosite_multi_{secrets.token_hex(4)}"
    admin_url = base._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    env = {
        **os.environ,
        "DATABASE_URL": base._replace(path=f"/{name}").geturl(),
        "REDIS_URL": "redis://127.0.0.1:6379/3",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "PAGE_CACHE_SECONDS": "600",
        "PAGE_CACHE_DEBUG_HEADER": "1",  # what the page cache did, readable over HTTP (never in production)
        "TESTING": "1",  # static files from the apps' folders, no collectstatic needed
    }
    env.pop("SECURE_SSL_REDIRECT", None)
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    setup = (
        "from django.contrib.auth.models import User, Group; from django.core.cache import cache; cache.clear();"
        "u = User.objects.create_user('ed', 'ed@example.org', 'pw-for-multi', is_staff=True);"
        "u.groups.add(Group.objects.get(name='Editor'));"
        "from authors.models import Author; from articles.models import Article;"
        "a = Author.objects.create(pseudonym='Shared Pen');"
        "Article.objects.create(title='Multi server draft', slug='multi', author=a, body='Words.')"
    )
    subprocess.run([*manage, "shell", "-c", setup], cwd=ROOT, env=env, check=True)
    ports = [free_port(), free_port()]
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "fibrosite.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        for port in ports:
            deadline = time.time() + 30
            while True:
                try:
                    if Browser(port).get("/healthz")[0] == 200:
                        break
                except OSError:
                    pass
                assert time.time() < deadline, "gunicorn did not start"
                time.sleep(0.3)
        yield ports
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def article_id(browser):
    _, _, page = browser.get("/admin/articles/article/")
    return re.search(r"/admin/articles/article/(\d+)/change/", page).group(1)


def test_publish_on_one_server_is_served_by_the_other_and_edits_travel_back(servers):
    port_a, port_b = servers
    reader_a, reader_b = Browser(port_a), Browser(port_b)
    assert reader_b.get("/articles/multi/")[0] == 404
    reader_b.get("/articles/")
    status, headers, page = reader_b.get("/articles/")
    assert headers["X-Page-Cache"] == "hit" and "Multi server draft" not in page

    editor_a = Browser(port_a)
    assert editor_a.post_form("/admin/login/", {"username": "ed", "password": "pw-for-multi"})[0] == 302
    pk = article_id(editor_a)
    status, _, _ = editor_a.post_form(
        "/admin/articles/article/", {"action": "bulk_publish", "_selected_action": pk, "index": "0"}
    )
    assert status == 302

    status, headers, page = reader_b.get("/articles/")
    assert headers["X-Page-Cache"] == "miss" and "Multi server draft" in page
    assert reader_b.get("/articles/multi/")[0] == 200
    reader_a.get("/articles/multi/")
    assert reader_a.get("/articles/multi/")[1]["X-Page-Cache"] == "hit"

    editor_b = Browser(port_b)
    editor_b.cookies = dict(editor_a.cookies)  # the same login: sessions live in the shared database
    status, _, _ = editor_b.post_form(
        "/admin/articles/article/", {"action": "bulk_unpublish", "_selected_action": pk, "index": "0"}
    )
    assert status == 302
    assert reader_a.get("/articles/multi/")[0] == 404
    assert "Multi server draft" not in reader_a.get("/articles/")[2]
