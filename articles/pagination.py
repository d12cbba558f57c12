"""Article lists paged by id: the ids of a page come from an index (cheap at any depth), and only
that page's articles are loaded, with what a list entry shows."""

from django.core.paginator import Paginator

from articles.models import Article


class ArticlePaginator(Paginator):
    """Pages over a sequence of article ids in display order. `count`, when already known (kept
    per content version, or the length of a list), saves counting the sequence."""

    def __init__(self, ids, per_page, *, count=None, **kwargs):
        super().__init__(ids, per_page, **kwargs)
        if count is not None:
            self.count = count  # replaces Paginator's cached property

    def _get_page(self, ids, number, paginator):
        return super()._get_page(articles_in_order(ids), number, paginator)


def articles_in_order(ids):
    """The articles of `ids`, in that order, with what a list entry shows (one query, plus one for
    their topics)."""
    ids = list(ids)
    articles = {article.pk: article for article in Article.objects.filter(pk__in=ids).for_listing()}
    return [articles[pk] for pk in ids if pk in articles]
