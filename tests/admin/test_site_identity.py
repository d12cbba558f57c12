"""The admin says whose it is: every page names the fibrosite editorial desk, never Django."""

from django.urls import reverse


def test_the_login_page_names_the_editorial_desk(client, db):
    html = client.get(reverse("admin:login")).content.decode()

    assert "<title>Log in | fibrosite editorial desk</title>" in html
    assert 'id="site-name"' in html and "fibrosite editorial desk" in html
    assert "Django administration" not in html and "Django site admin" not in html


def test_the_index_names_the_editorial_desk(client, editor):
    client.force_login(editor)

    html = client.get(reverse("admin:index")).content.decode()

    assert "<title>Editorial desk | fibrosite editorial desk</title>" in html
    assert "Django administration" not in html
