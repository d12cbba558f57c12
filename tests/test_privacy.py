"""An author's login (username, real name, e-mail) and a reader's e-mail never appear anywhere public:
pages, feeds, sitemap, JSON-LD."""

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article, Tag
from authors.models import Author
from replies.models import Reply


@pytest.fixture
def demo_with_logins(db, settings):
    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    settings.DEBUG = False


def public_urls():
    urls = [reverse("home"), reverse("articles:list"), reverse("articles:tags"), reverse("authors:list")]
    urls += [a.get_absolute_url() for a in Article.objects.published()]
    urls += [t.get_absolute_url() for t in Tag.objects.in_use()]
    urls += [a.get_absolute_url() for a in Author.objects.public()]
    urls += [reverse("articles:feed"), reverse("articles:feed_atom"), reverse("sitemap"), reverse("robots")]
    urls += [reverse("articles:search") + "?q=botox", reverse("articles:search") + "?q=fibro"]
    for author in Author.objects.public():
        urls += [
            reverse("articles:author_feed", args=[author.slug]),
            reverse("articles:author_feed_atom", args=[author.slug]),
        ]
    for tag in Tag.objects.in_use():
        urls += [reverse("articles:tag_feed", args=[tag.slug])]
    return urls


def test_no_public_page_shows_the_authors_login(client, demo_with_logins):
    user = Author.objects.get(pseudonym="Fibro Warrior").user
    seed = Article.objects.get(slug="botox-injections-for-fibromyalgia")
    Reply.objects.create(
        article=seed, name="Reader", email="reader.private@example.org", text="Thanks", status="approved"
    )
    secrets = [
        user.username,
        user.email,
        user.first_name,
        user.last_name,
        "editor@example.org",
        "reader.private@example.org",
    ]
    assert user.username == "author" and django_settings.DEBUG is False
    for url in public_urls():
        html = client.get(url).content.decode().lower()
        for secret in secrets:
            # "author" is also an ordinary English word on the pages; look for it as a login only.
            needle = f">{secret.lower()}<" if secret == "author" else secret.lower()
            assert needle not in html, f"{secret!r} appears on {url}"
