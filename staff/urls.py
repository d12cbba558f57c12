"""Password reset by e-mail for staff, under /admin/: Django's views, sending only to staff logins, and a
new password also lifts a login lockout. The names are those Django's admin and auth templates expect."""

from django.contrib import admin
from django.contrib.auth import views
from django.urls import path

from staff.forms import StaffPasswordResetForm
from staff.views import StaffPasswordResetConfirmView

# Django's admin-styled registration templates, under our admin's header.
ADMIN_LOOK = {"site_header": admin.site.site_header, "site_title": admin.site.site_title}

urlpatterns = [
    path(
        "password_reset/",
        views.PasswordResetView.as_view(
            form_class=StaffPasswordResetForm,
            subject_template_name="registration/password_reset_subject.txt",
            email_template_name="registration/password_reset_email.txt",
            extra_context=ADMIN_LOOK,
        ),
        name="admin_password_reset",
    ),
    path(
        "password_reset/done/",
        views.PasswordResetDoneView.as_view(extra_context=ADMIN_LOOK),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        StaffPasswordResetConfirmView.as_view(extra_context=ADMIN_LOOK),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        views.PasswordResetCompleteView.as_view(extra_context=ADMIN_LOOK),
        name="password_reset_complete",
    ),
]
