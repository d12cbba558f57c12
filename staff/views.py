"""The page where staff set up and give two-factor codes, and the password reset step that lifts a lockout."""

import django_otp
from axes.utils import reset as reset_failed_logins
from django.contrib import admin
from django.contrib.auth import views
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import user_has_device

from staff import two_factor
from staff.forms import CodeForm


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


class StaffPasswordResetConfirmView(views.PasswordResetConfirmView):
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        reset_failed_logins(
            username=form.user.get_username()
        )  # "or reset your password", as the lockout says
        return response
