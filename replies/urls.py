from django.urls import path

from replies import views

app_name = "replies"

urlpatterns = [
    path("articles/<uslug:slug>/reply/", views.post_reply, name="post"),
]
