from django.urls import path

from authors import views

app_name = "authors"

urlpatterns = [
    path("", views.AuthorListView.as_view(), name="list"),
    path("<uslug:slug>/", views.AuthorProfileView.as_view(), name="profile"),
]
