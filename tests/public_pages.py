"""The public page types, on the demo content with the parts it lacks (sources, a correction, a
medical review, an approved reply), for the markup, accessibility and screenshot checks."""

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article, Correction, Source, Tag
from replies.models import Reply

SEED_SLUG = "botox-injections-for-fibromyalgia"


def load_public_pages():
    """Loads the demo content and completes one other article; returns {page type: address}."""
    call_command("load_demo", verbosity=0)
    seed = Article.objects.get(slug=SEED_SLUG)
    other = Article.objects.published().exclude(pk=seed.pk).order_by("-published_at").first()
    Source.objects.create(
        article=other, title="A study of warm water exercise", url="https://example.org/study"
    )
    Source.objects.create(article=other, title="A booklet from a patient group")
    Correction.objects.create(article=other, text="The pool's temperature was 32 degrees, not 23.")
    reviewer = get_user_model().objects.create_user("reviewer-login", first_name="Dana", last_name="Reviewer")
    other.record_review(reviewer)
    other.save()
    Reply.objects.create(article=other, name="Kind Reader", text="This helped me too.", status="approved")
    tags = [tag.slug for tag in seed.tags.all()[:2]]
    return {
        "home": reverse("home"),
        "articles": reverse("articles:list"),
        "articles-filtered": f"{reverse('articles:list')}?tag={tags[0]}&tag={tags[1]}",
        "articles-unknown-topic": f"{reverse('articles:list')}?tag=no-such-topic",
        "article": seed.get_absolute_url(),
        "article-reviewed": other.get_absolute_url(),
        "topics": reverse("articles:tags"),
        "topic": Tag.objects.get(slug=tags[0]).get_absolute_url(),
        "authors": reverse("authors:list"),
        "author": seed.author.get_absolute_url(),
        "search-empty": reverse("articles:search"),
        "search": f"{reverse('articles:search')}?q=botox",
        "search-nothing": f"{reverse('articles:search')}?q=zzzzqqq",
        "not-found": "/no-such-page/",
        "admin-login": reverse("admin:login"),
    }
