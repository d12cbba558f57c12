"""The admin's login form with the one-time code, and the page where staff set up two-factor authentication."""

import django_otp
from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import user_has_device

from fibrosite import two_factor


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


def two_factor_page(request):
    """Verify a session with a code, set up an authenticator app (then show recovery codes once), or get
    new recovery codes."""
    user, action = request.user, request.POST.get("action", "")
    form = CodeForm(request.POST if action in ("verify", "confirm") else None)
    context = {
        **admin.site.each_context(request),
        "title": "Two-factor authentication",
        "form": form,
        "next": request.POST.get("next", request.GET.get("next", "")),
        "required": two_factor.is_required_for(user),
        "is_nav_sidebar_enabled": not two_factor.must_verify(user),  # its links lead nowhere yet
    }
    if two_factor.must_verify(user) and user_has_device(user):
        # A session opened before two-factor was on, or by other means: it proves itself with a code first,
        # and cannot set up another app in place of the one it would have to prove.
        return _verify_session(request, form, context)
    if action == "start":
        two_factor.new_app(user)
        return redirect("admin:two_factor")
    if action == "codes" and user.is_verified():
        return _show_recovery_codes(request, context)
    app = two_factor.pending_app(user) or (None if user_has_device(user) else two_factor.new_app(user))
    if action == "confirm" and app is not None and form.is_valid():
        if two_factor.confirm_app(app, form.cleaned_data["code"]):
            django_otp.login(request, app)
            return _show_recovery_codes(request, context)
        form.add_error("code", two_factor.WRONG_CODE)
    if app is not None:
        context.update(step="set_up", qr_code=two_factor.qr_code_svg(app), key=two_factor.key_text(app))
    else:
        context.update(step="on", codes_left=two_factor.recovery_codes_left(user))
    return TemplateResponse(request, "admin/two_factor.html", context)


def _verify_session(request, form, context):
    if form.is_valid():
        try:
            device = two_factor.verify(request.user, form.cleaned_data["code"])
        except two_factor.CodeRefused as refusal:
            form.add_error("code", str(refusal))
        else:
            django_otp.login(request, device)
            return redirect(_next_page(request, context["next"]))
    return TemplateResponse(request, "admin/two_factor.html", {**context, "step": "verify"})


def _show_recovery_codes(request, context):
    codes = two_factor.new_recovery_codes(request.user)
    next_page = _next_page(request, context["next"])
    return TemplateResponse(
        request, "admin/two_factor.html", {**context, "step": "codes", "codes": codes, "next_page": next_page}
    )


def _next_page(request, next_url):
    if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        return next_url
    return reverse("admin:index")
