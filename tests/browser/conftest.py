"""Chromium driven by Playwright against the live server: a fresh page per reader, and logins."""

import pytest
from django.db import connections
from django.urls import reverse
from playwright.sync_api import expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip
TIMEOUT_MS = 10_000  # the live server answers in milliseconds; a step that takes this long has failed


@pytest.fixture
def chromium(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            # Inside Playwright's sync API, Django's per-context connections are others than outside
            # it: the test's own would stay open past the session (PostgreSQL then refuses to drop
            # its test database: "being accessed by other users").
            connections.close_all()
            browser.close()


def open_page(chromium):
    """A page with its own cookies; Content-Security-Policy violations are collected in `page.blocked`."""
    page = chromium.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.blocked = []
    page.on(
        "console",
        lambda message: page.blocked.append(message.text) if "Content Security" in message.text else None,
    )
    return page


@pytest.fixture
def page(chromium):
    """An anonymous reader's page."""
    return open_page(chromium)


@pytest.fixture
def log_in(chromium, live_server):
    """A function giving a new page on which `user` has logged in to the admin (each its own cookies)."""

    def log_in(user, password="pw"):
        page = open_page(chromium)
        page.goto(f"{live_server.url}{reverse('admin:login')}")
        page.get_by_label("Username").fill(user.get_username())
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("button", name="Log out")).to_be_visible()
        return page

    return log_in
