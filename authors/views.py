from django.conf import settings
from django.http import Http404
from django.utils.functional import SimpleLazyObject
from django.views.generic import ListView

from authors.models import Author, count_public_articles, public_authors_a_to_z, public_profile
from authors.pagination import CountedPaginator, UncountedPaginator


class AuthorListView(ListView):
    """Every author with published articles, A to Z, with their number of them."""

    template_name = "authors/author_list.html"
    paginate_by = 50  # each entry has an avatar: fifty pictures a page on a phone is plenty
    paginator_class = UncountedPaginator  # a page reads its 50 authors (and one more), never counts all

    def get_queryset(self):
        return public_authors_a_to_z()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The page's authors come with their stored counts; only their scheduled articles are read.
        count_public_articles(context["object_list"])
        return context


class AuthorProfileView(ListView):
    """An author's pseudonymous profile and published articles; 404 until they have published."""

    template_name = "authors/author_detail.html"
    paginate_by = settings.ARTICLES_PER_PAGE

    def get_queryset(self):
        # The profile and its number of published articles in one query; none is a 404.
        self.author = public_profile(self.kwargs["slug"])
        if self.author is None:
            raise Http404("No author with published articles at this address.")
        return self.author.articles.published()  # newest first (Meta.ordering)

    def get_paginator(self, queryset, per_page, **kwargs):
        return CountedPaginator(queryset, per_page, count=self.author.article_count, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(author=self.author, **kwargs)
        # Lazy: the page's cached fragment of cards needs neither the articles nor their topics.
        # Article is reached through the relation so that authors/ never imports articles/.
        cards = Author.articles.field.model.objects.public_cards_by(self.author.pk)
        start = (context["page_obj"].number - 1) * self.paginate_by
        context["object_list"] = SimpleLazyObject(lambda: cards[start : start + self.paginate_by])
        return context
