from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.http import HttpResponse
from django.urls import include, path
from django.views.generic import TemplateView

from articles.media import picture
from articles.sitemaps import ArticleSitemap, SectionSitemap, TagSitemap
from articles.views import HomeView
from authors.sitemaps import AuthorSitemap
from fibrosite.views import healthz

handler500 = "fibrosite.views.server_error"

SITEMAPS = {
    "sections": SectionSitemap,
    "articles": ArticleSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("", include("articles.urls")),
    path("", include("replies.urls")),
    path("authors/", include("authors.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    path("healthz", healthz, name="healthz"),
    # Before the admin's own URLs, whose catch-all would answer these addresses.
    path("admin/", include("staff.urls")),
    path("admin/", include("invitations.urls")),
    path("admin/", include("notifications.urls")),
    path("admin/", include("writing.urls")),
    path("admin/", admin.site.urls),
]

if settings.BENCHMARK:
    # The benchmark's floor: the cheapest response through the same server and middleware.
    urlpatterns += [path("_bench/floor", lambda request: HttpResponse("ok"), name="bench_floor")]

if settings.SERVE_MEDIA:
    # Each picture is served only to those who may see its article or author (articles/media.py).
    urlpatterns += [path(f"{settings.MEDIA_URL.lstrip('/')}<path:name>", picture, name="picture")]
