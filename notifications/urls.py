from django.contrib import admin
from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    # Through the admin's own wrapper: staff only, and only once past two-factor where it is required.
    path("notifications/", admin.site.admin_view(views.preferences), name="preferences"),
]
