from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from articles.models import Article, Tag


class ArticleSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        fields = ("slug", "published_at", "revised_at")  # what `public_updated_at` reads
        return Article.objects.published().only(*fields).order_by("-published_at", "pk")

    def lastmod(self, article):
        return article.public_updated_at


class TagSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Tag.objects.public()


class SectionSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["home", "articles:list", "articles:tags", "authors:list"]

    def location(self, name):
        return reverse(name)
