from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from articles.models import Article, Tag


class ArticleSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Article.objects.published().only("slug", "updated_at").order_by("-published_at", "pk")

    def lastmod(self, article):
        return article.updated_at


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
