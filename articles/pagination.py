"""Article lists paged by id: the ids of a page come from an index, and only that page's articles
are loaded, with what a list entry shows (the paginators themselves: authors.pagination)."""

from collections.abc import Sequence

from django.utils.functional import cached_property

from articles.listings import cards_in_order
from authors.pagination import CountedPaginator, UncountedPaginator


class ArticlePaginator(CountedPaginator):
    """Pages over a sequence of article ids in display order."""

    def _get_page(self, ids, number, paginator):
        return super()._get_page(PageArticles(ids), number, paginator)


class UncountedArticlePaginator(UncountedPaginator):
    """Pages over article ids in display order, without counting them."""

    def page_items(self, ids):
        return PageArticles(ids)


class PageArticles(Sequence):
    """A page's articles, loaded on first use: a cached fragment of the page may not need them.
    `ids` (a tuple) names the page's content, as a fragment key."""

    def __init__(self, ids):
        self.ids = tuple(ids)

    @cached_property
    def articles(self):
        return cards_in_order(self.ids)

    def __getitem__(self, index):
        if isinstance(index, str):
            raise KeyError(index)  # templates try `page.ids` as a key first: that must not load
        return self.articles[index]

    def __len__(self):
        return len(self.ids)
