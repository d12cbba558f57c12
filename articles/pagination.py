"""Lists paged cheaply: article lists by id (the ids of a page come from an index, and only that
page's articles are loaded, with what a list entry shows), and long lists without a count."""

from collections.abc import Sequence
from functools import cached_property

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator

from articles.listings import cards_in_order


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


class UncountedPaginator(Paginator):
    """Pages without counting the whole list (at 100,000 articles a count reads 100,000 index
    entries): a page reads one item past its end to know whether another page follows."""

    count = None  # not counted: the page says "Page N" without "of M"

    @cached_property
    def num_pages(self):
        """Counted only when asked (`?page=last`)."""
        return Paginator(self.object_list, self.per_page).num_pages

    def validate_number(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("That page number is not an integer") from None
        if number < 1:
            raise EmptyPage("That page number is less than 1")
        if number * self.per_page >= 2**63:  # past any list a database's 64-bit offsets can reach
            raise EmptyPage("That page contains no results")
        return number

    def page(self, number):
        page = UncountedPage(self.validate_number(number), self)
        if page.number > 1 and not page.items:  # the first page may be empty; a later one is a 404
            raise EmptyPage("That page contains no results")
        return page

    def page_items(self, items):
        return items


class UncountedArticlePaginator(UncountedPaginator):
    """Pages over article ids in display order, without counting them."""

    def page_items(self, ids):
        return PageArticles(ids)


class UncountedPage(Page):
    """A page whose rows (and one past them, which says whether another page follows) are read on
    first use: a cached fragment of the page may not need them."""

    def __init__(self, number, paginator):
        self.number, self.paginator = number, paginator

    @cached_property
    def items(self):
        start = (self.number - 1) * self.paginator.per_page
        return list(self.paginator.object_list[start : start + self.paginator.per_page + 1])

    @cached_property
    def object_list(self):
        return self.paginator.page_items(self.items[: self.paginator.per_page])

    def has_next(self):
        return len(self.items) > self.paginator.per_page

    def start_index(self):
        return (self.number - 1) * self.paginator.per_page + 1

    def end_index(self):
        return self.start_index() + len(self) - 1


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
