"""Browsers find the site's icon: every page links it, and /favicon.ico answers."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_pages_link_the_icon_and_favicon_ico_is_served(client):
    html = client.get(reverse("home")).content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and b"<svg" in b"".join(icon.streaming_content)

    favicon = client.get("/favicon.ico")
    assert favicon.status_code == 200
    assert favicon["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    assert b"".join(favicon.streaming_content)[:4] == b"\x00\x00\x01\x00"  # the ICO signature
