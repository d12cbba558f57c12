"""The admin's login form with its one-time code, the two-factor page's code form, and the staff-only
password reset form."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import PasswordResetForm
from django_otp import user_has_device

from staff import two_factor


class StaffLoginForm(AdminAuthenticationForm):
    """Username and password, then the one-time code for anyone who has set up two-factor authentication."""

    otp_token = forms.CharField(
        label="Two-factor code",
        required=False,
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "aria-describedby": "id_otp_token_helptext"}
        ),
        help_text="The 6 digits your authenticator app shows, or one of your recovery codes. "
        "Leave empty if you have not set up two-factor authentication.",
    )

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user_has_device(user):
            return
        code = self.cleaned_data.get("otp_token", "")
        if not code:
            raise forms.ValidationError(
                "Enter the code from your authenticator app, or one of your recovery codes.",
                code="otp_required",
            )
        try:
            device = two_factor.verify(user, code)
        except two_factor.CodeRefused as refusal:
            raise forms.ValidationError(str(refusal), code="otp_refused") from refusal
        user.otp_device = device  # django_otp marks the session as verified when the login completes


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code", max_length=20, widget=forms.TextInput(attrs={"autocomplete": "one-time-code"})
    )


class StaffPasswordResetForm(PasswordResetForm):
    """Mails a reset link to the staff logins with this address; any other address gets the same answer
    and no mail, so the form tells nobody which addresses have a login."""

    def get_users(self, email):
        return (user for user in super().get_users(email) if user.is_staff)
