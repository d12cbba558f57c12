from functools import partial
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.decorators import method_decorator
from django.utils.functional import SimpleLazyObject
from django.views.decorators.cache import never_cache
from django.views.defaults import page_not_found
from django.views.generic import DetailView, ListView, TemplateView

from articles import listings, search, snippets
from articles.cache import public_article, public_topics, public_topics_a_to_z, tags_in_use, topic_count
from articles.filters import TagFilter
from articles.invalidation import AUTHOR_NAMES, TOPIC_NAMES
from articles.models import Article, Tag, TagRedirect, counted_topic_links
from articles.pagination import ArticlePaginator, UncountedArticlePaginator
from authors.pagination import CountedPaginator, UncountedPaginator
from pagecache.store import LISTING, cached, depends_on

HOME_LATEST = 6
HOME_TOPICS = 12


class HomeView(TemplateView):
    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        depends_on(LISTING)
        # Both lazy: the page's cached fragment needs neither while the content is unchanged.
        return super().get_context_data(
            latest=SimpleLazyObject(lambda: listings.latest_cards(HOME_LATEST)),
            topics=partial(tags_in_use, limit=HOME_TOPICS),
            **kwargs,
        )


class ArticlePagesMixin:
    """Lists of articles paged by id (articles.pagination): `get_queryset` returns the ids."""

    paginate_by = settings.ARTICLES_PER_PAGE
    article_count = None  # set by get_queryset when known without counting

    def get_paginator(self, ids, per_page, **kwargs):
        if self.article_count is None:  # every published article: paged without counting them
            return UncountedArticlePaginator(ids, per_page, **kwargs)
        return ArticlePaginator(ids, per_page, count=self.article_count, **kwargs)


class ArticleListView(ArticlePagesMixin, ListView):
    template_name = "articles/article_list.html"

    def get_queryset(self):
        depends_on(LISTING)
        self.tag_filter = TagFilter(self.request.GET)
        ids, self.article_count = self.tag_filter.article_ids()
        return ids

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tag_filter"] = self.tag_filter
        total = context["paginator"].count  # None: not counted
        tag_filter = self.tag_filter
        context["narrowing_note"] = note = tag_filter.narrowing_note(total)  # None: all matches counted
        # Lazy: counted only when the page's cached fragment is stale.
        context["narrowing"] = SimpleLazyObject(
            lambda: [] if total in (0, 1) else tag_filter.narrowing(tag_filter.narrowing_articles(), not note)
        )
        return context


class ArticleDetailView(DetailView):
    """A published article with its approved replies and the reply form; staff may also preview
    the unpublished articles they work on."""

    def get_queryset(self):
        # Topics, sources, corrections, replies and related articles are read by the template, in
        # a cached fragment: only when the content changed.
        articles = Article.objects.previewable_by(self.request.user)
        return articles.select_related("author").defer("body")  # body: its HTML is shown

    def get_object(self, queryset=None):
        if self.request.user.is_staff:  # what staff may preview depends on who they are
            return super().get_object(queryset)
        # The article as the public sees it, kept while it is unchanged; an unknown slug writes nothing.
        slug = self.kwargs["slug"]
        article = cached(f"article:{slug}", lambda: self._public_article(slug))
        if article is None:
            raise Http404("No published article at this address.")
        return article

    def _public_article(self, slug):
        article = public_article(slug)
        if article is not None:
            # What its page shows besides its topics and related articles (declared by the template);
            # these keys also cover what it came with (its corrections, sources, replies, topics).
            depends_on(f"article:{article.pk}", f"author:{article.author_id}", f"replies:{article.pk}")
            depends_on(*(f"topic:{topic.pk}" for topic in article.topics))  # came with it
            if article.reviewed_by_id:
                depends_on(f"reviewer:{article.reviewed_by_id}")
        return article

    def get_context_data(self, **kwargs):
        preview = self.request.user.is_staff and not self.object.is_public
        kwargs.setdefault("reply_form", None)  # None: the empty form, rendered once per process
        return super().get_context_data(preview=preview, **kwargs)


def article_page(request, article, **context):
    """The page of the published `article`, with `context` added (the replies app sends a refused
    reply form back on it)."""
    view = ArticleDetailView()
    view.setup(request, slug=article.slug)
    view.object = article
    return view.render_to_response(view.get_context_data(**context))


class TagListView(ListView):
    """Every topic with published articles, A to Z, with its number of them."""

    template_name = "articles/tag_list.html"
    paginate_by = 100
    paginator_class = UncountedPaginator  # thousands of topics: the page reads 101 rows, never all

    def get_queryset(self):
        depends_on(LISTING)
        return public_topics_a_to_z()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = context["object_list"]
        # Lazy: read only when the page's cached fragment is stale.
        return {**context, "topics": SimpleLazyObject(lambda: counted_topic_links(rows))}


class TagDetailView(ArticlePagesMixin, ListView):
    """One topic's description and its published articles; 404 while it has none."""

    template_name = "articles/tag_detail.html"

    def get(self, request, *args, **kwargs):
        # A topic without a published article answers exactly like one that does not exist.
        self.tag = next(iter(public_topics([kwargs["slug"]])), None)
        if self.tag is None:
            # A renamed or merged topic's old address leads to the topic it became, once public.
            moved = TagRedirect.objects.select_related("tag").filter(tag__in=Tag.objects.public())
            return redirect(get_object_or_404(moved, old_slug=kwargs["slug"]).tag, permanent=True)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        # Its articles' cards, not the whole listing: publishing touches the topics it concerns.
        depends_on(f"topic:{self.tag.pk}", f"topic-description:{self.tag.pk}", TOPIC_NAMES, AUTHOR_NAMES)
        self.article_count = topic_count(self.tag)
        return listings.article_ids([self.tag])

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, tag_query=TagFilter.query_for([self.tag]), **kwargs)


# A reader's query is theirs (it may be about an overdose): no shared cache, ours or one in front
# of the site, keeps any answer to it, a "page not found" included.
@method_decorator(never_cache, name="dispatch")
class SearchView(ListView):
    """Full-text search of published articles, ranked, with snippets and topic facets."""

    template_name = "articles/search.html"
    paginate_by = settings.ARTICLES_PER_PAGE

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except Http404 as error:  # rendered here, so that it leaves with the private headers too
            return page_not_found(request, error)

    def get_queryset(self):
        self.query = self.request.GET.get("q", "")[: search.MAX_QUERY_LENGTH].strip()
        self.tag_filter = TagFilter(self.request.GET)
        self.results = None if self.tag_filter.unknown else search.search(self.query, self.tag_filter.active)
        return self.results.ranked_ids if self.results else []

    def get_paginator(self, entries, per_page, **kwargs):
        count = len(self.results.article_ids) if self.results else 0
        return CountedPaginator(entries, per_page, count=count, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            query=self.query,
            searchable=self.results is not None,
            tag_filter=self.tag_filter,
            hits=snippets.hits(context["object_list"], self.query) if self.results else [],
        )
        if self.results:
            total = context["paginator"].count
            matching = self.results.article_ids
            context["capped"] = self.results.capped  # the page says how the results were chosen
            context["catching_up"] = self.results.catching_up  # topic changes not yet in the index
            context["facets"] = self.tag_filter.narrowing(matching) if total > 1 else []
            context["page_query"] = urlencode({"q": self.query}) + (
                f"&{self.tag_filter.query}" if self.tag_filter.active else ""
            )
        return context
