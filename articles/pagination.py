"""Article lists paged by id: the ids of a page come from an index (cheap at any depth), and only
that page's articles are loaded, with what a list entry shows."""

from collections.abc import Sequence
from functools import cached_property

from django.core.paginator import Paginator

from articles.models import Article


class CountedPaginator(Paginator):
    """A paginator told its `count` when it is already known (kept per content version, the
    length of a list, a limit reached), which saves counting the rows again; None counts them."""

    def __init__(self, object_list, per_page, *, count=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        if count is not None:
            self.count = count  # replaces Paginator's cached property


class ArticlePaginator(CountedPaginator):
    """Pages over a sequence of article ids in display order."""

    def _get_page(self, ids, number, paginator):
        return super()._get_page(PageArticles(ids), number, paginator)


class PageArticles(Sequence):
    """A page's articles, loaded on first use: a cached fragment of the page may not need them.
    `ids` (a tuple) names the page's content, as a fragment key."""

    def __init__(self, ids):
        self.ids = tuple(ids)

    @cached_property
    def articles(self):
        return articles_in_order(self.ids)

    def __getitem__(self, index):
        if isinstance(index, str):
            raise KeyError(index)  # templates try `page.ids` as a key first: that must not load
        return self.articles[index]

    def __len__(self):
        return len(self.ids)


def articles_in_order(ids):
    """The articles of `ids`, in that order, with what a list entry shows (one query, plus one for
    their topics)."""
    ids = list(ids)
    articles = {article.pk: article for article in Article.objects.filter(pk__in=ids).for_listing()}
    return [articles[pk] for pk in ids if pk in articles]
