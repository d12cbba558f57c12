from django.contrib.sitemaps import Sitemap

from authors.models import Author


class AuthorSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Author.objects.public()
