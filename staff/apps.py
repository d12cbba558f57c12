from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class StaffConfig(AppConfig):
    """Staff logins: the admin site, two-factor authentication, login throttling and password reset."""

    default = True  # the config INSTALLED_APPS' "staff" means; StaffAdminConfig is named in full
    name = "staff"
    verbose_name = "Staff logins"


class StaffAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with our AdminSite as `admin.site`, and logins kept to superusers."""

    default = False
    default_site = "staff.admin_site.FibroAdminSite"

    def ready(self):
        super().ready()  # every app's admin.py registers on our site
        from staff.admin import register_login_admins

        register_login_admins(self.module.site)
