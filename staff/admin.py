"""Logins (users and groups) in the admin: superusers only, since they hold real names and e-mails."""

from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User


class SuperusersOnly:
    """Least privilege: editors run the content; only superusers see or change who logs in."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)


class LoginAdmin(SuperusersOnly, UserAdmin):
    pass


class RoleAdmin(SuperusersOnly, GroupAdmin):
    pass


def register_login_admins(site):
    """Replace django.contrib.auth's User and Group admins on `site` by superuser-only ones."""
    for model, model_admin in ((User, LoginAdmin), (Group, RoleAdmin)):
        if site.is_registered(model):
            site.unregister(model)
        site.register(model, model_admin)
