"""Password reset by e-mail for staff: Django's views, sending only to staff logins, and a new password
also lifts a login lockout."""

from axes.utils import reset as reset_failed_logins
from django.contrib import admin
from django.contrib.auth import views
from django.contrib.auth.forms import PasswordResetForm
from django.urls import path, reverse_lazy


class StaffPasswordResetForm(PasswordResetForm):
    """Mails a reset link to the staff logins with this address; any other address gets the same answer
    and no mail, so the form tells nobody which addresses have a login."""

    def get_users(self, email):
        return (user for user in super().get_users(email) if user.is_staff)


class StaffPasswordResetConfirmView(views.PasswordResetConfirmView):
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        reset_failed_logins(
            username=form.user.get_username()
        )  # "or reset your password", as the lockout says
        return response


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
