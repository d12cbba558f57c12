from django.urls import path

from articles import views

app_name = "articles"

# Slugs may be in any script (é, Cyrillic, Japanese): `uslug` is registered by the authors app.
urlpatterns = [
    path("articles/", views.ArticleListView.as_view(), name="list"),
    path("articles/<uslug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("tags/", views.TagListView.as_view(), name="tags"),
    path("tags/<uslug:slug>/", views.TagDetailView.as_view(), name="tag"),
]
