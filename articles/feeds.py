"""RSS and Atom feeds of published articles: all, per topic, per author (named by pseudonym only).

Titles, summaries, topic descriptions and pseudonyms are plain text: each format below sends them
so that a feed reader shows them as written and never finds markup in them."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape

from articles import listings
from articles.models import Tag
from authors.models import Author

FEED_LENGTH = 20


def as_html(text):
    """Plain text written as HTML that shows it literally."""
    return None if text is None else escape(text)


class PlainTextRss(Rss201rev2Feed):
    """RSS 2.0 with titles and descriptions escaped: feed readers take both for HTML."""

    def __init__(self, title, link, description, **kwargs):
        super().__init__(as_html(title), link, as_html(description), **kwargs)

    def add_item(self, title, link, description, **kwargs):
        super().add_item(as_html(title), link, as_html(description), **kwargs)


class PlainTextAtom(Atom1Feed):
    """Atom with summaries escaped: Django marks them type="html" (titles and subtitles are text)."""

    def add_item(self, title, link, description, **kwargs):
        super().add_item(title, link, as_html(description), **kwargs)


class LatestArticlesFeed(Feed):
    feed_type = PlainTextRss
    title = "fibrosite: latest articles"
    description = "Fibromyalgia treatments, told by the people who tried them."

    def link(self):
        return reverse("articles:list")

    def items(self):
        return listings.latest_cards(FEED_LENGTH)

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        return article.summary

    def item_author_name(self, article):
        return article.author.pseudonym

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return article.public_updated_at

    def item_categories(self, article):
        return [tag.name for tag in article.topics]


class TagFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Tag.objects.public(), slug=slug)

    def title(self, tag):
        return f"fibrosite: articles on {tag.name}"

    def description(self, tag):
        return tag.description or f"Published articles on {tag.name}."

    def link(self, tag):
        return tag.get_absolute_url()

    def items(self, tag):
        return listings.cards_in_order(listings.article_ids([tag])[:FEED_LENGTH])


class AuthorFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Author.objects.public(), slug=slug)

    def title(self, author):
        return f"fibrosite: articles by {author.pseudonym}"

    def description(self, author):
        return f"Published articles by {author.pseudonym}."

    def link(self, author):
        return author.get_absolute_url()

    def items(self, author):
        return listings.cards_by(author.pk)[:FEED_LENGTH]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = PlainTextAtom
    subtitle = LatestArticlesFeed.description


class TagAtomFeed(TagFeed):
    feed_type = PlainTextAtom

    def subtitle(self, tag):
        return self.description(tag)


class AuthorAtomFeed(AuthorFeed):
    feed_type = PlainTextAtom

    def subtitle(self, author):
        return self.description(author)
