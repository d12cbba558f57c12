from django.urls import path

from invitations import views

app_name = "invitations"

urlpatterns = [
    path("invitation/<int:pk>/<str:token>/", views.accept, name="accept"),
]
