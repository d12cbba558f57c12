from django.conf import settings
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import DetailView, ListView, TemplateView

from articles.filters import TagFilter
from articles.models import Article, Tag, TagRedirect

HOME_LATEST = 6
HOME_TOPICS = 12


class HomeView(TemplateView):
    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            latest=Article.objects.published().for_listing()[:HOME_LATEST],
            topics=Tag.objects.in_use()[:HOME_TOPICS],
            **kwargs,
        )


class ArticleListView(ListView):
    paginate_by = settings.ARTICLES_PER_PAGE

    def get_queryset(self):
        self.tag_filter = TagFilter(self.request.GET)
        return self.tag_filter.apply(Article.objects.published()).for_listing()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tag_filter"] = self.tag_filter
        total = context["paginator"].count
        context["narrowing"] = self.tag_filter.narrowing(self.object_list, total) if total > 1 else []
        return context


class ArticleDetailView(DetailView):
    """A published article; staff may also preview the unpublished articles they work on."""

    def get_queryset(self):
        articles = Article.objects.previewable_by(self.request.user)
        return articles.select_related("author", "reviewed_by").prefetch_related(
            "tags", "sources", "corrections"
        )

    def get_context_data(self, **kwargs):
        preview = self.request.user.is_staff and not self.object.is_public
        return super().get_context_data(related=self.object.related(), preview=preview, **kwargs)


class TagListView(ListView):
    template_name = "articles/tag_list.html"

    def get_queryset(self):
        return Tag.objects.in_use()


class TagDetailView(ListView):
    """One topic's description and its published articles; 404 while it has none."""

    template_name = "articles/tag_detail.html"
    paginate_by = settings.ARTICLES_PER_PAGE
    allow_empty = False

    def get(self, request, *args, **kwargs):
        self.tag = Tag.objects.filter(slug=kwargs["slug"]).first()
        if self.tag is None:
            # A renamed or merged topic's old address leads to the topic it became.
            moved = get_object_or_404(TagRedirect.objects.select_related("tag"), old_slug=kwargs["slug"])
            return redirect(moved.tag, permanent=True)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return Article.objects.published().with_tags([self.tag]).for_listing()

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, tag_query=TagFilter.query_for([self.tag]), **kwargs)
