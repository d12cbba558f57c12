from django.urls import path

from articles import feeds, views

app_name = "articles"

# Slugs may be in any script (é, Cyrillic, Japanese): `uslug` is registered by the authors app.
urlpatterns = [
    path("articles/", views.ArticleListView.as_view(), name="list"),
    path("articles/<uslug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("feed/", feeds.LatestArticlesFeed(), name="feed"),
    path("feed/atom/", feeds.LatestArticlesAtomFeed(), name="feed_atom"),
    path("tags/<uslug:slug>/feed/", feeds.TagFeed(), name="tag_feed"),
    path("tags/<uslug:slug>/feed/atom/", feeds.TagAtomFeed(), name="tag_feed_atom"),
    # An author's feed lists articles, so it is routed here: authors/ never imports articles/.
    path("authors/<uslug:slug>/feed/", feeds.AuthorFeed(), name="author_feed"),
    path("authors/<uslug:slug>/feed/atom/", feeds.AuthorAtomFeed(), name="author_feed_atom"),
    path("tags/", views.TagListView.as_view(), name="tags"),
    path("tags/<uslug:slug>/", views.TagDetailView.as_view(), name="tag"),
]
