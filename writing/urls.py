from django.contrib import admin
from django.urls import path

from writing import views

app_name = "writing"


def staff(view):
    # The admin's wrapper: staff only, and only past two-factor where it is required.
    return admin.site.admin_view(view)


urlpatterns = [
    path("writing/preview/", staff(views.preview), name="preview"),
    path("writing/autosave/new/", staff(views.autosave), name="autosave_new"),
    path("writing/autosave/<int:article_id>/", staff(views.autosave), name="autosave"),
    path("writing/restore/new/", staff(views.restore), name="restore_new"),
    path("writing/restore/<int:article_id>/", staff(views.restore), name="restore"),
    path("writing/discard/new/", staff(views.discard), name="discard_new"),
    path("writing/discard/<int:article_id>/", staff(views.discard), name="discard"),
]
