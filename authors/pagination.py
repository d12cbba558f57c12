"""Long lists paged cheaply: a paginator told the count it already knows, and one that never
counts (a page reads one item past its end to know whether another follows). Used by the author
pages and, for articles by id, by articles.pagination."""

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.utils.functional import cached_property


class CountedPaginator(Paginator):
    """A paginator told its `count` when it is already known (kept per content version, the
    length of a list, a limit reached), which saves counting the rows again; None counts them."""

    def __init__(self, object_list, per_page, *, count=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        if count is not None:
            self.count = count  # replaces Paginator's cached property


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
